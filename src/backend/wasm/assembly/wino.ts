import { WinoFwdArgs, WinoGeometry } from '../layout';
import { argI, argP, epilogue4, param } from './common';
import { MR, mk6x8, setTile } from './gemm';

// Winograd F(2x2, 3x3) for 3x3, stride-1, dilation-1 convolutions over NHWC input (C and K
// multiples of 4). The output is cut into 2x2 tiles; each tile reads a 4x4 input patch.
// Per chunk of Tc tiles: V[xi] (Tc x C) = Bᵀ d B for the 16 positions xi, then 16 GEMMs
// M[xi] (Tc x K) = V[xi] · U[xi] with U = G g Gᵀ packed by the caller as ceil(K/8) panels of
// (C x 8) per xi, then Y = Aᵀ M A. Every tile is computed by the same operations whatever chunk
// or thread it falls in, so results do not depend on the thread count.
// The geometry is a WinoGeometry block at `ip` (../layout.ts): C = inC, K = outC.
//   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   Aᵀ = [1 1 1 0; 0 1 -1 -1]


/**
 * V[xi][row] (at vr + xi*vStride) = Bᵀ d B for the 4x4 input patch of tile g (all C channels);
 * patch pixels outside the input read the zero row. ptrs: 64 bytes of scratch.
 */
// @ts-ignore: decorator
@inline export function inputTile(x: usize, zero: usize, ptrs: usize, g: i32, tH: i32, tW: i32, H: i32, W: i32, C: i32,
  pT: i32, pL: i32, vr: usize, vStride: usize): void {
  const ldv = <usize>C << 2;
  const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
  const ih0 = 2 * th - pT, iw0 = 2 * tw - pL;
  for (let i = 0; i < 4; i++) {
    const ih = ih0 + i;
    const rowOk = ih >= 0 && ih < H;
    const base = x + (<usize>((n * H + ih) * W + iw0) * <usize>C << 2);
    for (let j = 0; j < 4; j++) {
      const iw = iw0 + j;
      store<usize>(ptrs + (<usize>(i * 4 + j) << 2), rowOk && iw >= 0 && iw < W ? base + <usize>j * ldv : zero);
    }
  }
  for (let c = 0; c < C; c += 4) {
    const o = <usize>c << 2;
    // rows of d B
    let a0 = v128.load(load<usize>(ptrs) + o), a1 = v128.load(load<usize>(ptrs, 4) + o);
    let a2 = v128.load(load<usize>(ptrs, 8) + o), a3 = v128.load(load<usize>(ptrs, 12) + o);
    const r00 = f32x4.sub(a0, a2), r01 = f32x4.add(a1, a2), r02 = f32x4.sub(a2, a1), r03 = f32x4.sub(a1, a3);
    a0 = v128.load(load<usize>(ptrs, 16) + o); a1 = v128.load(load<usize>(ptrs, 20) + o);
    a2 = v128.load(load<usize>(ptrs, 24) + o); a3 = v128.load(load<usize>(ptrs, 28) + o);
    const r10 = f32x4.sub(a0, a2), r11 = f32x4.add(a1, a2), r12 = f32x4.sub(a2, a1), r13 = f32x4.sub(a1, a3);
    a0 = v128.load(load<usize>(ptrs, 32) + o); a1 = v128.load(load<usize>(ptrs, 36) + o);
    a2 = v128.load(load<usize>(ptrs, 40) + o); a3 = v128.load(load<usize>(ptrs, 44) + o);
    const r20 = f32x4.sub(a0, a2), r21 = f32x4.add(a1, a2), r22 = f32x4.sub(a2, a1), r23 = f32x4.sub(a1, a3);
    const d = vr + o;
    // Bᵀ (d B): rows 0 and 3 need row 3 of d B; compute it last to keep fewer values live
    v128.store(d + 4 * vStride, f32x4.add(r10, r20));
    v128.store(d + 5 * vStride, f32x4.add(r11, r21));
    v128.store(d + 6 * vStride, f32x4.add(r12, r22));
    v128.store(d + 7 * vStride, f32x4.add(r13, r23));
    v128.store(d + 8 * vStride, f32x4.sub(r20, r10));
    v128.store(d + 9 * vStride, f32x4.sub(r21, r11));
    v128.store(d + 10 * vStride, f32x4.sub(r22, r12));
    v128.store(d + 11 * vStride, f32x4.sub(r23, r13));
    v128.store(d, f32x4.sub(r00, r20));
    v128.store(d + vStride, f32x4.sub(r01, r21));
    v128.store(d + 2 * vStride, f32x4.sub(r02, r22));
    v128.store(d + 3 * vStride, f32x4.sub(r03, r23));
    a0 = v128.load(load<usize>(ptrs, 48) + o); a1 = v128.load(load<usize>(ptrs, 52) + o);
    a2 = v128.load(load<usize>(ptrs, 56) + o); a3 = v128.load(load<usize>(ptrs, 60) + o);
    v128.store(d + 12 * vStride, f32x4.sub(r10, f32x4.sub(a0, a2)));
    v128.store(d + 13 * vStride, f32x4.sub(r11, f32x4.add(a1, a2)));
    v128.store(d + 14 * vStride, f32x4.sub(r12, f32x4.sub(a2, a1)));
    v128.store(d + 15 * vStride, f32x4.sub(r13, f32x4.sub(a1, a3)));
  }
}

/** Scratch bytes per thread: zero row, 16 patch pointers, V and M for Tc tiles. */
/**
 * M[xi] (cnt x K) = V[xi] (cnt x C) · U[xi] for the a² positions xi of a chunk: V[xi] at
 * V + xi*vStride (row stride C floats), U[xi] at up + xi*uStride as ceil(K/8) panels of (C x 8),
 * M[xi] at M + xi*mStride (row stride K floats). Shared by F(2x2, 3x3) and F(4x4, 3x3).
 */
// @ts-ignore: decorator
@inline export function positionGemms(positions: i32, cnt: i32, V: usize, vStride: usize, up: usize, uStride: usize,
  M: usize, mStride: usize, C: i32, K: i32): void {
  const ldv = <usize>C << 2, ldm = <usize>K << 2;
  const panels = (K + 7) >> 3;
  for (let xi = 0; xi < positions; xi++) {
    const vx = V + <usize>xi * vStride, mx = M + <usize>xi * mStride, ux = up + <usize>xi * uStride;
    for (let i = 0; i < cnt; i += MR) {
      const mr = min(MR, cnt - i);
      const ai = vx + <usize>i * ldv;
      const ci = mx + <usize>i * ldm;
      for (let p = 0; p < panels; p++) {
        setTile(mr, min(8, K - (p << 3)), 0);
        mk6x8(ai, ldv, 4, ux + <usize>p * <usize>C * 32, C, ci + (<usize>p << 5), ldm);
      }
    }
  }
}

export function wino_scratch(C: i32, K: i32, Tc: i32): i32 {
  return (C << 2) + 64 + 64 + 16 * Tc * (C + K) * 4 + 64;
}

/**
 * Output tiles of chunks [k0, k1) (chunk = Tc consecutive tiles over the batch, Tc a multiple
 * of 6) of y = conv(x, g), U the packed transformed kernel.
 */
export function wino_fwd(args: usize): void {
  const ip = argP(args, WinoFwdArgs.geometry);
  const x = argP(args, WinoFwdArgs.x);
  const up = argP(args, WinoFwdArgs.packedU);
  const y = argP(args, WinoFwdArgs.y);
  const k0 = argI(args, WinoFwdArgs.chunkStart);
  const k1 = argI(args, WinoFwdArgs.chunkEnd);
  const Tc = argI(args, WinoFwdArgs.chunkTiles);
  const scratch = argP(args, WinoFwdArgs.scratch);
  const bias = argP(args, WinoFwdArgs.bias), relu = argI(args, WinoFwdArgs.relu);
  const epi = bias != 0 || relu != 0;
  const N = param(ip, WinoGeometry.batch), H = param(ip, WinoGeometry.inH), W = param(ip, WinoGeometry.inW);
  const C = param(ip, WinoGeometry.inC), oH = param(ip, WinoGeometry.outH), oW = param(ip, WinoGeometry.outW);
  const K = param(ip, WinoGeometry.outC);
  const pT = param(ip, WinoGeometry.padTop), pL = param(ip, WinoGeometry.padLeft);
  const tH = (oH + 1) >> 1, tW = (oW + 1) >> 1;
  const total = N * tH * tW;
  const zero = scratch;
  memory.fill(zero, 0, <usize>C << 2);
  const ptrs = (zero + (<usize>C << 2) + 63) & ~<usize>63;
  const V = ptrs + 64;
  const vStride = <usize>Tc * <usize>C << 2; // bytes between V[xi]
  const M = V + 16 * vStride;
  const mStride = <usize>Tc * <usize>K << 2;
  const panels = (K + 7) >> 3;
  const uStride = <usize>C * <usize>(panels << 5);
  const ldv = <usize>C << 2, ldm = <usize>K << 2;
  for (let ch = k0; ch < k1; ch++) {
    const g0 = ch * Tc;
    const cnt = min(Tc, total - g0);
    if (cnt <= 0) break;
    for (let r = 0; r < cnt; r++) inputTile(x, zero, ptrs, g0 + r, tH, tW, H, W, C, pT, pL, V + <usize>r * ldv, vStride);
    positionGemms(16, cnt, V, vStride, up, uStride, M, mStride, C, K);
    // output transform
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      const oh = 2 * th, ow = 2 * tw;
      const y0 = y + (<usize>((n * oH + oh) * oW + ow) * <usize>K << 2);
      const y1 = y0 + (<usize>oW * <usize>K << 2);
      const right = ow + 1 < oW, down = oh + 1 < oH;
      const mr = M + <usize>r * ldm;
      for (let k = 0; k < K; k += 4) {
        const m = mr + (<usize>k << 2);
        // rows of M A
        let a0 = v128.load(m), a1 = v128.load(m + mStride), a2 = v128.load(m + 2 * mStride), a3 = v128.load(m + 3 * mStride);
        const s00 = f32x4.add(f32x4.add(a0, a1), a2), s01 = f32x4.sub(f32x4.sub(a1, a2), a3);
        a0 = v128.load(m + 4 * mStride); a1 = v128.load(m + 5 * mStride);
        a2 = v128.load(m + 6 * mStride); a3 = v128.load(m + 7 * mStride);
        const s10 = f32x4.add(f32x4.add(a0, a1), a2), s11 = f32x4.sub(f32x4.sub(a1, a2), a3);
        a0 = v128.load(m + 8 * mStride); a1 = v128.load(m + 9 * mStride);
        a2 = v128.load(m + 10 * mStride); a3 = v128.load(m + 11 * mStride);
        const s20 = f32x4.add(f32x4.add(a0, a1), a2), s21 = f32x4.sub(f32x4.sub(a1, a2), a3);
        a0 = v128.load(m + 12 * mStride); a1 = v128.load(m + 13 * mStride);
        a2 = v128.load(m + 14 * mStride); a3 = v128.load(m + 15 * mStride);
        const s30 = f32x4.add(f32x4.add(a0, a1), a2), s31 = f32x4.sub(f32x4.sub(a1, a2), a3);
        const o = <usize>k << 2;
        let v00 = f32x4.add(f32x4.add(s00, s10), s20), v01 = f32x4.add(f32x4.add(s01, s11), s21);
        let v10 = f32x4.sub(f32x4.sub(s10, s20), s30), v11 = f32x4.sub(f32x4.sub(s11, s21), s31);
        if (epi) {
          const bk = bias != 0 ? v128.load(bias + o) : f32x4.splat(0);
          v00 = epilogue4(v00, bk, relu); v01 = epilogue4(v01, bk, relu);
          v10 = epilogue4(v10, bk, relu); v11 = epilogue4(v11, bk, relu);
        }
        v128.store(y0 + o, v00);
        if (right) v128.store(y0 + o + (<usize>K << 2), v01);
        if (down) {
          v128.store(y1 + o, v10);
          if (right) v128.store(y1 + o + (<usize>K << 2), v11);
        }
      }
    }
  }
}
