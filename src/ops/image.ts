/**
 * Image ops on channels-last batches (N, H, W, C) or single images (H, W, C), as Keras 3's
 * keras.ops.image computes them: affineTransform, resize (with crop/pad to the aspect ratio),
 * plus the crops, flips and contrast the preprocessing layers need. Inputs of any dtype are
 * read as float32; outputs are float32.
 *
 * These ops are not differentiated: they are data preprocessing, meant to sit before any weight.
 * An input that needs a gradient is an error rather than a silently cut graph.
 */
import { Tensor } from '../tensor/tensor';
import { isRecording } from '../autograd/tape';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import {
  FILL_MODES, INTERPOLATIONS, affinePixels, cropPixels, flipPixels, padPixels, resizePixels, type FillMode,
  type ImageDims, type Interpolation,
} from './image_affine';
import { contrastKernel } from './image_contrast';

export type { FillMode, Interpolation } from './image_affine';
export { FILL_MODES, INTERPOLATIONS } from './image_affine';

interface ImageBatch {
  data: Float32Array;
  dims: ImageDims;
  unbatched: boolean;
}

function readImages(op: string, x: Tensor): ImageBatch {
  if (x.rank !== 3 && x.rank !== 4) {
    throw new ShapeError(`${op}: expected images of shape (batch, height, width, channels) or (height, width, channels), got ${shapeToString(x.shape)}`);
  }
  if (x.requiresGrad && isRecording()) {
    throw new ValueError(`${op} passes no gradient back to its input; apply it to data (a model's input), not after layers with weights`);
  }
  const unbatched = x.rank === 3;
  const [batch, height, width, channels] = unbatched ? [1, ...x.shape] : x.shape;
  const data = x.dtype === 'float32' ? x.f32 : Float32Array.from(x.values);
  return { data, dims: { batch, height, width, channels }, unbatched };
}

function newImages(dims: ImageDims, unbatched: boolean): Tensor {
  const { batch, height, width, channels } = dims;
  return Tensor.output(unbatched ? [height, width, channels] : [batch, height, width, channels]);
}

export function checkInterpolation(op: string, v: unknown): Interpolation {
  if (!INTERPOLATIONS.includes(v as Interpolation)) {
    throw new ValueError(`${op}: interpolation '${String(v)}' is not supported; tatami implements ${INTERPOLATIONS.map((m) => `'${m}'`).join(', ')}`);
  }
  return v as Interpolation;
}

export function checkFillMode(op: string, v: unknown): FillMode {
  if (!FILL_MODES.includes(v as FillMode)) {
    throw new ValueError(`${op}: unknown fillMode '${String(v)}'; expected one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}`);
  }
  return v as FillMode;
}

export interface AffineTransformArgs {
  interpolation?: Interpolation;
  fillMode?: FillMode;
  fillValue?: number;
}

/**
 * Resamples each image through its transform [a0, a1, a2, b0, b1, b2, 0, 0], which maps an
 * output pixel (x, y) to the input point (a0 x + a1 y + a2, b0 x + b1 y + b2). One transform
 * (8 numbers) for all images, or 8 per image. Defaults as keras.ops.image.affine_transform:
 * bilinear, fill 'constant' with 0.
 */
export function affineTransform(images: Tensor, transforms: ArrayLike<number>, args: AffineTransformArgs = {}): Tensor {
  const op = 'affineTransform';
  const interpolation = checkInterpolation(op, args.interpolation ?? 'bilinear');
  const fillMode = checkFillMode(op, args.fillMode ?? 'constant');
  const img = readImages(op, images);
  const n = img.dims.batch;
  if (transforms.length !== 8 && transforms.length !== 8 * n) {
    throw new ShapeError(`${op}: expected 8 transform values or 8 per image (${8 * n}), got ${transforms.length}`);
  }
  const t = new Float64Array(8 * n);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < 8; i++) t[b * 8 + i] = transforms[transforms.length === 8 ? i : b * 8 + i];
    if (t[b * 8 + 6] !== 0 || t[b * 8 + 7] !== 0) throw new ValueError(`${op}: projective transforms (c0, c1 not 0) are not supported`);
  }
  const out = newImages(img.dims, img.unbatched);
  affinePixels(img.data, img.dims, t, out.f32, { interpolation, fillMode, fillValue: args.fillValue ?? 0 });
  return out;
}

/** The largest centred window of an h x w image with the aspect ratio of targetH x targetW (Keras's formula). */
export function aspectCropBox(h: number, w: number, targetH: number, targetW: number): { top: number; left: number; height: number; width: number } {
  const height = Math.max(Math.min(h, Math.trunc((w * targetH) / targetW)), 1);
  const width = Math.max(Math.min(w, Math.trunc((h * targetW) / targetH)), 1);
  return { top: Math.trunc((h - height) / 2), left: Math.trunc((w - width) / 2), height, width };
}

/** Rows [top, top+height) and columns [left, left+width) of every image. */
export function cropImages(images: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const img = readImages('cropImages', images);
  const { height: h, width: w } = img.dims;
  if (!(top >= 0 && left >= 0 && height >= 1 && width >= 1 && top + height <= h && left + width <= w)) {
    throw new ValueError(`cropImages: the window rows ${top}..${top + height - 1}, columns ${left}..${left + width - 1} is not inside the ${h}x${w} image`);
  }
  const dims = { ...img.dims, height, width };
  const out = newImages(dims, img.unbatched);
  cropPixels(img.data, img.dims, top, left, height, width, out.f32);
  return out;
}

export interface ResizeArgs {
  interpolation?: Interpolation;
  /** Resize the largest centred window with the target's aspect ratio (no distortion). */
  cropToAspectRatio?: boolean;
  /** Pad the short side evenly with fillValue to the target's aspect ratio first. */
  padToAspectRatio?: boolean;
  fillValue?: number;
}

/** Resizes to [height, width] as keras.ops.image.resize (half-pixel centres, no antialiasing). */
export function resize(images: Tensor, size: [number, number], args: ResizeArgs = {}): Tensor {
  const op = 'resize';
  const interpolation = checkInterpolation(op, args.interpolation ?? 'bilinear');
  const [th, tw] = size;
  if (!(Number.isInteger(th) && Number.isInteger(tw) && th >= 1 && tw >= 1)) throw new ValueError(`${op}: size must be two positive integers, got [${size}]`);
  if (args.cropToAspectRatio && args.padToAspectRatio) throw new ValueError(`${op}: only one of cropToAspectRatio and padToAspectRatio can be true`);
  let img = readImages(op, images);
  if (args.cropToAspectRatio) {
    const box = aspectCropBox(img.dims.height, img.dims.width, th, tw);
    const dims = { ...img.dims, height: box.height, width: box.width };
    const data = new Float32Array(dims.batch * dims.height * dims.width * dims.channels);
    cropPixels(img.data, img.dims, box.top, box.left, box.height, box.width, data);
    img = { ...img, data, dims };
  } else if (args.padToAspectRatio) {
    const { height: h, width: w } = img.dims;
    const padH = Math.max(h, Math.trunc((w * th) / tw));
    const padW = Math.max(w, Math.trunc((h * tw) / th));
    // as Keras: the same amount on both sides, rows first
    const top = Math.trunc((padH - h) / 2);
    const left = top > 0 ? 0 : Math.trunc((padW - w) / 2);
    if (top > 0 || left > 0) {
      const dims = { ...img.dims, height: h + 2 * top, width: w + 2 * left };
      const data = new Float32Array(dims.batch * dims.height * dims.width * dims.channels);
      padPixels(img.data, img.dims, top, left, args.fillValue ?? 0, data);
      img = { ...img, data, dims };
    }
  }
  const out = newImages({ ...img.dims, height: th, width: tw }, img.unbatched);
  resizePixels(img.data, img.dims, th, tw, out.f32, interpolation);
  return out;
}

/** Flips image b where flips[b] is true: left-right if horizontal, top-bottom if vertical. */
export function flipImages(images: Tensor, flips: ArrayLike<boolean | number>, args: { horizontal: boolean; vertical: boolean }): Tensor {
  const img = readImages('flipImages', images);
  if (flips.length !== img.dims.batch) throw new ShapeError(`flipImages: expected ${img.dims.batch} flip flags, got ${flips.length}`);
  const out = newImages(img.dims, img.unbatched);
  flipPixels(img.data, img.dims, Uint8Array.from(flips as ArrayLike<number>, (f) => (f ? 1 : 0)), args.horizontal, args.vertical, out.f32);
  return out;
}

/** (x - mean) * factor + mean per image and channel (one factor per image), clipped to valueRange. */
export function adjustContrast(images: Tensor, factors: ArrayLike<number>, valueRange: [number, number] = [-Infinity, Infinity]): Tensor {
  const img = readImages('adjustContrast', images);
  if (factors.length !== img.dims.batch) throw new ShapeError(`adjustContrast: expected ${img.dims.batch} factors, got ${factors.length}`);
  const out = newImages(img.dims, img.unbatched);
  contrastKernel(img.data, img.dims, Float64Array.from(factors), valueRange[0], valueRange[1], out.f32);
  return out;
}
