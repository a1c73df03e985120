import { Tensor } from '../tensor/tensor';
import { ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';

/**
 * What one step of a data source may give: [x, y], [x], x alone, or TensorFlow.js's { xs, ys }.
 * ImageDataGenerator.flow gives [x, y] (x alone without labels); imageDatasetFromDirectory
 * gives [x, y] ([x] with labelMode null).
 */
export type BatchValue = Tensor | [Tensor] | [Tensor, Tensor] | { xs: Tensor; ys?: Tensor };

/**
 * A source of batches that fit, evaluate and predict accept besides tensors:
 * - an iterator (an object with next(): a generator, ImageDataGenerator.flow) is one running
 *   stream: each epoch takes the next `stepsPerEpoch` batches (by default its `length`, when it
 *   has one);
 * - an iterable that is not its own iterator (a dataset) gives one pass per epoch.
 */
export type SyncDataSource = Iterator<BatchValue> | Iterable<BatchValue>;
/** An async iterable (imageDatasetFromDirectory, an async generator): the same rules, awaited. */
export type AsyncDataSource = AsyncIterable<BatchValue>;
export type DataSource = SyncDataSource | AsyncDataSource;

/** A batch as the loops use it: inputs, and targets when the source gave them. */
export interface Batch {
  x: Tensor;
  y: Tensor | null;
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/** Arrays are never sources: a list of tensors means several model inputs. */
export function isDataSource(v: unknown): v is DataSource {
  if (v == null || typeof v !== 'object' || Array.isArray(v) || isTensor(v)) return false;
  const o = v as Record<PropertyKey, unknown>;
  return typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function' || typeof o.next === 'function';
}

export function isAsyncSource(v: DataSource): v is AsyncDataSource {
  return typeof (v as unknown as Record<PropertyKey, unknown>)[Symbol.asyncIterator] === 'function';
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an Array of ${v.length}`;
  if (isTensor(v)) return `a Tensor of shape ${shapeToString(v.shape)}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'no class'})`;
  return typeof v;
}

/** Checks one value a source gave and names it as a Batch. `step` counts from 0 within the run. */
export function toBatch(value: unknown, step: number, where: string): Batch {
  let x: unknown;
  let y: unknown = null;
  if (isTensor(value)) x = value;
  else if (Array.isArray(value)) {
    if (value.length === 3) throw new ValueError(`${where}: batch ${step} from the data source has 3 parts (x, y, sampleWeight); sample weights are not supported`);
    if (value.length !== 1 && value.length !== 2) throw new ValueError(`${where}: batch ${step} from the data source must be [x, y] or [x], got an Array of ${value.length}`);
    [x, y = null] = value;
  } else if (value != null && typeof value === 'object' && 'xs' in value) {
    x = (value as { xs: unknown }).xs;
    y = (value as { ys?: unknown }).ys ?? null;
  } else {
    throw new ValueError(`${where}: batch ${step} from the data source must be [x, y], [x], a Tensor or { xs, ys }, got ${describe(value)}`);
  }
  if (!isTensor(x)) throw new ValueError(`${where}: the inputs x of batch ${step} must be a Tensor (one model input), got ${describe(x)}`);
  if (y != null && !isTensor(y)) throw new ValueError(`${where}: the targets y of batch ${step} must be a Tensor, got ${describe(y)}`);
  for (const t of y ? [x, y as Tensor] : [x]) {
    if (t.isDisposed) {
      throw new ValueError(
        `${where}: batch ${step} from the data source holds a disposed tensor. The tensors a source creates during ` +
          `${where} are freed after their step; a source that gives the same tensors again must create them before calling ${where}`,
      );
    }
  }
  if (y && (y as Tensor).shape[0] !== x.shape[0]) {
    throw new ValueError(`${where}: batch ${step} has ${x.shape[0]} inputs (x ${shapeToString(x.shape)}) but ${(y as Tensor).shape[0]} targets (y ${shapeToString((y as Tensor).shape)})`);
  }
  return { x, y: (y as Tensor | null) ?? null };
}

/** The targets of a batch, which fit and evaluate need. */
export function targetsOf(b: Batch, step: number, where: string): Tensor {
  if (!b.y) {
    throw new ValueError(`${where}: batch ${step} from the data source has no targets; ${where} needs [x, y] batches ` +
      '(imageDatasetFromDirectory with labelMode null, or flow(x) without y, gives inputs only)');
  }
  return b.y;
}

/** A step count option: absent, or a positive integer (Keras 3 rejects a fractional one too). */
export function checkSteps(where: string, name: string, v: unknown): number | null {
  if (v == null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  const hint = typeof v === 'number' && v > 0 && !Number.isInteger(v)
    ? ` (a fraction such as n / batchSize is not a number of batches: use Math.floor(n / batchSize), Python's n // batch_size, or Math.ceil to include the last partial batch)`
    : '';
  throw new ValueError(`${where}: ${name} must be a positive integer, got ${String(v)}${hint}`);
}

/**
 * fit(x, y, args) with tensors, fit(source, args) with a source. Returns the parts, refusing
 * targets given beside a source (they belong inside its batches), as Keras does.
 */
export function splitCall<A extends object>(where: string, x: unknown, yOrArgs: unknown, maybeArgs: unknown): { x: Tensor | DataSource; y: Tensor | null; args: A } {
  if (isTensor(x)) {
    if (!isTensor(yOrArgs)) {
      throw new ValueError(`${where}: with inputs x given as a Tensor, the targets y must be a Tensor too (${where}(x, y, args)), got ${describe(yOrArgs)}`);
    }
    return { x, y: yOrArgs, args: (maybeArgs ?? {}) as A };
  }
  if (!isDataSource(x)) {
    throw new ValueError(`${where}: x must be a Tensor, an iterator or iterable of batches (a generator, ImageDataGenerator.flow) ` +
      `or an async iterable dataset (imageDatasetFromDirectory), got ${describe(x)}`);
  }
  if (isTensor(yOrArgs)) {
    throw new ValueError(`${where}: when providing x as a data source (generator, iterator or dataset), y should not be passed; ` +
      `the targets should be part of its batches ([x, y])`);
  }
  if (yOrArgs != null && maybeArgs != null) throw new ValueError(`${where}: with x given as a data source, call ${where}(source, args) (got a second and a third argument)`);
  const args = (yOrArgs ?? maybeArgs ?? {}) as A;
  if (typeof args !== 'object' || Array.isArray(args)) throw new ValueError(`${where}: the options must be an object, got ${describe(args)}`);
  return { x, y: null, args };
}
