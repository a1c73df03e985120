import type { Tensor } from '../tensor/tensor';
import * as ops from '../ops/index';
import { categoricalCrossentropyProbs } from '../ops/crossentropy';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';

/**
 * Keras's losses: a per-sample loss (summed over classes for crossentropy, averaged over the last
 * axis for mse/mae), then the mean over the batch. Probabilities are clipped to [1e-7, 1 − 1e-7];
 * fromLogits uses the stable log-softmax / softplus forms.
 */
export const EPSILON = 1e-7;
const FLOAT32_MAX = 3.4028234663852886e38;

export interface LossOptions { fromLogits?: boolean; labelSmoothing?: number }
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

function sameShape(name: string, yTrue: Tensor, yPred: Tensor, hint = ''): void {
  if (yTrue.shape.join() !== yPred.shape.join()) {
    throw new ShapeError(`${name}: labels of shape ${shapeToString(yTrue.shape)} do not match predictions of shape ${shapeToString(yPred.shape)}${hint}`);
  }
}

function smoothCategorical(y: Tensor, ls: number): Tensor {
  if (!ls) return y;
  const k = y.shape[y.rank - 1];
  return ops.add(ops.mul(y, 1 - ls), ls / k);
}

/** Per-sample categorical crossentropy; yTrue one-hot (N, C), yPred probabilities or logits. */
export function categoricalCrossentropyPerSample(yTrue: Tensor, yPred: Tensor, o: LossOptions = {}): Tensor {
  sameShape('categoricalCrossentropy', yTrue, yPred,
    yTrue.rank === yPred.rank - 1 ? ' (integer labels need sparseCategoricalCrossentropy, or one-hot them with tt.utils.toCategorical)' : '');
  const y = smoothCategorical(yTrue.cast('float32'), o.labelSmoothing ?? 0);
  // log-softmax is -Infinity only when two logits differ by more than float32 can hold; then a
  // zero label times it would be NaN: floored at -FLOAT32_MAX the loss stays finite
  if (o.fromLogits) return ops.neg(ops.sum(ops.mul(y, ops.maximum(ops.logSoftmax(yPred), -FLOAT32_MAX)), -1));
  if (yPred.dtype !== 'float32') yPred = yPred.cast('float32');
  return categoricalCrossentropyProbs(y, yPred, EPSILON);
}

/** Per-sample sparse categorical crossentropy; yTrue integer labels (N,) or (N, 1). */
export function sparseCategoricalCrossentropyPerSample(yTrue: Tensor, yPred: Tensor, o: LossOptions = {}): Tensor {
  const n = yPred.shape[yPred.rank - 1];
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = labels.reshape(labels.shape.slice(0, -1));
  if (labels.rank !== yPred.rank - 1 || labels.shape.join() !== yPred.shape.slice(0, -1).join()) {
    throw new ShapeError(`sparseCategoricalCrossentropy: labels of shape ${shapeToString(yTrue.shape)} do not match predictions of shape ${shapeToString(yPred.shape)}; expected integer labels of shape ${shapeToString(yPred.shape.slice(0, -1))}` +
      (yTrue.shape.join() === yPred.shape.join() ? ' (one-hot labels need categoricalCrossentropy)' : ''));
  }
  const lv = labels.values;
  for (let i = 0; i < lv.length; i++) {
    if (!(lv[i] >= 0 && lv[i] < n && Number.isInteger(lv[i]))) throw new ValueError(`sparseCategoricalCrossentropy: label ${lv[i]} at index ${i} is not an integer in [0, ${n})`);
  }
  return categoricalCrossentropyPerSample(ops.oneHot(labels, n), yPred, { fromLogits: o.fromLogits });
}

export function binaryCrossentropyPerSample(yTrue: Tensor, yPred: Tensor, o: LossOptions = {}): Tensor {
  sameShape('binaryCrossentropy', yTrue, yPred);
  let y = yTrue.cast('float32');
  if (o.labelSmoothing) y = ops.add(ops.mul(y, 1 - o.labelSmoothing), 0.5 * o.labelSmoothing);
  let perElem: Tensor;
  if (o.fromLogits) {
    // max(x, 0) − x·y + log(1 + e^−|x|)
    perElem = ops.add(ops.sub(ops.relu(yPred), ops.mul(yPred, y)), ops.softplus(ops.neg(ops.abs(yPred))));
  } else {
    const p = ops.clipByValue(yPred, EPSILON, 1 - EPSILON);
    perElem = ops.neg(ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log(ops.sub(1, p)))));
  }
  return ops.mean(perElem, -1);
}

export function meanSquaredErrorPerSample(yTrue: Tensor, yPred: Tensor): Tensor {
  sameShape('meanSquaredError', yTrue, yPred);
  return ops.mean(ops.square(ops.sub(yPred, yTrue.cast('float32'))), -1);
}

export function meanAbsoluteErrorPerSample(yTrue: Tensor, yPred: Tensor): Tensor {
  sameShape('meanAbsoluteError', yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(yPred, yTrue.cast('float32'))), -1);
}

const perSample = {
  categoricalCrossentropy: categoricalCrossentropyPerSample,
  sparseCategoricalCrossentropy: sparseCategoricalCrossentropyPerSample,
  binaryCrossentropy: binaryCrossentropyPerSample,
  meanSquaredError: meanSquaredErrorPerSample,
  meanAbsoluteError: meanAbsoluteErrorPerSample,
};

export type LossName = keyof typeof perSample;

const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError', mae: 'meanAbsoluteError', MSE: 'meanSquaredError', MAE: 'meanAbsoluteError',
  CategoricalCrossentropy: 'categoricalCrossentropy', SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  BinaryCrossentropy: 'binaryCrossentropy', MeanSquaredError: 'meanSquaredError', MeanAbsoluteError: 'meanAbsoluteError',
};

/** A resolved loss: its canonical name, options, and the batch-mean function. */
export interface Loss {
  name: LossName;
  options: LossOptions;
  perSample: (yTrue: Tensor, yPred: Tensor) => Tensor;
  (yTrue: Tensor, yPred: Tensor): Tensor;
}

export function makeLoss(name: LossName, options: LossOptions = {}): Loss {
  const ps = (yTrue: Tensor, yPred: Tensor) => perSample[name](yTrue, yPred, options);
  const fn = ((yTrue: Tensor, yPred: Tensor) => ops.mean(ps(yTrue, yPred))) as Loss;
  Object.defineProperty(fn, 'name', { value: name });
  fn.options = options;
  fn.perSample = ps;
  return fn;
}

/** Accepts 'categoricalCrossentropy', 'categorical_crossentropy', 'mse', or a Loss from tt.losses. */
export function getLoss(id: string | Loss): Loss {
  if (typeof id !== 'string') return id;
  const camel = id.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const name = (camel in perSample ? camel : ALIASES[id]) as LossName | undefined;
  if (!name) throw new ValueError(`unknown loss '${id}'; known: ${Object.keys(perSample).join(', ')}, mse, mae`);
  return makeLoss(name);
}

/** Loss objects with options, tfjs/Keras style: tt.losses.categoricalCrossentropy({ fromLogits: true }). */
export const losses = {
  categoricalCrossentropy: (o: LossOptions = {}) => makeLoss('categoricalCrossentropy', o),
  sparseCategoricalCrossentropy: (o: LossOptions = {}) => makeLoss('sparseCategoricalCrossentropy', o),
  binaryCrossentropy: (o: LossOptions = {}) => makeLoss('binaryCrossentropy', o),
  meanSquaredError: () => makeLoss('meanSquaredError'),
  meanAbsoluteError: () => makeLoss('meanAbsoluteError'),
};
