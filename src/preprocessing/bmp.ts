import { DataFileError } from '../data/data_file_error';

/**
 * Windows bitmaps, which sharp (libvips without ImageMagick) cannot read: uncompressed 1, 4, 8
 * (palette), 16 (5-5-5 or bit fields), 24 and 32-bit images. RLE-compressed and OS/2 files are
 * refused with an error naming the file. Pixels come back as (height, width, 3 or 4) RGB(A).
 */
/** PIL's DecompressionBombError threshold (2 x Image.MAX_IMAGE_PIXELS), which Keras's load_img inherits. */
export const MAX_IMAGE_PIXELS = 178956970;

export function isBmp(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d; // 'BM'
}

export function decodeBmp(b: Uint8Array, name: string): { width: number; height: number; channels: 3 | 4; data: Uint8Array } {
  const fail = (m: string): never => {
    throw new DataFileError(`${name}: ${m}`);
  };
  if (!isBmp(b) || b.length < 54) fail('not a BMP file, or truncated');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset = v.getUint32(10, true);
  const dib = v.getUint32(14, true);
  if (dib < 40) fail(`OS/2 bitmaps (${dib}-byte header) are not supported`);
  const width = v.getInt32(18, true);
  const rawH = v.getInt32(22, true);
  const height = Math.abs(rawH);
  const bpp = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (width <= 0 || height === 0) fail(`bad size ${width}x${rawH}`);
  if (width * height > MAX_IMAGE_PIXELS) fail(`${width}x${height} pixels is more than the ${MAX_IMAGE_PIXELS} read (a decompression bomb, or a damaged header)`);
  if (compression !== 0 && compression !== 3 && compression !== 6) fail(`compressed BMP (method ${compression}) is not supported`);
  // Bit masks: after the 40-byte header for BI_BITFIELDS, or inside a V4/V5 header.
  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, bpp === 32 ? 0xff000000 : 0];
  if (compression === 3 || compression === 6) {
    if (b.length < 14 + 40 + 12) fail('truncated header');
    masks = [v.getUint32(54, true), v.getUint32(58, true), v.getUint32(62, true), dib >= 56 || compression === 6 ? v.getUint32(66, true) : 0];
  }
  const hasAlpha = (bpp === 32 || bpp === 16) && masks[3] !== 0 && (compression !== 0 || dib > 40);
  const channels = hasAlpha ? 4 : 3;
  const paletteAt = 14 + dib;
  const colors = bpp <= 8 ? v.getUint32(46, true) || 1 << bpp : 0;
  if (bpp <= 8 && paletteAt + colors * 4 > b.length) fail('truncated palette');
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) fail(`${bpp} bits per pixel is not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (offset + stride * height > b.length) fail(`truncated: ${b.length} bytes, pixel data needs ${offset + stride * height}`);
  const field = (px: number, mask: number): number => {
    if (!mask) return 255;
    const shift = Math.log2(mask & -mask);
    const max = mask >>> shift;
    return Math.round((((px & mask) >>> 0) >>> shift) * 255 / max);
  };
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = offset + stride * (rawH > 0 ? height - 1 - y : y); // bottom-up unless height < 0
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * channels;
      let r: number, g: number, bl: number, a = 255;
      if (bpp <= 8) {
        const bit = x * bpp;
        const idx = (b[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (idx >= colors) fail(`palette index ${idx} beyond ${colors} colors`);
        const p = paletteAt + idx * 4;
        [bl, g, r] = [b[p], b[p + 1], b[p + 2]];
      } else if (bpp === 24) {
        const p = row + x * 3;
        [bl, g, r] = [b[p], b[p + 1], b[p + 2]];
      } else {
        const px = bpp === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true);
        [r, g, bl] = [field(px, masks[0]), field(px, masks[1]), field(px, masks[2])];
        if (hasAlpha) a = field(px, masks[3]);
      }
      out[d] = r;
      out[d + 1] = g;
      out[d + 2] = bl;
      if (channels === 4) out[d + 3] = a;
    }
  }
  return { width, height, channels, data: out };
}

/** Encodes (height, width, 3) RGB pixels as an uncompressed 24-bit BMP (1 or 4 channels widened/dropped). */
export function encodeBmp(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = new Uint8Array(54 + stride * height);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, out.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, -height, true); // top-down rows
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  v.setUint32(34, stride * height, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * channels;
      const d = 54 + y * stride + x * 3;
      const [r, g, b] = channels < 3 ? [data[s], data[s], data[s]] : [data[s], data[s + 1], data[s + 2]];
      out[d] = b;
      out[d + 1] = g;
      out[d + 2] = r;
    }
  }
  return out;
}
