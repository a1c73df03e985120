import type { Tensor } from '../tensor/tensor';
import * as act from './activations';
import * as ew from './elementwise';
import { conv2d as convOp } from './conv';
import { dense as denseOp } from './linalg';
import { conv2d, convArgs, depthwiseConv2d, type ConvPad } from './public_conv';
import { matMul as publicMatMul } from './public_math';
import { from4D, toFloat, type DataFormat, type Pair, type RoundingMode, type TensorLike } from './public_util';
import { ValueError } from '../util/errors';

// tf.fused: a product, a bias and an activation in one call, TensorFlow.js's public face of the
// fused kernels. Where the internal op has the fusion (bias, and relu or nothing, with 'same' or
// 'valid' padding) it runs in one pass over the output; other forms are composed of the ops.

export type FusedActivation = 'linear' | 'relu' | 'prelu' | 'elu' | 'relu6' | 'leakyrelu' | 'sigmoid';

interface FusedActivationArgs {
  bias?: TensorLike;
  activation?: FusedActivation;
  preluActivationWeights?: TensorLike;
  leakyreluAlpha?: number;
}

export interface FusedConv2DArgs extends FusedActivationArgs {
  x: TensorLike;
  filter: TensorLike;
  strides: Pair;
  pad: ConvPad;
  dataFormat?: DataFormat;
  dilations?: Pair;
  dimRoundingMode?: RoundingMode;
}

export interface FusedMatMulArgs extends FusedActivationArgs {
  a: TensorLike;
  b: TensorLike;
  transposeA?: boolean;
  transposeB?: boolean;
}

function activate(op: string, y: Tensor, args: FusedActivationArgs): Tensor {
  switch (args.activation ?? 'linear') {
    case 'linear': return y;
    case 'relu': return act.relu(y);
    case 'relu6': return act.relu6(y);
    case 'elu': return act.elu(y);
    case 'sigmoid': return act.sigmoid(y);
    case 'leakyrelu': return act.leakyRelu(y, args.leakyreluAlpha ?? 0.2);
    case 'prelu': {
      if (args.preluActivationWeights == null) throw new ValueError(`${op}: activation 'prelu' needs preluActivationWeights`);
      const w = toFloat(args.preluActivationWeights, 'preluActivationWeights', op);
      // max(y, 0) + w * min(y, 0)
      return ew.add(act.relu(y), ew.mul(w, ew.neg(act.relu(ew.neg(y)))));
    }
    default: throw new ValueError(`${op}: unknown activation '${args.activation}'`);
  }
}

/** A rank-1 bias of n values can go into the fused kernel; any other shape is broadcast by add. */
function fusableBias(bias: Tensor | null, n: number): boolean {
  return bias == null || (bias.rank === 1 && bias.shape[0] === n);
}

function fusedConv(op: string, depthwise: boolean, args: FusedConv2DArgs): Tensor {
  const bias = args.bias == null ? null : toFloat(args.bias, 'bias', op);
  const activation = args.activation ?? 'linear';
  const f = toFloat(args.filter, 'filter', op);
  const outC = depthwise ? f.shape[2] * f.shape[3] : f.shape[3];
  const fast = (args.pad === 'same' || args.pad === 'valid') && (activation === 'linear' || activation === 'relu') &&
    (args.dataFormat == null || args.dataFormat === 'NHWC') && args.dimRoundingMode == null && fusableBias(bias, outC);
  if (fast) {
    const { x4, batched, s, d } = convArgs(op, depthwise, args.x, f, args.strides, args.pad, 'NHWC', args.dilations, undefined);
    return from4D(convOp(x4, f, bias, s, args.pad as 'same' | 'valid', d, depthwise, activation === 'relu'), batched);
  }
  const conv = depthwise ? depthwiseConv2d : conv2d;
  const y = conv(args.x, f, args.strides, args.pad, args.dataFormat, args.dilations, args.dimRoundingMode);
  return activate(op, bias ? ew.add(y, bias) : y, args);
}

/** tf.fused.conv2d({x, filter, strides, pad, dataFormat?, dilations?, dimRoundingMode?, bias?, activation?, ...}). */
export const conv2dFused = (args: FusedConv2DArgs): Tensor => fusedConv('fused conv2d', false, args);

/** tf.fused.depthwiseConv2d: as fused conv2d with a (fh, fw, C, multiplier) filter. */
export const depthwiseConv2dFused = (args: FusedConv2DArgs): Tensor => fusedConv('fused depthwiseConv2d', true, args);

/** tf.fused.matMul({a, b, transposeA?, transposeB?, bias?, activation?, ...}). */
export function matMulFused(args: FusedMatMulArgs): Tensor {
  const op = 'fused matMul';
  const bias = args.bias == null ? null : toFloat(args.bias, 'bias', op);
  const a = toFloat(args.a, 'a', op);
  const b = toFloat(args.b, 'b', op);
  const activation = args.activation ?? 'linear';
  if (a.rank === 2 && b.rank === 2 && !args.transposeA && !args.transposeB && a.shape[1] === b.shape[0] &&
    (activation === 'linear' || activation === 'relu') && fusableBias(bias, b.shape[1])) {
    return denseOp(a, b, bias, activation === 'relu');
  }
  const y = publicMatMul(a, b, args.transposeA ?? false, args.transposeB ?? false);
  return activate(op, bias ? ew.add(y, bias) : y, args);
}

/** The tt.fused namespace, tfjs's names. */
export const fused = { conv2d: conv2dFused, depthwiseConv2d: depthwiseConv2dFused, matMul: matMulFused };
