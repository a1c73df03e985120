/**
 * Batch-normalization wrappers over assembly/batch_norm.ts: the per-channel sums over fixed row
 * blocks (added here in block order, in float64), and the elementwise passes split over rows.
 */
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';

/** Rows per block of float32 partial sums: fixed, so results do not depend on the thread count. */
const BLOCK_ROWS = 256;

function rowRanges(ctx: WasmContext, rows: number, channels: number): [number, number][] {
  return splitRange(rows, 1, ctx.partsFor(rows * channels, MIN_ELEMS_PER_THREAD));
}

/** Runs bn_sums and adds the block partials: returns [Σ first, Σ second] per channel. */
function sums(ctx: WasmContext, mode: 0 | 1, px: number, pdy: number, ref: Float32Array, rows: number,
  C: number): [Float64Array, Float64Array] {
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const pref = ctx.in(ref);
  const partials = ctx.temp(blocks * 2 * C * 2);
  const ranges = splitRange(blocks, 1, ctx.partsFor(rows * C, MIN_ELEMS_PER_THREAD));
  ctx.run('bn_sums', ranges.map(([s, e]) => ({
    mode, x: px, dy: pdy, ref: pref, partials, rows, channels: C, blockRows: BLOCK_ROWS, blockStart: s, blockEnd: e,
  })));
  const p = new Float64Array(ctx.arena.buffer, partials, blocks * 2 * C);
  const first = new Float64Array(C);
  const second = new Float64Array(C);
  for (let b = 0; b < blocks; b++) {
    const o = b * 2 * C;
    for (let c = 0; c < C; c++) {
      first[c] += p[o + c];
      second[c] += p[o + C + c];
    }
  }
  return [first, second];
}

/**
 * One pass over x: sums of x − ref and (x − ref)² about the first row (ref), which keeps the
 * one-pass variance accurate when the values sit far from zero.
 */
export function batchNormStats(ctx: WasmContext, x: Float32Array, C: number, mean: Float64Array, variance: Float64Array): void {
  const rows = x.length / C;
  try {
    const px = ctx.in(x);
    const ref = x.slice(0, C);
    const [s1, s2] = sums(ctx, 0, px, 0, ref, rows, C);
    for (let c = 0; c < C; c++) {
      const d = s1[c] / rows;
      mean[c] = ref[c] + d;
      variance[c] = Math.max(0, s2[c] / rows - d * d);
    }
  } finally {
    ctx.finish();
  }
}

export function batchNormGradSums(ctx: WasmContext, dy: Float32Array, x: Float32Array, mean: Float32Array,
  sumDy: Float64Array, sumDyXc: Float64Array, C: number): void {
  try {
    const [s1, s2] = sums(ctx, 1, ctx.in(x), ctx.in(dy), mean, x.length / C, C);
    sumDy.set(s1);
    sumDyXc.set(s2);
  } finally {
    ctx.finish();
  }
}

export function batchNormApply(ctx: WasmContext, x: Float32Array, mean: Float32Array, scale: Float32Array,
  offset: Float32Array, y: Float32Array, C: number): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const pm = ctx.in(mean), ps = ctx.in(scale), po = ctx.in(offset);
    ctx.run('bn_apply', rowRanges(ctx, x.length / C, C).map(([s, e]) => ({
      x: px, mean: pm, scale: ps, offset: po, y: py, channels: C, rowStart: s, rowEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function batchNormGradInput(ctx: WasmContext, dy: Float32Array, x: Float32Array, mean: Float32Array,
  k: Float32Array, a: Float32Array, b: Float32Array, dx: Float32Array, C: number): void {
  try {
    const pdy = ctx.in(dy), px = ctx.in(x);
    const pdx = ctx.out(dx);
    const pm = ctx.in(mean), pk = ctx.in(k), pa = ctx.in(a), pb = ctx.in(b);
    ctx.run('bn_grad_input', rowRanges(ctx, x.length / C, C).map(([s, e]) => ({
      dy: pdy, x: px, mean: pm, k: pk, a: pa, b: pb, dx: pdx, channels: C, rowStart: s, rowEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}
