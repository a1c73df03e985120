/**
 * Affine resampling of a batch of channels-last images, as Keras 3's ops.image.affine_transform
 * computes it (its NumPy backend: map_coordinates on an image padded by the fill mode).
 *
 * Each image b has a transform [a0, a1, a2, b0, b1, b2, c0, c1] (c0 = c1 = 0) that maps an OUTPUT
 * pixel (x, y) = (column, row) to the INPUT point (a0 x + a1 y + a2, b0 x + b1 y + b2), which is
 * then sampled: 'bilinear' weighs the four surrounding pixels, 'nearest' takes the pixel at
 * floor(coordinate + 0.5) (a sample exactly half-way between pixels goes to the later one; Keras's
 * choice there depends on float rounding of its padding offset). Pixels outside the image come from the image extended by the fill mode:
 *   reflect  (d c b a | a b c d | d c b a)   about the edge of the last pixel, period 2n
 *   wrap     (a b c d | a b c d | a b c d)
 *   nearest  (a a a a | a b c d | d d d d)
 *   constant (k k k k | a b c d | k k k k)   k = fillValue
 * Plain loops over Float32Arrays: a wasm kernel can replace this function as it stands.
 */

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/** The index in [0, n) that pixel i of the extended line reads, or -1 for the constant fill. */
export function extendIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const period = 2 * n;
      const k = ((i % period) + period) % period;
      return k < n ? k : period - 1 - k;
    }
    default:
      return -1;
  }
}

export interface AffineDims {
  batch: number;
  height: number;
  width: number;
  channels: number;
}

/**
 * dst (N, H, W, C) = src (N, H, W, C) resampled through transforms (N, 8).
 * dst must not alias src.
 */
export function affineTransformKernel(
  src: Float32Array, dims: AffineDims, transforms: Float64Array, dst: Float32Array,
  interpolation: Interpolation, fillMode: FillMode, fillValue: number,
): void {
  const { batch, height: h, width: w, channels: c } = dims;
  const plane = h * w * c;
  for (let b = 0; b < batch; b++) {
    const t = b * 8;
    const a0 = transforms[t], a1 = transforms[t + 1], a2 = transforms[t + 2];
    const b0 = transforms[t + 3], b1 = transforms[t + 4], b2 = transforms[t + 5];
    const base = b * plane;
    let o = base;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, o += c) {
        const xs = a0 * x + a1 * y + a2;
        const ys = b0 * x + b1 * y + b2;
        if (interpolation === 'nearest') {
          const iy = extendIndex(Math.floor(ys + 0.5), h, fillMode);
          const ix = extendIndex(Math.floor(xs + 0.5), w, fillMode);
          if (iy < 0 || ix < 0) {
            for (let k = 0; k < c; k++) dst[o + k] = fillValue;
          } else {
            const s = base + (iy * w + ix) * c;
            for (let k = 0; k < c; k++) dst[o + k] = src[s + k];
          }
          continue;
        }
        const fy0 = Math.floor(ys);
        const fx0 = Math.floor(xs);
        const dy = ys - fy0;
        const dx = xs - fx0;
        if (fy0 >= 0 && fy0 + 1 < h && fx0 >= 0 && fx0 + 1 < w) {
          // all four neighbours inside: the common case, no fill needed
          const p = base + (fy0 * w + fx0) * c, q = p + w * c;
          for (let k = 0; k < c; k++) {
            const top = src[p + k] + (src[p + c + k] - src[p + k]) * dx;
            const bottom = src[q + k] + (src[q + c + k] - src[q + k]) * dx;
            dst[o + k] = top + (bottom - top) * dy;
          }
          continue;
        }
        const y0 = extendIndex(fy0, h, fillMode);
        const y1 = extendIndex(fy0 + 1, h, fillMode);
        const x0 = extendIndex(fx0, w, fillMode);
        const x1 = extendIndex(fx0 + 1, w, fillMode);
        // corner offsets into src, or -1 where the corner is the constant fill
        const p00 = y0 < 0 || x0 < 0 ? -1 : base + (y0 * w + x0) * c;
        const p01 = y0 < 0 || x1 < 0 ? -1 : base + (y0 * w + x1) * c;
        const p10 = y1 < 0 || x0 < 0 ? -1 : base + (y1 * w + x0) * c;
        const p11 = y1 < 0 || x1 < 0 ? -1 : base + (y1 * w + x1) * c;
        const w00 = (1 - dy) * (1 - dx), w01 = (1 - dy) * dx, w10 = dy * (1 - dx), w11 = dy * dx;
        for (let k = 0; k < c; k++) {
          const v00 = p00 < 0 ? fillValue : src[p00 + k];
          const v01 = p01 < 0 ? fillValue : src[p01 + k];
          const v10 = p10 < 0 ? fillValue : src[p10 + k];
          const v11 = p11 < 0 ? fillValue : src[p11 + k];
          dst[o + k] = w00 * v00 + w01 * v01 + w10 * v10 + w11 * v11;
        }
      }
    }
  }
}
