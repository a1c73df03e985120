import type { Layer } from '../layers/layer';
import { ModelFileError } from './files';
import type { H5Group } from './h5';
import { attrTexts, child, childGroup, ensureGroup, hasAttr, readArray, writeArray, writeScalar, writeText, writeTexts, type ArrayData } from './h5nodes';
import { layerVariables, PendingAssignments, type IoModel } from './model_types';
import { kerasOptimizerState } from './optimizer_state';

/**
 * The legacy HDF5 layout (tf.keras 2's hdf5_format.py, kept in Keras 3 as
 * keras/src/legacy/saving/legacy_h5_format.py): a group per layer named after the layer, with a
 * weight_names attribute and one dataset per weight at that (nested) name, e.g.
 * model_weights/conv2d/conv2d/kernel:0; layer_names, backend and keras_version attributes on the
 * weights group; optimizer_weights/ with its own weight_names.
 */
export const LEGACY_KERAS_VERSION = '2.15.0';
export const LEGACY_BACKEND = 'tensorflow';

/** tf.keras 2's variable names: '<layer>/<weight>:0'. */
function kerasWeightName(layer: Layer, variableName: string): string {
  return `${layer.name}/${variableName.split('/').pop()}:0`;
}

/** Writes the weights of every layer into `g` (model_weights of a model file, or a weights file's root). */
export function writeLegacyWeights(g: H5Group, model: IoModel): void {
  writeTexts(g, 'layer_names', model.layers.map((l) => l.name));
  writeText(g, 'backend', LEGACY_BACKEND);
  writeText(g, 'keras_version', LEGACY_KERAS_VERSION);
  const sorted = model.layers.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const layer of sorted) {
    const lg = g.create_group(layer.name);
    const vars = layerVariables(layer);
    const names = vars.map((w) => kerasWeightName(layer, w.name));
    writeTexts(lg, 'weight_names', names);
    vars.forEach((w, i) => {
      const parts = names[i].split('/');
      writeArray(ensureGroup(lg, parts.slice(0, -1).join('/')), parts[parts.length - 1], w.values as Float32Array, w.shape);
    });
  }
}

/** optimizer_weights in Keras 3's order (iteration, learning_rate, slots), which Keras 3's loader restores. */
export function writeLegacyOptimizer(root: H5Group, model: IoModel): void {
  const c = model.compiled;
  if (!c) return;
  const state = kerasOptimizerState(c.optimizer, model.trainableWeights, true);
  const g = root.create_group('optimizer_weights');
  const names = state.map((s) => `${c.optimizer.name}/${s.name}`);
  writeTexts(g, 'weight_names', names);
  state.forEach((s, i) => {
    const parts = names[i].split('/');
    const parent = ensureGroup(g, parts.slice(0, -1).join('/'));
    if (s.shape.length === 0) writeScalar(parent, parts[parts.length - 1], s.values[0], s.dtype);
    else writeArray(parent, parts[parts.length - 1], s.values, s.shape);
  });
}

/** A legacy weights group: model_weights of a model file, or the root of a weights-only file. */
export function legacyWeightsGroup(root: H5Group): H5Group | null {
  const mw = childGroup(root, 'model_weights');
  if (mw) return mw;
  return hasAttr(root, 'layer_names') || hasAttr(root, 'layer_names0') ? root : null;
}

function readLayerArrays(g: H5Group, name: string, label: string): ArrayData[] {
  const lg = childGroup(g, name);
  if (!lg) throw new ModelFileError(`'${label}' lists layer '${name}' in layer_names but has no group for it`);
  const names = attrTexts(lg, 'weight_names') ?? [];
  return names.map((n) => readArray(child(lg, n), label, `${lg.path}/${n}`));
}

/**
 * Matches saved layers to the model's, by position among the layers that have weights (Keras's
 * load_weights_from_hdf5_group) or by name, and checks every count and shape before anything is
 * assigned.
 */
export function readLegacyWeights(g: H5Group, model: IoModel, label: string, byName: boolean): PendingAssignments {
  const layerNames = attrTexts(g, 'layer_names');
  if (!layerNames) throw new ModelFileError(`'${label}' has no layer_names attribute in ${g.path}`);
  const pending = new PendingAssignments();
  const assign = (layer: Layer, arrays: ArrayData[], saved: string) => {
    const want = layerVariables(layer);
    const where = `'${label}' layer '${saved}' -> '${layer.name}' (${layer.className})`;
    if (arrays.length !== want.length) throw new ModelFileError(`${where}: the layer has ${want.length} weights, the file has ${arrays.length}`);
    want.forEach((w, i) => pending.add(w, arrays[i], `${where} weight ${i}`));
  };
  if (byName) {
    const saved = new Set(layerNames);
    for (const layer of model.layers) {
      if (saved.has(layer.name)) assign(layer, readLayerArrays(g, layer.name, label), layer.name);
    }
    return pending;
  }
  const savedWithWeights = layerNames.filter((n) => {
    const lg = childGroup(g, n);
    if (!lg) throw new ModelFileError(`'${label}' lists layer '${n}' in layer_names but has no group for it`);
    return (attrTexts(lg, 'weight_names') ?? []).length > 0;
  });
  const modelWithWeights = model.layers.filter((l) => l.weights.length > 0);
  if (savedWithWeights.length !== modelWithWeights.length) {
    throw new ModelFileError(`'${label}': the model has ${modelWithWeights.length} layers with weights (${modelWithWeights.map((l) => l.name).join(', ')}), ` +
      `the file has ${savedWithWeights.length} (${savedWithWeights.join(', ')})`);
  }
  savedWithWeights.forEach((n, k) => assign(modelWithWeights[k], readLayerArrays(g, n, label), n));
  return pending;
}

export function readLegacyOptimizer(root: H5Group, label: string): { names: string[]; arrays: ArrayData[] } | null {
  const g = childGroup(root, 'optimizer_weights');
  if (!g) return null;
  const names = attrTexts(g, 'weight_names') ?? [];
  return { names, arrays: names.map((n) => readArray(child(g, n), label, `optimizer_weights/${n}`)) };
}
