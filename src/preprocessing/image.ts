import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { DataFileError } from '../data/data_file_error';
import { decodeBmp, encodeBmp, isBmp, MAX_IMAGE_PIXELS } from './bmp';
import { aspectCropBox, checkInterpolation, resizePixels, type Interpolation } from './resize';

/**
 * A decoded image: (height, width, channels) uint8 pixels, channels 1 (grey), 3 (RGB) or 4
 * (RGBA). What `loadImg` returns where Keras returns a PIL image.
 */
export interface Img {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

// sharp is loaded on first use, so that tatami loads where its native library does not.
// Its typings describe the function as the default export; require() returns the function itself.
type Sharp = typeof import('sharp').default;
let sharpFn: Sharp | null = null;
function sharp(...args: Parameters<Sharp>): ReturnType<Sharp> {
  if (!sharpFn) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sharpFn = require('sharp') as Sharp;
    } catch (e) {
      throw new TatamiError(`reading and writing images needs the 'sharp' package, which did not load: ${(e as Error).message}`);
    }
  }
  return sharpFn(...args);
}

const CHANNELS: Record<ColorMode, 1 | 3 | 4> = { grayscale: 1, rgb: 3, rgba: 4 };

/**
 * The formats read: PNG, JPEG, GIF (first frame), WebP and TIFF through sharp, and BMP through
 * tatami's own decoder (sharp's prebuilt libvips has no BMP). Keras's allow-list for folders
 * is .bmp .gif .jpeg .jpg .png.
 */
export const IMAGE_EXTENSIONS: readonly string[] = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];

export function channelsOf(where: string, mode: string): 1 | 3 | 4 {
  if (!(mode in CHANNELS)) throw new ValueError(`${where}: colorMode must be 'grayscale', 'rgb' or 'rgba', got '${mode}'`);
  return CHANNELS[mode as ColorMode];
}

/** Converts 1-4 channel pixels (grey, grey+alpha, RGB, RGBA) to `want` channels, as PIL's convert. */
function convertChannels(src: Uint8Array, n: number, have: number, want: 1 | 3 | 4): Uint8Array {
  if (have === want) return src;
  const out = new Uint8Array(n * want);
  for (let p = 0; p < n; p++) {
    const s = p * have;
    const d = p * want;
    const grey = have <= 2;
    const r = src[s];
    const g = grey ? r : src[s + 1];
    const b = grey ? r : src[s + 2];
    if (want === 1) {
      // ITU-R 601-2 luma in PIL's fixed point: L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16
      out[d] = grey ? r : (19595 * r + 38470 * g + 7471 * b + 0x8000) >>> 16;
    } else {
      out[d] = r;
      out[d + 1] = g;
      out[d + 2] = b;
      if (want === 4) out[d + 3] = have === 2 ? src[s + 1] : have === 4 ? src[s + 3] : 255;
    }
  }
  return out;
}

/** Decodes image bytes (any format of IMAGE_EXTENSIONS, plus WebP and TIFF) to `colorMode`. */
export async function decodeImage(bytes: Uint8Array, colorMode: ColorMode = 'rgb', name = 'image'): Promise<Img> {
  const want = channelsOf('decodeImage', colorMode);
  let data: Uint8Array;
  let width: number;
  let height: number;
  let have: number;
  if (isBmp(bytes)) {
    const d = decodeBmp(bytes, name);
    ({ data, width, height } = d);
    have = d.channels;
  } else {
    // failOn 'truncated': a cut image is an error, as PIL's (Keras's) default; the pixel limit
    // (checked by sharp from the header, before decoding) is PIL's decompression-bomb error
    try {
      const input = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS });
      checkClaimedSize(await input.metadata(), bytes.length, name);
      const r = await input.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      data = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
      ({ width, height, channels: have } = r.info);
    } catch (e) {
      if (e instanceof DataFileError) throw e;
      throw new DataFileError(`${name}: cannot decode the image (${(e as Error).message})`);
    }
  }
  if (have < 1 || have > 4) throw new DataFileError(`${name}: ${have}-channel images are not supported`);
  return { width, height, channels: want, data: convertChannels(data, width * height, have, want) };
}

/**
 * No codec packs more than a few thousand pixels into a byte (1-bit PNG at DEFLATE's 1032:1 is
 * about 8,000), so a header claiming more is damaged or hostile: refused before libvips
 * allocates and fills rows for it (a 199-byte PNG claiming 26 million pixels per row took 20 s).
 */
const MAX_PIXELS_PER_BYTE = 10_000;
const ALWAYS_ALLOWED_PIXELS = 1 << 24;

function checkClaimedSize(meta: { width?: number; height?: number; pages?: number }, fileBytes: number, name: string): void {
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > ALWAYS_ALLOWED_PIXELS && pixels > fileBytes * MAX_PIXELS_PER_BYTE) {
    throw new DataFileError(`${name}: the header claims ${meta.width}x${meta.height} pixels, more than a ${fileBytes}-byte file can hold (damaged)`);
  }
}

export interface LoadImgOptions {
  colorMode?: ColorMode;
  /** [height, width] to resize to; null (the default) keeps the file's size. */
  targetSize?: [number, number] | null;
  /** Resampling for targetSize (Keras's default 'nearest'); antialiased when shrinking, as PIL. */
  interpolation?: string;
  /** Crop the centre to the target's aspect ratio before resizing, as Keras's keep_aspect_ratio. */
  keepAspectRatio?: boolean;
}

/** Crops (top, left, height, width) out of an Img. */
export function cropImg(img: Img, top: number, left: number, height: number, width: number): Img {
  const c = img.channels;
  const out = new Uint8Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const s = ((top + y) * img.width + left) * c;
    out.set(img.data.subarray(s, s + width * c), y * width * c);
  }
  return { width, height, channels: c, data: out };
}

/** Resizes an Img; antialias follows PIL (true) or tf.image.resize's default (false). */
export function resizeImg(img: Img, height: number, width: number, interpolation: Interpolation, antialias: boolean): Img {
  const f = resizePixels(img.data, img.height, img.width, img.channels, height, width, interpolation, antialias);
  const data = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(f[i])));
  return { width, height, channels: img.channels, data };
}

function checkSize(where: string, size: unknown): [number, number] {
  const s = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(s) || s.length !== 2 || !s.every((n) => Number.isInteger(n) && n > 0)) {
    throw new ValueError(`${where}: expected a size [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return s as [number, number];
}

/**
 * Loads an image file, as `keras.utils.load_img`: the pixels in `colorMode` (default 'rgb'),
 * resized to `targetSize` [height, width] when given.
 *
 * ```ts
 * const img = await tt.preprocessing.image.loadImg('cat.jpg', { targetSize: [32, 32] });
 * const x = tt.preprocessing.image.imgToArray(img); // float32 (32, 32, 3), 0..255
 * ```
 */
export async function loadImg(file: string, options: LoadImgOptions = {}): Promise<Img> {
  checkOptions('loadImg', options, ['colorMode', 'targetSize', 'interpolation', 'keepAspectRatio']);
  const mode = options.colorMode ?? 'rgb';
  channelsOf('loadImg', mode);
  const interp = checkInterpolation('loadImg', options.interpolation ?? 'nearest');
  const target = options.targetSize == null ? null : checkSize('loadImg targetSize', options.targetSize);
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw new DataFileError(`loadImg: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let img = await decodeImage(bytes, mode, file);
  if (target && (img.height !== target[0] || img.width !== target[1])) {
    if (options.keepAspectRatio) {
      const b = aspectCropBox(img.height, img.width, target[0], target[1]);
      img = cropImg(img, b.top, b.left, b.height, b.width);
    }
    img = resizeImg(img, target[0], target[1], interp, true);
  }
  return img;
}

/** An Img as a float32 tensor (height, width, channels) of values 0..255, as `img_to_array`. */
export function imgToArray(img: Img): Tensor {
  return Tensor.fromArray(Float32Array.from(img.data), [img.height, img.width, img.channels], 'float32');
}

/**
 * A (height, width, channels) tensor as an Img, as `array_to_img`: with `scale` (the default)
 * the values are shifted and stretched to fill 0..255; without it they are rounded and clipped.
 */
export function arrayToImg(x: Tensor, options: { scale?: boolean } = {}): Img {
  checkOptions('arrayToImg', options, ['scale']);
  const shape = x.rank === 2 ? [...x.shape, 1] : x.shape;
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[2])) {
    throw new ValueError(`arrayToImg: expected a (height, width, 1|3|4) tensor, got shape (${x.shape.join(', ')})`);
  }
  const v = x.values;
  let lo = 0;
  let mul = 1;
  if (options.scale ?? true) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < v.length; i++) {
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    lo = v.length ? min : 0;
    mul = max - min !== 0 ? 255 / (max - min) : 1;
  }
  const data = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((v[i] - lo) * mul)));
  return { height: shape[0], width: shape[1], channels: shape[2] as 1 | 3 | 4, data };
}

/**
 * Saves a (height, width, channels) tensor or an Img, as `keras.utils.save_img`; the format
 * follows the extension: .png, .jpg/.jpeg, .webp, .gif, .tif/.tiff (sharp) or .bmp.
 */
export async function saveImg(file: string, x: Tensor | Img, options: { scale?: boolean } = {}): Promise<void> {
  checkOptions('saveImg', options, ['scale']);
  const img = x instanceof Tensor ? arrayToImg(x, options) : x;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.bmp') {
    await fs.promises.writeFile(file, encodeBmp(img.data, img.width, img.height, img.channels));
    return;
  }
  if (!['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff'].includes(ext)) {
    throw new ValueError(`saveImg: cannot tell the format of ${file}; use .png, .jpg, .jpeg, .webp, .gif, .tif, .tiff or .bmp`);
  }
  const data = img.channels === 4 && (ext === '.jpg' || ext === '.jpeg') ? convertChannels(img.data, img.width * img.height, 4, 3) : img.data;
  const channels = data === img.data ? img.channels : 3;
  await sharp(data, { raw: { width: img.width, height: img.height, channels } }).toFile(file);
}
