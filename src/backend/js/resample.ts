import type { ResampleInfo } from '../backend';

/**
 * The reference resampleImages: what each output pixel is, under both families of ResampleInfo
 * (backend.ts). Every step is per axis: a coordinate becomes two taps (input lines) and the weight
 * of the second; the pixel combines the taps of its row and its column.
 */

type FillMode = ResampleInfo['fillMode'];

/**
 * scipy's map_coordinate: a coordinate outside [0, len − 1] brought back inside by the mode; −1
 * means "use fillValue". Integer parts are truncated toward zero as scipy's C casts do.
 */
export function mapCoordinate(x: number, len: number, mode: FillMode): number {
  if (x < 0) {
    switch (mode) {
      case 'nearest':
        return 0;
      case 'constant':
        return -1;
      case 'reflect': {
        if (len <= 1) return 0;
        const p = 2 * len;
        if (x < -p) x = p * Math.trunc(-x / p) + x;
        return x < -len ? x + p : -x - 1;
      }
      default: {
        if (len <= 1) return 0;
        const p = len - 1;
        return x + p * (Math.trunc(-x / p) + 1);
      }
    }
  }
  if (x > len - 1) {
    switch (mode) {
      case 'nearest':
        return len - 1;
      case 'constant':
        return -1;
      case 'reflect': {
        if (len <= 1) return 0;
        const p = 2 * len;
        x -= p * Math.trunc(x / p);
        return x >= len ? p - x - 1 : x;
      }
      default: {
        if (len <= 1) return 0;
        const p = len - 1;
        return x - p * Math.trunc(x / p);
      }
    }
  }
  return x;
}

/** Keras's padded image: the index in [0, n) that line i of the extended axis reads, or −1 for fillValue. */
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

/** The two input lines an output line reads (−1: fillValue) and the weight of the second. */
interface Tap {
  lo: number;
  hi: number;
  frac: number;
}

/** scipy order 1: the coordinate is mapped first; lo = −1 makes the whole pixel fillValue. */
function ndimageTap(v: number, n: number, mode: FillMode, t: Tap): void {
  if (v < 0 || v > n - 1) v = mapCoordinate(v, n, mode);
  if (!(v > -1)) {
    t.lo = t.hi = -1;
    t.frac = 0;
    return;
  }
  const v0 = Math.floor(v);
  t.frac = v - v0;
  // a neighbour past an edge repeats the edge sample (only reflect lands there with weight > 0)
  t.lo = v0 < 0 ? 0 : v0;
  t.hi = v0 + 1 > n - 1 ? n - 1 : v0 + 1;
}

/** Keras: the taps around the coordinate, each read from the extended image. */
function kerasTap(v: number, n: number, mode: FillMode, nearest: boolean, t: Tap): void {
  if (nearest) {
    t.lo = t.hi = extendIndex(Math.floor(v + 0.5), n, mode);
    t.frac = 0;
    return;
  }
  const v0 = Math.floor(v);
  t.frac = v - v0;
  t.lo = extendIndex(v0, n, mode);
  t.hi = extendIndex(v0 + 1, n, mode);
}

function isIdentity(m: Float64Array, k: number): boolean {
  return m[k] === 1 && m[k + 1] === 0 && m[k + 2] === 0 && m[k + 3] === 0 && m[k + 4] === 1 && m[k + 5] === 0;
}

/** Image b copied, mirrored as flagged (flipH / flipV). */
function copyImage(x: Float32Array, y: Float32Array, base: number, h: number, w: number, c: number, flipH: boolean, flipV: boolean): void {
  const rowLen = w * c;
  for (let r = 0; r < h; r++) {
    const dr = base + (flipV ? h - 1 - r : r) * rowLen;
    const sr = base + r * rowLen;
    if (!flipH) {
      y.set(x.subarray(sr, sr + rowLen), dr);
      continue;
    }
    for (let col = 0; col < w; col++) {
      const so = sr + col * c;
      const d = dr + (w - 1 - col) * c;
      for (let k = 0; k < c; k++) y[d + k] = x[so + k];
    }
  }
}

export function resampleImages(x: Float32Array, matrices: Float64Array, flips: Uint8Array | null, y: Float32Array, info: ResampleInfo): void {
  const { batch, inH, inW, channels: c, outH, outW, fillValue, fillMode } = info;
  const inPlane = inH * inW * c;
  const outPlane = outH * outW * c;
  const ndimage = info.family === 'ndimage';
  const nearest = info.interpolation === 'nearest';
  const ty: Tap = { lo: 0, hi: 0, frac: 0 };
  const tx: Tap = { lo: 0, hi: 0, frac: 0 };
  for (let b = 0; b < batch; b++) {
    const k = b * 6;
    const flip = flips ? flips[b] : 0;
    const flipH = (flip & 1) !== 0;
    const flipV = (flip & 2) !== 0;
    const src = b * inPlane;
    if (inH === outH && inW === outW && isIdentity(matrices, k)) {
      copyImage(x, y, src, outH, outW, c, flipH, flipV);
      continue;
    }
    const m0 = matrices[k], m1 = matrices[k + 1], m2 = matrices[k + 2];
    const m3 = matrices[k + 3], m4 = matrices[k + 4], m5 = matrices[k + 5];
    for (let r = 0; r < outH; r++) {
      const dr = b * outPlane + (flipV ? outH - 1 - r : r) * outW * c;
      for (let col = 0; col < outW; col++) {
        const d = dr + (flipH ? outW - 1 - col : col) * c;
        const vy = r * m0 + col * m1 + m2;
        const vx = r * m3 + col * m4 + m5;
        if (ndimage) {
          ndimageTap(vy, inH, fillMode, ty);
          ndimageTap(vx, inW, fillMode, tx);
          if (ty.lo < 0 || tx.lo < 0) {
            for (let ch = 0; ch < c; ch++) y[d + ch] = fillValue;
            continue;
          }
        } else {
          kerasTap(vy, inH, fillMode, nearest, ty);
          kerasTap(vx, inW, fillMode, nearest, tx);
          if (nearest) {
            const s = ty.lo < 0 || tx.lo < 0 ? -1 : src + (ty.lo * inW + tx.lo) * c;
            for (let ch = 0; ch < c; ch++) y[d + ch] = s < 0 ? fillValue : x[s + ch];
            continue;
          }
        }
        // corner offsets, −1 where the corner is fillValue (keras only; ndimage corners are inside)
        const p00 = ty.lo < 0 || tx.lo < 0 ? -1 : src + (ty.lo * inW + tx.lo) * c;
        const p01 = ty.lo < 0 || tx.hi < 0 ? -1 : src + (ty.lo * inW + tx.hi) * c;
        const p10 = ty.hi < 0 || tx.lo < 0 ? -1 : src + (ty.hi * inW + tx.lo) * c;
        const p11 = ty.hi < 0 || tx.hi < 0 ? -1 : src + (ty.hi * inW + tx.hi) * c;
        const fy = ty.frac, fx = tx.frac;
        const w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
        for (let ch = 0; ch < c; ch++) {
          const v00 = p00 < 0 ? fillValue : x[p00 + ch];
          const v01 = p01 < 0 ? fillValue : x[p01 + ch];
          const v10 = p10 < 0 ? fillValue : x[p10 + ch];
          const v11 = p11 < 0 ? fillValue : x[p11 + ch];
          y[d + ch] = v00 * w00 + v01 * w01 + v10 * w10 + v11 * w11;
        }
      }
    }
  }
}
