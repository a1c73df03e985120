/**
 * Resizing, cropping and flipping of channels-last image batches: the pixel loops behind
 * src/ops/image.ts, written over Float32Arrays so that a wasm kernel can replace them.
 *
 * Resize follows Keras 3's ops.image.resize (jax.image.resize, antialias off): half-pixel centres.
 *   bilinear: output row y samples input row (y + 0.5) * H / outH - 0.5, clamped to [0, H - 1]
 *             (the triangle kernel renormalised over the pixels inside the image), likewise columns;
 *   nearest:  output row y reads input row floor((y + 0.5) * H / outH), computed in float32.
 */
import type { Interpolation } from './image_affine';

export interface ImageDims {
  batch: number;
  height: number;
  width: number;
  channels: number;
}

/** Per output line: the two input lines read and the weight of the second. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

function bilinearTaps(n: number, out: number): Taps {
  const lo = new Int32Array(out), hi = new Int32Array(out), frac = new Float64Array(out);
  const scale = n / out;
  for (let i = 0; i < out; i++) {
    const s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), n - 1);
    const f = Math.floor(s);
    lo[i] = f;
    hi[i] = Math.min(f + 1, n - 1);
    frac[i] = s - f;
  }
  return { lo, hi, frac };
}

function nearestTaps(n: number, out: number): Taps {
  const lo = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    // float32 arithmetic, as jax computes the offsets
    const s = Math.fround(Math.fround(Math.fround(i + 0.5) * n) / out);
    lo[i] = Math.min(Math.floor(s), n - 1);
  }
  return { lo, hi: lo, frac: new Float64Array(out) };
}

/** dst (N, outH, outW, C) = src (N, H, W, C) resized. */
export function resizeKernel(
  src: Float32Array, dims: ImageDims, outH: number, outW: number, dst: Float32Array, interpolation: Interpolation,
): void {
  const { batch, height: h, width: w, channels: c } = dims;
  const taps = interpolation === 'nearest' ? nearestTaps : bilinearTaps;
  const ty = taps(h, outH);
  const tx = taps(w, outW);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < outH; y++) {
      const r0 = base + ty.lo[y] * w * c, r1 = base + ty.hi[y] * w * c, fy = ty.frac[y];
      for (let x = 0; x < outW; x++, o += c) {
        const c0 = tx.lo[x] * c, c1 = tx.hi[x] * c, fx = tx.frac[x];
        for (let k = 0; k < c; k++) {
          const top = src[r0 + c0 + k] * (1 - fx) + src[r0 + c1 + k] * fx;
          const bottom = src[r1 + c0 + k] * (1 - fx) + src[r1 + c1 + k] * fx;
          dst[o + k] = top * (1 - fy) + bottom * fy;
        }
      }
    }
  }
}

/** dst (N, cropH, cropW, C) = src (N, H, W, C)[:, top:top+cropH, left:left+cropW, :]. */
export function cropKernel(src: Float32Array, dims: ImageDims, top: number, left: number, cropH: number, cropW: number, dst: Float32Array): void {
  const { batch, height: h, width: w, channels: c } = dims;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < cropH; y++) {
      const s = ((b * h + top + y) * w + left) * c;
      dst.set(src.subarray(s, s + cropW * c), o);
      o += cropW * c;
    }
  }
}

/**
 * dst (N, H + 2*padTop, W + 2*padLeft, C): src centred, the border filled with fillValue
 * (Keras pads the same amount on both sides).
 */
export function padKernel(src: Float32Array, dims: ImageDims, padTop: number, padLeft: number, fillValue: number, dst: Float32Array): void {
  const { batch, height: h, width: w, channels: c } = dims;
  const oh = h + 2 * padTop, ow = w + 2 * padLeft;
  dst.fill(fillValue);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < h; y++) {
      const s = (b * h + y) * w * c;
      dst.set(src.subarray(s, s + w * c), ((b * oh + padTop + y) * ow + padLeft) * c);
    }
  }
}

/**
 * dst = src with image b flipped where flips[b] is 1: left-right when `horizontal`, top-bottom
 * when `vertical` (both: turned half a turn).
 */
export function flipKernel(src: Float32Array, dims: ImageDims, flips: Uint8Array, horizontal: boolean, vertical: boolean, dst: Float32Array): void {
  const { batch, height: h, width: w, channels: c } = dims;
  const plane = h * w * c;
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    if (!flips[b]) {
      dst.set(src.subarray(base, base + plane), base);
      continue;
    }
    for (let y = 0; y < h; y++) {
      const sy = vertical ? h - 1 - y : y;
      for (let x = 0; x < w; x++) {
        const sx = horizontal ? w - 1 - x : x;
        const s = base + (sy * w + sx) * c, o = base + (y * w + x) * c;
        for (let k = 0; k < c; k++) dst[o + k] = src[s + k];
      }
    }
  }
}

/**
 * dst = clip((src - mean) * factor[b] + mean, lo, hi), mean per image and channel over H and W
 * (Keras's RandomContrast).
 */
export function contrastKernel(src: Float32Array, dims: ImageDims, factors: Float64Array, lo: number, hi: number, dst: Float32Array): void {
  const { batch, height: h, width: w, channels: c } = dims;
  const pixels = h * w;
  const mean = new Float64Array(c);
  for (let b = 0; b < batch; b++) {
    const base = b * pixels * c;
    mean.fill(0);
    for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) mean[k] += src[base + p * c + k];
    for (let k = 0; k < c; k++) mean[k] /= pixels;
    const f = factors[b];
    for (let p = 0; p < pixels; p++) {
      for (let k = 0; k < c; k++) {
        const i = base + p * c + k;
        const v = (src[i] - mean[k]) * f + mean[k];
        dst[i] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  }
}
