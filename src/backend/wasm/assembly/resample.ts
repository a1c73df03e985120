import { ResampleArgs, ResampleFamily, ResampleFill, ResampleGeometry, ResampleInterpolation } from '../layout';
import { argF, argI, argP, copyF, param } from './common';

// resampleImages (backend.ts, reference in ../../js/resample.ts), images split over threads. The
// coordinates, taps and weights are computed in float64 in the reference's order, and channels are
// interpolated two at a time in f64x2 with the reference's sum order, so results are bit-identical.
//
// A tap entry (16 bytes): i32 lo, i32 hi (offsets in floats of the two input lines, -1 = fillValue),
// f64 frac (weight of hi). With no rotation or shear (m1 = m3 = 0) each axis's taps are computed
// once per image into the scratch tables; otherwise per pixel into two spare entries.

// @ts-ignore: decorator
@inline function setTap(t: usize, lo: i32, hi: i32, frac: f64): void {
  store<i32>(t, lo);
  store<i32>(t, hi, 4);
  store<f64>(t, frac, 8);
}

/** scipy's map_coordinate (see mapCoordinate in js/resample.ts); -1 means fillValue. */
function mapCoordinate(x: f64, len: i32, mode: i32): f64 {
  const n = <f64>len;
  if (x < 0) {
    if (mode == ResampleFill.nearest) return 0;
    if (mode == ResampleFill.constant) return -1;
    if (len <= 1) return 0;
    if (mode == ResampleFill.reflect) {
      const p = 2 * n;
      if (x < -p) x = p * Math.trunc(-x / p) + x;
      return x < -n ? x + p : -x - 1;
    }
    const p = n - 1;
    return x + p * (Math.trunc(-x / p) + 1);
  }
  if (x > n - 1) {
    if (mode == ResampleFill.nearest) return n - 1;
    if (mode == ResampleFill.constant) return -1;
    if (len <= 1) return 0;
    if (mode == ResampleFill.reflect) {
      const p = 2 * n;
      x -= p * Math.trunc(x / p);
      return x >= n ? p - x - 1 : x;
    }
    const p = n - 1;
    return x - p * Math.trunc(x / p);
  }
  return x;
}

/** Keras's extended image: the line in [0, n) that line i (an integer in f64) reads, or -1. */
function extendIndex(i: f64, len: i32, mode: i32): i32 {
  const n = <f64>len;
  if (i >= 0 && i < n) return <i32>i;
  if (mode == ResampleFill.nearest) return i < 0 ? 0 : len - 1;
  if (mode == ResampleFill.wrap) return <i32>(((i % n) + n) % n);
  if (mode == ResampleFill.reflect) {
    const period = 2 * n;
    const k = ((i % period) + period) % period;
    return <i32>(k < n ? k : period - 1 - k);
  }
  return -1;
}

/** The taps of coordinate v on an axis of `len` lines `stride` floats apart. */
function axisTap(t: usize, v: f64, len: i32, stride: i32, family: i32, nearest: bool, mode: i32): void {
  if (family == ResampleFamily.ndimage) {
    if (v < 0 || v > <f64>(len - 1)) v = mapCoordinate(v, len, mode);
    if (!(v > -1)) {
      setTap(t, -1, -1, 0);
      return;
    }
    const v0 = Math.floor(v);
    const lo = v0 < 0 ? 0 : <i32>v0;
    const hi = v0 + 1 > <f64>(len - 1) ? len - 1 : <i32>v0 + 1;
    setTap(t, lo * stride, hi * stride, v - v0);
    return;
  }
  if (nearest) {
    const i = extendIndex(Math.floor(v + 0.5), len, mode);
    const o = i < 0 ? -1 : i * stride;
    setTap(t, o, o, 0);
    return;
  }
  const v0 = Math.floor(v);
  const lo = extendIndex(v0, len, mode);
  const hi = extendIndex(v0 + 1, len, mode);
  setTap(t, lo < 0 ? -1 : lo * stride, hi < 0 ? -1 : hi * stride, v - v0);
}

/** Two channels at corner offset p (floats from the image start), or fillValue twice. */
// @ts-ignore: decorator
@inline function pair(src: usize, p: i32, ch: i32, fill: v128): v128 {
  if (p < 0) return fill;
  return f64x2.promote_low_f32x4(v128.load64_zero(src + (<usize>(p + ch) << 2)));
}

// @ts-ignore: decorator
@inline function one(src: usize, p: i32, ch: i32, fill: f64): f64 {
  return p < 0 ? fill : <f64>load<f32>(src + (<usize>(p + ch) << 2));
}

/** One output pixel at dst from row taps ty and column taps tx. */
// @ts-ignore: decorator
@inline function pixel(src: usize, dst: usize, ty: usize, tx: usize, C: i32, family: i32, nearest: bool, fillValue: f64): void {
  const ylo = load<i32>(ty), yhi = load<i32>(ty, 4), fy = load<f64>(ty, 8);
  const xlo = load<i32>(tx), xhi = load<i32>(tx, 4), fx = load<f64>(tx, 8);
  if (ylo < 0 || xlo < 0) {
    if (family == ResampleFamily.ndimage || nearest) {
      const f = <f32>fillValue;
      for (let ch = 0; ch < C; ch++) store<f32>(dst + (<usize>ch << 2), f);
      return;
    }
  } else if (nearest) {
    copyF(dst, src + (<usize>(ylo + xlo) << 2), C);
    return;
  }
  const p00 = ylo < 0 || xlo < 0 ? -1 : ylo + xlo;
  const p01 = ylo < 0 || xhi < 0 ? -1 : ylo + xhi;
  const p10 = yhi < 0 || xlo < 0 ? -1 : yhi + xlo;
  const p11 = yhi < 0 || xhi < 0 ? -1 : yhi + xhi;
  const w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
  const v00 = f64x2.splat(w00), v01 = f64x2.splat(w01), v10 = f64x2.splat(w10), v11 = f64x2.splat(w11);
  let ch = 0;
  if ((p00 | p01 | p10 | p11) >= 0) {
    // every corner inside the image (the common case): no fill tests
    const s00 = src + (<usize>p00 << 2), s01 = src + (<usize>p01 << 2), s10 = src + (<usize>p10 << 2), s11 = src + (<usize>p11 << 2);
    for (; ch + 2 <= C; ch += 2) {
      const o = <usize>ch << 2;
      let s = f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(s00 + o)), v00);
      s = f64x2.add(s, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(s01 + o)), v01));
      s = f64x2.add(s, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(s10 + o)), v10));
      s = f64x2.add(s, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(s11 + o)), v11));
      v128.store64_lane(dst + o, f32x4.demote_f64x2_zero(s), 0);
    }
    if (ch < C) {
      const o = <usize>ch << 2;
      const s = <f64>load<f32>(s00 + o) * w00 + <f64>load<f32>(s01 + o) * w01 + <f64>load<f32>(s10 + o) * w10 + <f64>load<f32>(s11 + o) * w11;
      store<f32>(dst + o, <f32>s);
    }
    return;
  }
  const fillV = f64x2.splat(fillValue);
  for (; ch + 2 <= C; ch += 2) {
    let s = f64x2.mul(pair(src, p00, ch, fillV), v00);
    s = f64x2.add(s, f64x2.mul(pair(src, p01, ch, fillV), v01));
    s = f64x2.add(s, f64x2.mul(pair(src, p10, ch, fillV), v10));
    s = f64x2.add(s, f64x2.mul(pair(src, p11, ch, fillV), v11));
    v128.store64_lane(dst + (<usize>ch << 2), f32x4.demote_f64x2_zero(s), 0);
  }
  if (ch < C) {
    const s = one(src, p00, ch, fillValue) * w00 + one(src, p01, ch, fillValue) * w01
      + one(src, p10, ch, fillValue) * w10 + one(src, p11, ch, fillValue) * w11;
    store<f32>(dst + (<usize>ch << 2), <f32>s);
  }
}

/** Image copied as it is, mirrored as flagged. */
function copyImage(src: usize, dst: usize, H: i32, W: i32, C: i32, flipH: bool, flipV: bool): void {
  const rowLen = W * C;
  for (let r = 0; r < H; r++) {
    const sr = src + (<usize>(r * rowLen) << 2);
    const dr = dst + (<usize>((flipV ? H - 1 - r : r) * rowLen) << 2);
    if (!flipH) {
      copyF(dr, sr, rowLen);
      continue;
    }
    for (let col = 0; col < W; col++) copyF(dr + (<usize>((W - 1 - col) * C) << 2), sr + (<usize>(col * C) << 2), C);
  }
}

export function resample(args: usize): void {
  const ip = argP(args, ResampleArgs.geometry);
  const x = argP(args, ResampleArgs.x);
  const mats = argP(args, ResampleArgs.matrices);
  const flips = argP(args, ResampleArgs.flips);
  const y = argP(args, ResampleArgs.y);
  const fillValue = argF(args, ResampleArgs.fillValue);
  const b0 = argI(args, ResampleArgs.imageStart);
  const b1 = argI(args, ResampleArgs.imageEnd);
  const rows = argP(args, ResampleArgs.scratch);
  const inH = param(ip, ResampleGeometry.inH), inW = param(ip, ResampleGeometry.inW), C = param(ip, ResampleGeometry.channels);
  const outH = param(ip, ResampleGeometry.outH), outW = param(ip, ResampleGeometry.outW);
  const family = param(ip, ResampleGeometry.family);
  const nearest = param(ip, ResampleGeometry.interpolation) == ResampleInterpolation.nearest;
  const mode = param(ip, ResampleGeometry.fillMode);
  const cols = rows + (<usize>outH << 4);
  const tyOne = cols + (<usize>outW << 4);
  const txOne = tyOne + 16;
  const inPlane = <usize>(inH * inW * C) << 2;
  const outPlane = <usize>(outH * outW * C) << 2;
  const rowStride = inW * C;
  for (let b = b0; b < b1; b++) {
    const m = mats + (<usize>b * 48);
    const m0 = load<f64>(m), m1 = load<f64>(m, 8), m2 = load<f64>(m, 16);
    const m3 = load<f64>(m, 24), m4 = load<f64>(m, 32), m5 = load<f64>(m, 40);
    const flip = flips == 0 ? 0 : <i32>load<u8>(flips + <usize>b);
    const flipH = (flip & 1) != 0, flipV = (flip & 2) != 0;
    const src = x + <usize>b * inPlane;
    const dst = y + <usize>b * outPlane;
    if (inH == outH && inW == outW && m0 == 1 && m1 == 0 && m2 == 0 && m3 == 0 && m4 == 1 && m5 == 0) {
      copyImage(src, dst, outH, outW, C, flipH, flipV);
      continue;
    }
    const separable = m1 == 0 && m3 == 0;
    if (separable) {
      // the per-pixel sums with col = 0 (rows) or r = 0 (columns): the same values, signs of zeros included
      for (let r = 0; r < outH; r++) axisTap(rows + (<usize>r << 4), <f64>r * m0 + 0.0 * m1 + m2, inH, rowStride, family, nearest, mode);
      for (let col = 0; col < outW; col++) axisTap(cols + (<usize>col << 4), 0.0 * m3 + <f64>col * m4 + m5, inW, C, family, nearest, mode);
    }
    for (let r = 0; r < outH; r++) {
      const dr = dst + (<usize>((flipV ? outH - 1 - r : r) * outW * C) << 2);
      for (let col = 0; col < outW; col++) {
        const d = dr + (<usize>((flipH ? outW - 1 - col : col) * C) << 2);
        let ty = rows + (<usize>r << 4), tx = cols + (<usize>col << 4);
        if (!separable) {
          ty = tyOne;
          tx = txOne;
          axisTap(ty, <f64>r * m0 + <f64>col * m1 + m2, inH, rowStride, family, nearest, mode);
          axisTap(tx, <f64>r * m3 + <f64>col * m4 + m5, inW, C, family, nearest, mode);
        }
        pixel(src, d, ty, tx, C, family, nearest, fillValue);
      }
    }
  }
}
