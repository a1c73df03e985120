import type { Tensor } from '../tensor/tensor';
import { TatamiError, checkOptions } from '../util/errors';
import { Progbar } from '../callbacks/progbar';
import { checkSameLength, takeRows } from './batches';
import { Accumulator, testStep } from './step';
import type { TrainableModel } from './types';

/** Loss and metrics over a whole set, averaged per sample; keys optionally prefixed ('val_'). */
export function evaluateLogs(model: TrainableModel, x: Tensor, y: Tensor, batchSize: number, prefix = '',
  onBatch?: (step: number, logs: Record<string, number>) => void): Record<string, number> {
  const acc = new Accumulator(model.compiled!);
  const n = x.shape[0];
  for (let start = 0, step = 0; start < n; start += batchSize, step++) {
    const end = Math.min(start + batchSize, n);
    const xb = takeRows(x, null, start, end);
    const yb = takeRows(y, null, start, end);
    acc.add(testStep(model, xb, yb));
    xb.dispose();
    yb.dispose();
    onBatch?.(step, acc.logs());
  }
  return acc.logs(prefix);
}

export interface EvaluateArgs {
  batchSize?: number;
  verbose?: 0 | 1 | 2;
  stream?: NodeJS.WritableStream;
}

/** Keras's evaluate: the loss, or [loss, ...metrics] when metrics were compiled. */
export async function evaluate(model: TrainableModel, x: Tensor, y: Tensor, args: EvaluateArgs = {}): Promise<number | number[]> {
  checkOptions('evaluate', args, ['batchSize', 'verbose', 'stream']);
  if (!model.compiled) throw new TatamiError(`model '${model.name}' must be compiled before evaluate: call model.compile({ optimizer, loss, metrics })`);
  checkSameLength(x, y, 'evaluate');
  const batchSize = args.batchSize ?? 32;
  const verbose = args.verbose ?? 1;
  const steps = Math.ceil(x.shape[0] / batchSize);
  const bar = verbose ? new Progbar(steps, { verbose, stream: (args.stream ?? process.stdout) as NodeJS.WriteStream }) : null;
  const logs = evaluateLogs(model, x, y, batchSize, '', (step, l) => bar?.update(step + 1, l, step + 1 === steps));
  const c = model.compiled;
  if (c.metrics.length === 0) return logs.loss;
  return [logs.loss, ...c.metrics.map((m) => logs[m.name])];
}
