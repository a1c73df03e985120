import { backend } from '../backend/registry';
// the reference rule itself, for the one pure function exported below (no second copy of it)
import { ValueError } from '../util/errors';
import { MATRIX_STRIDE } from './affine_matrix';

/**
 * The resampling behind ImageDataGenerator: what scipy.ndimage.affine_transform does with order=1
 * (bilinear) to each channel of each image, for a whole channels-last batch in one pass, flips in
 * the same pass. The pixels are computed by the backend's resampleImages kernel (family 'ndimage').
 *
 * Boundary modes as scipy 1.10 (checked by test/fixtures/augment.json), including its quirks in
 * 'constant' (no interpolation towards cval next to the edge) and 'wrap' (period n − 1): the
 * 'ndimage' family of ResampleInfo in src/backend/backend.ts spells them out.
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
 * dst[i] = image i of src resampled through its matrix, then flipped as flips[i] says: the
 * backend's resampleImages with the 'ndimage' rules. src, dst: (n, h, w, c) float32, distinct
 * buffers; matrices: n × MATRIX_STRIDE (see affine_matrix.ts); flips: n flag bytes or null; mode:
 * a FILL_* code. An image whose matrix is the identity is copied exactly (Keras skips resampling it).
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
  if (flips && flips.length < n) throw new ValueError(`affineTransformBatch: ${flips.length} flip flags for ${n} images`);
  const fillMode = FILL_MODES[mode];
  if (fillMode === undefined) throw new ValueError(`affineTransformBatch: unknown fill mode code ${mode}`);
  backend().resampleImages(src.subarray(0, n * img), matrices, flips, dst.subarray(0, n * img), {
    batch: n, inH: h, inW: w, channels: c, outH: h, outW: w, family: 'ndimage', interpolation: 'bilinear', fillMode, fillValue: cval,
  });
}
