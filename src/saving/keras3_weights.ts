import { ModelFileError } from './files';
import type { H5Group } from './h5';
import { childGroup, ensureGroup, isDataset, readArray, writeArray, writeScalar, type ArrayData } from './h5nodes';
import { snakeCase } from '../util/names';
import { layerVariables, PendingAssignments, type IoModel } from './model_types';
import { kerasOptimizerState } from './optimizer_state';

/**
 * Keras 3's weights store (model.weights.h5 inside a .keras file, and .weights.h5 files), as
 * keras/src/saving/saving_lib.py lays it out: every saveable gets `<path>/vars` with datasets
 * "0", "1", ... (the model itself at the root `vars`), layers at `layers/<snake_case_class>`
 * numbered per class (conv2d, conv2d_1, ...), the optimizer at `optimizer/vars`.
 */

/** saving_lib._save_container_state naming: by class, not by layer name, so files are reproducible. */
export function kerasLayerPaths(model: IoModel): string[] {
  const used = new Map<string, number>();
  return model.layers.map((l) => {
    const base = snakeCase(l.className);
    const n = used.get(base);
    used.set(base, n == null ? 0 : n + 1);
    return `layers/${n == null ? base : `${base}_${n + 1}`}`;
  });
}

export function writeKeras3Weights(root: H5Group, model: IoModel, includeOptimizer: boolean): void {
  root.create_group('vars');
  const paths = kerasLayerPaths(model);
  model.layers.forEach((layer, i) => {
    const vars = ensureGroup(root, paths[i]).create_group('vars');
    layerVariables(layer).forEach((w, j) => writeArray(vars, String(j), w.values as Float32Array, w.shape));
  });
  const c = model.compiled;
  if (includeOptimizer && c) {
    const vars = ensureGroup(root, 'optimizer').create_group('vars');
    kerasOptimizerState(c.optimizer, model.trainableWeights, true).forEach((s, j) => {
      if (s.shape.length === 0) writeScalar(vars, String(j), s.values[0], s.dtype);
      else writeArray(vars, String(j), s.values, s.shape);
    });
  }
}

/** The datasets "0", "1", ... of a vars group, in numeric order (HDF5 lists names sorted as text). */
export function readVars(g: H5Group, label: string): ArrayData[] {
  const keys = g.keys();
  const out: ArrayData[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (!keys.includes(String(i))) throw new ModelFileError(`'${label}': ${g.path} has datasets [${keys}], expected 0..${keys.length - 1}`);
    const ds = g.get(String(i));
    if (!isDataset(ds)) throw new ModelFileError(`'${label}': ${g.path}/${i} is not a dataset`);
    out.push(readArray(ds, label, `${g.path}/${i}`));
  }
  return out;
}

/** Keras 2.13-2.15 wrote `_layer_checkpoint_dependencies` where Keras 3 writes `layers`. */
function layerVarsGroup(root: H5Group, path: string): H5Group | null {
  return childGroup(root, `${path}/vars`) ?? childGroup(root, `${path.replace(/^layers/, '_layer_checkpoint_dependencies')}/vars`);
}

export function isKeras3WeightsFile(root: H5Group): boolean {
  const keys = root.keys();
  return keys.includes('layers') || keys.includes('_layer_checkpoint_dependencies') || (keys.includes('vars') && !keys.includes('model_weights'));
}

/**
 * Matches the file to the model by structure, as Keras does, and checks every count and shape.
 * Returns the assignments (not yet applied) and the optimizer's arrays if the file has them.
 */
export function readKeras3Weights(root: H5Group, model: IoModel, label: string): { pending: PendingAssignments; optimizer: ArrayData[] | null } {
  const pending = new PendingAssignments();
  const paths = kerasLayerPaths(model);
  model.layers.forEach((layer, i) => {
    const want = layerVariables(layer);
    const g = layerVarsGroup(root, paths[i]);
    const arrays = g ? readVars(g, label) : [];
    const where = `'${label}' ${paths[i]} (layer '${layer.name}', ${layer.className})`;
    if (!g && want.length > 0) throw new ModelFileError(`${where}: the file has no weights for this layer; saved layers: ${savedLayers(root).join(', ') || 'none'}`);
    if (arrays.length !== want.length) {
      throw new ModelFileError(`${where}: the layer has ${want.length} weights (${want.map((w) => w.name).join(', ')}), the file has ${arrays.length}`);
    }
    want.forEach((w, j) => pending.add(w, arrays[j], `${where} vars/${j}`));
  });
  const og = childGroup(root, 'optimizer/vars');
  return { pending, optimizer: og ? readVars(og, label) : null };
}

function savedLayers(root: H5Group): string[] {
  const g = childGroup(root, 'layers') ?? childGroup(root, '_layer_checkpoint_dependencies');
  return g ? g.keys() : [];
}
