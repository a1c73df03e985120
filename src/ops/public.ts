/**
 * The public ops, tt.* and tt.ops: TensorFlow.js 4.x's signatures and argument conventions
 * (`tt.conv2d(x, filter, strides, pad, dataFormat?, dilations?)`, `tt.sum(x, axis?, keepDims?)`),
 * so tfjs-core code ports by changing the import. They call the internal ops of ./index, whose
 * fused forms (bias, relu, depthwise flags) remain what the layers use. Channels-last (NHWC)
 * only: a dataFormat of 'NCHW' is refused with a clear error.
 */
import './index'; // installs the chainable tensor methods and autograd's ops

export * from './public_creation';
export * from './public_math';
export * from './public_shape';
export { conv2d, depthwiseConv2d, separableConv2d, conv2dTranspose, maxPool, avgPool, type ConvPad } from './public_conv';
export type { TensorLike, Pair, ExplicitPadding, DataFormat, RoundingMode } from './public_util';
export { fused, type FusedActivation, type FusedConv2DArgs, type FusedMatMulArgs } from './public_fused';
