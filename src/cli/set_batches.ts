import type { Tensor } from '../tensor/tensor';
import { takeRows } from '../training/batches';
import { globalRng } from '../util/rng';
import type { ImageSet } from './image_set';

/**
 * fit's batches over images [from, to) of an ImageSet and the matching rows of the targets, as
 * fit makes them from tensors (training/data_adapter.ts's TensorAdapter): with `shuffle`, each
 * pass (each epoch) draws a new order of the rows from tt.setSeed's generator when it starts,
 * then takes them batchSize at a time. fit takes it as an iterable data source with a length, so
 * a pass starts at the same point of an epoch as a tensor's shuffle: the batches, the random
 * draws and so the trained weights are those of fit(x, y) with the whole float32 set.
 */
export class SetBatches implements Iterable<[Tensor, Tensor]> {
  readonly length: number;

  constructor(private readonly x: ImageSet, private readonly y: Tensor, private readonly from: number, private readonly to: number,
    private readonly batchSize: number, private readonly shuffle: boolean) {
    this.length = Math.ceil((to - from) / batchSize);
  }

  [Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    const { x, y, from, batchSize } = this;
    const n = this.to - from;
    let order: Int32Array | null = null;
    if (this.shuffle) {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = from + i;
      globalRng.shuffle(order);
    }
    let pos = 0;
    return {
      next(): IteratorResult<[Tensor, Tensor]> {
        if (pos >= n) return { value: undefined, done: true };
        const s = pos;
        const e = Math.min(s + batchSize, n);
        pos = e;
        const value: [Tensor, Tensor] = order
          ? [x.take(order, s, e), takeRows(y, order, s, e)]
          : [x.take(null, from + s, from + e), takeRows(y, null, from + s, from + e)];
        return { value, done: false };
      },
    };
  }
}

export { splitAt } from '../training/batches';
