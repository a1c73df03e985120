import { Tensor } from '../tensor/tensor';
import { keep, scope } from '../tensor/engine';
import { noGrad } from '../autograd/tape';
import { ShapeError, TatamiError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { takeRows } from './batches';

/**
 * Runs `run` over every sample of the inputs in batches (inference mode, no gradients) and
 * gathers each output into one tensor (N, ...): model.predict, for any number of inputs and outputs.
 */
export function predictBatched(run: (xs: Tensor[]) => Tensor[], xs: Tensor[], batchSize: number): Tensor[] {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new TatamiError(`predict: batchSize must be a positive integer, got ${batchSize}`);
  const n = xs[0].shape[0];
  xs.forEach((x, i) => {
    if (x.shape[0] !== n) {
      throw new ShapeError(`predict: all inputs need the same number of samples; input 0 has shape ${shapeToString(xs[0].shape)}, input ${i} has ${shapeToString(x.shape)}`);
    }
  });
  if (n === 0) throw new TatamiError('predict: no samples given');
  let outs: Tensor[] | null = null;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    scope(() =>
      noGrad(() => {
        const ys = run(xs.map((x) => takeRows(x, null, start, end)));
        outs ??= ys.map((y) => keep(Tensor.empty([n, ...y.shape.slice(1)], y.dtype)));
        ys.forEach((y, k) => outs![k].values.set(y.values, start * (y.size / (end - start))));
      }),
    );
  }
  return outs!;
}
