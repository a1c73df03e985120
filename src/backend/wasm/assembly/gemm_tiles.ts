import { madd } from './common';
import { tileFlags, tileScratch } from './gemm';

// Micro-tiles for short GEMMs (a dense layer at batch 32: M = 32 rows). They run the same
// multiply-add sequence per output element as mk6x8 (zero, then madd over k in order, then store
// or add to C), so which tile computes an element never changes its value.
//   mk6x8b (gemm.ts): 6x8 with B read in place, row stride bs bytes: packing B costs as much
//           as a third of the product when every B element is used only M times.
//   mk4x8:  4x8, the same B access, for the last 4 or 8 rows of an M = 6q + 2 or 6q + 4
//           (batches 32 and 128) instead of a 6-row tile over zero-padded rows.

/** mk6x8b for 4 rows (mr <= 4 from setTile; all 4 rows of A must be readable). */
export function mk4x8(pa: usize, ars: usize, acs: usize, pb: usize, bs: usize, kc: i32, pc: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const r2 = ars * 2, r3 = ars * 3;
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
    a += acs; b += bs;
  }
  const flags = tileFlags();
  const mr = flags & 15, nr = (flags >> 4) & 15, acc = flags & 256;
  if (mr == 4 && nr == 8) {
    const q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc;
    if (acc) {
      c00 = f32x4.add(v128.load(pc), c00); c01 = f32x4.add(v128.load(pc, 16), c01);
      c10 = f32x4.add(v128.load(q1), c10); c11 = f32x4.add(v128.load(q1, 16), c11);
      c20 = f32x4.add(v128.load(q2), c20); c21 = f32x4.add(v128.load(q2, 16), c21);
      c30 = f32x4.add(v128.load(q3), c30); c31 = f32x4.add(v128.load(q3, 16), c31);
    }
    v128.store(pc, c00); v128.store(pc, c01, 16);
    v128.store(q1, c10); v128.store(q1, c11, 16);
    v128.store(q2, c20); v128.store(q2, c21, 16);
    v128.store(q3, c30); v128.store(q3, c31, 16);
    return;
  }
  const tmp = tileScratch();
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
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
