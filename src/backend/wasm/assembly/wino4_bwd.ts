import { WinoFwdArgs, WinoGeometry } from '../layout';
import { argI, argP, param } from './common';
import { positionGemms } from './wino';
import { a6 } from './wino4_filter';

// Input gradient of a 3x3, stride-1, dilation-1 convolution by the transpose of wino4_fwd's
// F(4x4, 3x3): the forward maps each 6x6 input patch d to its 4x4 output tile by
// Aᵀ [U ⊙ (Bᵀ d B)] A, so its adjoint maps each 4x4 tile e of dy to a 6x6 patch of dx,
//   dx patch += B [Σ_k U_ck ⊙ (A e_k Aᵀ)] Bᵀ,
// added over the tiles (patches overlap by 2 pixels). Its tiles cut dy, not dx: seed 001's conv2
// (dy 24x24, dx 26x26) needs 6x6 tiles where wino4_fwd on the padded dy needs 7x7 (13 of 49 tiles'
// products spent on pixels past dx's edge). Per chunk of Tc tiles: E[xi] (Tc x K) = A e Aᵀ for
// the 36 positions xi, 36 GEMMs M[xi] (Tc x C) = E[xi] · U[xi]ᵀ with U = G g Gᵀ (the unflipped
// kernel) packed by the caller as ceil(C/8) panels of (K x 8) per xi, then B M Bᵀ added into dx.
// Bᵀ and A as in wino4_fwd and wino4_filter. Threads take whole images and each image's tiles go
// in order, each patch stored where it is the first to reach dx and added elsewhere: every pixel
// is the same sum in the same order whatever the thread count. The transforms use plain mul/add
// (no fused madd). Float32 error (max |error| / max |dx| against a float64 sum, seed 001's shapes):
// 4.2e-6 against 5.5e-6 for F(4x4, 3x3) on the padded dy (BENCHMARKS.md, issue 11).
// The geometry is the forward convolution's WinoGeometry block at `ip` (../layout.ts): dx is its
// input (N, inH, inW, inC = C), dy its output (N, outH, outW, outC = K).

/**
 * B applied to (z0..z5) (o_i = Σ_l Bᵀ[l][i] z_l), written to p + i*stride for i = 0..5, or added
 * to what is there: rows 0-1 when `addTop`, rows 2-5 when `addRest`.
 */
// @ts-ignore: decorator
@inline function b6(z0: v128, z1: v128, z2: v128, z3: v128, z4: v128, z5: v128, p: usize, stride: usize,
  addTop: bool, addRest: bool): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const s12 = f32x4.add(z1, z2), s34 = f32x4.add(z3, z4);
  const d21 = f32x4.sub(z2, z1), d43 = f32x4.sub(z4, z3);
  put(p, f32x4.mul(four, z0), addTop);
  put(p + stride, f32x4.add(f32x4.mul(four, f32x4.add(d21, z5)), f32x4.mul(two, d43)), addTop);
  put(p + 2 * stride, f32x4.neg(f32x4.add(f32x4.add(f32x4.mul(five, z0), f32x4.mul(four, s12)), s34)), addRest);
  put(p + 3 * stride, f32x4.neg(f32x4.add(f32x4.add(f32x4.mul(two, d43), d21), f32x4.mul(five, z5))), addRest);
  put(p + 4 * stride, f32x4.add(f32x4.add(z0, s12), s34), addRest);
  put(p + 5 * stride, z5, addRest);
}

// @ts-ignore: decorator
@inline function put(p: usize, v: v128, add: bool): void {
  v128.store(p, add ? f32x4.add(v128.load(p), v) : v);
}

/** Scratch bytes per thread: zero row, E and M for Tc tiles, 6 vectors of output. */
export function wino4_bwd_scratch(C: i32, K: i32, Tc: i32): i32 {
  return (K << 2) + 64 + 36 * Tc * (C + K) * 4 + 96;
}

/** dx for images [chunkStart, chunkEnd) (WinoFwdArgs: x = dy, y = dx, chunkTiles = Tc). */
export function wino4_bwd(args: usize): void {
  const ip = argP(args, WinoFwdArgs.geometry);
  const dy = argP(args, WinoFwdArgs.x);
  const up = argP(args, WinoFwdArgs.packedU);
  const dx = argP(args, WinoFwdArgs.y);
  const n0 = argI(args, WinoFwdArgs.chunkStart);
  const n1 = argI(args, WinoFwdArgs.chunkEnd);
  const Tc = argI(args, WinoFwdArgs.chunkTiles);
  const scratch = argP(args, WinoFwdArgs.scratch);
  const H = param(ip, WinoGeometry.inH), W = param(ip, WinoGeometry.inW);
  const C = param(ip, WinoGeometry.inC), oH = param(ip, WinoGeometry.outH), oW = param(ip, WinoGeometry.outW);
  const K = param(ip, WinoGeometry.outC);
  const pT = param(ip, WinoGeometry.padTop), pL = param(ip, WinoGeometry.padLeft);
  const tH = (oH + 3) >> 2, tW = (oW + 3) >> 2;
  const zero = scratch;
  memory.fill(zero, 0, <usize>K << 2);
  const E = (zero + (<usize>K << 2) + 63) & ~<usize>63;
  const eStride = <usize>Tc * <usize>K << 2; // bytes between E[xi]
  const M = E + 36 * eStride;
  const mStride = <usize>Tc * <usize>C << 2;
  const out = M + 36 * mStride; // 6 vectors: a column of the patch (border tiles)
  const panels = (C + 7) >> 3;
  const uStride = <usize>K * <usize>(panels << 5);
  const ldk = <usize>K << 2, ldc = <usize>C << 2;
  const endK = <usize>K << 2, endC = <usize>C << 2;
  const es6 = eStride * 6, ms6 = mStride * 6;
  const z = f32x4.splat(0);
  const gEnd = n1 * tH * tW;
  for (let g0 = n0 * tH * tW; g0 < gEnd; g0 += Tc) {
    const cnt = min(Tc, gEnd - g0);
    // E = A e Aᵀ: rows of e Aᵀ (row i of the dy block into E[i*6 + l]), then A over the columns in place
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      const oh = 4 * th, ow = 4 * tw;
      const er = E + <usize>r * ldk;
      for (let i = 0; i < 4; i++) {
        const d = er + <usize>(i * 6) * eStride;
        if (oh + i >= oH) {
          for (let o: usize = 0; o < endK; o += 16) {
            for (let l = 0; l < 6; l++) v128.store(d + <usize>l * eStride + o, z);
          }
          continue;
        }
        const ei = dy + <usize>((n * oH + oh + i) * oW + ow) * ldk;
        const q0 = ei, q1 = ow + 1 < oW ? ei + ldk : zero;
        const q2 = ow + 2 < oW ? ei + 2 * ldk : zero, q3 = ow + 3 < oW ? ei + 3 * ldk : zero;
        for (let o: usize = 0; o < endK; o += 16) {
          a6(v128.load(q0 + o), v128.load(q1 + o), v128.load(q2 + o), v128.load(q3 + o), d + o, eStride);
        }
      }
      for (let l = 0; l < 6; l++) {
        const d = er + <usize>l * eStride;
        for (let o: usize = 0; o < endK; o += 16) {
          const t = d + o;
          a6(v128.load(t), v128.load(t + es6), v128.load(t + 2 * es6), v128.load(t + 3 * es6), t, es6);
        }
      }
    }
    positionGemms(36, cnt, E, eStride, up, uStride, M, mStride, K, C);
    // dx patch (+)= B M Bᵀ: rows of M Bᵀ in place, then B over each column into dx
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      const mr = M + <usize>r * ldc;
      for (let i = 0; i < 6; i++) {
        const mi = mr + <usize>i * ms6;
        for (let o: usize = 0; o < endC; o += 16) {
          const t = mi + o;
          b6(v128.load(t), v128.load(t + mStride), v128.load(t + 2 * mStride), v128.load(t + 3 * mStride),
            v128.load(t + 4 * mStride), v128.load(t + 5 * mStride), t, mStride, false, false);
        }
      }
      const ih0 = 4 * th - pT, iw0 = 4 * tw - pL;
      const iLo = max(0, -ih0), iHi = min(6, H - ih0);
      const yRow = <usize>W * ldc;
      for (let j = 0; j < 6; j++) {
        const iw = iw0 + j;
        if (iw < 0 || iw >= W) continue;
        // the tile above covered rows 0-1 and the tile to the left columns 0-1: added to, the rest stored
        const addRest = j < 2 && tw > 0, addTop = addRest || th > 0;
        const mj = mr + <usize>j * mStride;
        if (iLo == 0 && iHi == 6) {
          const p = dx + <usize>((n * H + ih0) * W + iw) * ldc;
          for (let o: usize = 0; o < endC; o += 16) {
            const t = mj + o;
            b6(v128.load(t), v128.load(t + ms6), v128.load(t + 2 * ms6), v128.load(t + 3 * ms6),
              v128.load(t + 4 * ms6), v128.load(t + 5 * ms6), p + o, yRow, addTop, addRest);
          }
          continue;
        }
        for (let o: usize = 0; o < endC; o += 16) {
          const t = mj + o;
          b6(v128.load(t), v128.load(t + ms6), v128.load(t + 2 * ms6), v128.load(t + 3 * ms6),
            v128.load(t + 4 * ms6), v128.load(t + 5 * ms6), out, 16, false, false);
          for (let i = iLo; i < iHi; i++) {
            const py = dx + <usize>((n * H + ih0 + i) * W + iw) * ldc + o;
            put(py, v128.load(out + (<usize>i << 4)), i < 2 ? addTop : addRest);
          }
        }
      }
    }
  }
}
