import type { Tensor } from '../tensor/tensor';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { Progbar } from '../callbacks/progbar';
import { checkSameLength } from './batches';
import { SourceAdapter, TensorAdapter, type DataAdapter } from './data_adapter';
import { checkSteps, isTensor, splitCall, targetsOf, type DataSource } from './data_source';
import { Accumulator, testStep } from './step';
import type { TrainableModel } from './types';

/**
 * Loss and metrics over one run of `data` (a whole pass, or its `steps` batches), averaged per
 * sample; keys optionally prefixed ('val_'). `onBatch` sees the running logs after each batch.
 */
export async function evaluateRun(model: TrainableModel, data: DataAdapter, where: string, prefix = '',
  onBatch?: (step: number, logs: Record<string, number>) => void): Promise<Record<string, number>> {
  const acc = new Accumulator(model.compiled!);
  data.beginRun();
  data.beginEpoch();
  try {
    for (let step = 0; data.steps == null || step < data.steps; step++) {
      const b = await data.next();
      if (!b) break;
      try {
        acc.add(testStep(model, b.x, targetsOf(b, step, where)));
      } finally {
        data.release(b);
      }
      onBatch?.(step, acc.logs());
    }
  } finally {
    data.close();
  }
  if (acc.count === 0 && data.samples == null) throw new TatamiError(`${where}: the data source gave no batches`);
  return acc.logs(prefix);
}

export interface EvaluateArgs {
  /** Samples per batch, for tensors (32); a data source's batches are already made. */
  batchSize?: number;
  verbose?: 0 | 1 | 2;
  /** Batches to take from a data source (default: its length, or one whole pass of a dataset). */
  steps?: number;
  stream?: NodeJS.WritableStream;
}

/** Keras's evaluate on tensors or a data source: the loss, or [loss, ...metrics] when metrics were compiled. */
export async function evaluate(model: TrainableModel, x: Tensor | DataSource, yOrArgs?: Tensor | EvaluateArgs | null, maybeArgs?: EvaluateArgs): Promise<number | number[]> {
  const call = splitCall<EvaluateArgs>('evaluate', x, yOrArgs, maybeArgs);
  const args = call.args;
  checkOptions('evaluate', args, ['batchSize', 'verbose', 'steps', 'stream']);
  if (!model.compiled) throw new TatamiError(`model '${model.name}' must be compiled before evaluate: call model.compile({ optimizer, loss, metrics })`);
  let data: DataAdapter;
  if (isTensor(call.x)) {
    checkSameLength(call.x, call.y!, 'evaluate');
    if (args.steps != null) throw new ValueError('evaluate: steps is for a data source (generator, iterator or dataset); tensors are evaluated whole, in batches of batchSize');
    data = new TensorAdapter(call.x, call.y, args.batchSize ?? 32, false, 'evaluate');
  } else {
    if (args.batchSize != null) throw new ValueError(`evaluate: batchSize must not be specified when x is a data source (generator, iterator or dataset): its batches are already made (got batchSize ${args.batchSize})`);
    data = new SourceAdapter(call.x, 'evaluate', 'steps', checkSteps('evaluate', 'steps', args.steps));
  }
  const verbose = args.verbose ?? 1;
  const steps = data.steps;
  const bar = verbose ? new Progbar(steps, { verbose, stream: (args.stream ?? process.stdout) as NodeJS.WriteStream }) : null;
  let seen = 0;
  const logs = await evaluateRun(model, data, 'evaluate', '', (step, l) => {
    seen = step + 1;
    bar?.update(seen, l, seen === steps);
  });
  if (bar && seen !== steps) {
    // an unknown (or cut short) number of steps: Keras finalizes the bar at what was seen
    bar.target = seen;
    bar.update(seen, logs, true);
  }
  const c = model.compiled;
  if (c.metrics.length === 0) return logs.loss;
  return [logs.loss, ...c.metrics.map((m) => logs[m.name])];
}
