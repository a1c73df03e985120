/**
 * The geometry of Keras 3's keras.ops.image (its NumPy backend: map_coordinates on an image padded
 * by the fill mode) as matrices for the backend's resampleImages kernel, family 'keras': affine
 * transforms, resizing, crops, padding and flips all resample through it.
 *
 * A Keras transform [a0, a1, a2, b0, b1, b2, c0, c1] (c0 = c1 = 0) maps an OUTPUT pixel
 * (x, y) = (column, row) to the INPUT point (a0 x + a1 y + a2, b0 x + b1 y + b2); 'bilinear' weighs
 * the four surrounding pixels, 'nearest' takes the pixel at floor(coordinate + 0.5) (a sample
 * exactly half-way between pixels goes to the later one; Keras's choice there depends on float
 * rounding of its padding offset). Pixels outside the image come from the image extended by the
 * fill mode:
 *   reflect  (d c b a | a b c d | d c b a)   about the edge of the last pixel, period 2n
 *   wrap     (a b c d | a b c d | a b c d)
 *   nearest  (a a a a | a b c d | d d d d)
 *   constant (k k k k | a b c d | k k k k)   k = fillValue
 */
import { backend } from '../backend/registry';

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

export interface ImageDims {
  batch: number;
  height: number;
  width: number;
  channels: number;
}

export interface Sampling {
  interpolation: Interpolation;
  fillMode: FillMode;
  fillValue: number;
}

/** Integer moves read pixels as they are: nearest sampling, no arithmetic on the values. */
const COPY: Sampling = { interpolation: 'nearest', fillMode: 'constant', fillValue: 0 };

/**
 * dst (N, outH, outW, C) = src (N, H, W, C) resampled through matrices (N, 6) in the kernel's
 * (row, column) form, mirrored where flips says (1: left-right, 2: top-bottom).
 */
export function resampleKeras(
  src: Float32Array, dims: ImageDims, outH: number, outW: number, matrices: Float64Array, flips: Uint8Array | null,
  dst: Float32Array, s: Sampling,
): void {
  backend().resampleImages(src, matrices, flips, dst, {
    batch: dims.batch, inH: dims.height, inW: dims.width, channels: dims.channels, outH, outW,
    family: 'keras', interpolation: s.interpolation, fillMode: s.fillMode, fillValue: s.fillValue,
  });
}

/** Keras transforms (N, 8) as the kernel's matrices (N, 6): input row = b1·row + b0·col + b2, input column = a1·row + a0·col + a2. */
export function kerasMatrices(transforms: Float64Array, n: number): Float64Array {
  const m = new Float64Array(6 * n);
  for (let b = 0; b < n; b++) {
    const [a0, a1, a2, b0, b1, b2] = transforms.subarray(8 * b, 8 * b + 6);
    m.set([b1, b0, b2, a1, a0, a2], 6 * b);
  }
  return m;
}

/** The same matrix for every image. */
function repeat(n: number, m: readonly number[]): Float64Array {
  const out = new Float64Array(6 * n);
  for (let b = 0; b < n; b++) out.set(m, 6 * b);
  return out;
}

/** dst (N, H, W, C) = src resampled through Keras transforms (N, 8). */
export function affinePixels(src: Float32Array, dims: ImageDims, transforms: Float64Array, dst: Float32Array, s: Sampling): void {
  resampleKeras(src, dims, dims.height, dims.width, kerasMatrices(transforms, dims.batch), null, dst, s);
}

/** dst (N, cropH, cropW, C) = src[:, top:top+cropH, left:left+cropW, :]. */
export function cropPixels(src: Float32Array, dims: ImageDims, top: number, left: number, cropH: number, cropW: number, dst: Float32Array): void {
  resampleKeras(src, dims, cropH, cropW, repeat(dims.batch, [1, 0, top, 0, 1, left]), null, dst, COPY);
}

/** dst (N, H + 2·padTop, W + 2·padLeft, C): src centred, the border fillValue (Keras pads both sides alike). */
export function padPixels(src: Float32Array, dims: ImageDims, padTop: number, padLeft: number, fillValue: number, dst: Float32Array): void {
  const m = repeat(dims.batch, [1, 0, -padTop, 0, 1, -padLeft]);
  resampleKeras(src, dims, dims.height + 2 * padTop, dims.width + 2 * padLeft, m, null, dst, { ...COPY, fillValue });
}

/** Image b mirrored where flips[b] is 1: left-right when `horizontal`, top-bottom when `vertical`. */
export function flipPixels(src: Float32Array, dims: ImageDims, flips: Uint8Array, horizontal: boolean, vertical: boolean, dst: Float32Array): void {
  const bits = (horizontal ? 1 : 0) | (vertical ? 2 : 0);
  const flags = flips.map((f) => (f ? bits : 0));
  resampleKeras(src, dims, dims.height, dims.width, repeat(dims.batch, [1, 0, 0, 0, 1, 0]), flags, dst, COPY);
}

/**
 * One axis of Keras 3's ops.image.resize (jax.image.resize, antialias off, half-pixel centres) as
 * scale and offset: output line i samples input line (i + 0.5)·n/out − 0.5; bilinear clamps to the
 * edge ('nearest' fill), nearest reads line floor((i + 0.5)·n/out). jax computes that floor exactly
 * (float32 cannot round across an integer); the affine form carries a rounding error that can fall
 * just below one, so the nearest offset is raised by 1/(4·out), less than the 1/(2·out) by which
 * any non-integer value of (i + 0.5)·n/out misses an integer.
 */
function resizeAxis(n: number, out: number, interpolation: Interpolation): [number, number] {
  const scale = n / out;
  const offset = 0.5 * scale - 0.5;
  return [scale, interpolation === 'nearest' ? offset + 0.25 / out : offset];
}

/** dst (N, outH, outW, C) = src (N, H, W, C) resized as keras.ops.image.resize. */
export function resizePixels(src: Float32Array, dims: ImageDims, outH: number, outW: number, dst: Float32Array, interpolation: Interpolation): void {
  const [sy, oy] = resizeAxis(dims.height, outH, interpolation);
  const [sx, ox] = resizeAxis(dims.width, outW, interpolation);
  resampleKeras(src, dims, outH, outW, repeat(dims.batch, [sy, 0, oy, 0, sx, ox]), null, dst, { interpolation, fillMode: 'nearest', fillValue: 0 });
}
