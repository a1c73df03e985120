import { Tensor } from '../tensor/tensor';
import { keep, scope } from '../tensor/engine';
import { noGrad } from '../autograd/tape';
import { ShapeError, TatamiError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { takeRows } from './batches';
import { SourceAdapter, type DataAdapter } from './data_adapter';
import { checkSteps, isAsyncSource, type Batch, type DataSource } from './data_source';

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

/** The outputs of each batch, copied out so that nothing outlives its step. */
class OutputParts {
  private parts: { shape: number[]; dtype: Tensor['dtype']; chunks: Tensor['values'][]; rows: number }[] | null = null;

  add(ys: Tensor[]): void {
    this.parts ??= ys.map((y) => ({ shape: y.shape.slice(1), dtype: y.dtype, chunks: [], rows: 0 }));
    ys.forEach((y, k) => {
      this.parts![k].chunks.push(y.values.slice());
      this.parts![k].rows += y.shape[0];
    });
  }

  /** One tensor (N, ...) per output. */
  gather(where: string): Tensor[] {
    if (!this.parts) throw new TatamiError(`${where}: the data source gave no batches`);
    return this.parts.map((p) => {
      const out = Tensor.empty([p.rows, ...p.shape], p.dtype);
      let at = 0;
      for (const c of p.chunks) {
        out.values.set(c, at);
        at += c.length;
      }
      return out;
    });
  }
}

function predictOne(run: (xs: Tensor[]) => Tensor[], data: DataAdapter, b: Batch, parts: OutputParts): void {
  try {
    scope(() => noGrad(() => parts.add(run([b.x]))));
  } finally {
    data.release(b);
  }
}

/** predict over a sync data source: its `steps` batches (or one pass), outputs concatenated. */
export function predictSource(run: (xs: Tensor[]) => Tensor[], data: DataAdapter): Tensor[] {
  const parts = new OutputParts();
  data.beginRun();
  data.beginEpoch();
  try {
    for (let step = 0; data.steps == null || step < data.steps; step++) {
      const b = data.next();
      if (b instanceof Promise) throw new TatamiError('predict: internal error, a sync source gave a Promise');
      if (!b) break;
      predictOne(run, data, b, parts);
    }
  } finally {
    data.close();
  }
  return parts.gather('predict');
}

/** predict over an async data source (imageDatasetFromDirectory, an async generator). */
export async function predictSourceAsync(run: (xs: Tensor[]) => Tensor[], data: DataAdapter): Promise<Tensor[]> {
  const parts = new OutputParts();
  data.beginRun();
  data.beginEpoch();
  try {
    for (let step = 0; data.steps == null || step < data.steps; step++) {
      const b = await data.next();
      if (!b) break;
      predictOne(run, data, b, parts);
    }
  } finally {
    data.close();
  }
  return parts.gather('predict');
}

export interface PredictArgs {
  /** Samples per batch, for tensors (32). */
  batchSize?: number;
  verbose?: number;
  /** Batches to take from a data source (default: its length, or one whole pass of a dataset). */
  steps?: number;
}

/** predict on a data source: sync for a sync source, a Promise for an async one. */
export function predictFromSource(run: (xs: Tensor[]) => Tensor[], source: DataSource, args: PredictArgs): Tensor[] | Promise<Tensor[]> {
  if (args.batchSize != null) {
    throw new ValueError(`predict: batchSize must not be specified when x is a data source (generator, iterator or dataset): its batches are already made (got batchSize ${args.batchSize})`);
  }
  const data = new SourceAdapter(source, 'predict', 'steps', checkSteps('predict', 'steps', args.steps));
  return isAsyncSource(source) ? predictSourceAsync(run, data) : predictSource(run, data);
}
