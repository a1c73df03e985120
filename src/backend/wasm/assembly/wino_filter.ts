import { WinoFilterArgs, WinoFilterOutArgs, WinoGeometry } from '../layout';
import { argI, argP, param } from './common';
import { MR, mk6x8, setTile } from './gemm';
import { mk4x8 } from './gemm_tiles';
import { inputTile } from './wino';

// Filter gradient of a 3x3, stride-1, dilation-1 convolution by Winograd F(3x3, 2x2): for each
// 2x2 tile of dy and the 4x4 input patch under it, dw (3x3) = Aᵀ[(G e Gᵀ) ⊙ (Bᵀ d B)]A, with the
// same Bᵀ as wino_fwd (rows 1-3 signs chosen so that G's last row is [0, -1]):
//   G = [1 0; 1/2 1/2; 1/2 -1/2; 0 -1]   Aᵀ = [1 1 1 0; 0 1 -1 0; 0 1 1 1]
// The products are summed over all tiles in the transformed domain, 16 accumulated GEMMs
// acc[xi] (C x K) += V[xi]ᵀ · E[xi], and transformed back once at the end. The tiles are taken
// in chunks of Tc (a function of the shapes only) in the same order by every thread; threads split
// the output channels, so the result does not depend on the thread count.
// The geometry is a WinoGeometry block at `ip` (../layout.ts): C = inC, K = outC.


/** Scratch bytes per thread (the accumulators live in a separate block, 16*C*round8(K) floats per slice). */
export function wino_filter_scratch(C: i32, K: i32, Tc: i32): i32 {
  const panels = (K + 7) >> 3;
  return (max(C, K) << 2) + 64 + 64 + 64 + 16 * Tc * C * 4 + 16 * panels * Tc * 32 + 256;
}

/**
 * Slices [s0, s1) of S (slice s = tiles [total*s/S, total*(s+1)/S) over the batch): accumulates
 * slice s into acc[s] = accs + s*16*C*round8(K) floats, layout [xi][c][round8(K)].
 * x (N, H, W, C), dy (N, oH, oW, K).
 */
export function wino_filter(args: usize): void {
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
  const tH = (oH + 1) >> 1, tW = (oW + 1) >> 1;
  const total = N * tH * tW;
  const Kt = K;
  const panels = (Kt + 7) >> 3;
  const zero = scratch;
  memory.fill(zero, 0, <usize>max(C, K) << 2);
  const ptrs = (zero + (<usize>max(C, K) << 2) + 63) & ~<usize>63;
  const eptrs = ptrs + 64;
  const V = eptrs + 64;
  const vStride = <usize>Tc * <usize>C << 2;
  const E = V + 16 * vStride;
  const pStride = <usize>Tc << 5; // bytes per (Tc x 8) panel
  const eStride = <usize>panels * pStride;
  const ldc = <usize>panels << 5;
  const accStride = <usize>C * ldc;
  const ldv = <usize>C << 2;
  const z = f32x4.splat(0), half = f32x4.splat(0.5);
  for (let sl = s0; sl < s1; sl++) {
    const acc = accs + <usize>sl * 16 * accStride;
    const gEnd = <i32>(<i64>total * (sl + 1) / S);
    let first = 1;
    if (gEnd <= <i32>(<i64>total * sl / S)) memory.fill(acc, 0, accStride << 4);
    for (let g0 = <i32>(<i64>total * sl / S); g0 < gEnd; g0 += Tc) {
      const cnt = min(Tc, gEnd - g0);
      for (let r = 0; r < cnt; r++) {
        const g = g0 + r;
        inputTile(x, zero, ptrs, g, tH, tW, H, W, C, pT, pL, V + <usize>r * ldv, vStride);
        // the 2x2 block of dy under the tile (zero outside)
        const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
        const oh = 2 * th, ow = 2 * tw;
        const e0 = dy + (<usize>(((n * oH + oh) * oW + ow) * K) << 2);
        const right = ow + 1 < oW, down = oh + 1 < oH;
        const e1 = e0 + (<usize>oW * <usize>K << 2);
        store<usize>(eptrs, e0);
        store<usize>(eptrs, right ? e0 + (<usize>K << 2) : zero, 4);
        store<usize>(eptrs, down ? e1 : zero, 8);
        store<usize>(eptrs, down && right ? e1 + (<usize>K << 2) : zero, 12);
        const er = E + (<usize>r << 5);
        for (let k = 0; k < Kt; k += 4) {
          const o = <usize>k << 2;
          const a00 = v128.load(load<usize>(eptrs) + o), a01 = v128.load(load<usize>(eptrs, 4) + o);
          const a10 = v128.load(load<usize>(eptrs, 8) + o), a11 = v128.load(load<usize>(eptrs, 12) + o);
          const d = er + <usize>(k >> 3) * pStride + <usize>((k & 7) << 2);
          // rows of G e: t0 = e0, t1 = (e0 + e1)/2, t2 = (e0 - e1)/2, t3 = -e1; then (G e) Gᵀ per row
          colStore(d, a00, a01, half, eStride, 0);
          const t10 = f32x4.mul(f32x4.add(a00, a10), half), t11 = f32x4.mul(f32x4.add(a01, a11), half);
          colStore(d, t10, t11, half, eStride, 4);
          const t20 = f32x4.mul(f32x4.sub(a00, a10), half), t21 = f32x4.mul(f32x4.sub(a01, a11), half);
          colStore(d, t20, t21, half, eStride, 8);
          colStore(d, f32x4.neg(a10), f32x4.neg(a11), half, eStride, 12);
          if (k + 4 == Kt && (Kt & 7) != 0) {
            for (let xi = 0; xi < 16; xi++) v128.store(d + <usize>xi * eStride, z, 16);
          }
        }
      }
      // acc[xi] (C x 8*panels) (=|+=) V[xi]ᵀ (C x cnt) · E[xi] (cnt x 8*panels)
      accumulatePositions(16, V, vStride, ldv, E, eStride, pStride, acc, accStride, ldc, C, panels, cnt, first);
      first = 0;
    }
  }
}

/**
 * dw[:, :, c0:c1, :] (HWIO 3x3) = Aᵀ (acc[0] + acc[1] + ... + acc[S-1]) A, summed in slice order.
 */
export function wino_filter_out(args: usize): void {
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
  const sliceStride = accStride << 4;
  for (let c = c0; c < c1; c++) {
    for (let k = 0; k < K; k += 4) {
      const m0 = accs + <usize>c * ldc + (<usize>k << 2);
      // total of the slices for the 16 positions, into tmp (16 vectors, stride 16 bytes)
      for (let xi = 0; xi < 16; xi++) {
        const p = m0 + <usize>xi * accStride;
        let v = v128.load(p);
        for (let s = 1; s < S; s++) v = f32x4.add(v, v128.load(p + <usize>s * sliceStride));
        v128.store(tmp + (<usize>xi << 4), v);
      }
      for (let kw = 0; kw < 3; kw++) {
        // column kw of acc·A for rows 0-3 of the 4x4 tile, then Aᵀ over the rows
        const v0 = colA(tmp, 16, kw), v1 = colA(tmp + 64, 16, kw);
        const v2 = colA(tmp + 128, 16, kw), v3 = colA(tmp + 192, 16, kw);
        const o = (<usize>((kw * C + c) * K + k) << 2);
        v128.store(dw + o, f32x4.add(f32x4.add(v0, v1), v2));
        v128.store(dw + o + (<usize>(3 * C * K) << 2), f32x4.sub(v1, v2));
        v128.store(dw + o + (<usize>(6 * C * K) << 2), f32x4.add(f32x4.add(v1, v2), v3));
      }
    }
  }
}

/** Stores row i of (G e) Gᵀ from the two columns (a, b): [a, (a+b)/2, (a-b)/2, -b] at xi = i4..i4+3. */
// @ts-ignore: decorator
@inline function colStore(d: usize, a: v128, b: v128, half: v128, eStride: usize, i4: i32): void {
  const p = d + <usize>i4 * eStride;
  v128.store(p, a);
  v128.store(p + eStride, f32x4.mul(f32x4.add(a, b), half));
  v128.store(p + 2 * eStride, f32x4.mul(f32x4.sub(a, b), half));
  v128.store(p + 3 * eStride, f32x4.neg(b));
}

/** Column j of (row of acc)·A for 4 channels: [m0+m1+m2, m1-m2, m1+m2+m3][j], m_l at p + l*stride. */
// @ts-ignore: decorator
@inline function colA(p: usize, stride: usize, j: i32): v128 {
  const m1 = v128.load(p + stride), m2 = v128.load(p + 2 * stride);
  if (j == 0) return f32x4.add(f32x4.add(v128.load(p), m1), m2);
  if (j == 1) return f32x4.sub(m1, m2);
  return f32x4.add(f32x4.add(m1, m2), v128.load(p + 3 * stride));
}

/**
 * The filter gradient's products for one chunk of cnt tiles, at each of `positions` transform
 * positions xi: acc[xi] (C x 8*panels) (= when first, else +=) V[xi]ᵀ (C x cnt) · E[xi] (cnt x 8*panels).
 * V[xi] at V + xi*vStride (cnt rows of C, row stride ldv); E[xi] at E + xi*eStride, panel p at + p*pStride.
 */
// @ts-ignore: decorator
@inline export function accumulatePositions(positions: i32, V: usize, vStride: usize, ldv: usize, E: usize, eStride: usize,
  pStride: usize, acc: usize, accStride: usize, ldc: usize, C: i32, panels: i32, cnt: i32, first: i32): void {
  // C (a multiple of 4) = 6q + 0, 2 or 4 rows: 6-row tiles, then the last 8 or 4 rows as 4-row
  // tiles (same per-element operations as mk6x8), not 6-row tiles over missing rows (C = 32 cost 36 rows)
  const c6 = C % 6 == 2 ? C - 8 : C - C % 6;
  for (let xi = 0; xi < positions; xi++) {
    const vx = V + <usize>xi * vStride, ex = E + <usize>xi * eStride, ax = acc + <usize>xi * accStride;
    for (let c = 0; c < C; ) {
      const rows = c < c6 ? MR : min(4, C - c);
      for (let p = 0; p < panels; p++) {
        setTile(rows, 8, first ? 0 : 1);
        const pa = vx + (<usize>c << 2), pb = ex + <usize>p * pStride, pc = ax + <usize>c * ldc + (<usize>p << 5);
        if (rows == MR) mk6x8(pa, 4, ldv, pb, cnt, pc, ldc);
        else mk4x8(pa, 4, ldv, pb, 32, cnt, pc, ldc);
      }
      c += rows;
    }
  }
}
