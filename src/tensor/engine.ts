import type { Tensor } from './tensor';

/**
 * Memory scopes. Inside `scope(fn)` every tensor created is tracked; when fn returns, those not
 * returned, kept, or held by a Variable are disposed. fit/evaluate/predict run each step in a
 * scope so memory stays flat; users never need to call it. Tensors outside any scope are freed
 * when garbage-collected (reclaim.ts makes sure the collector runs).
 */

const scopes: Set<Tensor>[] = [];

export { live } from './reclaim';

/** True inside fit/evaluate/predict steps and tidy: what is made there is disposed when the scope ends. */
export function inScope(): boolean {
  return scopes.length > 0;
}

/** Adds a new tensor to the innermost scope (storage and its counters are the tensor's own). */
export function track(t: Tensor): void {
  const s = scopes[scopes.length - 1];
  if (s) s.add(t);
}

/** Removes t from the current scopes so it outlives them (freed when unreachable). */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  t.watch();
  return t;
}

/**
 * Values made in a scope join the collector's registry only if they outlive it: returned past the
 * outermost scope, kept, or left behind by fn throwing. The rest are disposed here, never watched.
 */
export function scope<T>(fn: () => T): T {
  const { result, made, returned } = runInScope(fn, (t) => t.watch());
  for (const t of made) {
    if (returned.has(t)) {
      adopt(t);
    } else if (!t.isKept) {
      t.dispose();
    } else {
      t.watch();
    }
  }
  return result;
}

/**
 * Runs fn with a new innermost scope, which collects the tensors it makes; returns fn's result,
 * those tensors and the ones found in the result. If fn throws, the scope is closed and each
 * tensor it made goes to `onThrow` before the error goes on.
 */
function runInScope<T>(fn: () => T, onThrow: (t: Tensor) => void): { result: T; made: Set<Tensor>; returned: Set<Tensor> } {
  const made = new Set<Tensor>();
  scopes.push(made);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of made) onThrow(t);
    throw e;
  }
  scopes.pop();
  const returned = new Set<Tensor>();
  collectTensors(result, returned);
  return { result, made, returned };
}

/**
 * Runs fn, whose returned tensors its caller disposes itself on every path (a data adapter's
 * batches): those join neither a scope nor the collector's registry. Registering and
 * unregistering two tensors on every step churns the registry's table, whose discarded copies
 * piled up in V8's old generation (~12 KB per scavenge, which also made V8 grow its young
 * generation mid-run). Anything else fn made, and everything if it throws, is handled as usual:
 * kept by the enclosing scope, or watched.
 */
export function unwatched<T>(fn: () => T): T {
  const { result, made, returned } = runInScope(fn, adopt);
  for (const t of made) if (!returned.has(t)) adopt(t);
  return result;
}

/** Hands the tensors in v back to the collector (what unwatched() returned, when its taker fails). */
export function watchTensors(v: unknown): void {
  const ts = new Set<Tensor>();
  collectTensors(v, ts);
  for (const t of ts) t.watch();
}

/** A tensor made in an inner context that its maker will not dispose: the enclosing scope's, or watched. */
function adopt(t: Tensor): void {
  const outer = scopes[scopes.length - 1];
  if (outer) outer.add(t);
  else t.watch();
}

function collectTensors(v: unknown, into: Set<Tensor>, depth = 0): void {
  if (v == null || depth > 4) return;
  if (typeof v === 'object' && (v as { isTensor?: boolean }).isTensor) {
    into.add(v as Tensor);
    return;
  }
  if (Array.isArray(v)) for (const x of v) collectTensors(x, into, depth + 1);
  else if (v instanceof Map) for (const x of v.values()) collectTensors(x, into, depth + 1);
  else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v as object)) collectTensors(x, into, depth + 1);
  }
}
