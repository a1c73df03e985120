import { Tensor } from '../../tensor/tensor';
import * as ops from '../../ops/public';
import { ValueError } from '../../util/errors';

// tf.data's elements are TensorContainers: a Tensor, a primitive, or arrays and plain objects of
// them. Helpers to walk them: the tensors inside (to free what a step drops), copies, and
// tfjs's batching rule (a leaf that is a Tensor, a number, a string or an array becomes one
// tensor with a new leading axis; objects are batched key by key).

/** A plain object or array that batching and zip recurse into (not a Tensor or typed array). */
export function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v != null && typeof v === 'object' && !(v instanceof Tensor) && !(v instanceof Promise) && !ArrayBuffer.isView(v);
}

/** A leaf of a batch: made into one tensor (tfjs's canTensorify). */
function isLeaf(v: unknown): boolean {
  return v == null || typeof v !== 'object' || Array.isArray(v) || v instanceof Tensor || ArrayBuffer.isView(v);
}

export function tensorsIn(v: unknown, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (isContainer(v)) for (const k of Object.keys(v)) tensorsIn((v as Record<string, unknown>)[k], out);
  return out;
}

/** Frees the tensors of `input` that `output` does not hold (tfjs's map does this after each element). */
export function disposeDropped(input: unknown, output: unknown): void {
  const kept = new Set(tensorsIn(output));
  for (const t of tensorsIn(input)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

export function disposeAll(v: unknown): void {
  for (const t of tensorsIn(v)) if (!t.isDisposed) t.dispose();
}

/** A copy whose tensors are clones (tf.data.array gives copies, so the user's tensors survive the pipeline). */
export function deepClone<T>(v: T): T {
  if (v instanceof Tensor) return ops.clone(v) as T;
  if (!isContainer(v)) return v;
  const out: Record<string, unknown> = Array.isArray(v) ? ([] as unknown as Record<string, unknown>) : {};
  for (const k of Object.keys(v)) out[k] = deepClone((v as Record<string, unknown>)[k]);
  return out as T;
}

function concatLeaves(rows: unknown[]): Tensor {
  if (rows[0] instanceof Tensor) return ops.stack(rows as Tensor[]);
  if (rows.some((r) => typeof r === 'string' || (Array.isArray(r) && r.some((x) => typeof x === 'string')))) {
    throw new ValueError('Dataset.batch: tatami has no string tensors; map string fields to numbers before batch()');
  }
  if (rows.some((r) => r === undefined || r === null)) {
    throw new ValueError('Dataset.batch: an element has a missing (undefined) value; give the csv column a default or filter such rows');
  }
  return ops.tensor(rows as never);
}

/** tfjs's deepBatchConcat over rows of one structure. */
export function batchRows(rows: unknown[]): unknown {
  if (rows.length === 0) throw new ValueError("Can't make a batch of zero elements.");
  if (isLeaf(rows[0])) return concatLeaves(rows);
  const first = rows[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(first)) out[k] = batchRows(rows.map((r) => (r as Record<string, unknown>)[k]));
  return out;
}
