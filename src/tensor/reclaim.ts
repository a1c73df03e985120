import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * Freeing what the user dropped. Tensor values live in the wasm memory, which V8 does not see:
 * a loop making 2 MB of temporaries per iteration looks like a few hundred bytes of JS objects to
 * the garbage collector, so it seldom runs a full collection, and FinalizationRegistry callbacks
 * run only after one, in a later task (never inside a synchronous loop). So tatami counts the
 * bytes of shared-memory values made outside any scope (fit, evaluate, predict and tidy free
 * theirs themselves) and not disposed since the last reclaim; past a budget it forces a full
 * collection and runs the finalizers at once (FinalizationRegistry.prototype.cleanupSome), so the
 * next allocations reuse the blocks. Both need V8 flags: they are switched on just long enough to
 * make a fresh context that has them (`gc`, and cleanupSome, which works on this context's
 * registry), at the first reclaim. Blocks freed by a synchronous reclaim wait in a quarantine for
 * a few allocations. TATAMI_RECLAIM=0 turns all this off (values are then freed whenever V8's own
 * collections find them).
 */

/** Values not yet disposed or collected, and their bytes (tfjs's tf.memory()). */
export const live = { tensors: 0, bytes: 0 };

/** What the registry keeps of a storage: never the values array itself (the target). */
export interface Cell {
  /** A zero-length view at the block's address, for the owner's free(); null when no one owns it. */
  handle: ArrayBufferView | null;
  owner: { free(buf: Float32Array): void } | null;
  /** Tensors using the storage and not disposed. */
  refs: number;
  bytes: number;
  /** The reclaim period the storage was made in, when it counts towards the budget; else -1. */
  period: number;
}

/**
 * Garbage allowed between reclaims: half of what survived the last one, and at least a floor
 * that starts at MIN_BUDGET and doubles (up to MAX_BUDGET) while collections take over a fifth
 * of the time, halving again once they take under a twentieth.
 */
export const MIN_BUDGET = 48 * 1024 * 1024;
export const MAX_BUDGET = 128 * 1024 * 1024;

interface Tools {
  gc: () => void;
  /** FinalizationRegistry.prototype.cleanupSome of that context; null when the engine lacks it. */
  cleanupSome: ((this: FinalizationRegistry<Cell>) => void) | null;
}

/**
 * Blocks a synchronous reclaim found dead, handed back to the allocator a few allocations later
 * (or at the next microtask): the op that triggered the reclaim may still hold a subarray of a
 * value whose tensor and array died a moment ago, and must not see the block reused under it.
 */
let quarantine: Cell[] = [];
/** Allocations outside scopes until the quarantine is released: far more than one op makes. */
const QUARANTINE_ALLOCS = 64;
let quarantineLeft = 0;
let inReclaim = false;

function finalize(cell: Cell): void {
  live.tensors -= cell.refs;
  live.bytes -= cell.refs * cell.bytes;
  cell.refs = 0;
  if (inReclaim) quarantine.push(cell);
  else freeCell(cell);
}

function freeCell(cell: Cell): void {
  if (cell.owner !== null && cell.handle !== null) cell.owner.free(cell.handle as Float32Array);
  cell.handle = null;
}

/**
 * The registry of this context, watching values arrays. (One made in the flagged context would
 * run its finalizers there, which Node may have torn down when the process exits.)
 */
export const registry = new FinalizationRegistry<Cell>(finalize);
let tools: Tools | null | undefined;

/**
 * gc and cleanupSome from a context made while the flags were on; null when the engine refuses
 * (another runtime, a V8 without the flags).
 */
function makeTools(): Tools | null {
  const flags: [string, string][] = [['--expose-gc', '--no-expose-gc'],
    ['--harmony-weak-refs-with-cleanup-some', '--no-harmony-weak-refs-with-cleanup-some']];
  try {
    for (const [on] of flags) v8.setFlagsFromString(on);
    const got = vm.runInNewContext('({ gc: typeof gc === "function" ? gc : null, cleanupSome: FinalizationRegistry.prototype.cleanupSome ?? null })') as
      { gc: (() => void) | null; cleanupSome: Tools['cleanupSome'] };
    if (got.gc === null) return null;
    return { gc: got.gc, cleanupSome: typeof got.cleanupSome === 'function' ? got.cleanupSome : null };
  } catch {
    return null;
  } finally {
    for (const [, off] of flags) {
      try { v8.setFlagsFromString(off); } catch { /* the flag stays on: harmless */ }
    }
  }
}

function currentTools(): Tools | null {
  if (tools === undefined) tools = process.env.TATAMI_RECLAIM === '0' ? null : makeTools();
  return tools;
}

const state = { period: 0, pending: 0, floor: MIN_BUDGET, budget: MIN_BUDGET, reclaims: 0, gcMs: 0, lastEnd: 0 };

/** Counters for tests and benchmarks: forced collections run, their time, and the bytes pending now. */
export function reclaimStats(): { reclaims: number; gcMs: number; pendingBytes: number; budgetBytes: number } {
  return { reclaims: state.reclaims, gcMs: Math.round(state.gcMs), pendingBytes: state.pending, budgetBytes: state.budget };
}

/**
 * Called before a shared-memory value of `bytes` is allocated outside any scope: returns the
 * period it counts in (for `dropped`), reclaiming first when the budget is spent.
 */
export function noteUnscoped(bytes: number): number {
  if (quarantine.length > 0 && --quarantineLeft <= 0) releaseQuarantine();
  state.pending += bytes;
  if (state.pending > state.budget) reclaim();
  return state.period;
}

/** A value counted by noteUnscoped was disposed explicitly: the collector need not find it. */
export function dropped(cell: Cell): void {
  if (cell.period === state.period) state.pending -= cell.bytes;
}

/** Collects unreachable tensors now and frees their values (after the quarantine). */
export function reclaim(): void {
  state.period++;
  state.pending = 0;
  releaseQuarantine();
  const t = currentTools();
  if (t === null) return;
  state.reclaims++;
  const t0 = performance.now();
  inReclaim = true;
  try {
    t.gc();
    // without cleanupSome the finalizers run at the next task: enough for loops that await
    t.cleanupSome?.call(registry);
  } finally {
    inReclaim = false;
  }
  const end = performance.now();
  const ms = end - t0;
  const between = t0 - state.lastEnd;
  state.gcMs += ms;
  state.lastEnd = end;
  if (ms > between / 5) state.floor = Math.min(state.floor * 2, MAX_BUDGET);
  else if (ms < between / 20) state.floor = Math.max(state.floor / 2, MIN_BUDGET);
  if (quarantine.length > 0) {
    quarantineLeft = QUARANTINE_ALLOCS;
    queueMicrotask(releaseQuarantine);
  }
  state.budget = Math.max(state.floor, live.bytes / 2);
}

function releaseQuarantine(): void {
  const held = quarantine;
  quarantine = [];
  for (const c of held) freeCell(c);
}
