import { TatamiError } from '../util/errors';
import { sharpLib } from './image_input';

/**
 * Photos → inputs of a color model such as the book's CIFAR-10 nets: RGB, cropped to the
 * input's aspect, resized to the input's size (sharp's Lanczos), values / 255 as in training.
 */

/**
 * Which part of the photo the model sees: 'center' the largest centred region of the input's
 * aspect (Keras's keep_aspect_ratio crop, the default here); 'top-left' the largest such region
 * at the top-left corner, as the book's cifar10_predict.py crops its square; 'none' the whole
 * photo squeezed to the input's size, as keras.utils.load_img(path, target_size) does.
 */
export type CropMode = 'center' | 'top-left' | 'none';
export const CROP_MODES: readonly CropMode[] = ['center', 'top-left', 'none'];

export interface ColorImage {
  /** (height, width, 3) values in 0..1. */
  data: Float32Array;
  /** The region of the photo used: left, top, width, height in the photo's pixels. */
  region: [number, number, number, number];
  sourceWidth: number;
  sourceHeight: number;
}

/** The region of a w x h photo that `crop` keeps for an input of outW x outH. */
export function cropRegion(w: number, h: number, outW: number, outH: number, crop: CropMode): [number, number, number, number] {
  if (crop === 'none') return [0, 0, w, h];
  // the largest region of the input's aspect that fits in the photo
  const scale = Math.min(w / outW, h / outH);
  const cw = Math.max(1, Math.min(w, Math.round(outW * scale)));
  const ch = Math.max(1, Math.min(h, Math.round(outH * scale)));
  if (crop === 'top-left') return [0, 0, cw, ch];
  return [Math.floor((w - cw) / 2), Math.floor((h - ch) / 2), cw, ch];
}

/**
 * Reads a photo (PNG, JPEG, ...; turned upright by its EXIF orientation, transparency on white)
 * and makes it an (height, width, 3) input in 0..1.
 */
export async function prepareColorImage(file: string, opts: { height: number; width: number; crop?: CropMode }): Promise<ColorImage> {
  const sharp = sharpLib();
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    decoded = await sharp(file).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = (e as Error).message;
    if (/missing|no such file/i.test(msg)) throw new TatamiError(`no such image file: '${file}'`);
    throw new TatamiError(`cannot read '${file}' as an image (PNG or JPEG): ${msg}`);
  }
  const { width: w, height: h, channels: c } = decoded.info;
  const region = cropRegion(w, h, opts.width, opts.height, opts.crop ?? 'center');
  const [left, top, cw, ch] = region;
  const { data, info } = await sharp(decoded.data, { raw: { width: w, height: h, channels: c as 1 | 2 | 3 | 4 } })
    .extract({ left, top, width: cw, height: ch })
    .resize(opts.width, opts.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const n = opts.width * opts.height;
  const out = new Float32Array(n * 3);
  const k = info.channels;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) out[i * 3 + j] = data[i * k + (k >= 3 ? j : 0)] / 255;
  }
  return { data: out, region, sourceWidth: w, sourceHeight: h };
}
