/**
 * Optimizer updates and dropout on the wasm kernels (assembly/optim.ts, assembly/dropout.ts),
 * bit-identical to the reference kernels in backend/js/optimizer.ts and backend/js/dropout.ts,
 * which also run whatever is too small to be worth a kernel call. Optimizer updates are split over
 * threads by element ranges; slots that are not in the shared memory are copied in and back (still
 * far cheaper than the JS loop at a million parameters).
 */
import type { OptimizerStep } from '../backend';
import { dropout as jsDropout, dropoutGrad as jsDropoutGrad } from '../js/dropout';
import { optimizerStep as jsOptimizerStep } from '../js/optimizer';
import { xoshiroJump } from '../../util/xoshiro_jump';
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';

/** Below this many parameters the JS loop is as fast as a kernel call. */
const MIN_SIZE = 4096;

export function optimizerStep(ctx: WasmContext, step: OptimizerStep): void {
  const { w, g } = step;
  const n = w.length;
  const slots = step.rule === 'adam' ? [step.momentum, step.velocity, ...(step.velocityHat ? [step.velocityHat] : [])]
    : [step.accumulatedGrad, step.accumulatedDeltaVar];
  if (n < MIN_SIZE || g.length !== n || slots.some((s) => s.length !== n)) {
    jsOptimizerStep(step);
    return;
  }
  try {
    const pw = ctx.out(w, true);
    const pg = ctx.in(g);
    const ps = slots.map((s) => ctx.out(s, true));
    const ranges = splitRange(n, 4, ctx.partsFor(n, MIN_ELEMS_PER_THREAD));
    if (step.rule === 'adadelta') {
      const { learningRate, rho, epsilon } = step;
      ctx.run('adadelta', ranges.map(([s, e]) => ({
        w: pw, g: pg, accumulatedGrad: ps[0], accumulatedDeltaVar: ps[1], start: s, end: e, learningRate, rho, epsilon,
      })));
    } else {
      const { alpha, beta1, beta2, epsilon } = step;
      const velocityHat = ps.length === 3 ? ps[2] : 0;
      ctx.run('adam', ranges.map(([s, e]) => ({
        w: pw, g: pg, momentum: ps[0], velocity: ps[1], velocityHat, start: s, end: e, alpha, beta1, beta2, epsilon,
      })));
    }
  } finally {
    ctx.finish();
  }
}

/** A temporary copy of a byte mask in the shared memory (freed by ctx.finish()). */
function bytesIn(ctx: WasmContext, mask: Uint8Array, copy: boolean): number {
  if (ctx.arena.owns(mask)) return mask.byteOffset;
  const addr = ctx.temp(Math.ceil(mask.length / 4));
  if (copy) new Uint8Array(ctx.arena.buffer, addr, mask.length).set(mask);
  return addr;
}

/** Inverted dropout forward (see Backend.dropout); keep is written back to the caller's array. */
export function dropout(ctx: WasmContext, x: Float32Array, y: Float32Array, keep: Uint8Array, seed: readonly number[],
  threshold: number, scale: number): void {
  const n = x.length;
  if (n < MIN_SIZE || y.length !== n || keep.length !== n || seed.length !== 4) {
    jsDropout(x, y, keep, seed, threshold, scale);
    return;
  }
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const pk = bytesIn(ctx, keep, false);
    const parts = ctx.partsFor(n, MIN_ELEMS_PER_THREAD);
    ctx.run('dropout_fwd', splitRange(n, 4, parts).map(([s, e]) => {
      const [seed0, seed1, seed2, seed3] = xoshiroJump(seed, s);
      return { x: px, y: py, keep: pk, start: s, end: e, seed0, seed1, seed2, seed3, threshold, scale };
    }));
    if (!ctx.arena.owns(keep)) keep.set(new Uint8Array(ctx.arena.buffer, pk, n));
  } finally {
    ctx.finish();
  }
}

/** dx = keep ? dy*scale : 0 (see Backend.dropoutGrad). */
export function dropoutGrad(ctx: WasmContext, dy: Float32Array, keep: Uint8Array, scale: number, dx: Float32Array): void {
  const n = dy.length;
  if (n < MIN_SIZE || dx.length !== n || keep.length !== n) {
    jsDropoutGrad(dy, keep, scale, dx);
    return;
  }
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const pk = bytesIn(ctx, keep, true);
    const ranges = splitRange(n, 16, ctx.partsFor(n, MIN_ELEMS_PER_THREAD));
    ctx.run('dropout_bwd', ranges.map(([s, e]) => ({ dy: pdy, keep: pk, scale, dx: pdx, start: s, end: e })));
  } finally {
    ctx.finish();
  }
}
