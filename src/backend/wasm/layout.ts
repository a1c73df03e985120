/**
 * The call layout between TypeScript and the wasm kernels, written once and compiled by both sides:
 * tsc builds it with the rest of src (the wrappers in this folder), and asc imports it from
 * assembly/ (`import { ... } from '../layout'`). So it holds only plain numeric enums, which both
 * compilers accept and asc folds into constants.
 *
 * Two kinds of blocks, both in the shared memory:
 * - Geometry blocks (i32 slots), one per call, written by WasmContext.setParams and read in the
 *   kernels with `param(block, ConvGeometry.padTop)`. Their field names are those of Conv2DInfo and
 *   Pool2DInfo, so the wrappers pass those objects as they are.
 * - Job argument blocks (one per thread, 8-byte f64 slots, which hold any i32, u32, f32 or f64
 *   exactly): every export the thread pool runs takes a single argument, the address of its block,
 *   and reads its fields with argI / argP / argF / argU32 (assembly/common.ts). The TypeScript side
 *   writes them from an object with one property per field (WasmContext.run / call), which the
 *   compiler checks against the enum: a field added here is missing at every call site until given.
 *
 * Each enum ends with `count`, its number of slots; the comment after a group of fields gives their
 * AssemblyScript type.
 */

// ---- geometry blocks (i32) ----

/** Conv2DInfo of a convolution over NHWC input with an HWIO kernel. */
export enum ConvGeometry {
  batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, count,
}

/** Pool2DInfo of 2-D pooling over NHWC input. */
export enum PoolGeometry {
  batch, inH, inW, channels, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft, count,
}

/** A 3x3, stride-1 Winograd convolution: input (batch, inH, inW, inC), output (batch, outH, outW, outC). */
export enum WinoGeometry {
  batch, inH, inW, inC, outH, outW, outC, padTop, padLeft, count,
}

/** ResampleInfo (backend.ts) with its strings as the codes below. */
export enum ResampleGeometry {
  batch, inH, inW, channels, outH, outW, family, interpolation, fillMode, count,
}

/** ResampleInfo.family. */
export enum ResampleFamily { ndimage, keras }
/** ResampleInfo.interpolation. */
export enum ResampleInterpolation { bilinear, nearest }
/** ResampleInfo.fillMode. */
export enum ResampleFill { nearest, constant, reflect, wrap }

// ---- job argument blocks (f64 slots) ----

/** gemm (assembly/gemm.ts): c (+)= a · b on rows [rowStart, rowEnd), cols [colStart, colEnd); strides in bytes. */
export enum GemmArgs {
  rowStart, rowEnd, colStart, colEnd, depth, // i32
  a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, // usize
  accumulate, // i32 (0 or 1)
  scratch, // usize
  count,
}

/** pack_b: packs a (rows x cols) matrix b (strides in bytes) into GEMM panels at dst. */
export enum PackBArgs {
  b, rowStride, colStride, // usize
  rows, cols, // i32
  dst, // usize
  count,
}

/** conv_fwd: output pixel rows [rowStart, rowEnd), lowered chunkRows at a time. */
export enum ConvFwdArgs {
  geometry, x, packedW, y, // usize
  rowStart, rowEnd, chunkRows, // i32
  scratch, // usize
  bias, // usize: the epilogue's bias (outC floats), 0 for none
  relu, // i32: 1 to apply relu after the bias
  count,
}

/** conv_fwd_ind: output pixel rows [rowStart, rowEnd), input read in place. */
/**
 * pack_flipped (assembly/conv_flip.ts): an HWIO kernel (kH, kW, inC, outC) at w, flipped in space
 * with in/out channels swapped, packed as ceil(inC/8) panels of (kH*kW*outC x 8) at dst: the kernel
 * of the stride-1 input gradient as a forward convolution. Taps [tapStart, tapEnd) of the flipped kernel.
 */
export enum PackFlippedArgs {
  w, dst, // usize
  kH, kW, inC, outC, tapStart, tapEnd, // i32
  count,
}

export enum ConvFwdIndArgs {
  geometry, x, packedW, y, // usize
  rowStart, rowEnd, // i32
  scratch, // usize
  bias, // usize: the epilogue's bias (outC floats), 0 for none
  relu, // i32: 1 to apply relu after the bias
  count,
}

/** conv_bwd_filter: dw[tapStart:tapEnd, channelStart:channelEnd]. */
export enum ConvBwdFilterArgs {
  geometry, x, dy, dw, // usize
  tapStart, tapEnd, channelStart, channelEnd, chunkRows, // i32
  scratch, // usize
  count,
}

/** conv_bwd_input_col2im: dx of images [imageStart, imageEnd). */
export enum ConvBwdInputArgs {
  geometry, dy, packedWT, dx, // usize
  imageStart, imageEnd, chunkRows, // i32
  scratch, // usize
  count,
}

/** maxpool: images [imageStart, imageEnd). */
export enum MaxPoolArgs {
  geometry, x, y, argmax, // usize
  imageStart, imageEnd, // i32
  count,
}

/** maxpool_bwd: images [imageStart, imageEnd). */
export enum MaxPoolBwdArgs {
  geometry, dy, argmax, dx, // usize
  imageStart, imageEnd, // i32
  count,
}

/** avgpool: images [imageStart, imageEnd). */
export enum AvgPoolArgs {
  geometry, x, y, // usize
  imageStart, imageEnd, // i32
  count,
}

/** avgpool_bwd: images [imageStart, imageEnd). */
export enum AvgPoolBwdArgs {
  geometry, dy, dx, // usize
  imageStart, imageEnd, // i32
  count,
}

/** relu: elements [start, end). */
export enum ReluArgs {
  x, y, // usize
  start, end, // i32
  count,
}

/** relu_grad: elements [start, end). */
export enum ReluGradArgs {
  dy, x, dx, // usize
  start, end, // i32
  count,
}

/** binary: out = a op b, same length, elements [start, end); op is a BINARY_CODES value. */
export enum BinaryArgs {
  op, // i32
  a, b, out, // usize
  start, end, // i32
  count,
}

/** binary_bcast: out[i] = full[i] op small[i % smallLength] (small op full when swap = 1). */
export enum BinaryBcastArgs {
  op, // i32
  full, small, // usize
  smallLength, swap, // i32
  out, // usize
  start, end, // i32
  count,
}

/** affine: out = x * scale + offset, elements [start, end). */
export enum AffineArgs {
  x, // usize
  scale, offset, // f32
  out, // usize
  start, end, // i32
  count,
}

/** bias_grad: db[c] = sum over rows of dy (rows, channels), channels [channelStart, channelEnd). */
export enum BiasGradArgs {
  dy, db, // usize
  rows, channels, channelStart, channelEnd, // i32
  count,
}

/** reduce_sum: x viewed as (outer, n, inner), outer rows [outerStart, outerEnd). */
export enum ReduceSumArgs {
  x, // usize
  n, inner, // i32
  out, // usize
  outerStart, outerEnd, // i32
  count,
}

/** softmax over rows of n, rows [rowStart, rowEnd). */
export enum SoftmaxArgs {
  x, y, // usize
  n, rowStart, rowEnd, // i32
  count,
}

/** wino_fwd: chunks [chunkStart, chunkEnd) of chunkTiles tiles. */
export enum WinoFwdArgs {
  geometry, x, packedU, y, // usize
  chunkStart, chunkEnd, chunkTiles, exactZeros, // i32 (exactZeros: wino4_fwd's zero-receptive-field check, 0 or 1)
  bias, // usize: the epilogue's bias (outC floats), 0 for none
  relu, // i32: 1 to apply relu after the bias (v <= 0 ? 0 : v)
  scratch, // usize
  count,
}

/** wino_filter: slices [sliceStart, sliceEnd) of `slices`, each into its own accumulator. */
export enum WinoFilterArgs {
  geometry, x, dy, accumulators, // usize
  sliceStart, sliceEnd, slices, chunkTiles, // i32
  scratch, // usize
  count,
}

/** wino_filter_out: sums the slice accumulators, transforms them back into dw for channels [channelStart, channelEnd). */
export enum WinoFilterOutArgs {
  accumulators, // usize
  slices, inC, outC, // i32
  dw, // usize
  channelStart, channelEnd, // i32
  scratch, // usize
  count,
}

/** adadelta (Backend AdadeltaStep): elements [start, end). */
export enum AdadeltaArgs {
  w, g, accumulatedGrad, accumulatedDeltaVar, // usize
  start, end, // i32
  learningRate, rho, epsilon, // f64
  count,
}

/** adam (Backend AdamStep): elements [start, end); velocityHat = 0 without amsgrad. */
export enum AdamArgs {
  w, g, momentum, velocity, velocityHat, // usize
  start, end, // i32
  alpha, beta1, beta2, epsilon, // f64
  count,
}

/** dropout_fwd: the whole array on one thread (the stream is sequential). */
export enum DropoutArgs {
  x, y, keep, // usize
  start, end, // i32: elements [start, end) (start a multiple of 4); seed* is the stream's state at start
  seed0, seed1, seed2, seed3, threshold, // u32
  scale, // f64
  count,
}

/** dropout_bwd: elements [start, end). */
export enum DropoutBwdArgs {
  dy, keep, // usize
  scale, // f64
  dx, // usize
  start, end, // i32
  count,
}

/** resample: images [imageStart, imageEnd); matrices (batch, 6) f64, flips (batch) u8 or 0 for none. */
export enum ResampleArgs {
  geometry, x, matrices, flips, y, // usize
  fillValue, // f64
  imageStart, imageEnd, // i32
  scratch, // usize: 3 · (outH + outW) 8-byte slots of per-axis taps
  count,
}

/** bias_relu: out = max(x + bias[i % channels], 0), elements [start, end) (multiples of channels). */
export enum BiasReluArgs {
  x, bias, out, // usize
  channels, start, end, // i32
  count,
}

/**
 * relu_bias_grad: dx = y > 0 ? dy : 0 for slices [sliceStart, sliceEnd) of `slices` row ranges,
 * each slice's column sums of dx into partials + slice * channels floats.
 */
export enum ReluBiasGradArgs {
  dy, y, dx, partials, // usize
  rows, channels, sliceStart, sliceEnd, slices, // i32
  count,
}

/** thin_filter (assembly/conv_thin.ts, ConvGeometry block of the padded input): passes [passStart, passEnd) of (taps / 2) x (outC / 16). */
export enum ThinFilterArgs {
  geometry, x, dy, dw, // usize
  passStart, passEnd, // i32
  scratch, // usize
  count,
}

/** depthwise_fwd (multiplier 1, ConvGeometry block): output rows [rowStart, rowEnd) of the N·outH rows. */
export enum DepthwiseFwdArgs {
  geometry, x, w, y, // usize
  rowStart, rowEnd, // i32
  count,
}

/** depthwise_bwd_input: input rows [rowStart, rowEnd) of the N·inH rows of dx. */
export enum DepthwiseBwdInputArgs {
  geometry, dy, w, dx, // usize
  rowStart, rowEnd, // i32
  count,
}

/** depthwise_bwd_filter: dw[:, :, channelStart:channelEnd]. */
export enum DepthwiseBwdFilterArgs {
  geometry, x, dy, dw, // usize
  channelStart, channelEnd, // i32
  count,
}

/** bn_sums: per-block per-channel sums (mode 0: statistics of x about ref; 1: Σ dy and Σ dy·(x − ref)); dy = 0 in mode 0. */
export enum BnSumsArgs {
  mode, // i32
  x, dy, ref, partials, // usize: partials (blocks, 2, channels) f64
  rows, channels, blockRows, blockStart, blockEnd, // i32
  count,
}

/** bn_apply: y = (x − mean)·scale + offset per channel, rows [rowStart, rowEnd). */
export enum BnApplyArgs {
  x, mean, scale, offset, y, // usize
  channels, rowStart, rowEnd, // i32
  count,
}

/** bn_grad_input: dx = dy·k − a − (x − mean)·b per channel, rows [rowStart, rowEnd). */
export enum BnGradInputArgs {
  dy, x, mean, k, a, b, dx, // usize
  channels, rowStart, rowEnd, // i32
  count,
}

/**
 * thin_fwd (assembly/conv_thin.ts, ConvGeometry block of the padded one-channel input): output rows
 * [rowStart, rowEnd) of the N·outH rows, with the bias (0 for none) and relu of a ConvEpilogue.
 */
export enum ThinFwdArgs {
  geometry, x, w, y, // usize
  rowStart, rowEnd, // i32
  bias, // usize
  relu, // i32
  scratch, // usize
  count,
}

/**
 * wino_pack (assembly/wino_pack.ts): the transformed weights U = G g Gᵀ of input channels
 * [channelStart, channelEnd), g(kh, kw, c, k) = w[base + kh*strideH + kw*strideW + c*strideC + k*strideK].
 */
export enum WinoPackArgs {
  w, packedU, // usize
  transform, outC, panelRows, base, strideH, strideW, strideC, strideK, uStride, channelStart, channelEnd, // i32 (transform 2, 4 or 5)
  scratch, // usize
  count,
}
