import { Tensor } from '../tensor/tensor';
import * as ops from '../ops/public';
import { toTensor, type TensorLike } from '../ops/public_util';
import { getLoss, type Loss, type LossName } from '../losses/index';
import { getMetric, type Metric } from '../metrics/index';
import { ValueError } from '../util/errors';
import { noGrad } from '../autograd/tape';

// tf.losses (tfjs-core's: labels, predictions, weights?, reduction?) and tf.metrics (tfjs-layers':
// per-sample values), plus how compile reads them: tatami's loss or metric behind each function.

export enum Reduction { NONE = 0, SUM = 1, MEAN = 2, SUM_BY_NONZERO_WEIGHTS = 3 }

const lossOf = new WeakMap<object, () => Loss>();
const metricOf = new WeakMap<object, { name: string; make: () => Metric }>();

/** tfjs's computeWeightedLoss without weights: the mean (MEAN and SUM_BY_NONZERO_WEIGHTS), the sum, or as is. */
export function computeWeightedLoss(losses: TensorLike, weights?: TensorLike, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const l = toTensor(losses, 'losses', 'computeWeightedLoss');
  const w = weights == null ? null : toTensor(weights, 'weights', 'computeWeightedLoss');
  const weighted = w ? ops.mul(l, w) : l;
  if (reduction === Reduction.NONE) return weighted;
  if (reduction === Reduction.SUM) return ops.sum(weighted);
  if (!w) return ops.mean(weighted);
  if (reduction === Reduction.MEAN) return ops.div(ops.sum(weighted), ops.sum(ops.mul(ops.onesLike(l), w)));
  const nonzero = ops.sum(ops.cast(ops.greater(ops.mul(ops.onesLike(l), w), 0), 'float32'));
  return ops.div(ops.sum(weighted), nonzero);
}

type CoreLoss = (labels: TensorLike, predictions: TensorLike, weights?: TensorLike, reduction?: Reduction) => Tensor;

function coreLoss(name: string, elementwise: (y: Tensor, p: Tensor) => Tensor, tatami?: LossName): CoreLoss {
  const f: CoreLoss = (labels, predictions, weights, reduction) => {
    const y = toTensor(labels, 'labels', name);
    const p = toTensor(predictions, 'predictions', name);
    if (y.shape.join() !== p.shape.join()) throw new ValueError(`Error in ${name}: Shapes ${y.shape} and ${p.shape} must match`);
    return computeWeightedLoss(elementwise(y.cast('float32'), p), weights, reduction);
  };
  if (tatami) lossOf.set(f, () => getLoss(tatami));
  return f;
}

const EPS = 1e-7;

export const losses = {
  meanSquaredError: coreLoss('meanSquaredError', (y, p) => ops.square(ops.sub(y, p)), 'meanSquaredError'),
  absoluteDifference: coreLoss('absoluteDifference', (y, p) => ops.abs(ops.sub(y, p)), 'meanAbsoluteError'),
  logLoss: coreLoss('logLoss', (y, p) => ops.neg(ops.add(ops.mul(y, ops.log(ops.add(p, EPS))),
    ops.mul(ops.sub(1, y), ops.log(ops.add(ops.sub(1, p), EPS)))))),
  hingeLoss: coreLoss('hingeLoss', (y, p) => ops.relu(ops.sub(1, ops.mul(ops.sub(ops.mul(y, 2), 1), p)))),
  /** tf.losses.softmaxCrossEntropy(onehotLabels, logits, weights?, labelSmoothing = 0, reduction?). */
  softmaxCrossEntropy(onehotLabels: TensorLike, logits: TensorLike, weights?: TensorLike, labelSmoothing = 0,
    reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
    let y = toTensor(onehotLabels, 'onehotLabels', 'softmaxCrossEntropy').cast('float32');
    const z = toTensor(logits, 'logits', 'softmaxCrossEntropy');
    if (labelSmoothing > 0) y = ops.add(ops.mul(y, 1 - labelSmoothing), labelSmoothing / y.shape[y.rank - 1]);
    const perRow = ops.neg(ops.sum(ops.mul(y, ops.logSoftmax(z)), -1));
    return computeWeightedLoss(perRow, weights, reduction);
  },
  /** tf.losses.sigmoidCrossEntropy(multiClassLabels, logits, weights?, labelSmoothing = 0, reduction?). */
  sigmoidCrossEntropy(labels: TensorLike, logits: TensorLike, weights?: TensorLike, labelSmoothing = 0,
    reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
    let y = toTensor(labels, 'multiClassLabels', 'sigmoidCrossEntropy').cast('float32');
    const z = toTensor(logits, 'logits', 'sigmoidCrossEntropy');
    if (labelSmoothing > 0) y = ops.add(ops.mul(y, 1 - labelSmoothing), 0.5 * labelSmoothing);
    // max(z, 0) − z·y + log(1 + e^−|z|)
    const perElem = ops.add(ops.sub(ops.relu(z), ops.mul(z, y)), ops.softplus(ops.neg(ops.abs(z))));
    return computeWeightedLoss(perElem, weights, reduction);
  },
  computeWeightedLoss,
};

type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A tfjs-layers metric function over tatami's per-sample metric, registered for compile under `name`. */
function metric(name: string, make: () => Metric): MetricFn {
  const f: MetricFn = (yTrue, yPred) => {
    const values = make().perSample(yTrue, yPred);
    return Tensor.fromArray(values, [values.length]);
  };
  metricOf.set(f, { name, make });
  return f;
}

const metricFor = (id: string) => () => getMetric(id, 'meanSquaredError');

export const metrics = {
  binaryAccuracy: metric('binaryAccuracy', metricFor('binaryAccuracy')),
  categoricalAccuracy: metric('categoricalAccuracy', metricFor('categoricalAccuracy')),
  sparseCategoricalAccuracy: metric('sparseCategoricalAccuracy', metricFor('sparseCategoricalAccuracy')),
  topKCategoricalAccuracy: metric('topKCategoricalAccuracy', metricFor('topKCategoricalAccuracy')),
  sparseTopKCategoricalAccuracy: metric('sparseTopKCategoricalAccuracy', metricFor('sparseTopKCategoricalAccuracy')),
  meanSquaredError: metric('meanSquaredError', metricFor('meanSquaredError')),
  meanAbsoluteError: metric('meanAbsoluteError', metricFor('meanAbsoluteError')),
  MSE: metric('MSE', metricFor('meanSquaredError')),
  MAE: metric('MAE', metricFor('meanAbsoluteError')),
  mse: metric('mse', metricFor('meanSquaredError')),
  mae: metric('mae', metricFor('meanAbsoluteError')),
};

/**
 * compile's loss: a tfjs loss name, one of tf.losses' functions tatami knows, or a custom
 * function (yTrue, yPred) => Tensor. A custom loss is averaged over all its values, as tfjs's
 * training takes mean(loss), and trains through the autograd like any op.
 */
export function compileLoss(id: unknown): string | Loss {
  if (typeof id === 'string') return id;
  if (typeof id !== 'function') throw new ValueError(`compile: loss must be a loss name or a function (yTrue, yPred) => Tensor, got ${typeof id}`);
  const make = lossOf.get(id);
  if (make) return make();
  return customLoss(id as (yTrue: Tensor, yPred: Tensor) => Tensor);
}

function customLoss(f: (yTrue: Tensor, yPred: Tensor) => Tensor): Loss {
  const name = f.name || 'customLoss';
  const values = (yTrue: Tensor, yPred: Tensor): Tensor => {
    const out = f(yTrue, yPred);
    if (!(out instanceof Tensor)) throw new ValueError(`compile: the custom loss '${name}' must return a Tensor, got ${typeof out}`);
    return out;
  };
  const loss = ((yTrue: Tensor, yPred: Tensor) => ops.mean(values(yTrue, yPred))) as Loss;
  Object.defineProperty(loss, 'name', { value: name });
  loss.options = {};
  loss.perSample = values;
  return loss;
}

/** A custom metric function: the mean of what it returns, logged under the function's name (tfjs's key). */
function customMetric(f: (yTrue: Tensor, yPred: Tensor) => Tensor): { id: Metric; key: string } {
  const name = f.name || 'customMetric';
  const perSample = (yTrue: Tensor, yPred: Tensor): Float32Array => {
    // metrics are read outside the gradient, as tatami's own metrics are
    const out = noGrad(() => f(yTrue, yPred));
    if (!(out instanceof Tensor)) throw new ValueError(`compile: the custom metric '${name}' must return a Tensor, got ${typeof out}`);
    return Float32Array.from(out.values);
  };
  return { id: { name, perSample }, key: name };
}

/** compile's metric: its tatami Metric, and the key tfjs gives it in logs. */
export function compileMetric(id: unknown): { id: string | Metric; key: string } {
  if (typeof id === 'string') {
    if (id === 'accuracy' || id === 'acc') return { id, key: 'acc' };
    if (id === 'crossentropy' || id === 'ce') {
      throw new ValueError(`compile: metric '${id}' is not supported by tatami; use 'accuracy' or a loss name`);
    }
    return { id, key: id };
  }
  const m = typeof id === 'function' ? metricOf.get(id) : undefined;
  if (m) {
    const made = m.make();
    return { id: { ...made, name: m.name }, key: m.name };
  }
  if (typeof id === 'function') return customMetric(id as (yTrue: Tensor, yPred: Tensor) => Tensor);
  throw new ValueError(`compile: a metric must be a metric name or a function (yTrue, yPred) => Tensor, got ${typeof id}`);
}
