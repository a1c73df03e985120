import { Tensor } from '../tensor/tensor';
import { broadcastShapes, shapesEqual, sizeOf } from '../util/shape';
import { globalRng, Rng } from '../util/rng';
import * as ew from './elementwise';
import * as act from './activations';
import * as red from './reduce';
import { matMul as matMulOp, dense as denseOp } from './linalg';
import { dropout as dropoutOp } from './random';
import { batchNorm as batchNormOp } from './batchnorm';
import { zeros } from './creation';
import { clone } from './shape';
import { assert, toFloat, toTensor, type TensorLike } from './public_util';

// Arithmetic, activations, reductions, matMul and dropout with TensorFlow.js's signatures: every
// tensor argument may be TensorLike, optional arguments come in tfjs's order with its defaults.

// numbers become float32 scalars, as in tfjs, so int32 + 0.5 is float32 1.5 (not int32 1)
function binary(op: string, f: (a: Tensor, b: Tensor) => Tensor) {
  return (a: TensorLike, b: TensorLike): Tensor => f(toTensor(a, 'a', op), toTensor(b, 'b', op));
}

export const add = binary('add', ew.add);
export const sub = binary('sub', ew.sub);
export const mul = binary('mul', ew.mul);
export const pow = binary('pow', ew.pow);
export const maximum = binary('maximum', ew.maximum);
export const minimum = binary('minimum', ew.minimum);
export const equal = binary('equal', ew.equal);
export const greater = binary('greater', ew.greater);
export const greaterEqual = binary('greaterEqual', ew.greaterEqual);
export const less = binary('less', ew.less);
export const lessEqual = binary('lessEqual', ew.lessEqual);

/** tf.div: a / b; two int32 tensors divide with floor, as tfjs's floorDiv. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor(a, 'a', 'div');
  const y = toTensor(b, 'b', 'div');
  return x.dtype === 'int32' && y.dtype === 'int32' ? ew.floor(ew.div(x, y)).cast('int32') : ew.div(x, y);
}

function unary(op: string, f: (x: Tensor) => Tensor, float = false) {
  return (x: TensorLike): Tensor => f(float ? toFloat(x, 'x', op) : toTensor(x, 'x', op));
}

export const neg = unary('neg', ew.neg);
export const abs = unary('abs', ew.abs);
export const square = unary('square', ew.square);
export const sign = unary('sign', ew.sign);
export const floor = unary('floor', ew.floor);
export const round = unary('round', ew.round);
export const exp = unary('exp', ew.exp, true);
export const log = unary('log', ew.log, true);
export const sqrt = unary('sqrt', ew.sqrt, true);
export const reciprocal = unary('reciprocal', ew.reciprocal, true);

export const relu = unary('relu', act.relu, true);
export const relu6 = unary('relu6', act.relu6, true);
export const sigmoid = unary('sigmoid', act.sigmoid, true);
export const tanh = unary('tanh', act.tanh, true);
export const elu = unary('elu', act.elu, true);
export const selu = unary('selu', act.selu, true);
export const softplus = unary('softplus', act.softplus, true);
// Keras activations tfjs has no op for, with the same (x) form
export const softsign = unary('softsign', act.softsign, true);
export const swish = unary('swish', act.swish, true);
export const gelu = unary('gelu', act.gelu, true);
export const hardSigmoid = unary('hardSigmoid', act.hardSigmoid, true);

/** tf.leakyRelu(x, alpha = 0.2). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  return act.leakyRelu(toFloat(x, 'x', 'leakyRelu'), alpha);
}

/** tf.clipByValue(x, clipValueMin, clipValueMax). */
export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  assert(clipValueMin <= clipValueMax, () => `Error in clip: min (${clipValueMin}) must be less than or equal to max (${clipValueMax}).`);
  return ew.clipByValue(toFloat(x, 'x', 'clipByValue'), clipValueMin, clipValueMax);
}

/** tf.softmax(logits, dim = -1); tatami also takes a dimension other than the last. */
export function softmax(logits: TensorLike, dim = -1): Tensor {
  return act.softmax(toFloat(logits, 'logits', 'softmax'), dim);
}

/** tf.logSoftmax(logits, axis = -1). */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  return act.logSoftmax(toFloat(logits, 'logits', 'logSoftmax'), axis);
}

type Axis = number | number[] | null;
const axisArg = (axis: Axis | undefined) => (axis == null ? undefined : axis);

/** tf.sum(x, axis = null, keepDims = false): null reduces every axis. */
export const sum = (x: TensorLike, axis: Axis = null, keepDims = false) => red.sum(toTensor(x, 'x', 'sum'), axisArg(axis), keepDims);
export const mean = (x: TensorLike, axis: Axis = null, keepDims = false) => red.mean(toTensor(x, 'x', 'mean'), axisArg(axis), keepDims);
export const max = (x: TensorLike, axis: Axis = null, keepDims = false) => red.max(toTensor(x, 'x', 'max'), axisArg(axis), keepDims);
export const min = (x: TensorLike, axis: Axis = null, keepDims = false) => red.min(toTensor(x, 'x', 'min'), axisArg(axis), keepDims);
/** tf.argMax(x, axis = 0), int32. */
export const argMax = (x: TensorLike, axis = 0) => red.argMax(toTensor(x, 'x', 'argMax'), axis);
export const argMin = (x: TensorLike, axis = 0) => red.argMin(toTensor(x, 'x', 'argMin'), axis);

function broadcastTo(t: Tensor, shape: number[]): Tensor {
  return shapesEqual(t.shape, shape) ? t : ew.add(t, zeros(shape));
}

/**
 * tf.matMul(a, b, transposeA = false, transposeB = false): rank 2, or batches of matrices whose
 * leading (batch) dimensions broadcast against each other.
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const ta = toTensor(a, 'a', 'matMul');
  const tb = toTensor(b, 'b', 'matMul');
  const z = matMulFloat(toFloat(ta, 'a', 'matMul'), toFloat(tb, 'b', 'matMul'), transposeA, transposeB);
  // int32 x int32 stays int32 as in tfjs (computed in float32: exact while |sums| < 2^24)
  return ta.dtype === 'int32' && tb.dtype === 'int32' ? z.cast('int32') : z;
}

function matMulFloat(x: Tensor, y: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  assert(x.rank >= 2 && y.rank >= 2, () => `Error in matMul: inputs must have rank at least 2, got ranks ${x.rank} and ${y.rank}.`, 'shape');
  const innerA = x.shape[x.rank - (transposeA ? 2 : 1)];
  const innerB = y.shape[y.rank - (transposeB ? 1 : 2)];
  assert(innerA === innerB, () => `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ` +
    `${x.shape} and ${y.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`, 'shape');
  if (x.rank === 2 && y.rank === 2) return matMulOp(x, y, transposeA, transposeB);
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  const n = sizeOf(batch);
  const flat = (t: Tensor) => broadcastTo(t, [...batch, ...t.shape.slice(-2)]).reshape([n, ...t.shape.slice(-2)]);
  const z = matMulOp(flat(x), flat(y), transposeA, transposeB);
  return z.reshape([...batch, z.shape[1], z.shape[2]]);
}

/**
 * tf.dropout(x, rate, noiseShape?, seed?): inverted dropout. Without noiseShape or seed this is
 * the fast internal kernel drawing from the global generator (tt.setSeed); a noiseShape
 * broadcasts one mask over the other axes, and a seed draws the mask from its own generator.
 */
export function dropout(x: TensorLike, rate: number, noiseShape?: (number | null)[], seed?: number): Tensor {
  const t = toTensor(x, 'x', 'dropout');
  assert(t.dtype === 'float32', () => `x has to be a floating point tensor since it's going to be scaled, but got a ${t.dtype} tensor instead.`);
  assert(rate >= 0 && rate < 1, () => `rate must be a float in the range [0, 1), but got ${rate}.`);
  if (rate === 0) return x instanceof Tensor ? clone(t) : t;
  if (noiseShape == null && seed == null) return dropoutOp(t, rate);
  // tfjs's getNoiseShape: a null entry takes x's size on that axis
  const shape = noiseShape == null ? t.shape.slice()
    : noiseShape.length === t.rank ? noiseShape.map((d, i) => d ?? t.shape[i]) : (noiseShape as number[]);
  const rng = seed == null ? globalRng : new Rng(seed);
  const keep = 1 - rate;
  const mask = Tensor.empty(shape);
  const m = mask.f32;
  for (let i = 0; i < m.length; i++) m[i] = Math.floor(rng.uniform() + keep) / keep;
  return ew.mul(t, mask);
}

/** tf.batchNorm(x, mean, variance, offset?, scale?, varianceEpsilon = 0.001), per last-axis channel. */
export function batchNorm(x: TensorLike, mean: TensorLike, variance: TensorLike, offset?: TensorLike | null,
  scale?: TensorLike | null, varianceEpsilon = 0.001): Tensor {
  const f = (t: TensorLike, name: string) => toFloat(t, name, 'batchNorm');
  return batchNormOp(f(x, 'x'), f(mean, 'mean'), f(variance, 'variance'), offset == null ? null : f(offset, 'offset'),
    scale == null ? null : f(scale, 'scale'), varianceEpsilon);
}

/** x (..., in) · kernel (in, units) + bias (units): the Dense layer's product (no tfjs op has it). */
export function dense(x: TensorLike, kernel: TensorLike, bias?: TensorLike | null): Tensor {
  const f = (t: TensorLike, name: string) => toFloat(t, name, 'dense');
  return denseOp(f(x, 'x'), f(kernel, 'kernel'), bias == null ? null : f(bias, 'bias'));
}
