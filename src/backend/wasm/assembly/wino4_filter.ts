import { WinoFilterArgs, WinoFilterOutArgs, WinoGeometry } from '../layout';
import { argI, argP, param } from './common';
import { inputTile6 } from './wino4';
import { accumulatePositions } from './wino_filter';

// Filter gradient of a 3x3, stride-1, dilation-1 convolution by Winograd F(3x3, 4x4), the dual of
// wino4_fwd's F(4x4, 3x3): for each 4x4 tile of dy and the 6x6 input patch under it,
//   dw (3x3) = Gᵀ [(A e Aᵀ) ⊙ (Bᵀ d B)] G
// with wino4_fwd's Bᵀ, A = its Aᵀ transposed (6x4, integer entries) and G its kernel transform
// (6x3), applied once at the end as the scales s_i s_j (s = [1/4, -1/6, -1/6, 1/24, 1/24, 1])
// followed by the integer matrix P = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 1]:
//   A = [1 0 0 0; 1 1 1 1; 1 -1 1 -1; 1 2 4 8; 1 -2 4 -8; 0 0 0 1]
// The products are summed over all tiles in the transformed domain, 36 accumulated GEMMs
// acc[xi] (C x K) += V[xi]ᵀ · E[xi], slice by slice as wino_filter does (slices fixed by the
// shapes, summed in order at the end), so the result does not depend on the thread count.

/** Scratch bytes per thread (the accumulators live in a separate block, 36*C*round8(K) floats per slice). */
export function wino4_filter_scratch(C: i32, K: i32, Tc: i32): i32 {
  const panels = (K + 7) >> 3;
  return (max(C, K) << 2) + 64 + 192 + 64 + 640 + 36 * Tc * C * 4 + 36 * panels * Tc * 32 + 256;
}

/** A applied to (e0..e3), written to p + l*stride for l = 0..5. */
// @ts-ignore: decorator
@inline export function a6(e0: v128, e1: v128, e2: v128, e3: v128, p: usize, stride: usize): void {
  const two = f32x4.splat(2), four = f32x4.splat(4);
  const s02 = f32x4.add(e0, e2), s13 = f32x4.add(e1, e3);
  const q02 = f32x4.add(e0, f32x4.mul(four, e2)), q13 = f32x4.mul(two, f32x4.add(e1, f32x4.mul(four, e3)));
  v128.store(p, e0);
  v128.store(p + stride, f32x4.add(s02, s13));
  v128.store(p + 2 * stride, f32x4.sub(s02, s13));
  v128.store(p + 3 * stride, f32x4.add(q02, q13));
  v128.store(p + 4 * stride, f32x4.sub(q02, q13));
  v128.store(p + 5 * stride, e3);
}

/**
 * Slices [s0, s1) of S (slice s = tiles [total*s/S, total*(s+1)/S) over the batch): accumulates
 * slice s into acc[s] = accs + s*36*C*round8(K) floats, layout [xi][c][round8(K)].
 * x (N, H, W, C), dy (N, oH, oW, K).
 */
export function wino4_filter(args: usize): void {
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
  const tH = (oH + 3) >> 2, tW = (oW + 3) >> 2;
  const total = N * tH * tW;
  const panels = (K + 7) >> 3;
  const zero = scratch;
  memory.fill(zero, 0, <usize>max(C, K) << 2);
  const ptrs = (zero + (<usize>max(C, K) << 2) + 63) & ~<usize>63;
  const eptrs = ptrs + 192;
  const tmp = eptrs + 64;
  const V = tmp + 640;
  const vStride = <usize>Tc * <usize>C << 2;
  const E = V + 36 * vStride;
  const pStride = <usize>Tc << 5; // bytes per (Tc x 8) panel
  const eStride = <usize>panels * pStride;
  const ldc = <usize>panels << 5;
  const accStride = <usize>C * ldc;
  const ldv = <usize>C << 2, ldk = <usize>K << 2;
  const z = f32x4.splat(0);
  for (let sl = s0; sl < s1; sl++) {
    const acc = accs + <usize>sl * 36 * accStride;
    const gStart = <i32>(<i64>total * sl / S), gEnd = <i32>(<i64>total * (sl + 1) / S);
    let first = 1;
    if (gEnd <= gStart) memory.fill(acc, 0, accStride * 36);
    for (let g0 = gStart; g0 < gEnd; g0 += Tc) {
      const cnt = min(Tc, gEnd - g0);
      // V for the whole chunk, then E: one pass at a time (seed 001's conv2: 10% less time than the
      // two transforms tile by tile, CPU, same process)
      for (let r = 0; r < cnt; r++) {
        inputTile6(x, zero, ptrs, tmp, g0 + r, tH, tW, H, W, C, pT, pL, V + <usize>r * ldv, vStride);
      }
      for (let r = 0; r < cnt; r++) {
        const g = g0 + r;
        // the 4x4 block of dy under the tile (zero outside)
        const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
        const oh = 4 * th, ow = 4 * tw;
        const e0 = dy + (<usize>((n * oH + oh) * oW + ow) * ldk);
        const er = E + (<usize>r << 5);
        // rows of e Aᵀ, row i into E[i*6 + l]: each row of the dy block is read as one stream
        for (let i = 0; i < 4; i++) {
          const d = er + <usize>(i * 6) * eStride;
          if (oh + i >= oH) {
            for (let k = 0; k < K; k += 4) {
              const dk = d + <usize>(k >> 3) * pStride + <usize>((k & 7) << 2);
              for (let l = 0; l < 6; l++) v128.store(dk + <usize>l * eStride, z);
            }
            continue;
          }
          const ei = e0 + <usize>(i * oW) * ldk;
          const q0 = ei, q1 = ow + 1 < oW ? ei + ldk : zero;
          const q2 = ow + 2 < oW ? ei + 2 * ldk : zero, q3 = ow + 3 < oW ? ei + 3 * ldk : zero;
          for (let k = 0; k < K; k += 4) {
            const o = <usize>k << 2;
            a6(v128.load(q0 + o), v128.load(q1 + o), v128.load(q2 + o), v128.load(q3 + o),
              d + <usize>(k >> 3) * pStride + <usize>((k & 7) << 2), eStride);
          }
        }
        // A over the rows, column by column, in place: E[m*6 + l]
        const s6 = eStride * 6;
        for (let l = 0; l < 6; l++) {
          const d = er + <usize>l * eStride;
          for (let k = 0; k < K; k += 4) {
            const t = d + <usize>(k >> 3) * pStride + <usize>((k & 7) << 2);
            a6(v128.load(t), v128.load(t + s6), v128.load(t + 2 * s6), v128.load(t + 3 * s6), t, s6);
          }
        }
        if ((K & 7) != 0) {
          const d = er + <usize>(K >> 3) * pStride;
          for (let xi = 0; xi < 36; xi++) v128.store(d + <usize>xi * eStride, z, 16);
        }
      }
      // acc[xi] (C x 8*panels) (=|+=) V[xi]ᵀ (C x cnt) · E[xi] (cnt x 8*panels)
      accumulatePositions(36, V, vStride, ldv, E, eStride, pStride, acc, accStride, ldc, C, panels, cnt, first);
      first = 0;
    }
  }
}

/** The integer matrix P applied to (m0..m5): its three values. */
// @ts-ignore: decorator
@inline function p0(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128): v128 {
  return f32x4.add(f32x4.add(m0, f32x4.add(m1, m2)), f32x4.add(m3, m4));
}
// @ts-ignore: decorator
@inline function p1(m1: v128, m2: v128, m3: v128, m4: v128): v128 {
  return f32x4.add(f32x4.sub(m1, m2), f32x4.mul(f32x4.splat(2), f32x4.sub(m3, m4)));
}
// @ts-ignore: decorator
@inline function p2(m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): v128 {
  return f32x4.add(f32x4.add(f32x4.add(m1, m2), f32x4.mul(f32x4.splat(4), f32x4.add(m3, m4))), m5);
}

// @ts-ignore: decorator
@inline function scaleOf(i: i32): f64 {
  return i == 0 ? 0.25 : i < 3 ? -1.0 / 6 : i < 5 ? 1.0 / 24 : 1;
}

/**
 * The total of the S slices' products at the 36 positions for 4 (c, k) pairs at m0, times
 * s_i s_j of the 6x6 points, into tmp (36 vectors, 16 bytes apart); summed in slice order, so
 * the result does not depend on how many threads made the slices. Shared with wino5_filter.ts.
 */
// @ts-ignore: decorator
@inline export function scaledSliceTotals(m0: usize, accStride: usize, sliceStride: usize, S: i32, tmp: usize): void {
  for (let xi = 0; xi < 36; xi++) {
    const p = m0 + <usize>xi * accStride;
    let v = v128.load(p);
    for (let s = 1; s < S; s++) v = f32x4.add(v, v128.load(p + <usize>s * sliceStride));
    const f = <f32>(scaleOf(xi / 6) * scaleOf(xi % 6));
    v128.store(tmp + (<usize>xi << 4), f32x4.mul(v, f32x4.splat(f)));
  }
}

/**
 * dw[:, :, c0:c1, :] (HWIO 3x3) = Gᵀ (acc[0] + acc[1] + ... + acc[S-1]) G, summed in slice order.
 * scratch: 1024 bytes.
 */
export function wino4_filter_out(args: usize): void {
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
  const t2 = tmp + 576;
  const tap = <usize>C * <usize>K << 2;
  for (let c = c0; c < c1; c++) {
    for (let k = 0; k < K; k += 4) {
      const m0 = accs + <usize>c * ldc + (<usize>k << 2);
      scaledSliceTotals(m0, accStride, sliceStride, S, tmp);
      // rows times Pᵀ: t2[i][b] (row i at t2 + i*48)
      for (let i = 0; i < 6; i++) {
        const t = tmp + <usize>(i * 96);
        const a0 = v128.load(t), a1 = v128.load(t, 16), a2 = v128.load(t, 32);
        const a3 = v128.load(t, 48), a4 = v128.load(t, 64), a5 = v128.load(t, 80);
        const q = t2 + <usize>(i * 48);
        v128.store(q, p0(a0, a1, a2, a3, a4));
        v128.store(q, p1(a1, a2, a3, a4), 16);
        v128.store(q, p2(a1, a2, a3, a4, a5), 32);
      }
      // P over the rows
      for (let b = 0; b < 3; b++) {
        const t = t2 + <usize>(b << 4);
        const a0 = v128.load(t), a1 = v128.load(t, 48), a2 = v128.load(t, 96);
        const a3 = v128.load(t, 144), a4 = v128.load(t, 192), a5 = v128.load(t, 240);
        const o = dw + (<usize>(b * C + c) * <usize>K << 2) + (<usize>k << 2);
        v128.store(o, p0(a0, a1, a2, a3, a4));
        v128.store(o + 3 * tap, p1(a1, a2, a3, a4));
        v128.store(o + 6 * tap, p2(a1, a2, a3, a4, a5));
      }
    }
  }
}
