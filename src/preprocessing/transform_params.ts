import { ValueError } from '../util/errors';
import type { Rng } from '../util/rng';
import type { AffineParams } from './affine_matrix';

/**
 * One image's random transform, as Keras's `get_random_transform` returns it (camelCase keys).
 * tx is the shift drawn from heightShiftRange (scaled by the height), ty the one from
 * widthShiftRange (scaled by the width); see affine_matrix.ts for where Keras 3 applies them.
 */
export interface TransformParams extends AffineParams {
  flipHorizontal?: boolean;
  flipVertical?: boolean;
  /** Added to every channel, then clipped to the image's own [min, max]. */
  channelShiftIntensity?: number | null;
  /** PIL's ImageEnhance.Brightness factor. */
  brightness?: number | null;
}

/**
 * A shift range as Keras reads it:
 *  - a number below 1: a fraction of the image size, drawn uniformly from (−r, r);
 *  - an integer ≥ 1: whole pixels, drawn from {−(r−1), …, r−1} (0..r−1 times a random sign);
 *  - another number ≥ 1: pixels, drawn uniformly from (−r, r);
 *  - an array: one of its values times a random sign, as a fraction of the size when all are below 1.
 * (Keras tells the integer and float cases apart by Python type; here an integer-valued number is
 * the integer case, so 2.0 means what Keras's 2 means.)
 */
export type ShiftRange = number | number[];

/** The random part of an ImageDataGenerator's configuration, validated. */
export interface RandomRanges {
  rotationRange: number;
  widthShiftRange: ShiftRange;
  heightShiftRange: ShiftRange;
  shearRange: number;
  zoomRange: [number, number];
  channelShiftRange: number;
  horizontalFlip: boolean;
  verticalFlip: boolean;
  brightnessRange: [number, number] | null;
}

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

function choice(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng.uniform() * n));
}

function isActive(r: ShiftRange): boolean {
  return Array.isArray(r) ? r.length > 0 : r !== 0;
}

function drawShift(rng: Rng, r: ShiftRange, size: number): number {
  let v: number;
  let max: number;
  if (Array.isArray(r)) {
    v = r[choice(rng, r.length)] * (choice(rng, 2) === 0 ? -1 : 1);
    max = Math.max(...r);
  } else if (Number.isInteger(r) && r >= 1) {
    v = choice(rng, r) * (choice(rng, 2) === 0 ? -1 : 1);
    max = r;
  } else {
    v = uniform(rng, -r, r);
    max = r;
  }
  return max < 1 ? v * size : v;
}

/** Keras's get_random_transform for an (h, w, ·) image, drawing from rng in Keras's order. */
export function drawTransform(r: RandomRanges, h: number, w: number, rng: Rng): TransformParams {
  const theta = r.rotationRange ? uniform(rng, -r.rotationRange, r.rotationRange) : 0;
  const tx = isActive(r.heightShiftRange) ? drawShift(rng, r.heightShiftRange, h) : 0;
  const ty = isActive(r.widthShiftRange) ? drawShift(rng, r.widthShiftRange, w) : 0;
  const shear = r.shearRange ? uniform(rng, -r.shearRange, r.shearRange) : 0;
  let zx = 1;
  let zy = 1;
  if (r.zoomRange[0] !== 1 || r.zoomRange[1] !== 1) {
    zx = uniform(rng, r.zoomRange[0], r.zoomRange[1]);
    zy = uniform(rng, r.zoomRange[0], r.zoomRange[1]);
  }
  // drawn whether or not flips are on, as Keras does, so switching one on changes no other draw
  const flipHorizontal = rng.uniform() < 0.5 && r.horizontalFlip;
  const flipVertical = rng.uniform() < 0.5 && r.verticalFlip;
  const channelShiftIntensity = r.channelShiftRange !== 0 ? uniform(rng, -r.channelShiftRange, r.channelShiftRange) : null;
  const brightness = r.brightnessRange ? uniform(rng, r.brightnessRange[0], r.brightnessRange[1]) : null;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness };
}

function finite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`ImageDataGenerator: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function pair(name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ValueError(`ImageDataGenerator: ${name} must be a number or a pair [lower, upper], got ${JSON.stringify(v)}`);
  }
  return [finite(`${name}[0]`, v[0]), finite(`${name}[1]`, v[1])];
}

function shiftRange(name: string, v: unknown): ShiftRange {
  if (Array.isArray(v)) return v.map((x, i) => finite(`${name}[${i}]`, x));
  const r = finite(name, v);
  if (r < 0) throw new ValueError(`ImageDataGenerator: ${name} must be >= 0, got ${r}`);
  return r;
}

/** Checks the range options and puts them in the form drawTransform reads. */
export function parseRanges(o: {
  rotationRange?: number;
  widthShiftRange?: ShiftRange;
  heightShiftRange?: ShiftRange;
  shearRange?: number;
  zoomRange?: number | [number, number];
  channelShiftRange?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  brightnessRange?: [number, number] | null;
}): RandomRanges {
  const zoom = o.zoomRange ?? 0;
  const zoomRange: [number, number] = typeof zoom === 'number' ? [1 - finite('zoomRange', zoom), 1 + zoom] : pair('zoomRange', zoom);
  return {
    rotationRange: finite('rotationRange', o.rotationRange ?? 0),
    widthShiftRange: shiftRange('widthShiftRange', o.widthShiftRange ?? 0),
    heightShiftRange: shiftRange('heightShiftRange', o.heightShiftRange ?? 0),
    shearRange: finite('shearRange', o.shearRange ?? 0),
    zoomRange,
    channelShiftRange: finite('channelShiftRange', o.channelShiftRange ?? 0),
    horizontalFlip: !!o.horizontalFlip,
    verticalFlip: !!o.verticalFlip,
    brightnessRange: o.brightnessRange == null ? null : pair('brightnessRange', o.brightnessRange),
  };
}
