import { scope } from '../../tensor/engine';
import { ValueError } from '../../util/errors';
import { now } from '../clock';
import { alea } from './alea';
import { deepClone, isContainer } from './containers';
import { chain, FromFunction, FromItems, LazyIterator, type Result } from './lazy_iterator';

/**
 * tf.data.Dataset: a recipe for a stream of elements, with tfjs's chain (map, filter, batch,
 * shuffle, take, skip, repeat, prefetch, concatenate) and tfjs's `size` rules (null when unknown,
 * Infinity for an endless repeat). Each iterator() call starts a fresh pass. A Dataset is also
 * an async iterable, so tatami's own fit/evaluate take it as a data source.
 */
export abstract class Dataset<T = unknown> implements AsyncIterable<T> {
  abstract readonly size: number | null;
  abstract iterator(): Promise<LazyIterator<T>>;

  /** A pass as a synchronous-to-start async iterator (the iterator itself is made on the first read). */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    let it: Promise<LazyIterator<T>> | null = null;
    return {
      next: async () => {
        it ??= this.iterator();
        return (await it).next() as Promise<IteratorResult<T>>;
      },
      return: async () => ({ value: undefined, done: true }),
    };
  }

  batch(batchSize: number, smallLastBatch = true): Dataset<unknown> {
    if (!(batchSize > 0)) throw new ValueError(`batchSize needs to be positive, but it is\n      ${batchSize}`);
    const size = this.size == null || this.size === Infinity ? this.size
      : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return fromIteratorFn(async () => (await this.iterator()).batch(batchSize, smallLastBatch), size);
  }

  concatenate(dataset: Dataset<T>): Dataset<T> {
    const size = this.size === Infinity || dataset.size === Infinity ? Infinity
      : this.size != null && dataset.size != null ? this.size + dataset.size : null;
    return fromIteratorFn(async () => (await this.iterator()).concatenate(await dataset.iterator()), size);
  }

  filter(predicate: (value: T) => boolean): Dataset<T> {
    return fromIteratorFn(async () => (await this.iterator()).filter(predicate), this.size === Infinity ? Infinity : null);
  }

  async forEachAsync(f: (input: T) => void): Promise<void> {
    return (await this.iterator()).forEachAsync(f);
  }

  /** Each element through `transform` inside tidy (tensors it makes and does not return are freed). */
  map<O>(transform: (value: T) => O): Dataset<O> {
    return fromIteratorFn(async () => (await this.iterator()).map((x) => scope(() => transform(x))), this.size);
  }

  mapAsync<O>(transform: (value: T) => Promise<O>): Dataset<O> {
    return fromIteratorFn(async () => (await this.iterator()).mapAsync(transform), this.size);
  }

  prefetch(bufferSize: number): Dataset<T> {
    if (bufferSize == null) throw new RangeError('`Dataset.prefetch()` requires bufferSize to be specified.');
    return fromIteratorFn(async () => (await this.iterator()).prefetch(bufferSize), this.size);
  }

  /** count times over (forever when count is absent or negative). */
  repeat(count?: number): Dataset<T> {
    const size = this.size != null && count != null && count > 0 ? this.size * count
      : count === 0 ? 0
      : this.size != null && (count == null || count < 0) ? Infinity : null;
    return fromIteratorFn(async () => {
      const passes = new FromFunction<LazyIterator<T>>(async () => ({ value: await this.iterator(), done: false }));
      return chain(passes.take(count));
    }, size);
  }

  skip(count: number): Dataset<T> {
    const size = this.size != null && count >= 0 && this.size >= count ? this.size - count
      : this.size != null && (this.size < count || count == null || count < 0) ? 0 : null;
    return fromIteratorFn(async () => (await this.iterator()).skip(count), size);
  }

  /**
   * A window of bufferSize elements, each output drawn at random from it. With a seed the order
   * is tfjs's for the same seed; reshuffleEachIteration draws a new order for each pass.
   */
  shuffle(bufferSize: number, seed?: string | number, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize == null || bufferSize < 0) {
      throw new RangeError('`Dataset.shuffle()` requires bufferSize to be specified.' + (this.size == null ? ''
        : `  If your data fits in main memory, consider setting bufferSize to the dataset size (${this.size} elements)`));
    }
    const random = alea(seed || now().toString());
    // tfjs draws a new pass seed even when reshuffleEachIteration is false; tatami keeps the
    // first pass's seed then, so the order repeats as tfjs documents (the first pass is tfjs's)
    let fixedSeed: number | null = null;
    return fromIteratorFn(async () => {
      let passSeed = fixedSeed ?? random.int32();
      if (reshuffleEachIteration) passSeed += random.int32();
      else fixedSeed = passSeed;
      return (await this.iterator()).shuffle(bufferSize, passSeed.toString());
    }, this.size);
  }

  take(count: number): Dataset<T> {
    const size = this.size != null && count != null ? Math.min(this.size, count) : null;
    return fromIteratorFn(async () => (await this.iterator()).take(count), size);
  }

  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Can not convert infinite data stream to array.');
    return (await this.iterator()).toArray();
  }

  /** toArray through a prefetch window, as tfjs's tests use it. */
  async toArrayForTest(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Can not convert infinite data stream to array.');
    return (await this.iterator()).prefetch(100).toArray();
  }
}

class FnDataset<T> extends Dataset<T> {
  constructor(private readonly make: () => Promise<LazyIterator<T>>, readonly size: number | null) {
    super();
  }
  iterator(): Promise<LazyIterator<T>> {
    return this.make();
  }
}

export function fromIteratorFn<T>(make: () => Promise<LazyIterator<T>>, size: number | null = null): Dataset<T> {
  return new FnDataset(make, size);
}

/** tf.data.array(items): the items in order; tensors in them are given as copies. */
export function array<T>(items: T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new ValueError(`tf.data.array: give an array of elements, got ${typeof items}`);
  return fromIteratorFn(async () => new FromItems(items, deepClone), items.length);
}

type GeneratorLike<T> = Iterator<T> | AsyncIterator<T>;

/** tf.data.generator(fn): each pass calls fn for a new (sync or async) generator. */
export function generator<T>(fn: () => GeneratorLike<T> | Promise<GeneratorLike<T>>): Dataset<T> {
  if (typeof fn !== 'function') throw new ValueError('tf.data.generator: give a function that returns a generator (function* () { ... })');
  return fromIteratorFn(async () => {
    const gen = await fn();
    if (gen == null || typeof gen.next !== 'function') throw new ValueError('tf.data.generator: the function must return an iterator (a generator), got ' + typeof gen);
    return new FromFunction(async () => {
      try {
        const r = await gen.next();
        return r.done ? { value: null, done: true } : { value: r.value, done: false };
      } catch (e) {
        if (e instanceof Error) e.message = `Error thrown while iterating through a dataset: ${e.message}`;
        throw e;
      }
    });
  });
}

/** tf.data.func(f): elements from f() ({ value, done }, or its Promise), one stream shared by every pass. */
export function func<T>(f: () => Result<T> | Promise<Result<T>>): Dataset<T> {
  const it = new FromFunction(f);
  return fromIteratorFn(async () => it);
}

type Nested = Dataset | Nested[] | { [k: string]: Nested };

function minSize(datasets: Nested): number | null | undefined {
  if (datasets instanceof Dataset) return datasets.size;
  let size: number | null | undefined;
  for (const d of Object.values(datasets)) {
    const s = minSize(d);
    size = size === undefined ? s : s == null || size == null ? null : Math.min(size, s);
  }
  return size;
}

async function iteratorsOf(d: Nested): Promise<unknown> {
  if (d instanceof Dataset) return d.iterator();
  if (!isContainer(d)) throw new ValueError('Leaves of the structure passed to zip() must be Datasets, not primitives.');
  const out: Record<string, unknown> = Array.isArray(d) ? ([] as unknown as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(d)) out[k] = await iteratorsOf(v as Nested);
  return out;
}

/**
 * tf.data.zip(datasets): elements of the same structure as `datasets` (an array or object,
 * nested) holding one element of each; ends with the shortest.
 */
export function zip<O = unknown>(datasets: Nested): Dataset<O> {
  if (!isContainer(datasets)) throw new ValueError('The argument to zip() must be an object or array.');
  const size = minSize(datasets);
  return fromIteratorFn(async () => {
    const iterators = await iteratorsOf(datasets);
    return new FromFunction(async () => {
      let ended = false;
      const read = async (node: unknown): Promise<unknown> => {
        if (node instanceof LazyIterator) {
          const r = await node.next();
          if (r.done) ended = true;
          return r.value;
        }
        const out: Record<string, unknown> = Array.isArray(node) ? ([] as unknown as Record<string, unknown>) : {};
        for (const [k, v] of Object.entries(node as object)) out[k] = await read(v);
        return out;
      };
      const value = await read(iterators);
      return ended ? { value: null, done: true } : { value: value as O, done: false };
    });
  }, size ?? null);
}
