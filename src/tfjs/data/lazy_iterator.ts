import { scope } from '../../tensor/engine';
import { alea, type Alea } from './alea';
import { batchRows, disposeAll, disposeDropped } from './containers';

// tf.data's LazyIterator: next() gives a Promise of { value, done }, and the chain operations
// return new iterators over it. Reads are serialized (each next() waits for the one before), so
// that prefetch and shuffle, which ask their upstream for several elements ahead, see them in order.

export type Result<T> = { value: T; done: false } | { value: null; done: true };
const DONE = { value: null, done: true } as const;

export abstract class LazyIterator<T> implements AsyncIterableIterator<T> {
  private lastRead: Promise<unknown> = Promise.resolve();

  /** The next element; after the end, { value: null, done: true } every time. */
  protected abstract pull(): Promise<Result<T>> | Result<T>;

  next(): Promise<Result<T>> {
    const r = this.lastRead.then(() => this.pull());
    this.lastRead = r.catch(() => undefined);
    return r as Promise<Result<T>>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value as T);
    return out;
  }

  /** Calls f on each element, then frees the element's tensors, as tfjs's forEachAsync. */
  async forEachAsync(f: (x: T) => unknown): Promise<void> {
    for (let r = await this.next(); !r.done; r = await this.next()) {
      disposeDropped(r.value, f(r.value as T));
    }
  }

  map<O>(f: (x: T) => O): LazyIterator<O> {
    return new FromFunction<O>(async () => {
      const r = await this.next();
      if (r.done) return DONE;
      const out = f(r.value as T);
      disposeDropped(r.value, out);
      return { value: out, done: false };
    });
  }

  mapAsync<O>(f: (x: T) => Promise<O>): LazyIterator<O> {
    return new FromFunction<O>(async () => {
      const r = await this.next();
      if (r.done) return DONE;
      const out = await f(r.value as T);
      disposeDropped(r.value, out);
      return { value: out, done: false };
    });
  }

  filter(predicate: (x: T) => boolean): LazyIterator<T> {
    return new FromFunction<T>(async () => {
      for (;;) {
        const r = await this.next();
        if (r.done || scope(() => predicate(r.value as T))) return r;
        disposeAll(r.value);
      }
    });
  }

  take(count?: number): LazyIterator<T> {
    if (count == null || count < 0) return this;
    let n = 0;
    return new FromFunction<T>(() => (n++ >= count ? DONE : this.next()));
  }

  skip(count?: number): LazyIterator<T> {
    if (count == null || count < 0) return this;
    let n = 0;
    return new FromFunction<T>(async () => {
      while (n++ < count) {
        const r = await this.next();
        if (r.done) return r;
        disposeAll(r.value);
      }
      return this.next();
    });
  }

  /** Rows of batchSize elements made into tensors (tfjs's columnMajorBatch with deepBatchConcat). */
  batch(batchSize: number, smallLastBatch = true): LazyIterator<unknown> {
    return new FromFunction<unknown>(async () => {
      const rows: T[] = [];
      while (rows.length < batchSize) {
        const r = await this.next();
        if (r.done) break;
        rows.push(r.value as T);
      }
      if (rows.length === 0 || (rows.length < batchSize && !smallLastBatch)) {
        rows.forEach(disposeAll);
        return DONE;
      }
      const value = scope(() => batchRows(rows));
      disposeDropped(rows, value);
      return { value, done: false };
    });
  }

  concatenate(other: LazyIterator<T>): LazyIterator<T> {
    return chain(new FromItems([this, other], null));
  }

  prefetch(bufferSize: number): LazyIterator<T> {
    return new Prefetch(this, bufferSize);
  }

  shuffle(windowSize: number, seed: string): LazyIterator<T> {
    return new Shuffle(this, windowSize, alea(seed));
  }
}

export class FromFunction<T> extends LazyIterator<T> {
  constructor(private readonly f: () => Promise<Result<T>> | Result<T>) {
    super();
  }
  protected pull(): Promise<Result<T>> | Result<T> {
    return this.f();
  }
}

export class FromItems<T> extends LazyIterator<T> {
  private at = 0;
  constructor(private readonly items: readonly T[], private readonly copy: ((x: T) => T) | null) {
    super();
  }
  protected pull(): Result<T> {
    if (this.at >= this.items.length) return DONE;
    const item = this.items[this.at++];
    return { value: this.copy ? this.copy(item) : item, done: false };
  }
}

/** The elements of each iterator in turn (concatenate, repeat). */
export function chain<T>(iterators: LazyIterator<LazyIterator<T>>): LazyIterator<T> {
  let current: LazyIterator<T> | null = null;
  return new FromFunction<T>(async () => {
    for (;;) {
      if (current == null) {
        const r = await iterators.next();
        if (r.done) return DONE;
        current = r.value as LazyIterator<T>;
      }
      const item = await current.next();
      if (!item.done) return item;
      current = null;
    }
  });
}

/** Keeps bufferSize reads of the upstream in flight (tfjs's PrefetchIterator). */
class Prefetch<T> extends LazyIterator<T> {
  protected buffer: Promise<Result<T>>[] = [];
  constructor(protected readonly upstream: LazyIterator<T>, protected readonly capacity: number) {
    super();
  }
  protected refill(): void {
    while (this.buffer.length < this.capacity) this.buffer.push(this.upstream.next());
  }
  protected pull(): Promise<Result<T>> {
    this.refill();
    return this.buffer.shift()!;
  }
}

/**
 * tfjs's ShuffleIterator: a window of upstream reads; each output is a random one of them, its
 * slot refilled by the last. Reads past the end stay in the window until drawn, as in tfjs, so
 * that a seed gives tfjs's order.
 */
class Shuffle<T> extends Prefetch<T> {
  private exhausted = false;
  constructor(upstream: LazyIterator<T>, windowSize: number, private readonly random: Alea) {
    super(upstream, windowSize);
  }
  protected override async pull(): Promise<Result<T>> {
    if (!this.exhausted) this.refill();
    while (this.buffer.length > 0) {
      const i = Math.floor(this.random() * this.buffer.length);
      const chosen = this.buffer[i];
      const last = this.buffer.pop()!;
      if (i < this.buffer.length) this.buffer[i] = last;
      const r = await chosen;
      if (r.done) {
        this.exhausted = true;
      } else {
        this.refill();
        return r;
      }
    }
    return DONE;
  }
}
