import { ValueError } from '../util/errors';
import { MATRIX_STRIDE } from './affine_matrix';

/**
 * The resampling kernel behind ImageDataGenerator: what scipy.ndimage.affine_transform does with
 * order=1 (bilinear) to each channel of each image, for a whole channels-last batch in one pass.
 * Plain TypeScript over flat arrays with numeric arguments only, so that a wasm kernel with the
 * same signature can replace it.
 *
 * Boundary modes as scipy (checked against scipy 1.10 by test/fixtures/augment.json), on an axis
 * of length n, for an input coordinate x outside [0, n − 1]:
 *  - constant: the pixel is cval (no interpolation towards cval in (−1, 0) or (n − 1, n));
 *  - nearest:  x is clamped to [0, n − 1];
 *  - reflect:  half-sample symmetric (d c b a | a b c d | d c b a): x → −x − 1 below 0 and
 *              2n − x − 1 above n − 1, with period 2n; a coordinate landing in (−1, 0) or
 *              (n − 1, n) interpolates against the edge sample repeated;
 *  - wrap:     scipy's 'wrap' (not 'grid-wrap'): period n − 1, the first and last samples overlap.
 */

export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';
export const FILL_MODES: readonly FillMode[] = ['nearest', 'constant', 'reflect', 'wrap'];

/** Fill modes as the kernel's integer argument. */
export const FILL_NEAREST = 0;
export const FILL_CONSTANT = 1;
export const FILL_REFLECT = 2;
export const FILL_WRAP = 3;

export function fillModeCode(mode: FillMode): number {
  const i = FILL_MODES.indexOf(mode);
  if (i < 0) throw new ValueError(`fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}; got '${mode}'`);
  return i;
}

/** Bits of the per-image flip flags: the output is mirrored after resampling. */
export const FLIP_HORIZONTAL = 1;
export const FLIP_VERTICAL = 2;

/**
 * scipy's map_coordinate: brings a coordinate outside [0, len − 1] back inside according to the
 * mode; −1 means "use cval". Integer parts are truncated toward zero as the C code's casts do.
 */
export function mapCoordinate(x: number, len: number, mode: number): number {
  if (x < 0) {
    switch (mode) {
      case FILL_NEAREST:
        return 0;
      case FILL_CONSTANT:
        return -1;
      case FILL_REFLECT: {
        if (len <= 1) return 0;
        const p = 2 * len;
        if (x < -p) x = p * Math.trunc(-x / p) + x;
        return x < -len ? x + p : -x - 1;
      }
      default: {
        if (len <= 1) return 0;
        const p = len - 1;
        return x + p * (Math.trunc(-x / p) + 1);
      }
    }
  }
  if (x > len - 1) {
    switch (mode) {
      case FILL_NEAREST:
        return len - 1;
      case FILL_CONSTANT:
        return -1;
      case FILL_REFLECT: {
        if (len <= 1) return 0;
        const p = 2 * len;
        x -= p * Math.trunc(x / p);
        return x >= len ? p - x - 1 : x;
      }
      default: {
        if (len <= 1) return 0;
        const p = len - 1;
        return x - p * Math.trunc(x / p);
      }
    }
  }
  return x;
}

function isIdentity(m: Float64Array, k: number): boolean {
  return m[k] === 1 && m[k + 1] === 0 && m[k + 2] === 0 && m[k + 3] === 0 && m[k + 4] === 1 && m[k + 5] === 0;
}

/**
 * dst[i] = image i of src resampled through its matrix, then flipped as flips[i] says.
 * src, dst: (n, h, w, c) float32, distinct buffers; matrices: n × MATRIX_STRIDE (see
 * affine_matrix.ts); flips: n flag bytes or null; mode: a FILL_* code. An image whose matrix is the
 * identity is copied exactly (Keras skips resampling for it).
 */
export function affineTransformBatch(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  matrices: Float64Array,
  flips: Uint8Array | null,
  mode: number,
  cval: number,
): void {
  const img = h * w * c;
  if (src.length < n * img || dst.length < n * img) {
    throw new ValueError(`affineTransformBatch: buffers of ${src.length} and ${dst.length} values cannot hold ${n} images of ${h}x${w}x${c}`);
  }
  if (matrices.length < n * MATRIX_STRIDE) throw new ValueError(`affineTransformBatch: ${matrices.length / MATRIX_STRIDE} matrices for ${n} images`);
  const rowLen = w * c;
  for (let b = 0; b < n; b++) {
    const base = b * img;
    const k = b * MATRIX_STRIDE;
    const flip = flips ? flips[b] : 0;
    const flipH = (flip & FLIP_HORIZONTAL) !== 0;
    const flipV = (flip & FLIP_VERTICAL) !== 0;

    if (isIdentity(matrices, k)) {
      for (let r = 0; r < h; r++) {
        const dr = base + (flipV ? h - 1 - r : r) * rowLen;
        const sr = base + r * rowLen;
        if (!flipH) {
          dst.set(src.subarray(sr, sr + rowLen), dr);
          continue;
        }
        for (let col = 0; col < w; col++) {
          const so = sr + col * c;
          const d = dr + (w - 1 - col) * c;
          for (let ch = 0; ch < c; ch++) dst[d + ch] = src[so + ch];
        }
      }
      continue;
    }

    const a00 = matrices[k];
    const a01 = matrices[k + 1];
    const o0 = matrices[k + 2];
    const a10 = matrices[k + 3];
    const a11 = matrices[k + 4];
    const o1 = matrices[k + 5];
    if (a01 === 0 && a10 === 0) {
      separable(src, dst, base, h, w, c, a00, o0, a11, o1, flipH, flipV, mode, cval);
      continue;
    }
    for (let r = 0; r < h; r++) {
      const dr = base + (flipV ? h - 1 - r : r) * rowLen;
      for (let col = 0; col < w; col++) {
        const d = dr + (flipH ? w - 1 - col : col) * c;
        // summed in scipy's order, so that coordinates on a boundary round as scipy's do
        let y = 0;
        y += r * a00;
        y += col * a01;
        y += o0;
        let x = 0;
        x += r * a10;
        x += col * a11;
        x += o1;
        if (y < 0 || y > h - 1) y = mapCoordinate(y, h, mode);
        if (x < 0 || x > w - 1) x = mapCoordinate(x, w, mode);
        if (!(y > -1) || !(x > -1)) {
          for (let ch = 0; ch < c; ch++) dst[d + ch] = cval;
          continue;
        }
        const y0 = Math.floor(y);
        const x0 = Math.floor(x);
        const fy = y - y0;
        const fx = x - x0;
        // neighbours past an edge repeat the edge sample (only reflect lands there with weight > 0)
        const ya = y0 < 0 ? 0 : y0;
        const yb = y0 + 1 > h - 1 ? h - 1 : y0 + 1;
        const xa = x0 < 0 ? 0 : x0;
        const xb = x0 + 1 > w - 1 ? w - 1 : x0 + 1;
        const p00 = base + ya * rowLen + xa * c;
        const p01 = base + ya * rowLen + xb * c;
        const p10 = base + yb * rowLen + xa * c;
        const p11 = base + yb * rowLen + xb * c;
        const w00 = (1 - fy) * (1 - fx);
        const w01 = (1 - fy) * fx;
        const w10 = fy * (1 - fx);
        const w11 = fy * fx;
        for (let ch = 0; ch < c; ch++) {
          dst[d + ch] = src[p00 + ch] * w00 + src[p01 + ch] * w01 + src[p10 + ch] * w10 + src[p11 + ch] * w11;
        }
      }
    }
  }
}

/** Per-axis taps: first and second sample index, the second's weight; index −1 means cval. */
interface Taps {
  a: Int32Array;
  b: Int32Array;
  f: Float64Array;
}

let scratch: [Taps, Taps] | null = null;

function taps(len: number, which: 0 | 1): Taps {
  if (!scratch || scratch[which].a.length < len) {
    const make = (n: number): Taps => ({ a: new Int32Array(n), b: new Int32Array(n), f: new Float64Array(n) });
    const size = Math.max(len, scratch ? scratch[0].a.length : 0);
    scratch = [make(size), make(size)];
  }
  return scratch[which];
}

/** Output index i along an axis of length len samples scale·i + offset (+ 0, as the general path adds). */
function axisTaps(t: Taps, len: number, scale: number, offset: number, mode: number): void {
  for (let i = 0; i < len; i++) {
    let v = 0;
    v += i * scale;
    v += 0;
    v += offset;
    if (v < 0 || v > len - 1) v = mapCoordinate(v, len, mode);
    if (!(v > -1)) {
      t.a[i] = -1;
      continue;
    }
    const v0 = Math.floor(v);
    t.f[i] = v - v0;
    t.a[i] = v0 < 0 ? 0 : v0;
    t.b[i] = v0 + 1 > len - 1 ? len - 1 : v0 + 1;
  }
}

/**
 * The common case of no rotation or shear (shifts, zooms, flips): each output row reads the same
 * two input rows and each column the same two columns, so the taps are computed once per axis.
 * Same arithmetic as the general path, so the results are identical.
 */
function separable(
  src: Float32Array, dst: Float32Array, base: number, h: number, w: number, c: number,
  a00: number, o0: number, a11: number, o1: number, flipH: boolean, flipV: boolean, mode: number, cval: number,
): void {
  const ty = taps(h, 0);
  const tx = taps(w, 1);
  axisTaps(ty, h, a00, o0, mode);
  axisTaps(tx, w, a11, o1, mode);
  const rowLen = w * c;
  for (let r = 0; r < h; r++) {
    const dr = base + (flipV ? h - 1 - r : r) * rowLen;
    const ya = ty.a[r];
    if (ya < 0) {
      dst.fill(cval, dr, dr + rowLen);
      continue;
    }
    const fy = ty.f[r];
    const ra = base + ya * rowLen;
    const rb = base + ty.b[r] * rowLen;
    for (let col = 0; col < w; col++) {
      const d = dr + (flipH ? w - 1 - col : col) * c;
      const xa = tx.a[col];
      if (xa < 0) {
        for (let ch = 0; ch < c; ch++) dst[d + ch] = cval;
        continue;
      }
      const fx = tx.f[col];
      const w00 = (1 - fy) * (1 - fx);
      const w01 = (1 - fy) * fx;
      const w10 = fy * (1 - fx);
      const w11 = fy * fx;
      const p00 = ra + xa * c;
      const p01 = ra + tx.b[col] * c;
      const p10 = rb + xa * c;
      const p11 = rb + tx.b[col] * c;
      for (let ch = 0; ch < c; ch++) {
        dst[d + ch] = src[p00 + ch] * w00 + src[p01 + ch] * w01 + src[p10 + ch] * w10 + src[p11 + ch] * w11;
      }
    }
  }
}
