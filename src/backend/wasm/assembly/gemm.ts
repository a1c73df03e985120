import { PackBArgs } from '../layout';
import { argI, argP, madd } from './common';

// GEMM micro-kernels: a 6x8 register-blocked tile (12 f32x4 accumulators) over strided A and
// packed (kc x 8) B panels, its indirect-A variant for convolutions, and B packing. The driver is
// in gemm_driver.ts, the tiles that read B in place or cover 4 rows in gemm_tiles.ts.
// Every output element is computed by the same sequence of multiply-adds whichever thread or
// tile edge it falls in, so results do not depend on the thread count.

/** 192 bytes of per-thread scratch for partial tiles (a global is per instance, so per thread). */
let tileTmp: usize = 0;
/** Valid rows (bits 0-3), valid columns (bits 4-7) and accumulate (bit 8) of the next tile. */
let gFlags: i32 = 0;

/** Sets this instance's (thread's) tile scratch address. */
export function set_tile_tmp(p: usize): void {
  tileTmp = p;
}

/** Sets the tile flags for the next mk6x8 calls: valid rows, valid columns, accumulate into C. */
// @ts-ignore: decorator
@inline export function setTile(mr: i32, nr: i32, acc: i32): void {
  gFlags = mr | (nr << 4) | (acc ? 256 : 0);
}

/** For JS tests of the micro-kernel. */
export function set_tile(mr: i32, nr: i32, acc: i32): void {
  setTile(mr, nr, acc);
}

/** This thread's tile flags (setTile) and partial-tile scratch, for the other micro-kernels. */
// @ts-ignore: decorator
@inline export function tileFlags(): i32 {
  return gFlags;
}

// @ts-ignore: decorator
@inline export function tileScratch(): usize {
  return tileTmp;
}

// @ts-ignore: decorator
@inline export function storeTile(c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  c40: v128, c41: v128, c50: v128, c51: v128, pc: usize, ldc: usize): void {
  const flags = gFlags;
  const mr = flags & 15, nr = (flags >> 4) & 15, acc = flags & 256;
  if (mr == 6 && nr == 8) {
    const q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc, q4 = q3 + ldc, q5 = q4 + ldc;
    if (acc) {
      c00 = f32x4.add(v128.load(pc), c00); c01 = f32x4.add(v128.load(pc, 16), c01);
      c10 = f32x4.add(v128.load(q1), c10); c11 = f32x4.add(v128.load(q1, 16), c11);
      c20 = f32x4.add(v128.load(q2), c20); c21 = f32x4.add(v128.load(q2, 16), c21);
      c30 = f32x4.add(v128.load(q3), c30); c31 = f32x4.add(v128.load(q3, 16), c31);
      c40 = f32x4.add(v128.load(q4), c40); c41 = f32x4.add(v128.load(q4, 16), c41);
      c50 = f32x4.add(v128.load(q5), c50); c51 = f32x4.add(v128.load(q5, 16), c51);
    }
    v128.store(pc, c00); v128.store(pc, c01, 16);
    v128.store(q1, c10); v128.store(q1, c11, 16);
    v128.store(q2, c20); v128.store(q2, c21, 16);
    v128.store(q3, c30); v128.store(q3, c31, 16);
    v128.store(q4, c40); v128.store(q4, c41, 16);
    v128.store(q5, c50); v128.store(q5, c51, 16);
    return;
  }
  const tmp = tileTmp;
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
  v128.store(tmp, c40, 128); v128.store(tmp, c41, 144);
  v128.store(tmp, c50, 160); v128.store(tmp, c51, 176);
  for (let i = 0; i < mr; i++) {
    const row = pc + <usize>i * ldc;
    const t = tmp + (<usize>i << 5);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      let v = load<f32>(t + o);
      if (acc) v += load<f32>(row + o);
      store<f32>(row + o, v);
    }
  }
}

/**
 * C[0:mr, 0:nr] (=|+=) A·B for one 6x8 tile (12 f32x4 accumulators), mr/nr/acc from setTile.
 * A(i, k) at pa + i*ars + k*acs (bytes; all 6 rows must be readable: pad partial slivers);
 * B packed as (kc x 8) at pb; C(i, j) at pc + i*ldc + j*4.
 * (Kept to few live values: V8 spills in the loop with more, costing a third of the speed.)
 */
export function mk6x8(pa: usize, ars: usize, acs: usize, pb: usize, kc: i32, pc: usize, ldc: usize): void {
  mk6x8b(pa, ars, acs, pb, 32, kc, pc, ldc);
}

/**
 * C[0:mr, 0:nr] (=|+=) A·B for a 6x8 tile; A(i, k) at pa + i*ars + k*acs, B(k, 0:8) at pb + k*bs
 * (bytes), C(i, j) at pc + i*ldc + j*4; mr/nr/acc from setTile.
 */
export function mk6x8b(pa: usize, ars: usize, acs: usize, pb: usize, bs: usize, kc: i32, pc: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const r2 = ars * 2, r3 = ars * 3, r4 = ars * 4, r5 = ars * 5;
  let a = pa, b = pb;
  const end = pb + <usize>kc * bs;
  while (b < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a + ars);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a + r2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a + r3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a + r4);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a + r5);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += acs; b += bs;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, pc, ldc);
}

/**
 * mk6x8 with contiguous A rows at arbitrary offsets: row i starts at pa + ri (r0 = 0; offsets wrap
 * modulo 2^32, so rows may lie before pa). Used by the indirect convolution.
 */
export function mk6x8o(pa: usize, r1: usize, r2: usize, r3: usize, r4: usize, r5: usize, pb: usize, kc: i32,
  pc: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let a = pa, b = pb;
  const end = pb + (<usize>kc << 5);
  while (b < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a + r1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a + r2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a + r3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a + r4);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a + r5);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 4; b += 32;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, pc, ldc);
}
/**
 * Four vectors of 4 floats at p, p + stride, p + 2*stride, p + 3*stride (columns j, k along the
 * lanes) stored as 4 rows k of the 4 columns j at q, q + 32, q + 64, q + 96 (a panel's row pitch).
 */
// @ts-ignore: decorator
@inline function transpose4(p: usize, stride: usize, q: usize): void {
  const v0 = v128.load(p), v1 = v128.load(p + stride), v2 = v128.load(p + 2 * stride), v3 = v128.load(p + 3 * stride);
  const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(q, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(q, f32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(q, f32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(q, f32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

/**
 * Packs B(k, n0:n0+nc) for k in [0, kc) into ceil(nc/8) panels of (kc x 8), zero-padding the last.
 * B(k, n) at pb + k*brs + n*bcs (bytes).
 */
export function packB(pb: usize, brs: usize, bcs: usize, kc: i32, nc: i32, dst: usize): void {
  const panels = (nc + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const n = p << 3;
    const w = min(8, nc - n);
    const d = dst + <usize>p * <usize>kc * 32;
    const src = pb + <usize>n * bcs;
    if (w == 8 && bcs == 4) {
      for (let k = 0; k < kc; k++) {
        const s = src + <usize>k * brs;
        v128.store(d + (<usize>k << 5), v128.load(s));
        v128.store(d + (<usize>k << 5), v128.load(s, 16), 16);
      }
    } else if (w == 8 && brs == 4) {
      // transposed B: column n is contiguous along k; 4 k of 8 columns as two 4x4 transposes
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const s0 = src + (<usize>k << 2);
        const q = d + (<usize>k << 5);
        transpose4(s0, bcs, q);
        transpose4(s0 + 4 * bcs, bcs, q + 16);
      }
      for (; k < kc; k++) {
        for (let j = 0; j < 8; j++) {
          store<f32>(d + (<usize>k << 5) + (<usize>j << 2), load<f32>(src + <usize>j * bcs + (<usize>k << 2)));
        }
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const q = d + (<usize>k << 5);
        const s = src + <usize>k * brs;
        for (let j = 0; j < 8; j++) {
          store<f32>(q + (<usize>j << 2), j < w ? load<f32>(s + <usize>j * bcs) : 0);
        }
      }
    }
  }
}

/** Rows of the micro-tile: thread splits fall on multiples of it. */
export const MR: i32 = 6;

/** Copies an A sliver of mr < 6 rows into (kc x 6) layout, zero-padding the missing rows. */
export function packSliver(a: usize, ars: usize, acs: usize, mr: i32, kc: i32, dst: usize): void {
  if (mr == 6 && ars == 4) {
    // a transposed A: the sliver's 6 rows are contiguous at each k
    for (let k = 0; k < kc; k++) {
      const s = a + <usize>k * acs;
      const d = dst + <usize>k * 24;
      v128.store(d, v128.load(s));
      store<u64>(d + 16, load<u64>(s + 16));
    }
    return;
  }
  for (let k = 0; k < kc; k++) {
    const d = dst + <usize>k * 24;
    const s = a + <usize>k * acs;
    for (let i = 0; i < 6; i++) store<f32>(d + (<usize>i << 2), i < mr ? load<f32>(s + <usize>i * ars) : 0);
  }
}

/** packB for JavaScript callers, from a PackBArgs block. */
export function pack_b(args: usize): void {
  packB(argP(args, PackBArgs.b), argP(args, PackBArgs.rowStride), argP(args, PackBArgs.colStride),
    argI(args, PackBArgs.rows), argI(args, PackBArgs.cols), argP(args, PackBArgs.dst));
}
