import { ValueError } from '../util/errors';

/**
 * The per-pixel steps of Keras's apply_transform, on one channels-last image stored at
 * data[offset, offset + size) (size = h·w·c). Both use the image's own min and max, so they
 * commute with flips and may run after the flipped resampling.
 */

function minMax(data: Float32Array, offset: number, size: number): [number, number] {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = offset; i < offset + size; i++) {
    const v = data[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  return [mn, mx];
}

/**
 * Keras's apply_channel_shift: the same intensity is added to every channel (despite the name),
 * and the result is clipped to the image's [min, max] before the shift.
 */
export function applyChannelShift(data: Float32Array, offset: number, size: number, intensity: number): void {
  const [mn, mx] = minMax(data, offset, size);
  for (let i = offset; i < offset + size; i++) {
    const v = Math.fround(data[i] + intensity);
    data[i] = v < mn ? mn : v > mx ? mx : v;
  }
}

const f = Math.fround;

/**
 * Keras's apply_brightness_shift(x, brightness, scale=False) as ImageDataGenerator calls it, which
 * goes through an 8-bit PIL image: an image within [0, 255] is truncated to integers; any other is
 * first stretched to [0, 255] (then truncated) and stretched back afterwards. PIL's Brightness
 * multiplies by the factor in float32, truncates and clips to [0, 255]; the alpha channel of a
 * 4-channel (RGBA) image is left as it was. float32 rounding is reproduced step by step, so the
 * integer truncations fall where NumPy's and PIL's do.
 */
export function applyBrightness(data: Float32Array, offset: number, size: number, channels: number, brightness: number): void {
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(`brightnessRange works on images with 1, 3 or 4 channels (PIL's L, RGB, RGBA), got ${channels}`);
  }
  const [mn, mx] = minMax(data, offset, size);
  const stretch = mn < 0 || mx > 255;
  const span = f(mx - mn);
  const factor = f(brightness);
  for (let i = offset; i < offset + size; i++) {
    let u = data[i];
    if (stretch) {
      u = f(u - mn);
      if (span !== 0) u = f(u / span);
      u = f(u * 255);
    }
    let q = Math.trunc(u);
    if (channels !== 4 || (i - offset) % 4 !== 3) {
      q = Math.trunc(f(factor * q));
      q = q < 0 ? 0 : q > 255 ? 255 : q;
    }
    data[i] = stretch ? f(f(f(q / 255) * span) + mn) : q;
  }
}
