import { Tensor } from '../tensor/tensor';
import { unwatched, watchTensors } from '../tensor/engine';
import { warnOnce } from '../callbacks/monitor';
import { TatamiError, ValueError } from '../util/errors';
import { globalRng } from '../util/rng';
import { takeRows } from './batches';
import { isAsyncSource, toBatch, type Batch, type DataSource } from './data_source';

/**
 * One interface over every input fit, evaluate and predict accept. A run (one fit, one
 * evaluation, one predict) calls beginRun once, then per epoch beginEpoch and next() until it
 * has taken `steps` batches or next() gives null; release() after each batch's step; close()
 * when the run ends. Sync sources give batches synchronously (so predict stays sync for them).
 */
export interface DataAdapter {
  /** Batches in the coming epoch; null when only the source running out tells. */
  readonly steps: number | null;
  /** Samples per epoch when known (tensors). */
  readonly samples: number | null;
  /** True once an iterator has ended for good: fit stops after the current epoch. */
  readonly exhausted: boolean;
  beginRun(): void;
  beginEpoch(): void;
  next(): Batch | null | Promise<Batch | null>;
  /** Frees what the step is done with (never a tensor the user holds). */
  release(b: Batch): void;
  close(): void;
}

/** Tensors (N, ...): ceil(N / batchSize) batches per epoch, shuffled with tt.setSeed's generator. */
export class TensorAdapter implements DataAdapter {
  readonly steps: number;
  readonly samples: number;
  readonly exhausted = false;
  private readonly order: Int32Array | null;
  private pos = 0;

  constructor(private readonly x: Tensor, private readonly y: Tensor | null, private readonly batchSize: number, shuffle: boolean, where = 'fit') {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`${where}: batchSize must be a positive integer, got ${batchSize}`);
    this.samples = x.shape[0];
    this.steps = Math.ceil(this.samples / batchSize);
    this.order = shuffle ? new Int32Array(this.samples) : null;
  }

  beginRun(): void {}

  beginEpoch(): void {
    this.pos = 0;
    if (!this.order) return;
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    globalRng.shuffle(this.order);
  }

  next(): Batch | null {
    if (this.pos >= this.samples) return null;
    const start = this.pos;
    const end = Math.min(start + this.batchSize, this.samples);
    this.pos = end;
    // copies that release() frees after the step: the collector need not watch them
    return unwatched(() => ({ x: takeRows(this.x, this.order, start, end), y: this.y && takeRows(this.y, this.order, start, end) }));
  }

  /** The batches are copies made here. */
  release(b: Batch): void {
    b.x.dispose();
    b.y?.dispose();
  }

  close(): void {}
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** The id the next tensor will get: tensors with a smaller id existed before. */
function nextTensorId(): number {
  const probe = Tensor.fromArray(new Uint8Array(0), [0], 'uint8');
  probe.dispose();
  return probe.id + 1;
}

function lengthOf(source: object): number | null {
  const n = (source as { length?: unknown }).length;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * A generator, an iterator (ImageDataGenerator.flow) or an iterable dataset
 * (imageDatasetFromDirectory), sync or async, in Keras 3's epoch rules (EpochIterator):
 * - an iterator is one stream: each epoch takes the next `steps` batches (the given count, else
 *   its `length`; one of them is required). A run starts with reset() when the source has one
 *   and a length (flow: a fresh pass, as Keras indexes a PyDataset from 0).
 * - an iterable gives a pass per epoch (all of it, or `length` batches). With a step count the
 *   pass continues across epochs, and an epoch ends early, with a warning, where the pass ends.
 * Batch tensors created after the adapter (by the source, during the run) are freed after their
 * step; tensors that existed before are the user's and are left alone.
 */
export class SourceAdapter implements DataAdapter {
  readonly samples = null;
  exhausted = false;
  readonly steps: number | null;
  private readonly isAsync: boolean;
  private readonly isStream: boolean;
  private readonly length: number | null;
  private readonly mark: number;
  private iter: AnyIterator | null = null;
  private seenInPass = 0;
  private takenInEpoch = 0;
  private freshPass = false;
  private runStep = 0;

  constructor(private readonly source: DataSource, private readonly where: string, private readonly stepsName: string, private readonly fixedSteps: number | null) {
    this.isAsync = isAsyncSource(source);
    this.isStream = typeof (source as { next?: unknown }).next === 'function';
    this.length = lengthOf(source);
    if (this.isStream && fixedSteps == null && this.length == null) {
      throw new ValueError(`${where}: the data source is an iterator without a length (a generator, say), so where an epoch ends is unknown: give ${stepsName}`);
    }
    this.steps = fixedSteps ?? this.length;
    if (this.steps === 0) throw new ValueError(`${where}: the data source has length 0 (no batches)`);
    this.mark = nextTensorId();
  }

  beginRun(): void {
    this.runStep = 0;
    this.exhausted = false;
    if (this.isStream) {
      const reset = (this.source as { reset?: unknown }).reset;
      if (typeof reset === 'function' && this.length != null) reset.call(this.source);
      this.iter = this.source as AnyIterator;
    } else {
      this.closePass();
    }
  }

  beginEpoch(): void {
    this.takenInEpoch = 0;
    if (this.isStream) return;
    const passDone = this.length != null && this.seenInPass >= this.length;
    if (this.iter === null || this.fixedSteps == null || passDone) this.newPass();
  }

  private newPass(): void {
    this.closePass();
    const s = this.source as unknown as Record<symbol, () => AnyIterator>;
    this.iter = this.isAsync ? s[Symbol.asyncIterator]() : s[Symbol.iterator]();
    this.seenInPass = 0;
    this.freshPass = true;
  }

  /** Ends a pass this adapter started (a stream belongs to the user and stays open). */
  private closePass(): void {
    const it = this.iter;
    this.iter = null;
    if (this.isStream || !it || typeof it.return !== 'function') return;
    const r = it.return() as unknown;
    if (r instanceof Promise) r.catch(() => undefined);
  }

  next(): Batch | null | Promise<Batch | null> {
    if (this.steps != null && this.takenInEpoch >= this.steps) return null;
    if (!this.isStream && this.length != null && this.seenInPass >= this.length) return this.ranOut();
    if (this.exhausted || !this.iter) return null;
    // a sync source's new batch tensors are freed by release() after the step (the mark): the
    // collector need not watch them
    const iter = this.iter;
    const r = (this.isAsync ? iter.next() : unwatched(() => iter.next())) as IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
    if (this.isAsync) return Promise.resolve(r).then((v) => this.got(v));
    if (r instanceof Promise || typeof (r as { then?: unknown })?.then === 'function') {
      throw new TatamiError(`${this.where}: the data source's next() returned a Promise; an async source needs a [Symbol.asyncIterator] method (an async generator has one)`);
    }
    try {
      return this.got(r as IteratorResult<unknown>);
    } catch (e) {
      watchTensors(r); // a batch fit will not release
      throw e;
    }
  }

  private got(r: IteratorResult<unknown>): Batch | null | Promise<Batch | null> {
    if (r == null || typeof r !== 'object') throw new TatamiError(`${this.where}: the data source's next() must return { value, done }, got ${String(r)}`);
    if (r.done) {
      if (this.isStream) {
        this.exhausted = true;
        warnOnce(`${this.where}: the data source ran out of data; interrupting. Make sure it can give ${this.stepsName} batches every time (a generator can loop: while (true) { ... yield [x, y]; })`);
        return null;
      }
      if (this.takenInEpoch === 0 && !this.freshPass) {
        // the pass ended exactly where the last epoch did: this epoch starts a new one
        this.newPass();
        return this.next();
      }
      if (this.takenInEpoch === 0) {
        this.exhausted = true;
        throw new TatamiError(`${this.where}: the data source gave no batches`);
      }
      this.iter = null;
      return this.fixedSteps != null ? this.ranOut() : null;
    }
    this.takenInEpoch++;
    this.seenInPass++;
    this.freshPass = false;
    return toBatch(r.value, this.runStep++, this.where);
  }

  /** A pass of a dataset ended inside an epoch of `stepsPerEpoch` batches: the epoch ends early. */
  private ranOut(): null {
    warnOnce(`${this.where}: the data source ran out of data before ${this.stepsName} batches; the epoch ends early and the next one starts a new pass. ` +
      `Give ${this.stepsName} no larger than its length to use whole passes`);
    return null;
  }

  release(b: Batch): void {
    for (const t of [b.x, b.y]) if (t && t.id >= this.mark && !t.isDisposed) t.dispose();
  }

  close(): void {
    this.closePass();
  }
}
