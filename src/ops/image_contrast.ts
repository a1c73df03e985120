/** The per-image contrast adjustment behind adjustContrast (src/ops/image.ts), over channels-last batches. */
import type { ImageDims } from './image_affine';

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
