import type { Tensor } from '../tensor/tensor';
import { ValueError } from '../util/errors';
import { conv2d as convOp, type Padding } from './conv';
import { conv2dTranspose as convTransposeOp } from './conv_transpose';
import { maxPool as maxPoolOp, avgPool as avgPoolOp } from './pool';
import { pad as padOp, slice as sliceOp } from './shape';
import {
  as4D, assert, checkDataFormat, checkRounding, from4D, pair, roundDim, toFloat,
  type DataFormat, type ExplicitPadding, type Pair, type RoundingMode, type TensorLike,
} from './public_util';

// Convolutions and pooling with TensorFlow.js's signatures, over the internal ops (which also
// take a bias and a fused relu, and stay what the layers call). Channels-last (NHWC) only.

/** tfjs's pad argument: 'same', 'valid', one number for every side, or explicit pairs. */
export type ConvPad = Padding | number | ExplicitPadding;

/** [top, bottom, left, right] of a numeric or explicit pad. */
function explicitSides(op: string, pad: number | ExplicitPadding): [number, number, number, number] {
  const sides: [number, number, number, number] = typeof pad === 'number'
    ? [pad, pad, pad, pad]
    : [pad[1]?.[0], pad[1]?.[1], pad[2]?.[0], pad[2]?.[1]];
  if (typeof pad !== 'number') {
    assert(pad.length === 4 && pad.every((p) => Array.isArray(p) && p.length === 2) && pad[0].every((v) => v === 0) && pad[3].every((v) => v === 0),
      () => `Error in ${op}: explicit pad must be [[0, 0], [top, bottom], [left, right], [0, 0]] for NHWC, got ${JSON.stringify(pad)}.`);
  }
  assert(sides.every((v) => Number.isInteger(v) && v >= 0), () => `Error in ${op}: pad must be non-negative integers, got ${JSON.stringify(pad)}.`);
  return sides;
}

/** The checked arguments of a convolution: x as a batch, the filter, strides and dilations. */
export function convArgs(op: string, depthwise: boolean, x: TensorLike, filter: TensorLike, strides: Pair, pad: ConvPad,
  dataFormat: DataFormat | undefined, dilations: Pair | undefined, dimRoundingMode: RoundingMode | undefined) {
  checkDataFormat(op, dataFormat);
  const { x4, batched } = as4D(toFloat(x, 'x', op), op);
  const f = toFloat(filter, 'filter', op);
  assert(f.rank === 4, () => `Error in ${op}: filter must be rank 4, but got rank ${f.rank}.`, 'shape');
  const inC = x4.shape[3];
  assert(inC === f.shape[2], () => depthwise
    ? `Error in depthwiseConv2d: number of input channels (${inC}) must match the inChannels dimension in filter ${f.shape[2]}.`
    : `Error in conv2d: depth of input (${inC}) must match input depth for filter ${f.shape[2]}.`, 'shape');
  const s = pair(strides, 'strides', op);
  const d = pair(dilations ?? 1, 'dilations', op);
  checkRounding(op, pad, dimRoundingMode);
  return { x4, batched, f, s, d };
}

function convolve(op: string, depthwise: boolean, x: TensorLike, filter: TensorLike, strides: Pair, pad: ConvPad,
  dataFormat: DataFormat | undefined, dilations: Pair | undefined, dimRoundingMode: RoundingMode | undefined): Tensor {
  const { x4, batched, f, s, d } = convArgs(op, depthwise, x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  if (pad === 'same' || pad === 'valid') return from4D(convOp(x4, f, null, s, pad, d, depthwise), batched);
  assert(typeof pad === 'number' || Array.isArray(pad), () => `Unknown padding parameter: ${pad}`);
  // numeric or explicit padding: zero-pad the input, then a 'valid' convolution; extra rows or
  // columns of zeros at the end give the output size tfjs's rounding mode asks for
  const [t, b, l, r] = explicitSides(op, pad);
  const extra = (n: number, before: number, after: number, k: number, st: number, dil: number) => {
    const eff = (k - 1) * dil + 1;
    const want = roundDim((n - eff + before + after) / st + 1, dimRoundingMode);
    return Math.max((want - 1) * st + eff - (n + before + after), 0);
  };
  const bb = b + extra(x4.shape[1], t, b, f.shape[0], s[0], d[0]);
  const rr = r + extra(x4.shape[2], l, r, f.shape[1], s[1], d[1]);
  const padded = t || bb || l || rr ? padOp(x4, [[0, 0], [t, bb], [l, rr], [0, 0]]) : x4;
  return from4D(convOp(padded, f, null, s, 'valid', d, depthwise), batched);
}

/** tf.conv2d: x (N, H, W, C) or (H, W, C), filter (fh, fw, C, outC). */
export function conv2d(x: TensorLike, filter: TensorLike, strides: Pair, pad: ConvPad, dataFormat: DataFormat = 'NHWC',
  dilations: Pair = [1, 1], dimRoundingMode?: RoundingMode): Tensor {
  return convolve('conv2d', false, x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
}

/** tf.depthwiseConv2d: filter (fh, fw, C, multiplier); output channel c*multiplier + m. */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, strides: Pair, pad: ConvPad, dataFormat: DataFormat = 'NHWC',
  dilations: Pair = [1, 1], dimRoundingMode?: RoundingMode): Tensor {
  return convolve('depthwiseConv2d', true, x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
}

/**
 * tf.conv2dTranspose: x (N, H, W, inDepth), filter (fh, fw, outDepth, inDepth), outputShape
 * (N, oH, oW, outDepth) or (oH, oW, outDepth): the input gradient of the conv2d that maps
 * outputShape to x's shape. Computed as the internal transposed conv without padding, of size
 * n*s + max(k - s, 0), cropped from the conv's padding-before to outputShape.
 */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, outputShape: number[], strides: Pair,
  pad: ConvPad, dimRoundingMode?: RoundingMode): Tensor {
  const op = 'conv2dTranspose';
  const $x = toFloat(x, 'x', op);
  const f = toFloat(filter, 'filter', op);
  assert(outputShape.length === $x.rank, () => `Length of inShape (${outputShape.length}) and rank of dy (${$x.rank}) must match`, 'shape');
  const { x4, batched } = as4D($x, op, 'dy');
  const out = outputShape.length === 4 ? outputShape : [1, ...outputShape];
  assert(f.rank === 4, () => `Error in conv2dDerInput: filter must be rank 4, but got rank ${f.rank}`, 'shape');
  assert(out[3] === f.shape[2], () => `Error in conv2dDerInput: depth of input (${out[3]}) must match input depth for filter ${f.shape[2]}.`, 'shape');
  assert(x4.shape[3] === f.shape[3], () => `Error in conv2dDerInput: depth of output (${x4.shape[3]}) must match output depth for filter ${f.shape[3]}.`, 'shape');
  assert(out[0] === x4.shape[0], () => `${op}: outputShape batch ${out[0]} differs from the input's ${x4.shape[0]}`, 'shape');
  const s = pair(strides, 'strides', op);
  checkRounding(op, pad, dimRoundingMode);
  // padding-before of each spatial axis, and a check that the conv of outputShape gives x
  const sides = pad === 'same' || pad === 'valid' ? null : explicitSides(op, pad);
  const before = (axis: 0 | 1): number => {
    const n = x4.shape[1 + axis];
    const o = out[1 + axis];
    const k = f.shape[axis];
    let forward: number;
    let top: number;
    if (pad === 'same') {
      forward = Math.ceil(o / s[axis]);
      top = Math.floor(Math.max((n - 1) * s[axis] + k - o, 0) / 2);
    } else if (pad === 'valid') {
      forward = Math.ceil((o - k + 1) / s[axis]);
      top = 0;
    } else {
      const [lo, hi] = axis === 0 ? [sides![0], sides![1]] : [sides![2], sides![3]];
      forward = roundDim((o - k + lo + hi) / s[axis] + 1, dimRoundingMode);
      top = lo;
    }
    assert(forward === n, () => `${op}: outputShape [${outputShape}] does not match the input ${x4.shape[1]}x${x4.shape[2]}: ` +
      `a conv2d with strides [${s}] and pad ${JSON.stringify(pad)} maps it to ${forward} instead of ${n} along ${axis ? 'width' : 'height'}`, 'shape');
    return top;
  };
  const top = before(0);
  const left = before(1);
  const full = convTransposeOp(x4, f, null, s, 'valid', null);
  // zeros past the end when the crop reaches beyond the unpadded result
  const bottom = Math.max(top + out[1] - full.shape[1], 0);
  const right = Math.max(left + out[2] - full.shape[2], 0);
  const grown = bottom || right ? padOp(full, [[0, 0], [0, bottom], [0, right], [0, 0]]) : full;
  return from4D(sliceOp(grown, [0, top, left, 0], [-1, out[1], out[2], -1]), batched);
}

function pool(op: 'maxPool' | 'avgPool', x: TensorLike, filterSize: Pair, strides: Pair, pad: ConvPad,
  dimRoundingMode: RoundingMode | undefined): Tensor {
  const $x = toFloat(x, 'x', op);
  assert($x.rank === 4 || $x.rank === 3, () => `Error in ${op}: ${op === 'maxPool' ? 'input' : 'x'} must be rank 4 but got rank ${$x.rank}.`, 'shape');
  const { x4, batched } = as4D($x, op);
  const k = pair(filterSize, 'filterSize', op);
  const s = pair(strides, 'strides', op);
  checkRounding(op, pad, dimRoundingMode);
  const padding = pad === 0 ? 'valid' : pad;
  if (padding !== 'same' && padding !== 'valid') {
    // tfjs leaves numeric padding out of the window (max and count); tatami's kernels know
    // only TensorFlow's 'same' and 'valid' windows
    throw new ValueError(`${op}: pad ${JSON.stringify(pad)} is not supported; tatami pools with pad 'same' or 'valid'`);
  }
  const y = op === 'maxPool' ? maxPoolOp(x4, k, s, padding) : avgPoolOp(x4, k, s, padding);
  return from4D(y, batched);
}

/** tf.maxPool(x, filterSize, strides, pad, dimRoundingMode?). */
export function maxPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: ConvPad, dimRoundingMode?: RoundingMode): Tensor {
  return pool('maxPool', x, filterSize, strides, pad, dimRoundingMode);
}

/** tf.avgPool(x, filterSize, strides, pad, dimRoundingMode?); padding is left out of each mean. */
export function avgPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: ConvPad, dimRoundingMode?: RoundingMode): Tensor {
  return pool('avgPool', x, filterSize, strides, pad, dimRoundingMode);
}

/**
 * tf.separableConv2d(x, depthwiseFilter, pointwiseFilter, strides, pad, dilation?, dataFormat?):
 * a depthwise conv (fh, fw, C, multiplier) then a 1x1 conv (1, 1, C*multiplier, outC).
 */
export function separableConv2d(x: TensorLike, depthwiseFilter: TensorLike, pointwiseFilter: TensorLike, strides: Pair,
  pad: 'same' | 'valid', dilation: Pair = [1, 1], dataFormat: DataFormat = 'NHWC'): Tensor {
  const op = 'separableConv2d';
  checkDataFormat(op, dataFormat);
  const dw = toFloat(depthwiseFilter, 'depthwiseFilter', op);
  const pw = toFloat(pointwiseFilter, 'pointwiseFilter', op);
  assert(dw.rank === 4, () => `Error in separableConv2d: depthwise filter must be rank 4, but got rank ${dw.rank}.`, 'shape');
  assert(pw.rank === 4 && pw.shape[0] === 1 && pw.shape[1] === 1,
    () => `Error in separableConv2d: pointwise filter must be (1, 1, inChannels * multiplier, outChannels), got [${pw.shape}].`, 'shape');
  const mid = dw.shape[2] * dw.shape[3];
  assert(pw.shape[2] === mid, () => `Error in separableConv2d: the third dimension of pointwise filter must be ${mid}, but got ${pw.shape[2]}.`, 'shape');
  return conv2d(depthwiseConv2d(x, dw, strides, pad, dataFormat, dilation), pw, 1, 'valid');
}
