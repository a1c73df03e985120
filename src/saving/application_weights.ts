import type { Layer } from '../layers/layer';
import type { Variable } from '../tensor/tensor';
import { ModelFileError } from './files';
import type { H5Group } from './h5';
import { withH5File, type H5SliceableDataset } from './h5_disk';
import { attrTexts, child, childGroup, isDataset } from './h5nodes';
import { legacyWeightsGroup } from './legacy_h5';
import { layerVariables, type IoModel } from './model_types';

/**
 * Weight files in the legacy HDF5 layout (keras/src/legacy/saving/legacy_h5_format.py), as Keras's
 * application weights are published (vgg16_weights_tf_dim_ordering_tf_kernels.h5, ...): the root
 * (or model_weights/) lists layer_names (split into layer_names0, layer_names1, ... past 64 KB),
 * each layer's group lists weight_names, one dataset per weight in the order
 * trainable + non-trainable. Matching follows load_weights_from_hdf5_group: the file's layers
 * that hold weights against the model's, by position, or by name (load_weights(by_name=True)).
 *
 * Everything (layers, counts, shapes, dtypes, file length) is checked before the first value is
 * read; then each dataset is read in slices of at most SLICE_VALUES values straight into its
 * variable's storage, so memory grows by the variables only, never by a copy of the file.
 * Measured on a 553 MB VGG16-with-top file of random weights written by h5py: building
 * vgg16({ weights: null }) peaks at 972 MB resident, vgg16({ weights: file }) at the same 972 MB.
 */

export interface WeightFileOptions {
  /** Match layers by name and skip the model's layers the file lacks (default false: by position). */
  byName?: boolean;
  /** Values read per HDF5 call (default 4 M: 16 MB of float32), the most held besides the model. */
  sliceValues?: number;
}

export interface WeightFileSummary {
  layers: number;
  weights: number;
  values: number;
}

/** 4 M float32 values (16 MB) per read: large enough for few HDF5 calls, small beside the model. */
const SLICE_VALUES = 1 << 22;
const FLOAT_DTYPES = ['<f', '<d'];

interface Planned {
  /** The saved layer's name. */
  layer: string;
  variable: Variable;
  dataset: H5SliceableDataset;
  where: string;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function showNames(names: string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, ..., ${names.slice(-3).join(', ')}`;
}

function layerGroup(g: H5Group, name: string, file: string): H5Group {
  const lg = childGroup(g, name);
  if (!lg) throw new ModelFileError(`'${file}' lists layer '${name}' in layer_names but has no group for it`);
  return lg;
}

/** The saved layer's datasets checked against the layer's variables (count, shape, float type). */
function planLayer(g: H5Group, saved: string, layer: Layer, file: string, out: Planned[]): void {
  const lg = layerGroup(g, saved, file);
  const names = attrTexts(lg, 'weight_names') ?? [];
  const want = layerVariables(layer);
  const where = `'${file}': layer '${saved}' (for the model's layer '${layer.name}', ${layer.className})`;
  if (names.length !== want.length) {
    throw new ModelFileError(`${where} holds ${names.length} weights, the layer has ${want.length} (${want.map((w) => w.name).join(', ')})`);
  }
  names.forEach((n, i) => {
    const ds = child(lg, n);
    if (!isDataset(ds)) throw new ModelFileError(`${where}: weight '${n}' is listed in weight_names but has no dataset`);
    const d = ds as H5SliceableDataset;
    const shape = d.shape ?? [];
    const v = want[i];
    if (shape.join() !== v.shape.join()) {
      throw new ModelFileError(`${where}: weight '${n}' has shape [${shape}], the model's '${v.name}' needs [${v.shape}]`);
    }
    if (!FLOAT_DTYPES.includes(d.dtype)) {
      throw new ModelFileError(`${where}: weight '${n}' has HDF5 type '${d.dtype}'; float32 or float64 (little-endian) is needed`);
    }
    out.push({ layer: saved, variable: v, dataset: d, where: `${lg.path}/${n}` });
  });
}

function plan(g: H5Group, model: IoModel, file: string, byName: boolean): Planned[] {
  const layerNames = attrTexts(g, 'layer_names');
  if (!layerNames) throw new ModelFileError(`'${file}' has no layer_names attribute in ${g.path}: it is not a Keras HDF5 weights file`);
  const out: Planned[] = [];
  if (byName) {
    const saved = new Set(layerNames);
    for (const layer of model.layers) if (saved.has(layer.name) && layer.weights.length > 0) planLayer(g, layer.name, layer, file, out);
    return out;
  }
  const savedWithWeights = layerNames.filter((n) => (attrTexts(layerGroup(g, n, file), 'weight_names') ?? []).length > 0);
  const modelWithWeights = model.layers.filter((l) => l.weights.length > 0);
  if (savedWithWeights.length !== modelWithWeights.length) {
    throw new ModelFileError(`'${file}' does not fit model '${model.name}': the model has ${modelWithWeights.length} layers with weights ` +
      `(${showNames(modelWithWeights.map((l) => l.name))}), the file has ${savedWithWeights.length} (${showNames(savedWithWeights)})`);
  }
  savedWithWeights.forEach((n, k) => planLayer(g, n, modelWithWeights[k], file, out));
  return out;
}

/** Reads one dataset into its variable, SLICE_VALUES values at a time along the first axis. */
function readInto(p: Planned, sliceValues: number): void {
  const shape = p.dataset.shape ?? [];
  const dst = p.variable.values;
  if (shape.length === 0) {
    dst[0] = Number(p.dataset.value);
    return;
  }
  const rowSize = size(shape.slice(1));
  const rows = Math.max(1, Math.floor(sliceValues / Math.max(1, rowSize)));
  for (let start = 0; start < shape[0]; start += rows) {
    const stop = Math.min(shape[0], start + rows);
    const chunk = p.dataset.slice([[start, stop]]) as Float32Array | Float64Array;
    if (!chunk || chunk.length !== (stop - start) * rowSize) {
      throw new ModelFileError(`reading ${p.where} rows ${start}-${stop} gave ${chunk?.length ?? 0} values, expected ${(stop - start) * rowSize}`);
    }
    dst.set(chunk, start * rowSize);
  }
}

/**
 * Loads a legacy-layout HDF5 weight file into `model`, reading it in place. A missing, truncated
 * or mismatched file (layer count, weight count, shape, type) is refused before any variable
 * changes; only a read error of the disk itself, after all checks passed, could leave it partly loaded.
 */
export async function loadWeightFile(model: IoModel, file: string, options: WeightFileOptions = {}): Promise<WeightFileSummary> {
  return withH5File(file, (root) => {
    const g = legacyWeightsGroup(root);
    if (!g) {
      throw new ModelFileError(`'${file}' is not a Keras HDF5 weights file: it has neither a layer_names attribute at its root nor a model_weights group`);
    }
    const planned = plan(g, model, file, options.byName ?? false);
    const sliceValues = options.sliceValues ?? SLICE_VALUES;
    if (!(Number.isInteger(sliceValues) && sliceValues > 0)) throw new ModelFileError(`sliceValues must be a positive integer; got ${sliceValues}`);
    for (const p of planned) readInto(p, sliceValues);
    const layers = new Set(planned.map((p) => p.layer)).size;
    return { layers, weights: planned.length, values: planned.reduce((n, p) => n + p.variable.size, 0) };
  });
}
