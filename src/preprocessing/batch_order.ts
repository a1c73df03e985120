import { ValueError } from '../util/errors';
import { globalRng, Rng } from '../util/rng';

/**
 * The order of Keras's Iterator (shared by flow's ArrayIterator and flowFromDirectory's
 * DirectoryIterator): epochs of ceil(n / batchSize) batches, the last one smaller, a new
 * permutation at the start of each; with a seed, batch k draws from a generator seeded with
 * seed + k (as Keras reseeds NumPy), else from tatami's global generator.
 */
export class BatchOrder {
  /** Position in the current epoch, in batches; 0 starts a new epoch (and a reshuffle). */
  batchIndex = 0;
  totalBatchesSeen = 0;
  private indexArray: Int32Array | null = null;
  private readonly ownRng: Rng | null;

  constructor(readonly n: number, readonly batchSize: number, readonly shuffle: boolean, readonly seed: number | null) {
    this.ownRng = seed === null ? null : new Rng(seed);
  }

  /** Batches per epoch. */
  get length(): number {
    return Math.ceil(this.n / this.batchSize);
  }

  private rng(): Rng {
    if (!this.ownRng) return globalRng;
    this.ownRng.seed(this.seed! + this.totalBatchesSeen);
    return this.ownRng;
  }

  private setIndexArray(rng: Rng): void {
    const a = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) a[i] = i;
    if (this.shuffle) rng.shuffle(a);
    this.indexArray = a;
  }

  /** The sample indices of the next batch (a view) and the generator its augmentation draws from. */
  next(): { idx: Int32Array; rng: Rng } {
    const rng = this.rng();
    if (this.batchIndex === 0) this.setIndexArray(rng);
    const current = (this.batchIndex * this.batchSize) % this.n;
    if (this.n > current + this.batchSize) this.batchIndex++;
    else this.batchIndex = 0;
    this.totalBatchesSeen++;
    return { idx: this.indexArray!.subarray(current, current + this.batchSize), rng };
  }

  /** Batch i of the current epoch order (Keras's `__getitem__`). */
  batch(i: number, where: string): { idx: Int32Array; rng: Rng } {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new ValueError(`${where}: batch ${i} does not exist; an epoch has ${this.length} batches`);
    const rng = this.rng();
    this.totalBatchesSeen++;
    if (!this.indexArray) this.setIndexArray(rng);
    return { idx: this.indexArray!.subarray(i * this.batchSize, (i + 1) * this.batchSize), rng };
  }

  /** Draws a new epoch order for batch(). */
  onEpochEnd(): void {
    this.setIndexArray(this.rng());
  }
}

/** What flow's and flowFromDirectory's iterators share: their position in a BatchOrder (set by their constructors). */
export abstract class OrderedBatches {
  protected order!: BatchOrder;

  /** Batches per epoch; the last one may be smaller. */
  get length(): number {
    return this.order.length;
  }

  /** Position in the current epoch, in batches; 0 starts a new epoch (and a reshuffle). */
  get batchIndex(): number {
    return this.order.batchIndex;
  }

  get totalBatchesSeen(): number {
    return this.order.totalBatchesSeen;
  }

  /** Starts the next call at the beginning of a new epoch. */
  reset(): void {
    this.order.batchIndex = 0;
  }
}
