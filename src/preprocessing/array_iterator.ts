import { Tensor } from '../tensor/tensor';
import { arrayFor } from '../tensor/storage';
import { ValueError, checkOptions } from '../util/errors';
import type { Rng } from '../util/rng';
import { BatchOrder, OrderedBatches } from './batch_order';

/** What the iterator needs from its ImageDataGenerator (a type, so the two files do not import each other). */
export interface BatchTransformer {
  readonly validationSplit: number;
  /** Random transform then standardize n images (n, h, w, c) from src into dst, drawing from rng. */
  transformBatch(src: Float32Array, dst: Float32Array, n: number, h: number, w: number, c: number, rng: Rng): void;
}

export interface FlowOptions {
  /** Images per batch (32). */
  batchSize?: number;
  /** Reshuffle the order at the start of every epoch (true). */
  shuffle?: boolean;
  /**
   * Makes the order and the augmentation repeatable: batch k draws from a generator seeded with
   * seed + k, as Keras reseeds NumPy. Without it, draws come from tatami's global generator
   * (tt.setSeed).
   */
  seed?: number;
  /** With the generator's validationSplit: 'validation' is the first split·n images, 'training' the rest. */
  subset?: 'training' | 'validation';
  /** Skip the check that both subsets hold the same set of label values. */
  ignoreClassSplit?: boolean;
}

const FLOW_OPTIONS = ['batchSize', 'shuffle', 'seed', 'subset', 'ignoreClassSplit'];

function rowSize(t: Tensor): number {
  return t.shape.slice(1).reduce((a, b) => a * b, 1);
}

function uniqueValues(t: Tensor, start: number, end: number): string {
  const row = rowSize(t);
  const set = new Set<number>();
  const v = t.values;
  for (let i = start * row; i < end * row; i++) set.add(v[i]);
  return [...set].sort((a, b) => a - b).join(',');
}

/**
 * Batches of augmented images from an (N, H, W, C) tensor and its labels, as Keras's
 * NumpyArrayIterator: an endless JavaScript iterator whose epochs are ceil(n / batchSize) batches
 * (the last one may be smaller) and reshuffle at the start. Images are converted to float32 one
 * batch at a time, so a uint8 dataset is never copied whole.
 *
 * ```ts
 * const it = gen.flow(xTrain, yTrain, { batchSize: 128, seed: 1 });
 * const [xb, yb] = it.next().value;
 * ```
 */
export class ArrayIterator<T extends Tensor | [Tensor, Tensor]> extends OrderedBatches implements IterableIterator<T> {
  readonly n: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number | null;
  private readonly first: number;
  private readonly shape: [number, number, number];
  private src = new Float32Array(0);

  constructor(
    private readonly x: Tensor,
    private readonly y: Tensor | null,
    private readonly generator: BatchTransformer,
    options: FlowOptions = {},
  ) {
    super();
    checkOptions('flow', options, FLOW_OPTIONS);
    if (x.rank !== 4) throw new ValueError(`flow: x must be a batch of images (N, height, width, channels), got shape [${x.shape}]`);
    if (y && y.shape[0] !== x.shape[0]) {
      throw new ValueError(`flow: x and y must have the same length, got x.shape [${x.shape}] and y.shape [${y.shape}]`);
    }
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValueError(`flow: batchSize must be a positive integer, got ${this.batchSize}`);
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? null;
    this.shape = [x.shape[1], x.shape[2], x.shape[3]];

    let [first, end] = [0, x.shape[0]];
    const subset = options.subset;
    if (subset != null) {
      if (subset !== 'training' && subset !== 'validation') throw new ValueError(`flow: subset must be 'training' or 'validation', got '${subset}'`);
      const split = Math.floor(x.shape[0] * generator.validationSplit);
      if (y && !options.ignoreClassSplit && uniqueValues(y, 0, split) !== uniqueValues(y, split, x.shape[0])) {
        throw new ValueError(
          'flow: the training and validation subsets hold different sets of labels after the split; ' +
            'if the data is sorted by label, shuffle it first (or pass ignoreClassSplit: true)',
        );
      }
      if (subset === 'validation') end = split;
      else first = split;
    }
    this.first = first;
    this.n = end - first;
    if (this.n === 0) {
      throw new ValueError(`flow: no images to iterate over (${x.shape[0]} images${subset ? `, subset '${subset}' with validationSplit ${generator.validationSplit}` : ''})`);
    }
    this.order = new BatchOrder(this.n, this.batchSize, this.shuffle, this.seed);
  }

  /** The next batch: [x, y], or x alone when flow was given no labels. Never done. */
  next(): IteratorResult<T> {
    const { idx, rng } = this.order.next();
    return { value: this.makeBatch(idx, rng), done: false };
  }

  /** Batch i of the current epoch order (Keras's `__getitem__`); call onEpochEnd() to reshuffle. */
  getBatch(i: number): T {
    const { idx, rng } = this.order.batch(i, 'flow');
    return this.makeBatch(idx, rng);
  }

  /** Draws a new epoch order for getBatch. */
  onEpochEnd(): void {
    this.order.onEpochEnd();
  }

  [Symbol.iterator](): this {
    return this;
  }

  private makeBatch(idx: Int32Array, rng: Rng): T {
    const [h, w, c] = this.shape;
    const img = h * w * c;
    const b = idx.length;
    if (this.src.length < b * img) this.src = new Float32Array(b * img);
    const xv = this.x.values;
    for (let i = 0; i < b; i++) {
      const from = (this.first + idx[i]) * img;
      this.src.set(xv.subarray(from, from + img), i * img); // converts uint8 and int32 data
    }
    // A plain array, not backend memory: a batch the caller keeps without dispose() is then memory
    // the JS engine sees and collects under pressure, whereas a backend buffer would wait for an
    // unrelated GC while the backend's memory grows by a batch per step. Kernels copy it in.
    const out = Tensor.fromArray(new Float32Array(b * img), [b, h, w, c]);
    this.generator.transformBatch(this.src, out.f32, b, h, w, c, rng);
    if (!this.y) return out as T;

    const row = rowSize(this.y);
    const yv = this.y.values;
    const ydata = arrayFor(this.y.dtype, b * row);
    for (let i = 0; i < b; i++) ydata.set(yv.subarray((this.first + idx[i]) * row, (this.first + idx[i] + 1) * row), i * row);
    return [out, Tensor.fromArray(ydata, [b, ...this.y.shape.slice(1)], this.y.dtype)] as T;
  }
}
