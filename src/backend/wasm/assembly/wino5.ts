import { WinoFwdArgs, WinoGeometry } from '../layout';
import { argI, argP, epilogue4, param } from './common';
import { positionGemms } from './wino';
import { bt6 } from './wino4';

// Winograd F(2x2, 5x5) for 5x5, stride-1, dilation-1 convolutions over NHWC input (any C and K):
// 36 multiplies per 2x2 outputs and channel pair instead of the direct lowering's 100. The output
// is cut into 2x2 tiles; each reads a 6x6 input patch, the same patch as F(4x4, 3x3), and with the
// same six interpolation points (0, ±1, ±2, ∞) its input transform is wino4's Bᵀ (bt6). Per chunk of
// Tc tiles: V[xi] (Tc x Cp) = Bᵀ d B for the 36 positions xi, 36 GEMMs M[xi] (Tc x Kp) = V[xi] · U[xi]
// with U = G g Gᵀ packed by the caller as ceil(K/8) panels of (Cp x 8) per xi (rows past C zero),
// then Y = Aᵀ M A with
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 1]
//   G  = [1/4 0 0 0 0; -1/6 (1 1 1 1 1); -1/6 (1 -1 1 -1 1); 1/24 (1 2 4 8 16); 1/24 (1 -2 4 -8 16); 0 0 0 0 1]
// Cp, Kp: C and K rounded up to 4. Channels past C are read as zeros (loadTail), outputs past K are
// never stored (storeTail), so LeNet's 50 channels need no padded copies.
// Float32 error (max |error| / max |y| against a float64 sum): see BENCHMARKS.md (2026-12-02, issue 11).
// Outputs whose 5x5 receptive field is all zero come out as exact zeros, as a direct convolution
// gives them (relu's mask and max pooling's ties would turn residues into gradient), without the
// check wino4_fwd needs: Bᵀ's rows 0-4 do not read the patch's last pixel and rows 1-5 not its
// first, and Aᵀ's row 0 uses positions 0-4, row 1 positions 1-5, so output (i, j) of a tile is
// computed from its own 5x5 window only, and zeros stay exact zeros through every product and sum.
// Every tile goes through the same operations whatever chunk or thread it falls in.
// The geometry is a WinoGeometry block at `ip` (../layout.ts): C = inC, K = outC.

/** n (1-3) floats at p in the low lanes, the other lanes zero. */
// @ts-ignore: decorator
@inline export function loadTail(p: usize, n: i32): v128 {
  if (n == 1) return v128.load32_zero(p);
  const lo = v128.load64_zero(p);
  return n == 2 ? lo : v128.load32_lane(p, lo, 2, 8);
}

/** The low n (1-4) lanes of v to p. */
// @ts-ignore: decorator
@inline export function storeTail(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n == 1) {
    v128.store32_lane(p, v, 0);
    return;
  }
  v128.store64_lane(p, v, 0);
  if (n == 3) v128.store32_lane(p, v, 2, 8);
}

// @ts-ignore: decorator
@inline function ld(p: usize, tail: i32): v128 {
  return tail == 0 ? v128.load(p) : loadTail(p, tail);
}

/** Bᵀ d B for one group of 4 channels (byte offset o; `tail` channels when not 0) into d + xi*vStride. */
// @ts-ignore: decorator
@inline function patchGroup(ptrs: usize, tmp: usize, o: usize, tail: i32, d: usize, vStride: usize): void {
  // rows of d B into tmp (row i at tmp + i*96, column j at + j*16)
  for (let i = 0; i < 6; i++) {
    const pp = ptrs + <usize>(i * 24);
    bt6(ld(load<usize>(pp) + o, tail), ld(load<usize>(pp, 4) + o, tail), ld(load<usize>(pp, 8) + o, tail),
      ld(load<usize>(pp, 12) + o, tail), ld(load<usize>(pp, 16) + o, tail), ld(load<usize>(pp, 20) + o, tail),
      tmp + <usize>(i * 96), 16);
  }
  // Bᵀ over the rows, column by column: V[i*6 + j]
  for (let j = 0; j < 6; j++) {
    const t = tmp + <usize>(j << 4);
    bt6(v128.load(t), v128.load(t, 96), v128.load(t, 192), v128.load(t, 288), v128.load(t, 384), v128.load(t, 480),
      d + <usize>j * vStride, 6 * vStride);
  }
}

/**
 * V[xi][row] (at vr + xi*vStride, rows of round4(C) floats) = Bᵀ d B for the 6x6 patch of image n
 * whose top-left pixel is (ih0, iw0); pixels outside the input read the zero row (round4(C)
 * floats). ptrs: 144 bytes, tmp: 576 bytes of scratch. Leaves the patch's pixel pointers in ptrs.
 */
// @ts-ignore: decorator
@inline export function patch6(x: usize, zero: usize, ptrs: usize, tmp: usize, n: i32, ih0: i32, iw0: i32, H: i32,
  W: i32, C: i32, vr: usize, vStride: usize): void {
  const ldx = <usize>C << 2;
  for (let i = 0; i < 6; i++) {
    const ih = ih0 + i;
    const rowOk = ih >= 0 && ih < H;
    const base = x + (<usize>((n * H + ih) * W + iw0) * ldx);
    for (let j = 0; j < 6; j++) {
      const iw = iw0 + j;
      store<usize>(ptrs + (<usize>(i * 6 + j) << 2), rowOk && iw >= 0 && iw < W ? base + <usize>j * ldx : zero);
    }
  }
  const C4 = C & ~3;
  for (let c = 0; c < C4; c += 4) patchGroup(ptrs, tmp, <usize>c << 2, 0, vr + (<usize>c << 2), vStride);
  if ((C & 3) != 0) patchGroup(ptrs, tmp, <usize>C4 << 2, C & 3, vr + (<usize>C4 << 2), vStride);
}

/** Row 0 of Aᵀ down a column of M (positions xi = i*6 + j at p + i*6*mStride): m0 + m1 + m2 + m3 + m4. */
// @ts-ignore: decorator
@inline function col0(p: usize, mStride: usize): v128 {
  const s: usize = 6 * mStride;
  return f32x4.add(f32x4.add(v128.load(p), f32x4.add(v128.load(p + s), v128.load(p + 2 * s))),
    f32x4.add(v128.load(p + 3 * s), v128.load(p + 4 * s)));
}

/** Row 1 of Aᵀ down a column of M: m1 - m2 + 2 (m3 - m4) + m5. */
// @ts-ignore: decorator
@inline function col1(p: usize, mStride: usize): v128 {
  const s: usize = 6 * mStride;
  return f32x4.add(f32x4.add(f32x4.sub(v128.load(p + s), v128.load(p + 2 * s)),
    f32x4.mul(f32x4.splat(2), f32x4.sub(v128.load(p + 3 * s), v128.load(p + 4 * s)))), v128.load(p + 5 * s));
}

/** Scratch bytes per thread: zero row, patch pointers, transform temporaries, V and M for Tc tiles. */
export function wino5_scratch(C: i32, K: i32, Tc: i32): i32 {
  const Cp = (C + 3) & ~3, Kp = (K + 3) & ~3;
  return (Cp << 2) + 64 + 192 + 640 + 36 * Tc * (Cp + Kp) * 4 + 64;
}

/**
 * Output tiles of chunks [k0, k1) (chunk = Tc consecutive 2x2 tiles over the batch, Tc a multiple
 * of 6) of y = relu?(conv(x, g) + bias), U the packed transformed kernel (36 positions).
 * The exactZeros field is not read: see the note on exact zeros above.
 */
export function wino5_fwd(args: usize): void {
  const ip = argP(args, WinoFwdArgs.geometry);
  const x = argP(args, WinoFwdArgs.x);
  const up = argP(args, WinoFwdArgs.packedU);
  const y = argP(args, WinoFwdArgs.y);
  const k0 = argI(args, WinoFwdArgs.chunkStart);
  const k1 = argI(args, WinoFwdArgs.chunkEnd);
  const Tc = argI(args, WinoFwdArgs.chunkTiles);
  const bias = argP(args, WinoFwdArgs.bias), relu = argI(args, WinoFwdArgs.relu);
  const epi = bias != 0 || relu != 0;
  const scratch = argP(args, WinoFwdArgs.scratch);
  const N = param(ip, WinoGeometry.batch), H = param(ip, WinoGeometry.inH), W = param(ip, WinoGeometry.inW);
  const C = param(ip, WinoGeometry.inC), oH = param(ip, WinoGeometry.outH), oW = param(ip, WinoGeometry.outW);
  const K = param(ip, WinoGeometry.outC);
  const pT = param(ip, WinoGeometry.padTop), pL = param(ip, WinoGeometry.padLeft);
  const Cp = (C + 3) & ~3, Kp = (K + 3) & ~3;
  const tH = (oH + 1) >> 1, tW = (oW + 1) >> 1;
  const total = N * tH * tW;
  const zero = scratch;
  memory.fill(zero, 0, <usize>Cp << 2);
  const ptrs = (zero + (<usize>Cp << 2) + 63) & ~<usize>63;
  const tmp = ptrs + 192;
  const V = tmp + 640;
  const ldv = <usize>Cp << 2, ldm = <usize>Kp << 2, ldy = <usize>K << 2;
  const vStride = <usize>Tc * ldv; // bytes between V[xi]
  const M = V + 36 * vStride;
  const mStride = <usize>Tc * ldm;
  const uStride = <usize>Cp * <usize>(((K + 7) >> 3) << 5);
  const yRow = <usize>oW * ldy;
  const two = f32x4.splat(2);
  for (let ch = k0; ch < k1; ch++) {
    const g0 = ch * Tc;
    const cnt = min(Tc, total - g0);
    if (cnt <= 0) break;
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      patch6(x, zero, ptrs, tmp, n, 2 * th - pT, 2 * tw - pL, H, W, C, V + <usize>r * ldv, vStride);
    }
    positionGemms(36, cnt, V, vStride, up, uStride, M, mStride, Cp, Kp);
    // output transform, in registers
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      const oh = 2 * th, ow = 2 * tw;
      const down = oh + 1 < oH, right = ow + 1 < oW;
      const yt = y + (<usize>((n * oH + oh) * oW + ow) * ldy);
      const mr = M + <usize>r * ldm;
      for (let k = 0; k < K; k += 4) {
        const m = mr + (<usize>k << 2);
        // Aᵀ down column j (u0, u1), then Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 1] along the row as the columns come
        let u0 = col0(m, mStride), u1 = col1(m, mStride);
        let v00 = u0, v10 = u1;
        u0 = col0(m + mStride, mStride); u1 = col1(m + mStride, mStride);
        v00 = f32x4.add(v00, u0); v10 = f32x4.add(v10, u1);
        let v01 = u0, v11 = u1;
        u0 = col0(m + 2 * mStride, mStride); u1 = col1(m + 2 * mStride, mStride);
        v00 = f32x4.add(v00, u0); v10 = f32x4.add(v10, u1);
        v01 = f32x4.sub(v01, u0); v11 = f32x4.sub(v11, u1);
        let e0 = col0(m + 3 * mStride, mStride), e1 = col1(m + 3 * mStride, mStride);
        u0 = col0(m + 4 * mStride, mStride); u1 = col1(m + 4 * mStride, mStride);
        v00 = f32x4.add(v00, f32x4.add(e0, u0)); v10 = f32x4.add(v10, f32x4.add(e1, u1));
        v01 = f32x4.add(v01, f32x4.mul(two, f32x4.sub(e0, u0))); v11 = f32x4.add(v11, f32x4.mul(two, f32x4.sub(e1, u1)));
        v01 = f32x4.add(v01, col0(m + 5 * mStride, mStride)); v11 = f32x4.add(v11, col1(m + 5 * mStride, mStride));
        const nk = min(4, K - k);
        if (epi) {
          const bk = bias == 0 ? f32x4.splat(0) : nk == 4 ? v128.load(bias + (<usize>k << 2)) : loadTail(bias + (<usize>k << 2), nk);
          v00 = epilogue4(v00, bk, relu); v01 = epilogue4(v01, bk, relu);
          v10 = epilogue4(v10, bk, relu); v11 = epilogue4(v11, bk, relu);
        }
        const p = yt + (<usize>k << 2);
        storeTail(p, v00, nk);
        if (right) storeTail(p + ldy, v01, nk);
        if (down) {
          storeTail(p + yRow, v10, nk);
          if (right) storeTail(p + yRow + ldy, v11, nk);
        }
      }
    }
  }
}
