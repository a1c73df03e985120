/** Pooling, elementwise and reduction wrappers over the wasm kernels. */
import type { BinaryOp, Pool2DInfo } from '../backend';
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';
import type { Job } from './thread_pool';
import type { JobFn } from './kernels';

/** Foreign (non-shared-memory) buffers smaller than this go to the JS kernel instead of being copied. */
export const SMALL = 1 << 14;

function poolParams(p: Pool2DInfo): number[] {
  return [p.batch, p.inH, p.inW, p.channels, p.outH, p.outW, p.poolH, p.poolW, p.strideH, p.strideW, p.padTop, p.padLeft];
}

function imageJobs(ctx: WasmContext, fn: JobFn, batch: number, perImage: number, args: (n0: number, n1: number) => number[]): Job[] {
  const parts = ctx.partsFor(batch * perImage, MIN_ELEMS_PER_THREAD);
  return splitRange(batch, 1, parts).map(([s, e]) => [fn, args(s, e)]);
}

export function maxPool(ctx: WasmContext, x: Float32Array, y: Float32Array, argmax: Int32Array, p: Pool2DInfo): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const pa = ctx.out(argmax);
    const ip = ctx.setParams(poolParams(p));
    ctx.run(imageJobs(ctx, 'maxpool', p.batch, p.inH * p.inW * p.channels, (s, e) => [ip, px, py, pa, s, e]));
  } finally {
    ctx.finish();
  }
}

export function maxPoolBackward(ctx: WasmContext, dy: Float32Array, argmax: Int32Array, dx: Float32Array, p: Pool2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pa = ctx.in(argmax);
    const pdx = ctx.out(dx);
    const ip = ctx.setParams(poolParams(p));
    ctx.run(imageJobs(ctx, 'maxpool_bwd', p.batch, p.inH * p.inW * p.channels, (s, e) => [ip, pdy, pa, pdx, s, e]));
  } finally {
    ctx.finish();
  }
}

export function avgPool(ctx: WasmContext, x: Float32Array, y: Float32Array, p: Pool2DInfo): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const ip = ctx.setParams(poolParams(p));
    ctx.run(imageJobs(ctx, 'avgpool', p.batch, p.inH * p.inW * p.channels, (s, e) => [ip, px, py, s, e]));
  } finally {
    ctx.finish();
  }
}

export function avgPoolBackward(ctx: WasmContext, dy: Float32Array, dx: Float32Array, p: Pool2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const ip = ctx.setParams(poolParams(p));
    ctx.run(imageJobs(ctx, 'avgpool_bwd', p.batch, p.inH * p.inW * p.channels, (s, e) => [ip, pdy, pdx, s, e]));
  } finally {
    ctx.finish();
  }
}

/** True when every array is in the shared memory or the work is big enough to pay for copies. */
export function worthIt(ctx: WasmContext, n: number, ...arrs: (Float32Array | Int32Array)[]): boolean {
  return n >= SMALL || arrs.every((a) => ctx.arena.owns(a));
}

/** Runs an elementwise kernel whose last two arguments are [i0, i1), split at multiples of `align`. */
function rangeJobs(ctx: WasmContext, fn: JobFn, n: number, align: number, args: number[]): void {
  const parts = ctx.partsFor(n, MIN_ELEMS_PER_THREAD);
  ctx.run(splitRange(n, align, parts).map(([s, e]) => [fn, [...args, s, e]]));
}

export function relu(ctx: WasmContext, x: Float32Array, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    rangeJobs(ctx, 'relu', x.length, 16, [px, po]);
  } finally {
    ctx.finish();
  }
}

export function reluGrad(ctx: WasmContext, dy: Float32Array, x: Float32Array, dx: Float32Array): void {
  try {
    const pdy = ctx.in(dy);
    const px = ctx.in(x);
    const pdx = ctx.out(dx);
    rangeJobs(ctx, 'relu_grad', dy.length, 16, [pdy, px, pdx]);
  } finally {
    ctx.finish();
  }
}

export function affine(ctx: WasmContext, x: Float32Array, scale: number, offset: number, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    rangeJobs(ctx, 'affine', x.length, 16, [px, scale, offset, po]);
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
    rangeJobs(ctx, 'binary', out.length, 16, [code, pa, pb, po]);
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
    ctx.run(splitRange(rows, 1, parts).map(([s, e]) => ['binary_bcast', [code, pf, ps, m, swap ? 1 : 0, po, s * m, e * m]]));
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
    ctx.run(splitRange(channels, 16, parts).map(([s, e]) => ['bias_grad', [pdy, pdb, rows, channels, s, e]]));
  } finally {
    ctx.finish();
  }
}

export function reduceSum(ctx: WasmContext, x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    const parts = ctx.partsFor(x.length, MIN_ELEMS_PER_THREAD);
    ctx.run(splitRange(outer, 1, parts).map(([s, e]) => ['reduce_sum', [px, n, inner, po, s, e]]));
  } finally {
    ctx.finish();
  }
}

export function softmax(ctx: WasmContext, x: Float32Array, y: Float32Array, rows: number, n: number): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const parts = ctx.partsFor(rows * n, MIN_ELEMS_PER_THREAD);
    ctx.run(splitRange(rows, 1, parts).map(([s, e]) => ['softmax', [px, py, n, s, e]]));
  } finally {
    ctx.finish();
  }
}
