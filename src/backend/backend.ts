/**
 * The kernel interface: a few dozen primitives on flat buffers and shapes. The rule of this folder:
 * - Every kernel is required and does its whole job (no optional kernel, no "did nothing" result):
 *   callers never carry a fallback of their own.
 * - backend/js holds the one reference implementation of every kernel: it defines what the kernel
 *   means, bit for bit where a kernel says so (dropout, optimizerStep).
 * - backend/wasm spreads the JS backend and overrides only the kernels it makes faster; each
 *   override falls back to the reference kernel for cases it does not handle, and passes the same
 *   spec (test/backend runs every spec on both).
 * - Code outside src/backend imports only backend/registry (the active backend) and the types of
 *   this file; test/backend/boundary.test.ts checks this for src/ops and src/optimizers.
 *
 * Every buffer a kernel receives was allocated with `alloc` of the active backend, or is a plain
 * typed array (a backend that needs its own memory copies such an input in). Outputs are
 * always preallocated by the caller and fully overwritten unless a kernel says it accumulates.
 * Kernels typed with NumericArray serve every dtype (int32 and bool tensors too) and compute in
 * float64, rounding once when they store into the output array; the others are float32 only.
 */

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'square' | 'abs' | 'sign' | 'reciprocal'
  | 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'softplus' | 'softsign' | 'swish' | 'gelu'
  | 'floor' | 'ceil' | 'round' | 'relu6';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'pow'
  | 'equal' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

/** Gradient of a unary activation given its input x and output y: dx = dy * f'(x). */
export type UnaryGradOp = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'softplus' | 'softsign' | 'swish' | 'gelu' | 'relu6';

/** Geometry of a 2-D convolution over NHWC input with an HWIO kernel (Keras's layouts). */
export interface Conv2DInfo {
  batch: number;
  inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  kH: number; kW: number;
  strideH: number; strideW: number;
  dilationH: number; dilationW: number;
  padTop: number; padLeft: number;      // padding before; padding after is implied by outH/outW
  /** Depthwise convolution: kernel (kH, kW, inC, multiplier), outC = inC * multiplier. */
  depthwise?: boolean;
}

/** Geometry of 2-D pooling over NHWC input; outC = inC. */
export interface Pool2DInfo {
  batch: number;
  inH: number; inW: number; channels: number;
  outH: number; outW: number;
  poolH: number; poolW: number;
  strideH: number; strideW: number;
  padTop: number; padLeft: number;
}

/**
 * Geometry of `resampleImages` over channels-last images: input (batch, inH, inW, channels),
 * output (batch, outH, outW, channels), and which library's rules decide the pixels.
 *
 * family 'ndimage' is scipy.ndimage.affine_transform with order=1, as Keras's ImageDataGenerator
 * uses it (checked against scipy 1.10): fillMode maps the input COORDINATE back inside, on an axis
 * of length n, for a coordinate x outside [0, n − 1]:
 *  - constant: the pixel is fillValue (no interpolation towards it in (−1, 0) or (n − 1, n));
 *  - nearest:  x is clamped to [0, n − 1];
 *  - reflect:  half-sample symmetric, x → −x − 1 below 0 and 2n − x − 1 above n − 1, period 2n; a
 *              coordinate landing in (−1, 0) or (n − 1, n) interpolates against the edge sample repeated;
 *  - wrap:     scipy's 'wrap' (not 'grid-wrap'): period n − 1, the first and last samples overlap.
 * Only bilinear interpolation.
 *
 * family 'keras' is keras.ops.image.affine_transform (its NumPy backend: map_coordinates on the
 * image padded by the fill mode): the interpolation TAPS read the image extended by fillMode,
 *   reflect (d c b a | a b c d | d c b a), wrap (a b c d | a b c d), nearest (a a | a b c d | d d),
 *   constant (k k | a b c d | k k), k = fillValue;
 * 'nearest' interpolation takes the tap at floor(coordinate + 0.5).
 */
export interface ResampleInfo {
  batch: number;
  inH: number; inW: number; channels: number;
  outH: number; outW: number;
  family: 'ndimage' | 'keras';
  interpolation: 'bilinear' | 'nearest';
  fillMode: 'constant' | 'nearest' | 'reflect' | 'wrap';
  fillValue: number;
}

/** Storage of any tensor dtype: float32, int32, and uint8/bool. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

/**
 * Adam as Keras 3 does it (epsilon outside the root, bias correction folded into alpha):
 * m += (g - m)*(1 - beta1); v += (g*g - v)*(1 - beta2); with amsgrad vHat = max(vHat, v) is the
 * denominator; w -= m*alpha / (sqrt(denominator) + epsilon).
 */
export interface AdamStep {
  rule: 'adam';
  w: Float32Array; g: Float32Array;
  momentum: Float32Array; velocity: Float32Array;
  /** amsgrad's running maximum of velocity, or null without amsgrad. */
  velocityHat: Float32Array | null;
  alpha: number; beta1: number; beta2: number; epsilon: number;
}

/**
 * Adadelta as Keras 3 does it: ag = rho*ag + (1-rho)*g*g; delta = -sqrt(ad + eps)/sqrt(ag + eps)*g;
 * ad = rho*ad + (1-rho)*delta*delta; w += learningRate*delta.
 */
export interface AdadeltaStep {
  rule: 'adadelta';
  w: Float32Array; g: Float32Array;
  accumulatedGrad: Float32Array; accumulatedDeltaVar: Float32Array;
  learningRate: number; rho: number; epsilon: number;
}

/** What a convolution applies to its output: y = relu?(conv + bias). */
export interface ConvEpilogue {
  readonly bias: Float32Array | null;
  readonly relu: boolean;
}

/** One fused in-place optimizer update; w, g and every slot have the same length. */
export type OptimizerStep = AdamStep | AdadeltaStep;

export interface Backend {
  readonly name: string;

  /** Zero-filled float32 storage that this backend's kernels read in place. */
  alloc(size: number): Float32Array;
  /** Storage with unspecified contents, for kernel outputs that are fully overwritten. */
  allocUninit(size: number): Float32Array;
  /** Returns storage to the backend; the array must not be used afterwards. */
  free(buffer: Float32Array): void;

  /** out(M,N) = op(a)·op(b) (+ out when accumulate); a is (M,K) or (K,M) if transA; b is (K,N) or (N,K) if transB. */
  matMul(a: Float32Array, b: Float32Array, out: Float32Array, M: number, K: number, N: number,
    transA: boolean, transB: boolean, accumulate?: boolean): void;

  /**
   * y (N,outH,outW,outC) = conv(x (N,inH,inW,inC), w (kH,kW,inC,outC)), then the epilogue's bias
   * (outC) and relu (v <= 0 ? 0 : v, NaN kept) if given: backends may apply them as the output is
   * written instead of in further passes over y.
   */
  conv2d(x: Float32Array, w: Float32Array, y: Float32Array, info: Conv2DInfo, epilogue?: ConvEpilogue): void;
  /** dx (N,inH,inW,inC) from dy (N,outH,outW,outC) and w. */
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  /** dw (kH,kW,inC,outC) summed over the batch, from x and dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Conv2DInfo): void;

  /** y (N,outH,outW,C) = max over each window; argmax (same size as y) gets the flat input index chosen (-1 if the window is all padding). */
  maxPool(x: Float32Array, y: Float32Array, argmax: Int32Array, info: Pool2DInfo): void;
  /** dx (zeroed by the kernel) scatters dy to the argmax positions. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, info: Pool2DInfo): void;
  /** Average over the valid (non-padding) cells of each window, as Keras does. */
  avgPool(x: Float32Array, y: Float32Array, info: Pool2DInfo): void;
  avgPoolBackward(dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void;

  /** out = op(x) elementwise, any dtypes (e.g. int32 abs into an Int32Array). */
  unary(op: UnaryOp, x: NumericArray, out: NumericArray): void;
  /** dx = dy * f'(x) where y = f(x) (both given so kernels can use whichever is cheaper). */
  unaryGrad(op: UnaryGradOp, dy: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array): void;
  /**
   * out(outShape) = a op b with NumPy broadcasting (outShape = broadcast of aShape and bShape), any
   * dtypes: comparisons give 0/1, an Int32Array output truncates as int32 does.
   */
  binary(op: BinaryOp, a: NumericArray, aShape: readonly number[], b: NumericArray, bShape: readonly number[],
    out: NumericArray, outShape: readonly number[]): void;
  /** out = x * scale + offset, elementwise. */
  affine(x: Float32Array, scale: number, offset: number, out: Float32Array): void;

  /** x viewed as (outer, n, inner): out (outer, inner) = sum over n (or max/min/prod). */
  /** Any dtypes; the accumulator is a float64. */
  reduce(op: ReduceOp, x: NumericArray, outer: number, n: number, inner: number, out: NumericArray): void;
  /** x viewed as (outer, n, inner): out (outer, inner) = index of the max over n (first on ties); any dtype. */
  argMax(x: NumericArray, outer: number, n: number, inner: number, out: Int32Array): void;

  /** y (rows, n) = softmax over the last axis of x (rows, n). */
  softmax(x: Float32Array, y: Float32Array, rows: number, n: number): void;
  /** y (rows, n) = log softmax over the last axis. */
  logSoftmax(x: Float32Array, y: Float32Array, rows: number, n: number): void;

  /** out (N, C) = x (N, C) + bias (C), then max(·, 0) when `relu`; out may alias x. */
  biasAdd(x: Float32Array, bias: Float32Array, out: Float32Array, channels: number, relu?: boolean): void;
  /**
   * db (C) = sum of dy (N, C) over N. With reluY (N, C) and dx (N, C), the gradient through a relu
   * fused into the producer first: dx = reluY > 0 ? dy : 0, and db sums dx.
   */
  biasGrad(dy: Float32Array, db: Float32Array, channels: number, reluY?: Float32Array, dx?: Float32Array): void;

  /** The update of `step.rule`, in place, exactly as written on AdamStep / AdadeltaStep (float32 arithmetic as Keras and PyTorch do it; Adam's moments float64, rounded once). */
  optimizerStep(step: OptimizerStep): void;

  /**
   * Inverted dropout from the xoshiro128** stream seeded with `seed` (4 uint32):
   * keep[i] = draw >= threshold, y = keep ? x*scale : 0 (product in float64). Every backend
   * draws the same stream, so masks do not depend on the backend or thread count.
   */
  dropout(x: Float32Array, y: Float32Array, keep: Uint8Array, seed: readonly number[], threshold: number, scale: number): void;
  /** dx = keep ? dy*scale : 0 (product in float64). */
  dropoutGrad(dy: Float32Array, keep: Uint8Array, scale: number, dx: Float32Array): void;

  /**
   * y (batch, outH, outW, C) = each image of x (batch, inH, inW, C) resampled through its own
   * matrix, then mirrored as its flip flags say (bit 1: left-right, bit 2: top-bottom; flips null:
   * none). matrices (batch, 6) in float64: output pixel (row r, column c) samples the input point
   *   row = m0·r + m1·c + m2,  column = m3·r + m4·c + m5   (each summed left to right in float64),
   * by the rules of info.family (see ResampleInfo); the interpolation is computed in float64:
   * ((v00·w00 + v01·w01) + v10·w10) + v11·w11. An image whose matrix is the identity and whose
   * size does not change is copied exactly. y must not overlap x.
   */
  resampleImages(x: Float32Array, matrices: Float64Array, flips: Uint8Array | null, y: Float32Array, info: ResampleInfo): void;

  /** Rearranges x (shape) by perm into out; any dtype (out has x's). */
  transpose(x: NumericArray, shape: readonly number[], perm: readonly number[], out: NumericArray): void;

  // Batch normalization over x viewed as (rows, C), channels last (rows = x.length / C > 0).
  /** mean (C) and biased variance (C) of every channel, accumulated in float64. */
  batchNormStats(x: Float32Array, channels: number, mean: Float64Array, variance: Float64Array): void;
  /** y = (x − mean[c])·scale[c] + offset[c]; y may alias x. */
  batchNormApply(x: Float32Array, mean: Float32Array, scale: Float32Array, offset: Float32Array, y: Float32Array,
    channels: number): void;
  /** sumDy[c] = Σ dy and sumDyXc[c] = Σ dy·(x − mean[c]) over the rows, accumulated in float64. */
  batchNormGradSums(dy: Float32Array, x: Float32Array, mean: Float32Array, sumDy: Float64Array, sumDyXc: Float64Array,
    channels: number): void;
  /** dx = dy·k[c] − a[c] − (x − mean[c])·b[c] (the training-mode input gradient). */
  batchNormGradInput(dy: Float32Array, x: Float32Array, mean: Float32Array, k: Float32Array, a: Float32Array,
    b: Float32Array, dx: Float32Array, channels: number): void;
}
