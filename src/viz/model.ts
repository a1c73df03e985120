/**
 * tt.viz's model-aware side: the plots of the Keras tutorials drawn straight from a model and
 * tatami objects (Tensor, History). Each function also takes the plain data of the pure
 * renderer of the same name, so `tt.viz.plotFilters(kernel)` and `tt.viz.plotFilters(model, 0)`
 * both work.
 */
import { Tensor } from '../tensor/tensor';
import type { Layer } from '../layers/layer';
import { model as functionalModel } from '../models/functional';
import type { SymbolicTensor } from '../layers/symbolic';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import type { VizImage } from './image';
import { toClassIndices, valuesOf, type LabelsLike, type NDArrayLike } from './ndarray';
// the pure renderers these wrap, each from its own module
import * as filters from './filters';
import * as featureMaps from './feature_maps';
import * as predictions from './predictions';
import * as confusion from './confusion';
import * as curves from './history';

/** What the wrappers need of a model: Sequential and functional models (tt.model) both fit. */
export interface VizModel {
  name: string;
  readonly layers: Layer[];
  readonly inputs: SymbolicTensor[];
  getLayer(nameOrIndex: string | number): Layer;
  predict(x: Tensor, args?: { batchSize?: number }): Tensor | Tensor[];
}

export function isModel(x: unknown): x is VizModel {
  return typeof x === 'object' && x !== null && typeof (x as VizModel).getLayer === 'function' &&
    typeof (x as VizModel).predict === 'function' && 'layers' in x;
}

/** A layer by name or index; undefined picks the first layer for which `accept` holds. */
function findLayer(model: VizModel, key: string | number | undefined, accept: (l: Layer) => boolean, what: string): Layer {
  if (key !== undefined) return model.getLayer(key);
  const l = model.layers.find(accept);
  if (!l) throw new ValueError(`model '${model.name}' has no ${what}`);
  return l;
}

function kernelOf(layer: Layer): Tensor | undefined {
  const w = layer.getWeights()[0];
  return w && w.rank === 4 ? w : undefined;
}

/** `rows` of x (N, ...) as a new tensor. */
export function takeRows(x: NDArrayLike, rows: number[]): Tensor {
  const n = x.shape[0];
  const per = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const src = x instanceof Tensor ? x.values : valuesOf(x);
  const out = Tensor.empty([rows.length, ...x.shape.slice(1)]);
  rows.forEach((r, i) => {
    if (!(r >= 0 && r < n)) throw new RangeError(`image index ${r} out of range 0..${n - 1}`);
    for (let j = 0; j < per; j++) out.values[i * per + j] = src[r * per + j];
  });
  return out;
}

/** Images reshaped to the model's input, e.g. (N, 28, 28) or (N, 784) → (N, 28, 28, 1). */
export function asModelInput(model: VizModel, images: Tensor): Tensor {
  if (model.inputs.length !== 1) throw new ValueError(`model '${model.name}' has ${model.inputs.length} inputs; these plots need a single-input model`);
  const want = model.inputs[0].shape.slice(1);
  if (want.some((d) => d == null)) return images;
  const size = (want as number[]).reduce((a, b) => a * b, 1);
  if (images.size / Math.max(images.shape[0], 1) !== size) {
    throw new ShapeError(`model '${model.name}' takes inputs of shape ${shapeToString([null, ...want])}; images of shape ${shapeToString(images.shape)} do not fit`);
  }
  return images.view([images.shape[0], ...(want as number[])]);
}

function firstRows(n: number, count: number): number[] {
  return Array.from({ length: Math.min(n, count) }, (_, i) => i);
}

function pickLabels(labels: LabelsLike | undefined, rows: number[]): number[] | undefined {
  if (labels === undefined) return undefined;
  const y = toClassIndices(labels);
  return rows.map((r) => y[r]);
}

function predictTensor(model: VizModel, x: Tensor): Tensor {
  const out = model.predict(x, { batchSize: 128 });
  if (Array.isArray(out)) throw new ValueError(`model '${model.name}' has ${out.length} outputs; these plots need a single-output model`);
  return out;
}

export interface ModelFilterOptions extends filters.FilterOptions {
  /** Input channel drawn (alias of inputChannel); default 0. */
  channel?: number | 'rgb';
}

/**
 * The filters of a conv layer (default: the first layer with a (kh, kw, in, out) kernel), read
 * with getWeights, as seed 001's 4x8 grid. Also takes a bare kernel: plotFilters(kernel, opts).
 */
export function plotFilters(model: VizModel, layer?: string | number, opts?: ModelFilterOptions): Promise<VizImage>;
export function plotFilters(kernel: NDArrayLike, opts?: filters.FilterOptions): Promise<VizImage>;
export async function plotFilters(a: VizModel | NDArrayLike, b?: string | number | filters.FilterOptions, c: ModelFilterOptions = {}): Promise<VizImage> {
  if (!isModel(a)) return filters.plotFilters(a, b as filters.FilterOptions);
  const layer = findLayer(a, b as string | number | undefined, (l) => kernelOf(l) !== undefined, 'layer with a 4-D (conv) kernel');
  const kernel = kernelOf(layer);
  if (!kernel) {
    const shapes = layer.getWeights().map((w) => shapeToString(w.shape)).join(', ') || 'no weights';
    throw new ValueError(`layer '${layer.name}' (${layer.className}) has no conv kernel of shape (kh, kw, in, out) (it has ${shapes})`);
  }
  const { channel, ...rest } = c;
  const inputChannel = rest.inputChannel ?? channel ?? 0;
  const [kh, kw, cin, cout] = kernel.shape;
  const chText = cin > 1 ? `, input channel ${inputChannel}` : '';
  const title = rest.title ?? `${layer.name}: ${cout} filters ${kh}x${kw}${chText}`;
  return filters.plotFilters(kernel, { ...rest, inputChannel, title });
}

/**
 * The activations of a layer for the first images, a row per image, computed by the sub-model
 * tt.model({ inputs: model.inputs, outputs: layer.output }) as in seed 001. Also takes bare
 * activations: plotFeatureMaps(activations, opts).
 */
export function plotFeatureMaps(model: VizModel, layer: string | number, images: Tensor, opts?: featureMaps.FeatureMapOptions): Promise<VizImage>;
export function plotFeatureMaps(activations: NDArrayLike, opts?: featureMaps.FeatureMapOptions): Promise<VizImage>;
export async function plotFeatureMaps(a: VizModel | NDArrayLike, b?: string | number | featureMaps.FeatureMapOptions, images?: Tensor, opts: featureMaps.FeatureMapOptions = {}): Promise<VizImage> {
  if (!isModel(a)) return featureMaps.plotFeatureMaps(a, b as featureMaps.FeatureMapOptions);
  if (!(images instanceof Tensor)) throw new ValueError('plotFeatureMaps(model, layer, images): images must be a Tensor of inputs for the model');
  const layer = a.getLayer(b as string | number);
  const x = asModelInput(a, takeRows(images, firstRows(images.shape[0], opts.maxImages ?? 8)));
  const sub = functionalModel({ inputs: a.inputs[0], outputs: layer.output });
  const acts = predictTensor(sub as unknown as VizModel, x);
  if (acts.rank !== 4) {
    throw new ValueError(`layer '${layer.name}' (${layer.className}) outputs ${shapeToString([null, ...acts.shape.slice(1)])}, not feature maps (N, H, W, C): pick a conv or pooling layer`);
  }
  const [, h, w, ch] = acts.shape;
  const title = opts.title ?? `${layer.name} (${layer.className}): ${Math.min(ch, opts.maxMaps ?? 16)} of ${ch} maps, ${h}x${w}`;
  return featureMaps.plotFeatureMaps(acts, { ...opts, images: x, title });
}

/**
 * A grid of images titled with the model's predicted class and probability (mistakes in red)
 * and the true class, as seed 002. Runs predict on the drawn images only. Also takes
 * plotPredictions(images, predictions, trueLabels, opts).
 */
export function plotPredictions(model: VizModel, images: Tensor, labels?: LabelsLike, opts?: predictions.SampleGridOptions): Promise<VizImage>;
export function plotPredictions(images: NDArrayLike, predictions: predictions.PredictionsLike, trueLabels?: LabelsLike, opts?: predictions.SampleGridOptions): Promise<VizImage>;
export async function plotPredictions(a: VizModel | NDArrayLike, b: unknown, c?: LabelsLike, opts: predictions.SampleGridOptions = {}): Promise<VizImage> {
  if (!isModel(a)) return predictions.plotPredictions(a, b as predictions.PredictionsLike, c, opts);
  const images = b as Tensor;
  if (!(images instanceof Tensor)) throw new ValueError('plotPredictions(model, images, labels): images must be a Tensor of inputs for the model');
  const rows = opts.indices ?? firstRows(images.shape[0], opts.count ?? 30);
  const x = takeRows(images, rows);
  const probs = predictTensor(a, asModelInput(a, x));
  return predictions.plotPredictions(x, probs, pickLabels(c, rows), { ...opts, indices: undefined, count: rows.length });
}

/** Predictions for images, in batches. */
function classesOf(model: VizModel, images: Tensor): Tensor {
  return predictTensor(model, asModelInput(model, images));
}

/**
 * Only the images the model gets wrong, titled in red: plotMisclassified(model, images,
 * labels, opts), or plotMisclassified(images, trueLabels, predictions, opts).
 */
export function plotMisclassified(model: VizModel, images: Tensor, labels: LabelsLike, opts?: predictions.SampleGridOptions): Promise<VizImage>;
export function plotMisclassified(images: NDArrayLike, trueLabels: LabelsLike, predictions: predictions.PredictionsLike, opts?: predictions.SampleGridOptions): Promise<VizImage>;
export async function plotMisclassified(a: VizModel | NDArrayLike, b: unknown, c: unknown, opts: predictions.SampleGridOptions = {}): Promise<VizImage> {
  if (!isModel(a)) return predictions.plotMisclassified(a, b as LabelsLike, c as predictions.PredictionsLike, opts);
  const images = b as Tensor;
  return predictions.plotMisclassified(images, c as LabelsLike, classesOf(a, images), opts);
}

/** The picture with its Vega-Lite spec and the matrix of counts. */
type ConfusionImage = ReturnType<typeof confusion.plotConfusionMatrix>;

/**
 * The confusion matrix: plotConfusionMatrix(yTrue, yPred, opts), or
 * plotConfusionMatrix(model, images, labels, opts) which predicts first.
 */
export function plotConfusionMatrix(model: VizModel, images: Tensor, labels: LabelsLike, opts?: confusion.ConfusionOptions): ConfusionImage;
export function plotConfusionMatrix(yTrue: LabelsLike, yPred: LabelsLike, opts?: confusion.ConfusionOptions): ConfusionImage;
export async function plotConfusionMatrix(a: VizModel | LabelsLike, b: unknown, c?: unknown, d: confusion.ConfusionOptions = {}): ConfusionImage {
  if (!isModel(a)) return confusion.plotConfusionMatrix(a, b as LabelsLike, c as confusion.ConfusionOptions);
  return confusion.plotConfusionMatrix(c as LabelsLike, classesOf(a, b as Tensor), d);
}

/** A dataset overview; copies only the images drawn, so a whole (60000, 28, 28) set is cheap. */
export async function plotSamples(images: NDArrayLike, labels: LabelsLike, opts: predictions.SampleGridOptions = {}): Promise<VizImage> {
  const rows = opts.indices ?? firstRows(images.shape[0], opts.count ?? 30);
  return predictions.plotSamples(takeRows(images, rows), pickLabels(labels, rows)!, { ...opts, indices: undefined, count: rows.length });
}

/** Learning curves of a History (what fit returns), its JSON, or a bare `history.history` record. */
export async function plotHistory(
  history: curves.HistoryLike | Record<string, ArrayLike<number>>, opts: curves.HistoryOptions = {},
): ReturnType<typeof curves.plotHistory> {
  const h = typeof (history as curves.HistoryLike).history === 'object' && !Array.isArray((history as curves.HistoryLike).history)
    ? (history as curves.HistoryLike)
    : { history: history as Record<string, ArrayLike<number>> };
  return curves.plotHistory(h, opts);
}
