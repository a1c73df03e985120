import { BnApplyArgs, BnGradInputArgs, BnSumsArgs } from '../layout';
import { argI, argP } from './common';

// Batch normalization over a channels-last buffer viewed as (rows, C). The per-channel sums run
// over fixed blocks of rows (blockRows, chosen by the caller from C alone): each block sums in
// float32 and stores its partials as float64 (block, 2, C), which the caller adds in block
// order, so no result depends on how blocks are split over threads.

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

// @ts-ignore: decorator
@inline function store2(partials: usize, i: i32, v: v128): void {
  // four float32 sums as float64 at partials[i .. i + 4)
  const p = partials + (<usize>i << 3);
  v128.store(p, f64x2.promote_low_f32x4(v));
  v128.store(p, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), 16);
}

/**
 * mode 0 (statistics): partials[b][0][c] = Σ (x − ref[c]), partials[b][1][c] = Σ (x − ref[c])²;
 * mode 1 (gradient sums): partials[b][0][c] = Σ dy, partials[b][1][c] = Σ dy·(x − ref[c]).
 * Blocks [blockStart, blockEnd) of blockRows rows.
 */
export function bn_sums(args: usize): void {
  const mode = argI(args, BnSumsArgs.mode);
  const x = argP(args, BnSumsArgs.x);
  const dy = argP(args, BnSumsArgs.dy);
  const ref = argP(args, BnSumsArgs.ref);
  const partials = argP(args, BnSumsArgs.partials);
  const rows = argI(args, BnSumsArgs.rows);
  const C = argI(args, BnSumsArgs.channels);
  const blockRows = argI(args, BnSumsArgs.blockRows);
  const b0 = argI(args, BnSumsArgs.blockStart);
  const b1 = argI(args, BnSumsArgs.blockEnd);
  const rs = <usize>C << 2;
  for (let b = b0; b < b1; b++) {
    const r0 = b * blockRows;
    const r1 = min(rows, r0 + blockRows);
    const out = b * 2 * C;
    let c = 0;
    for (; c + 8 <= C; c += 8) {
      const m0 = v128.load(at(ref, c)), m1 = v128.load(at(ref, c), 16);
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), q0 = f32x4.splat(0), q1 = f32x4.splat(0);
      let xp = at(x, r0 * C + c);
      if (mode == 0) {
        for (let r = r0; r < r1; r++) {
          const d0 = f32x4.sub(v128.load(xp), m0), d1 = f32x4.sub(v128.load(xp, 16), m1);
          s0 = f32x4.add(s0, d0); s1 = f32x4.add(s1, d1);
          q0 = f32x4.add(q0, f32x4.mul(d0, d0)); q1 = f32x4.add(q1, f32x4.mul(d1, d1));
          xp += rs;
        }
      } else {
        let gp = at(dy, r0 * C + c);
        for (let r = r0; r < r1; r++) {
          const g0 = v128.load(gp), g1 = v128.load(gp, 16);
          const d0 = f32x4.sub(v128.load(xp), m0), d1 = f32x4.sub(v128.load(xp, 16), m1);
          s0 = f32x4.add(s0, g0); s1 = f32x4.add(s1, g1);
          q0 = f32x4.add(q0, f32x4.mul(g0, d0)); q1 = f32x4.add(q1, f32x4.mul(g1, d1));
          xp += rs;
          gp += rs;
        }
      }
      store2(partials, out + c, s0); store2(partials, out + c + 4, s1);
      store2(partials, out + C + c, q0); store2(partials, out + C + c + 4, q1);
    }
    for (; c < C; c++) {
      const m = load<f32>(at(ref, c));
      let s: f32 = 0, q: f32 = 0;
      for (let r = r0; r < r1; r++) {
        const d = load<f32>(at(x, r * C + c)) - m;
        if (mode == 0) {
          s += d;
          q += d * d;
        } else {
          const g = load<f32>(at(dy, r * C + c));
          s += g;
          q += g * d;
        }
      }
      store<f64>(partials + (<usize>(out + c) << 3), <f64>s);
      store<f64>(partials + (<usize>(out + C + c) << 3), <f64>q);
    }
  }
}

/** y = (x − mean[c])·scale[c] + offset[c] on rows [rowStart, rowEnd); y may alias x. */
export function bn_apply(args: usize): void {
  const x = argP(args, BnApplyArgs.x);
  const mean = argP(args, BnApplyArgs.mean);
  const scale = argP(args, BnApplyArgs.scale);
  const offset = argP(args, BnApplyArgs.offset);
  const y = argP(args, BnApplyArgs.y);
  const C = argI(args, BnApplyArgs.channels);
  const r0 = argI(args, BnApplyArgs.rowStart);
  const r1 = argI(args, BnApplyArgs.rowEnd);
  for (let r = r0; r < r1; r++) {
    const xr = at(x, r * C), yr = at(y, r * C);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const d = f32x4.sub(v128.load(xr + o), v128.load(mean + o));
      v128.store(yr + o, f32x4.add(f32x4.mul(d, v128.load(scale + o)), v128.load(offset + o)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(yr + o, (load<f32>(xr + o) - load<f32>(mean + o)) * load<f32>(scale + o) + load<f32>(offset + o));
    }
  }
}

/** dx = dy·k[c] − a[c] − (x − mean[c])·b[c] on rows [rowStart, rowEnd). */
export function bn_grad_input(args: usize): void {
  const dy = argP(args, BnGradInputArgs.dy);
  const x = argP(args, BnGradInputArgs.x);
  const mean = argP(args, BnGradInputArgs.mean);
  const k = argP(args, BnGradInputArgs.k);
  const a = argP(args, BnGradInputArgs.a);
  const b = argP(args, BnGradInputArgs.b);
  const dx = argP(args, BnGradInputArgs.dx);
  const C = argI(args, BnGradInputArgs.channels);
  const r0 = argI(args, BnGradInputArgs.rowStart);
  const r1 = argI(args, BnGradInputArgs.rowEnd);
  for (let r = r0; r < r1; r++) {
    const gr = at(dy, r * C), xr = at(x, r * C), dr = at(dx, r * C);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const d = f32x4.sub(v128.load(xr + o), v128.load(mean + o));
      const t = f32x4.sub(f32x4.mul(v128.load(gr + o), v128.load(k + o)), v128.load(a + o));
      v128.store(dr + o, f32x4.sub(t, f32x4.mul(d, v128.load(b + o))));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const d = load<f32>(xr + o) - load<f32>(mean + o);
      store<f32>(dr + o, load<f32>(gr + o) * load<f32>(k + o) - load<f32>(a + o) - d * load<f32>(b + o));
    }
  }
}
