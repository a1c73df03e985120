import { WinoFilterArgs, WinoFilterOutArgs, WinoGeometry } from '../layout';
import { argI, argP, param } from './common';
import { accumulatePositions } from './wino_filter';
import { scaledSliceTotals } from './wino4_filter';
import { loadTail, patch6, storeTail } from './wino5';

// Filter gradient of a 5x5, stride-1, dilation-1 convolution by Winograd F(5x5, 2x2), the dual of
// wino5_fwd's F(2x2, 5x5): for each 2x2 tile of dy and the 6x6 input patch under it,
//   dw (5x5) = Gᵀ [(A e Aᵀ) ⊙ (Bᵀ d B)] G
// with wino5_fwd's Bᵀ, A = its Aᵀ transposed (6x2) and G its kernel transform (6x5), applied once
// at the end as the scales s_i s_j (s = [1/4, -1/6, -1/6, 1/24, 1/24, 1]) followed by the integer
// matrix P (5x6, row k = the points to the power k, ∞ only in the last row):
//   A = [1 0; 1 1; 1 -1; 1 2; 1 -2; 0 1]
//   P = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 0; 0 1 1 16 16 1]
// The products are summed over all tiles in the transformed domain, 36 accumulated GEMMs
// acc[xi] (C x K) += V[xi]ᵀ · E[xi], slice by slice as wino4_filter does (slices fixed by the
// shapes, summed in order at the end), so the result does not depend on the thread count.
// Any C and K: channels past them are read as zeros and never stored.

/** Scratch bytes per thread (the accumulators live in a separate block, 36*C*round8(K) floats per slice). */
export function wino5_filter_scratch(C: i32, K: i32, Tc: i32): i32 {
  const Cp = (C + 3) & ~3, panels = (K + 7) >> 3;
  return (max(Cp, panels << 3) << 2) + 64 + 192 + 64 + 640 + 36 * Tc * Cp * 4 + 36 * panels * Tc * 32 + 1152;
}

/** A applied to (e0, e1), written to p + l*stride for l = 0..5. */
// @ts-ignore: decorator
@inline function a6(e0: v128, e1: v128, p: usize, stride: usize): void {
  const two = f32x4.mul(f32x4.splat(2), e1);
  v128.store(p, e0);
  v128.store(p + stride, f32x4.add(e0, e1));
  v128.store(p + 2 * stride, f32x4.sub(e0, e1));
  v128.store(p + 3 * stride, f32x4.add(e0, two));
  v128.store(p + 4 * stride, f32x4.sub(e0, two));
  v128.store(p + 5 * stride, e1);
}

// @ts-ignore: decorator
@inline function ld(p: usize, tail: i32): v128 {
  return tail == 0 ? v128.load(p) : loadTail(p, tail);
}

/**
 * Slices [s0, s1) of S (slice s = tiles [total*s/S, total*(s+1)/S) over the batch): accumulates
 * slice s into acc[s] = accs + s*36*C*round8(K) floats, layout [xi][c][round8(K)].
 * x (N, H, W, C), dy (N, oH, oW, K).
 */
export function wino5_filter(args: usize): void {
  const ip = argP(args, WinoFilterArgs.geometry);
  const x = argP(args, WinoFilterArgs.x);
  const dy = argP(args, WinoFilterArgs.dy);
  const accs = argP(args, WinoFilterArgs.accumulators);
  const s0 = argI(args, WinoFilterArgs.sliceStart);
  const s1 = argI(args, WinoFilterArgs.sliceEnd);
  const S = argI(args, WinoFilterArgs.slices);
  const Tc = argI(args, WinoFilterArgs.chunkTiles);
  const scratch = argP(args, WinoFilterArgs.scratch);
  const N = param(ip, WinoGeometry.batch), H = param(ip, WinoGeometry.inH), W = param(ip, WinoGeometry.inW);
  const C = param(ip, WinoGeometry.inC), oH = param(ip, WinoGeometry.outH), oW = param(ip, WinoGeometry.outW);
  const K = param(ip, WinoGeometry.outC);
  const pT = param(ip, WinoGeometry.padTop), pL = param(ip, WinoGeometry.padLeft);
  const Cp = (C + 3) & ~3;
  const tH = (oH + 1) >> 1, tW = (oW + 1) >> 1;
  const total = N * tH * tW;
  const panels = (K + 7) >> 3;
  const zeroBytes = <usize>max(Cp, panels << 3) << 2;
  const zero = scratch;
  memory.fill(zero, 0, zeroBytes);
  const ptrs = (zero + zeroBytes + 63) & ~<usize>63;
  const eptrs = ptrs + 192;
  const tmp = eptrs + 64;
  const V = tmp + 640;
  const ldv = <usize>Cp << 2, ldk = <usize>K << 2;
  const vStride = <usize>Tc * ldv;
  const E = V + 36 * vStride;
  const pStride = <usize>Tc << 5; // bytes per (Tc x 8) panel
  const eStride = <usize>panels * pStride;
  const ldc = <usize>panels << 5;
  const accStride = <usize>C * ldc;
  const K4 = K & ~3, tail = K & 3;
  const two = f32x4.splat(2);
  // when K's last group of 4 fills only the low half of its panel, the high half stays zero for
  // every row: nothing else writes there
  if ((K & 7) != 0 && (K & 7) <= 4) {
    const hp = E + <usize>(panels - 1) * pStride + 16;
    for (let xi = 0; xi < 36; xi++) {
      for (let r = 0; r < Tc; r++) v128.store(hp + <usize>xi * eStride + (<usize>r << 5), f32x4.splat(0));
    }
  }
  for (let sl = s0; sl < s1; sl++) {
    const acc = accs + <usize>sl * 36 * accStride;
    const gStart = <i32>(<i64>total * sl / S), gEnd = <i32>(<i64>total * (sl + 1) / S);
    let first = 1;
    if (gEnd <= gStart) memory.fill(acc, 0, accStride * 36);
    for (let g0 = gStart; g0 < gEnd; g0 += Tc) {
      const cnt = min(Tc, gEnd - g0);
      for (let r = 0; r < cnt; r++) {
        const g = g0 + r;
        const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
        const oh = 2 * th, ow = 2 * tw;
        patch6(x, zero, ptrs, tmp, n, oh - pT, ow - pL, H, W, C, V + <usize>r * ldv, vStride);
        // the 2x2 block of dy under the tile (zero outside)
        const e00 = dy + (<usize>((n * oH + oh) * oW + ow) * ldk);
        const right = ow + 1 < oW, down = oh + 1 < oH;
        store<usize>(eptrs, e00);
        store<usize>(eptrs, right ? e00 + ldk : zero, 4);
        store<usize>(eptrs, down ? e00 + <usize>oW * ldk : zero, 8);
        store<usize>(eptrs, down && right ? e00 + <usize>(oW + 1) * ldk : zero, 12);
        const er = E + (<usize>r << 5);
        for (let k = 0; k < K; k += 4) {
          const o = <usize>k << 2;
          const t = k < K4 ? 0 : tail;
          const a00 = ld(load<usize>(eptrs) + o, t), a01 = ld(load<usize>(eptrs, 4) + o, t);
          const a10 = ld(load<usize>(eptrs, 8) + o, t), a11 = ld(load<usize>(eptrs, 12) + o, t);
          // column l of e Aᵀ is A[l]·(e_i0, e_i1) for rows i = 0, 1; A down that column gives E[j*6 + l]
          const d = er + <usize>(k >> 3) * pStride + <usize>((k & 7) << 2);
          const e6: usize = 6 * eStride;
          const b01 = f32x4.mul(two, a01), b11 = f32x4.mul(two, a11);
          a6(a00, a10, d, e6);
          a6(f32x4.add(a00, a01), f32x4.add(a10, a11), d + eStride, e6);
          a6(f32x4.sub(a00, a01), f32x4.sub(a10, a11), d + 2 * eStride, e6);
          a6(f32x4.add(a00, b01), f32x4.add(a10, b11), d + 3 * eStride, e6);
          a6(f32x4.sub(a00, b01), f32x4.sub(a10, b11), d + 4 * eStride, e6);
          a6(a01, a11, d + 5 * eStride, e6);
        }
      }
      // acc[xi] (C x 8*panels) (=|+=) V[xi]ᵀ (C x cnt) · E[xi] (cnt x 8*panels)
      accumulatePositions(36, V, vStride, ldv, E, eStride, pStride, acc, accStride, ldc, C, panels, cnt, first);
      first = 0;
    }
  }
}

/** P applied to (a0..a5): its five values to p + l*stride. */
// @ts-ignore: decorator
@inline function p5(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, p: usize, stride: usize): void {
  const s12 = f32x4.add(a1, a2), d12 = f32x4.sub(a1, a2), s34 = f32x4.add(a3, a4), d34 = f32x4.sub(a3, a4);
  v128.store(p, f32x4.add(f32x4.add(a0, s12), s34));
  v128.store(p + stride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(p + 2 * stride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(p + 3 * stride, f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)));
  v128.store(p + 4 * stride, f32x4.add(f32x4.add(s12, f32x4.mul(f32x4.splat(16), s34)), a5));
}

/**
 * dw[:, :, c0:c1, :] (HWIO 5x5) = Gᵀ (acc[0] + acc[1] + ... + acc[S-1]) G, summed in slice order.
 * scratch: 1056 bytes.
 */
export function wino5_filter_out(args: usize): void {
  const accs = argP(args, WinoFilterOutArgs.accumulators);
  const S = argI(args, WinoFilterOutArgs.slices);
  const C = argI(args, WinoFilterOutArgs.inC);
  const K = argI(args, WinoFilterOutArgs.outC);
  const dw = argP(args, WinoFilterOutArgs.dw);
  const c0 = argI(args, WinoFilterOutArgs.channelStart);
  const c1 = argI(args, WinoFilterOutArgs.channelEnd);
  const tmp = argP(args, WinoFilterOutArgs.scratch);
  const ldc = <usize>((K + 7) >> 3) << 5;
  const accStride = <usize>C * ldc;
  const sliceStride = accStride * 36;
  const t2 = tmp + 576; // (6 x 5) vectors: row i at t2 + i*80
  const tap = <usize>C * <usize>K << 2;
  for (let c = c0; c < c1; c++) {
    for (let k = 0; k < K; k += 4) {
      const m0 = accs + <usize>c * ldc + (<usize>k << 2);
      scaledSliceTotals(m0, accStride, sliceStride, S, tmp);
      // each row times Pᵀ into t2
      for (let i = 0; i < 6; i++) {
        const t = tmp + <usize>(i * 96);
        p5(v128.load(t), v128.load(t, 16), v128.load(t, 32), v128.load(t, 48), v128.load(t, 64), v128.load(t, 80),
          t2 + <usize>(i * 80), 16);
      }
      // P down each column of t2: dw[u][v] at tmp (row u at tmp + u*80), then stored
      for (let v = 0; v < 5; v++) {
        const t = t2 + <usize>(v << 4);
        p5(v128.load(t), v128.load(t, 80), v128.load(t, 160), v128.load(t, 240), v128.load(t, 320), v128.load(t, 400),
          tmp + <usize>(v << 4), 80);
      }
      const nk = min(4, K - k);
      for (let u = 0; u < 5; u++) {
        for (let v = 0; v < 5; v++) {
          const o = dw + <usize>(u * 5 + v) * tap + (<usize>(c * K + k) << 2);
          storeTail(o, v128.load(tmp + <usize>(u * 80 + (v << 4))), nk);
        }
      }
    }
  }
}
