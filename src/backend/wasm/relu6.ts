/** ReLU6 wrappers over assembly/relu6.ts, split over element ranges like relu. */
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';

function ranges(ctx: WasmContext, n: number): [number, number][] {
  return splitRange(n, 16, ctx.partsFor(n, MIN_ELEMS_PER_THREAD));
}

export function relu6(ctx: WasmContext, x: Float32Array, out: Float32Array): void {
  try {
    const px = ctx.in(x);
    const po = ctx.out(out);
    ctx.run('relu6', ranges(ctx, x.length).map(([s, e]) => ({ x: px, y: po, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}

export function relu6Grad(ctx: WasmContext, dy: Float32Array, x: Float32Array, dx: Float32Array): void {
  try {
    const pdy = ctx.in(dy);
    const px = ctx.in(x);
    const pdx = ctx.out(dx);
    ctx.run('relu6_grad', ranges(ctx, dy.length).map(([s, e]) => ({ dy: pdy, x: px, dx: pdx, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}
