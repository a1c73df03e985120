import { WinoFwdArgs, WinoGeometry } from '../layout';
import { argI, argP, epilogue4, param } from './common';
import { positionGemms } from './wino';

// Winograd F(4x4, 3x3) for 3x3, stride-1, dilation-1 convolutions over NHWC input (C and K
// multiples of 4): 4x fewer multiply-adds than the direct lowering (F(2x2, 3x3): 2.25x).
// The output is cut into 4x4 tiles; each reads a 6x6 input patch. Per chunk of Tc tiles:
// V[xi] (Tc x C) = Bᵀ d B for the 36 positions xi, 36 GEMMs M[xi] (Tc x K) = V[xi] · U[xi] with
// U = G g Gᵀ packed by the caller as ceil(K/8) panels of (C x 8) per xi, then Y = Aᵀ M A.
// Interpolation points 0, ±1, ±2 (and ∞):
//   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
// Outputs whose 3x3 receptive field is all zero (padding, a blank background, relu's zeros) are
// stored as exact zeros, as a direct convolution gives them: the transforms would leave ±1e-8
// residues there (56,268 of 269,952 such outputs on seed 001's conv2, F(2x2, 3x3): none), and
// relu's mask and max pooling's tie-break would turn the positive half into gradient.
// The transforms use plain mul/add (no fused madd), and every tile goes through the same
// operations whatever chunk or thread it falls in: results do not depend on the thread count.
// The geometry is a WinoGeometry block at `ip` (../layout.ts): C = inC, K = outC.

/** Bᵀ applied to (a0..a5), written to p + l*stride for l = 0..5. */
// @ts-ignore: decorator
@inline export function bt6(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, p: usize, stride: usize): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  v128.store(p, f32x4.add(f32x4.sub(f32x4.mul(four, a0), f32x4.mul(five, a2)), a4));
  const s34 = f32x4.add(a3, a4), s12 = f32x4.add(a1, a2);
  v128.store(p + stride, f32x4.sub(s34, f32x4.mul(four, s12)));
  const d43 = f32x4.sub(a4, a3), d12 = f32x4.sub(a1, a2);
  v128.store(p + 2 * stride, f32x4.add(d43, f32x4.mul(four, d12)));
  const d42 = f32x4.sub(a4, a2), d31 = f32x4.mul(two, f32x4.sub(a3, a1));
  v128.store(p + 3 * stride, f32x4.add(d42, d31));
  v128.store(p + 4 * stride, f32x4.sub(d42, d31));
  v128.store(p + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, a1), f32x4.mul(five, a3)), a5));
}

/**
 * V[xi][row] (at vr + xi*vStride) = Bᵀ d B for the 6x6 input patch of tile g (all C channels);
 * patch pixels outside the input read the zero row (its pointers left in ptrs, 144 bytes).
 * Two passes over the channels, in place in V: the rows d B (row i of the patch is 6*C contiguous
 * floats, read as one stream, V[i*6 + j] = (d B)[i][j]), then Bᵀ over each column. Reading a row
 * whole, rather than all 36 pixels per 4 channels through 36 stored pointers, suits the hardware
 * prefetchers on inputs that do not fit the cache, as seed 001's conv2 (BENCHMARKS.md, issue 11).
 * tmp: unused (kept for callers' scratch layouts).
 */
// @ts-ignore: decorator
@inline export function inputTile6(x: usize, zero: usize, ptrs: usize, tmp: usize, g: i32, tH: i32, tW: i32, H: i32, W: i32,
  C: i32, pT: i32, pL: i32, vr: usize, vStride: usize): void {
  const ldv = <usize>C << 2;
  const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
  const ih0 = 4 * th - pT, iw0 = 4 * tw - pL;
  const end = <usize>C << 2;
  for (let i = 0; i < 6; i++) {
    const ih = ih0 + i;
    const rowOk = ih >= 0 && ih < H;
    const base = x + (<usize>((n * H + ih) * W + iw0) * <usize>C << 2);
    const pp = ptrs + <usize>(i * 24);
    for (let j = 0; j < 6; j++) {
      const iw = iw0 + j;
      store<usize>(pp + (<usize>j << 2), rowOk && iw >= 0 && iw < W ? base + <usize>j * ldv : zero);
    }
    const d = vr + <usize>(i * 6) * vStride;
    if (!rowOk) {
      // Bᵀ of a zero row is zero
      const z = f32x4.splat(0);
      for (let o: usize = 0; o < end; o += 16) {
        for (let j = 0; j < 6; j++) v128.store(d + <usize>j * vStride + o, z);
      }
      continue;
    }
    const p0 = load<usize>(pp), p1 = load<usize>(pp, 4), p2 = load<usize>(pp, 8);
    const p3 = load<usize>(pp, 12), p4 = load<usize>(pp, 16), p5 = load<usize>(pp, 20);
    for (let o: usize = 0; o < end; o += 16) {
      bt6(v128.load(p0 + o), v128.load(p1 + o), v128.load(p2 + o), v128.load(p3 + o), v128.load(p4 + o),
        v128.load(p5 + o), d + o, vStride);
    }
  }
  // Bᵀ over the rows, column by column: V[l*6 + j]
  const s6 = vStride * 6;
  for (let j = 0; j < 6; j++) {
    const d = vr + <usize>j * vStride;
    for (let o: usize = 0; o < end; o += 16) {
      const t = d + o;
      bt6(v128.load(t), v128.load(t + s6), v128.load(t + 2 * s6), v128.load(t + 3 * s6), v128.load(t + 4 * s6),
        v128.load(t + 5 * s6), t, s6);
    }
  }
}

/** Bit i*6 + j set when pixel (i, j) of the 6x6 patch behind `ptrs` (inputTile6) has a non-zero channel. */
// @ts-ignore: decorator
@inline function patchNonzero6(ptrs: usize, C: i32): u64 {
  const magnitude = i32x4.splat(0x7fffffff); // -0 counts as zero
  let bits: u64 = 0;
  for (let p = 0; p < 36; p++) {
    const px = load<usize>(ptrs + (<usize>p << 2));
    for (let c = 0; c < C; c += 4) {
      if (v128.any_true(v128.and(v128.load(px + (<usize>c << 2)), magnitude))) {
        bits |= (<u64>1) << <u64>p;
        break;
      }
    }
  }
  return bits;
}

/** Bit i*4 + j set when output (i, j) of a 4x4 tile sees only zero pixels of its patch (`patchNonzero6` bits). */
// @ts-ignore: decorator
@inline function blindOutputs(nonzero: u64): i32 {
  let out = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      // the 3x3 window at (i, j): bits 0-2, 6-8, 12-14 shifted by i*6 + j
      if (((nonzero >> <u64>(i * 6 + j)) & 0x71c7) == 0) out |= 1 << (i * 4 + j);
    }
  }
  return out;
}

/** Aᵀ applied to (m0..m5): the four values. */
// @ts-ignore: decorator
@inline function at0(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128): v128 {
  return f32x4.add(f32x4.add(m0, f32x4.add(m1, m2)), f32x4.add(m3, m4));
}

/** Scratch bytes per thread: zero row, patch pointers, transform temporaries, V and M for Tc tiles, blind-output masks. */
export function wino4_scratch(C: i32, K: i32, Tc: i32): i32 {
  return (C << 2) + 64 + 192 + 640 + 36 * Tc * (C + K) * 4 + 64 + (Tc << 2);
}

/**
 * Output tiles of chunks [k0, k1) (chunk = Tc consecutive tiles over the batch, Tc a multiple
 * of 6) of y = conv(x, g), U the packed transformed kernel (36 positions).
 */
export function wino4_fwd(args: usize): void {
  const ip = argP(args, WinoFwdArgs.geometry);
  const x = argP(args, WinoFwdArgs.x);
  const up = argP(args, WinoFwdArgs.packedU);
  const y = argP(args, WinoFwdArgs.y);
  const k0 = argI(args, WinoFwdArgs.chunkStart);
  const k1 = argI(args, WinoFwdArgs.chunkEnd);
  const Tc = argI(args, WinoFwdArgs.chunkTiles);
  const exactZeros = argI(args, WinoFwdArgs.exactZeros);
  const bias = argP(args, WinoFwdArgs.bias), relu = argI(args, WinoFwdArgs.relu);
  const epi = bias != 0 || relu != 0;
  const scratch = argP(args, WinoFwdArgs.scratch);
  const N = param(ip, WinoGeometry.batch), H = param(ip, WinoGeometry.inH), W = param(ip, WinoGeometry.inW);
  const C = param(ip, WinoGeometry.inC), oH = param(ip, WinoGeometry.outH), oW = param(ip, WinoGeometry.outW);
  const K = param(ip, WinoGeometry.outC);
  const pT = param(ip, WinoGeometry.padTop), pL = param(ip, WinoGeometry.padLeft);
  const tH = (oH + 3) >> 2, tW = (oW + 3) >> 2;
  const total = N * tH * tW;
  const zero = scratch;
  memory.fill(zero, 0, <usize>C << 2);
  const ptrs = (zero + (<usize>C << 2) + 63) & ~<usize>63;
  const tmp = ptrs + 192;
  const V = tmp + 640;
  const vStride = <usize>Tc * <usize>C << 2; // bytes between V[xi]
  const M = V + 36 * vStride;
  const mStride = <usize>Tc * <usize>K << 2;
  const blind = M + 36 * mStride; // i32 per tile of the chunk: blindOutputs()
  const panels = (K + 7) >> 3;
  const uStride = <usize>C * <usize>(panels << 5);
  const ldv = <usize>C << 2, ldm = <usize>K << 2, ldy = <usize>K << 2;
  const two = f32x4.splat(2), four = f32x4.splat(4), eight = f32x4.splat(8);
  for (let ch = k0; ch < k1; ch++) {
    const g0 = ch * Tc;
    const cnt = min(Tc, total - g0);
    if (cnt <= 0) break;
    for (let r = 0; r < cnt; r++) {
      inputTile6(x, zero, ptrs, tmp, g0 + r, tH, tW, H, W, C, pT, pL, V + <usize>r * ldv, vStride);
      store<i32>(blind + (<usize>r << 2), exactZeros ? blindOutputs(patchNonzero6(ptrs, C)) : 0);
    }
    positionGemms(36, cnt, V, vStride, up, uStride, M, mStride, C, K);
    // output transform, in place in M: the rows of M A (row i into M[i*6 + 0..3]), then Aᵀ
    // over the rows for each output column, written to y one pixel's channels after another
    const s6 = mStride * 6, endK = <usize>K << 2;
    for (let r = 0; r < cnt; r++) {
      const g = g0 + r;
      const tw = g % tW, q = g / tW, th = q % tH, n = q / tH;
      const oh = 4 * th, ow = 4 * tw;
      const rows = min(4, oH - oh), cols = min(4, oW - ow);
      const yt = y + (<usize>((n * oH + oh) * oW + ow) * <usize>K << 2);
      const yRow = <usize>oW * ldy;
      const mr = M + <usize>r * ldm;
      for (let i = 0; i < 6; i++) {
        const mi = mr + <usize>i * s6;
        for (let o: usize = 0; o < endK; o += 16) {
          const t = mi + o;
          const m0 = v128.load(t), m1 = v128.load(t + mStride), m2 = v128.load(t + 2 * mStride);
          const m3 = v128.load(t + 3 * mStride), m4 = v128.load(t + 4 * mStride), m5 = v128.load(t + 5 * mStride);
          const a12 = f32x4.add(m1, m2), s12 = f32x4.sub(m1, m2), a34 = f32x4.add(m3, m4), s34 = f32x4.sub(m3, m4);
          v128.store(t, f32x4.add(f32x4.add(m0, a12), a34));
          v128.store(t + mStride, f32x4.add(s12, f32x4.mul(two, s34)));
          v128.store(t + 2 * mStride, f32x4.add(a12, f32x4.mul(four, a34)));
          v128.store(t + 3 * mStride, f32x4.add(f32x4.add(s12, f32x4.mul(eight, s34)), m5));
        }
      }
      for (let j = 0; j < cols; j++) {
        const mj = mr + <usize>j * mStride;
        const p = yt + <usize>j * ldy;
        for (let o: usize = 0; o < endK; o += 16) {
          const t = mj + o;
          const m0 = v128.load(t), m1 = v128.load(t + s6), m2 = v128.load(t + 2 * s6);
          const m3 = v128.load(t + 3 * s6), m4 = v128.load(t + 4 * s6), m5 = v128.load(t + 5 * s6);
          const a12 = f32x4.add(m1, m2), s12 = f32x4.sub(m1, m2), a34 = f32x4.add(m3, m4), s34 = f32x4.sub(m3, m4);
          let v0 = at0(m0, m1, m2, m3, m4), v1 = f32x4.add(s12, f32x4.mul(two, s34));
          let v2 = f32x4.add(a12, f32x4.mul(four, a34)), v3 = f32x4.add(f32x4.add(s12, f32x4.mul(eight, s34)), m5);
          if (epi) {
            const bk = bias != 0 ? v128.load(bias + o) : f32x4.splat(0);
            v0 = epilogue4(v0, bk, relu); v1 = epilogue4(v1, bk, relu);
            v2 = epilogue4(v2, bk, relu); v3 = epilogue4(v3, bk, relu);
          }
          const py = p + o;
          v128.store(py, v0);
          if (rows == 4) {
            v128.store(py + yRow, v1);
            v128.store(py + 2 * yRow, v2);
            v128.store(py + 3 * yRow, v3);
          } else {
            if (rows > 1) v128.store(py + yRow, v1);
            if (rows > 2) v128.store(py + 2 * yRow, v2);
          }
        }
      }
      const zeros = load<i32>(blind + (<usize>r << 2));
      if (zeros != 0) {
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            if (((zeros >> (i * 4 + j)) & 1) == 0) continue;
            const p = yt + <usize>i * yRow + <usize>j * ldy;
            if (!epi) {
              memory.fill(p, 0, ldy);
              continue;
            }
            for (let k = 0; k < K; k += 4) {
              const bk = bias != 0 ? v128.load(bias + (<usize>k << 2)) : f32x4.splat(0);
              v128.store(p + (<usize>k << 2), epilogue4(f32x4.splat(0), bk, relu));
            }
          }
        }
      }
    }
  }
}
