/** Pooling, elementwise and reduction wrappers over the wasm kernels. */
import type { BinaryOp, Pool2DInfo } from '../backend';
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';
import { PoolGeometry } from './layout';

/** Foreign (non-shared-memory) buffers smaller than this go to the JS kernel instead of being copied. */
export const SMALL = 1 << 14;

/** [imageStart, imageEnd) ranges over the batch, one per thread worth using. */
function imageRanges(ctx: WasmContext, p: Pool2DInfo): [number, number][] {
  return splitRange(p.batch, 1, ctx.partsFor(p.batch * p.inH * p.inW * p.channels, MIN_ELEMS_PER_THREAD));
}

export function maxPool(ctx: WasmContext, x: Float32Array, y: Float32Array, argmax: Int32Array, p: Pool2DInfo): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const pa = ctx.out(argmax);
    const ip = ctx.setParams(PoolGeometry, p);
    ctx.run('maxpool', imageRanges(ctx, p).map(([s, e]) => ({
      geometry: ip, x: px, y: py, argmax: pa, imageStart: s, imageEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function maxPoolBackward(ctx: WasmContext, dy: Float32Array, argmax: Int32Array, dx: Float32Array, p: Pool2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pa = ctx.in(argmax);
    const pdx = ctx.out(dx);
    const ip = ctx.setParams(PoolGeometry, p);
    ctx.run('maxpool_bwd', imageRanges(ctx, p).map(([s, e]) => ({
      geometry: ip, dy: pdy, argmax: pa, dx: pdx, imageStart: s, imageEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function avgPool(ctx: WasmContext, x: Float32Array, y: Float32Array, p: Pool2DInfo): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const ip = ctx.setParams(PoolGeometry, p);
    ctx.run('avgpool', imageRanges(ctx, p).map(([s, e]) => ({ geometry: ip, x: px, y: py, imageStart: s, imageEnd: e })));
  } finally {
    ctx.finish();
  }
}

export function avgPoolBackward(ctx: WasmContext, dy: Float32Array, dx: Float32Array, p: Pool2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const ip = ctx.setParams(PoolGeometry, p);
    ctx.run('avgpool_bwd', imageRanges(ctx, p).map(([s, e]) => ({
      geometry: ip, dy: pdy, dx: pdx, imageStart: s, imageEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

/** True when every array is in the shared memory or the work is big enough to pay for copies. */
export function worthIt(ctx: WasmContext, n: number, ...arrs: (Float32Array | Int32Array)[]): boolean {
  return n >= SMALL || arrs.every((a) => ctx.arena.owns(a));
}

/** [start, end) element ranges of an elementwise kernel, split at multiples of 16. */
function elementRanges(ctx: WasmContext, n: number): [number, number][] {
  return splitRange(n, 16, ctx.partsFor(n, MIN_ELEMS_PER_THREAD));
}

export function relu(ctx: WasmContext, x: Float32Array, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    ctx.run('relu', elementRanges(ctx, x.length).map(([s, e]) => ({ x: px, y: po, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}

export function reluGrad(ctx: WasmContext, dy: Float32Array, x: Float32Array, dx: Float32Array): void {
  try {
    const pdy = ctx.in(dy);
    const px = ctx.in(x);
    const pdx = ctx.out(dx);
    ctx.run('relu_grad', elementRanges(ctx, dy.length).map(([s, e]) => ({ dy: pdy, x: px, dx: pdx, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}

export function affine(ctx: WasmContext, x: Float32Array, scale: number, offset: number, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    ctx.run('affine', elementRanges(ctx, x.length).map(([s, e]) => ({ x: px, scale, offset, out: po, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}

export const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };

/** out = a op b, same length. */
export function binarySame(ctx: WasmContext, code: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  try {
    const pa = ctx.in(a);
    const pb = ctx.in(b);
    const po = ctx.out(out);
    ctx.run('binary', elementRanges(ctx, out.length).map(([s, e]) => ({
      op: code, a: pa, b: pb, out: po, start: s, end: e,
    })));
  } finally {
    ctx.finish();
  }
}

/** out[i] = full[i] op small[i % m] (small op full when swap). */
export function binaryBcast(ctx: WasmContext, code: number, full: Float32Array, small: Float32Array, swap: boolean,
  out: Float32Array): void {
  const m = small.length;
  try {
    const pf = ctx.in(full);
    const ps = ctx.in(small);
    const po = ctx.out(out);
    const parts = ctx.partsFor(out.length, MIN_ELEMS_PER_THREAD);
    const rows = out.length / m;
    ctx.run('binary_bcast', splitRange(rows, 1, parts).map(([s, e]) => ({
      op: code, full: pf, small: ps, smallLength: m, swap: swap ? 1 : 0, out: po, start: s * m, end: e * m,
    })));
  } finally {
    ctx.finish();
  }
}

export function biasGrad(ctx: WasmContext, dy: Float32Array, db: Float32Array, channels: number): void {
  const rows = Math.floor(dy.length / channels);
  try {
    const pdy = ctx.in(dy);
    const pdb = ctx.out(db);
    const parts = channels >= 32 ? ctx.partsFor(dy.length, MIN_ELEMS_PER_THREAD) : 1;
    ctx.run('bias_grad', splitRange(channels, 16, parts).map(([s, e]) => ({
      dy: pdy, db: pdb, rows, channels, channelStart: s, channelEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function reduceSum(ctx: WasmContext, x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    const parts = ctx.partsFor(x.length, MIN_ELEMS_PER_THREAD);
    ctx.run('reduce_sum', splitRange(outer, 1, parts).map(([s, e]) => ({
      x: px, n, inner, out: po, outerStart: s, outerEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function softmax(ctx: WasmContext, x: Float32Array, y: Float32Array, rows: number, n: number): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const parts = ctx.partsFor(rows * n, MIN_ELEMS_PER_THREAD);
    ctx.run('softmax', splitRange(rows, 1, parts).map(([s, e]) => ({ x: px, y: py, n, rowStart: s, rowEnd: e })));
  } finally {
    ctx.finish();
  }
}

/** out = max(x + bias, 0) per row of `channels` (bias add and relu in one pass). */
export function biasRelu(ctx: WasmContext, x: Float32Array, bias: Float32Array, out: Float32Array, channels: number): void {
  try {
    const px = ctx.in(x);
    const pb = ctx.in(bias);
    const po = ctx.out(out);
    const rows = out.length / channels;
    ctx.run('bias_relu', splitRange(rows, 1, ctx.partsFor(out.length, MIN_ELEMS_PER_THREAD)).map(([s, e]) => ({
      x: px, bias: pb, out: po, channels, start: s * channels, end: e * channels,
    })));
  } finally {
    ctx.finish();
  }
}

/** Row slices of the fused relu/bias gradient: fixed by the row count, never by the thread count. */
const RELU_BIAS_SLICES = 16;

/**
 * dx = y > 0 ? dy : 0 and db = column sums of dx, in one pass: threads take row slices (a channel
 * split made both cores write neighbouring cache lines of every row: 5x slower), each slice sums
 * into its own partial, and the partials are added here in slice order.
 */
export function reluBiasGrad(ctx: WasmContext, dy: Float32Array, y: Float32Array, dx: Float32Array, db: Float32Array,
  channels: number): void {
  const rows = Math.floor(dy.length / channels);
  const S = Math.max(1, Math.min(RELU_BIAS_SLICES, rows));
  try {
    const pdy = ctx.in(dy);
    const py = ctx.in(y);
    const pdx = ctx.out(dx);
    const pp = ctx.temp(S * channels);
    ctx.run('relu_bias_grad', splitRange(S, 1, ctx.partsFor(dy.length, MIN_ELEMS_PER_THREAD)).map(([s, e]) => ({
      dy: pdy, y: py, dx: pdx, partials: pp, rows, channels, sliceStart: s, sliceEnd: e, slices: S,
    })));
    const partials = new Float32Array(ctx.arena.buffer, pp, S * channels);
    db.fill(0);
    for (let s = 0; s < S; s++) {
      for (let c = 0; c < channels; c++) db[c] += partials[s * channels + c];
    }
  } finally {
    ctx.finish();
  }
}
