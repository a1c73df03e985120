import { TatamiError } from '../util/errors';

/**
 * Image files → model inputs as MNIST was made: grey, light ink on a dark ground, the drawing
 * scaled into a 20x20 box (of 28x28) keeping its aspect, then shifted so its centre of mass is
 * the image centre. Decoding and resampling go through sharp (libvips).
 */

// the package's ESM typings describe the function as its default export; require() returns the function itself
type Sharp = typeof import('sharp').default;

export function sharpLib(): Sharp {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('sharp') as Sharp;
  } catch (e) {
    throw new TatamiError(`reading images needs the 'sharp' package, which did not load: ${(e as Error).message}`);
  }
}

export interface PrepareOptions {
  /** Output size (the model's input height and width). */
  height: number;
  width: number;
  /** 'auto' (default) inverts a drawing darker than its paper (the image's border). */
  invert?: 'auto' | 'yes' | 'no';
  /** 'digit' (default): MNIST's 20/28 box and centre of mass; 'fill': fit the whole image (Fashion-MNIST). */
  fit?: 'digit' | 'fill';
}

export interface PreparedImage {
  /** (height, width) values in 0..1, light on dark. */
  data: Float32Array;
  inverted: boolean;
  /** Size of the file's image. */
  sourceWidth: number;
  sourceHeight: number;
}

interface Grey {
  v: Float32Array;
  w: number;
  h: number;
}

/** How an image source reads in a message: the file's name, or 'the image' for bytes. */
const named = (file: string | Buffer) => (typeof file === 'string' ? `'${file}'` : 'the image');

/** Decodes PNG, JPEG (and whatever libvips reads) to grey 0..1; transparency becomes white paper. */
async function decode(file: string | Buffer): Promise<Grey> {
  const sharp = sharpLib();
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await sharp(file).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = (e as Error).message;
    if (typeof file === 'string' && /missing|no such file/i.test(msg)) throw new TatamiError(`no such image file: '${file}'`);
    throw new TatamiError(`cannot read ${named(file)} as an image (PNG or JPEG): ${msg}`);
  }
  const { width: w, height: h, channels: c } = out.info;
  const v = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) v[i] = out.data[i * c] / 255;
  return { v, w, h };
}

/** Mean of the outer ring (5% of the side, at least 1 pixel): the paper's brightness. */
export function borderMean(g: Grey): number {
  const band = Math.max(1, Math.round(Math.min(g.w, g.h) * 0.05));
  let s = 0;
  let n = 0;
  for (let y = 0; y < g.h; y++) {
    for (let x = 0; x < g.w; x++) {
      if (x >= band && x < g.w - band && y >= band && y < g.h - band) continue;
      s += g.v[y * g.w + x];
      n++;
    }
  }
  return n ? s / n : 0;
}

/**
 * Whether the drawing is darker than its paper: the values furthest from the border's level
 * (1st and 99th percentiles, so a few noisy pixels do not decide) lie below it rather than above.
 */
export function darkInk(g: Grey): boolean {
  const b = borderMean(g);
  const sorted = Float32Array.from(g.v).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))];
  const hi = sorted[Math.ceil(0.99 * (sorted.length - 1))];
  return b - lo > hi - b;
}

/** Ink = light on dark, the paper level subtracted and the strongest stroke stretched to 1. */
function toInk(g: Grey, invert: boolean): Grey {
  const v = invert ? g.v.map((x) => 1 - x) : g.v.slice();
  const bg = borderMean({ ...g, v });
  let max = 0;
  for (const x of v) if (x > max) max = x;
  const span = max - bg;
  if (span < 0.1) return { ...g, v: new Float32Array(v.length) };
  for (let i = 0; i < v.length; i++) v[i] = Math.min(1, Math.max(0, (v[i] - bg) / span));
  return { ...g, v };
}

/** Resizes grey values into a box of at most boxW x boxH, keeping the aspect (sharp, Lanczos). */
async function resizeInside(g: Grey, boxW: number, boxH: number): Promise<Grey> {
  const sharp = sharpLib();
  const raw = Buffer.from(Uint8Array.from(g.v, (x) => Math.round(x * 255)));
  const { data, info } = await sharp(raw, { raw: { width: g.w, height: g.h, channels: 1 } })
    .resize(boxW, boxH, { fit: 'inside' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const v = new Float32Array(info.width * info.height);
  for (let i = 0; i < v.length; i++) v[i] = data[i * info.channels] / 255;
  return { v, w: info.width, h: info.height };
}

/** The smallest box holding every pixel above `t`, or null if there is none. */
function inkBox(g: Grey, t: number): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = g.w;
  let y0 = g.h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < g.h; y++) {
    for (let x = 0; x < g.w; x++) {
      if (g.v[y * g.w + x] <= t) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

function crop(g: Grey, b: { x0: number; y0: number; x1: number; y1: number }): Grey {
  const w = b.x1 - b.x0 + 1;
  const h = b.y1 - b.y0 + 1;
  const v = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[y * w + x] = g.v[(y + b.y0) * g.w + x + b.x0];
  return { v, w, h };
}

/** Pastes `p` into an empty W x H image at offset (dx, dy), clipping at the edges. */
function paste(p: Grey, W: number, H: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      const X = x + dx;
      const Y = y + dy;
      if (X >= 0 && X < W && Y >= 0 && Y < H) out[Y * W + X] = p.v[y * p.w + x];
    }
  }
  return out;
}

function centreOfMass(p: Grey): [number, number] {
  let s = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      const m = p.v[y * p.w + x];
      s += m;
      sx += m * x;
      sy += m * y;
    }
  }
  return s > 0 ? [sx / s, sy / s] : [(p.w - 1) / 2, (p.h - 1) / 2];
}

/** Reads an image file (or its bytes) and makes it look like an MNIST (or Fashion-MNIST) sample. */
export async function prepareImage(file: string | Buffer, opts: PrepareOptions): Promise<PreparedImage> {
  const g = await decode(file);
  const inverted = opts.invert === 'yes' || (opts.invert !== 'no' && darkInk(g));
  const ink = toInk(g, inverted);
  const { width: W, height: H } = opts;
  const base = { inverted, sourceWidth: g.w, sourceHeight: g.h };
  if (opts.fit === 'fill') {
    const p = await resizeInside(ink, W, H);
    return { ...base, data: paste(p, W, H, Math.floor((W - p.w) / 2), Math.floor((H - p.h) / 2)) };
  }
  const box = inkBox(ink, 0.1);
  if (!box) throw new TatamiError(`${named(file)} shows no drawing (it is one flat shade)`);
  // MNIST: the digit's longer side is 20 of 28 pixels. An image already of the input size is
  // taken as framed (resampling it again would only blur it) and only centred by mass.
  const p = g.w === W && g.h === H
    ? ink
    : await resizeInside(crop(ink, box), Math.max(1, Math.round((W * 20) / 28)), Math.max(1, Math.round((H * 20) / 28)));
  const [cx, cy] = centreOfMass(p);
  // MNIST puts the centre of mass at pixel (14, 14) of 28x28 (measured on the test set: 14.00, 13.99)
  return { ...base, data: paste(p, W, H, Math.round(W / 2 - cx), Math.round(H / 2 - cy)) };
}
