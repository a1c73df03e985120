import { GemmArgs } from '../layout';
import { argI, argP, zeroF } from './common';
import { MR, mk6x8, mk6x8b, packB, packSliver, setTile } from './gemm';
import { mk4x8 } from './gemm_tiles';

// The GEMM driver: k-blocks of at most KC_MAX, column blocks of NC_MAX, B packed into (kc x 8)
// panels walked by 6-row slivers of A; short row ranges of a row-major product read B in place.
// Every output element gets the same multiply-add sequence whichever tile, thread or path
// computes it, so results do not depend on the thread count.

const KC_MAX: i32 = 384;
const NC_MAX: i32 = 512;
/**
 * Row ranges of at most this many rows (a dense layer's batch) read a row-major B in place:
 * packing B costs as much as a quarter of the product when each B element is used only M times.
 */
const DIRECT_MAX_ROWS: i32 = 48;
/**
 * ... while B's rows are shorter than a 4 KiB page: longer rows put every k of a panel on its own
 * page (and at 4 KiB in one L1 set): 32x784x1024 ran at 32 GFLOP/s in place, 41-49 below it.
 */
const DIRECT_MAX_ROW_BYTES: usize = 4096;

/** The k-block size: depends only on K, so results never depend on how work was split. */
// @ts-ignore: decorator
@inline export function kcFor(K: i32): i32 {
  const blocks = (K + KC_MAX - 1) / KC_MAX;
  return (K + blocks - 1) / blocks;
}

/** Scratch bytes gemm needs for a K-deep product over nc columns. */
export function gemm_scratch(K: i32, nc: i32): i32 {
  const kc = kcFor(max(K, 1));
  return kc * (((min(nc, NC_MAX) + 7) >> 3) << 5) + kc * 24 + 64;
}

/**
 * Rows of the tile that starts `rem` rows before the end of a row range: 6, but 4 for the last 8
 * or 4 rows (M = 6q + 2 or 6q + 4, as at batches 32 and 128: no tile over zero-padded rows).
 * 1, 2, 3 or 5 rows: a partial 6-row tile over a zero-padded copy of the sliver.
 */
// @ts-ignore: decorator
@inline function tileRows(rem: i32): i32 {
  return rem == 8 || rem == 4 ? 4 : min(MR, rem);
}

/**
 * C[m0:m1, n0:n1] (=|+=) A·B with A(i, k) at a + i*ars + k*acs, B(k, n) at b + k*brs + n*bcs,
 * C(i, j) at c + i*ldc + j*4 (bytes). scratch: gemmScratch(K, n1 - n0) bytes.
 */
export function gemm(args: usize): void {
  const m0 = argI(args, GemmArgs.rowStart);
  const m1 = argI(args, GemmArgs.rowEnd);
  const n0 = argI(args, GemmArgs.colStart);
  const n1 = argI(args, GemmArgs.colEnd);
  const K = argI(args, GemmArgs.depth);
  const a = argP(args, GemmArgs.a);
  const ars = argP(args, GemmArgs.aRowStride);
  const acs = argP(args, GemmArgs.aColStride);
  const b = argP(args, GemmArgs.b);
  const brs = argP(args, GemmArgs.bRowStride);
  const bcs = argP(args, GemmArgs.bColStride);
  const c = argP(args, GemmArgs.c);
  const ldc = argP(args, GemmArgs.cRowStride);
  const accumulate = argI(args, GemmArgs.accumulate);
  const scratch = argP(args, GemmArgs.scratch);
  if (m1 <= m0 || n1 <= n0) return;
  if (K == 0) {
    if (!accumulate) for (let i = m0; i < m1; i++) zeroF(c + <usize>i * ldc + (<usize>n0 << 2), n1 - n0);
    return;
  }
  const direct = bcs == 4 && acs == 4 && m1 - m0 <= DIRECT_MAX_ROWS && ((n1 - n0) & 7) == 0
    && brs < DIRECT_MAX_ROW_BYTES;
  const kc0 = kcFor(K);
  for (let pk = 0; pk < K; pk += kc0) {
    const kc = min(kc0, K - pk);
    const acc = accumulate || pk > 0 ? 1 : 0;
    for (let jn = n0; jn < n1; jn += NC_MAX) {
      const nc = min(NC_MAX, n1 - jn);
      if (direct) directBlock(a + <usize>pk * 4, ars, b + <usize>pk * brs + (<usize>jn << 2), brs,
        c + (<usize>jn << 2), ldc, m0, m1, kc, nc >> 3, acc, scratch);
      else packedBlock(a + <usize>pk * acs, ars, acs, b + <usize>pk * brs + <usize>jn * bcs, brs, bcs,
        c + (<usize>jn << 2), ldc, m0, m1, kc, nc, acc, scratch);
    }
  }
}

/**
 * One (kc x nc) block with B packed: per sliver of A, every panel (the sliver stays in L1).
 * a, b, c point at the block's first k and column.
 */
function packedBlock(a: usize, ars: usize, acs: usize, b: usize, brs: usize, bcs: usize, c: usize, ldc: usize,
  m0: i32, m1: i32, kc: i32, nc: i32, acc: i32, bp: usize): void {
  packB(b, brs, bcs, kc, nc, bp);
  const panels = (nc + 7) >> 3;
  const ap = bp + <usize>kc * <usize>(panels << 5);
  for (let i = m0; i < m1;) {
    const mr = tileRows(m1 - i);
    let ai = a + <usize>i * ars;
    let rs = ars, ks = acs;
    // partial slivers, and slivers of a transposed A whose k stride is long (a dense layer's
    // input gradient by rows: 36 KiB, every k in the same L1 set), are copied once per k-block
    if ((mr != MR && mr != 4) || (acs >= 1024 && panels > 1)) {
      packSliver(ai, ars, acs, mr, kc, ap);
      ai = ap; rs = 4; ks = 24;
    }
    const ci = c + <usize>i * ldc;
    for (let p = 0; p < panels; p++) {
      setTile(mr, min(8, nc - (p << 3)), acc);
      const bpp = bp + <usize>p * <usize>kc * 32;
      if (mr == 4) mk4x8(ai, rs, ks, bpp, 32, kc, ci + (<usize>p << 5), ldc);
      else mk6x8(ai, rs, ks, bpp, kc, ci + (<usize>p << 5), ldc);
    }
    i += mr;
  }
}

/**
 * One (kc x 8*panels) block of a row-major A (k stride 4) and row-major B read in place: per
 * 8-column panel of B (kept in L1), every sliver of A. A partial last sliver is copied once.
 */
function directBlock(a: usize, ars: usize, b: usize, brs: usize, c: usize, ldc: usize, m0: i32, m1: i32, kc: i32,
  panels: i32, acc: i32, ap: usize): void {
  for (let p = 0; p < panels; p++) {
    const bpp = b + (<usize>p << 5);
    const cp = c + (<usize>p << 5);
    for (let i = m0; i < m1;) {
      const mr = tileRows(m1 - i);
      const ai = a + <usize>i * ars;
      const ci = cp + <usize>i * ldc;
      setTile(mr, 8, acc);
      if (mr == MR) mk6x8b(ai, ars, 4, bpp, brs, kc, ci, ldc);
      else if (mr == 4) mk4x8(ai, ars, 4, bpp, brs, kc, ci, ldc);
      else {
        if (p == 0) packSliver(ai, ars, 4, mr, kc, ap);
        mk6x8b(ap, 4, 24, bpp, brs, kc, ci, ldc);
      }
      i += mr;
    }
  }
}
