import type { Tensor } from '../tensor/tensor';
import { CallbackList, type CallbackLike, type FitRun, type Logs } from '../callbacks/callback';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { History } from './history';
import { ProgbarLogger } from './progress';
import { Accumulator, trainStep } from './step';
import { evaluateRun } from './evaluate';
import { fitData } from './fit_data';
import { splitCall, targetsOf, type DataSource } from './data_source';
import type { TrainableModel } from './types';
import { stopOnSigint } from './interrupt';
import { NonFiniteLoss } from './non_finite';

export interface FitArgs {
  /** Samples per batch, for tensors (32); a data source's batches are already made. */
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
  /** Reshuffle tensors each epoch (true); a data source shuffles itself. */
  shuffle?: boolean;
  validationSplit?: number;
  /** [x, y] tensors, or a data source giving [x, y] batches. */
  validationData?: [Tensor, Tensor] | DataSource;
  validationBatchSize?: number;
  /** Batches per epoch from a data source (default: its length; required for a generator without one). */
  stepsPerEpoch?: number;
  /** Batches per validation from a validationData source (default: its length, or one whole pass). */
  validationSteps?: number;
  initialEpoch?: number;
  callbacks?: CallbackLike[];
  /** Where the progress bar goes (default process.stdout). */
  stream?: NodeJS.WritableStream;
}

const FIT_KEYS = ['batchSize', 'epochs', 'verbose', 'shuffle', 'validationSplit', 'validationData', 'validationBatchSize',
  'stepsPerEpoch', 'validationSteps', 'initialEpoch', 'callbacks', 'stream'];

/** Breathes between batches so timers, signals and async callbacks get a turn. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keras's fit loop: epochs of mini-batches (shuffled tensors, or a data source's batches),
 * validation at each epoch end, callbacks. fit(x, y, args) with tensors; fit(source, args).
 * Ctrl-C stops it after the current batch (history.interrupted), see interrupt.ts.
 */
export async function fit(model: TrainableModel, x: Tensor | DataSource, yOrArgs?: Tensor | FitArgs | null, maybeArgs?: FitArgs): Promise<History> {
  const removeHandler = stopOnSigint(model);
  try {
    return await fitLoop(model, x, yOrArgs, maybeArgs);
  } finally {
    removeHandler();
    model.fitRun = null;
  }
}

async function fitLoop(model: TrainableModel, x: Tensor | DataSource, yOrArgs?: Tensor | FitArgs | null, maybeArgs?: FitArgs): Promise<History> {
  const call = splitCall<FitArgs>('fit', x, yOrArgs, maybeArgs);
  const args = call.args;
  checkOptions('fit', args, FIT_KEYS);
  if (!model.compiled) throw new TatamiError(`model '${model.name}' must be compiled before fit: call model.compile({ optimizer, loss, metrics })`);
  const epochs = args.epochs ?? 1;
  const verbose = args.verbose ?? 1;
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new ValueError(`fit: epochs must be a non-negative integer, got ${args.epochs}`);
  const { train, val } = fitData(call.x, call.y, args);

  const history = new History();
  // Keras 3's order: the user's callbacks, then History (it sees what they add to the logs,
  // e.g. ReduceLROnPlateau's learning_rate), then the progress bar.
  const list = new CallbackList([...(args.callbacks ?? []), history, ...(verbose ? [new ProgbarLogger(verbose, args.stream)] : [])]);
  list.setModel(model);
  list.setParams({
    epochs, steps: train.steps ?? 0, verbose, mode: 'fit',
    ...(train.samples != null ? { batchSize: args.batchSize ?? 32, samples: train.samples } : {}),
  });

  model.stopTraining = false;
  const run: FitRun = { callbacks: list.callbacks, history, epochSums: null, resume: null, atBoundary: null, interrupted: false };
  model.fitRun = run;
  await list.call('onTrainBegin', {});
  // a callback that restored a backup (BackupAndRestore) says where to go on
  const resume = run.resume;
  resume?.restoreCallbacks();
  let lastLogs: Logs = {};
  const nonFinite = new NonFiniteLoss(epochs);
  train.beginRun();
  try {
    for (let epoch = resume ? resume.epoch : args.initialEpoch ?? 0; epoch < epochs && !run.interrupted; epoch++) {
      await list.call('onEpochBegin', epoch, {});
      train.beginEpoch();
      const acc = new Accumulator(model.compiled);
      run.epochSums = acc;
      const first = resume && epoch === resume.epoch ? resume.step : 0;
      if (first > 0) {
        // the batches done before the backup: pass over them, then the RNG and sums as they were
        for (let step = 0; step < first; step++) {
          const b = await train.next();
          if (b) train.release(b);
        }
        resume!.restoreEpoch(acc);
      }
      for (let step = first; train.steps == null || step < train.steps; step++) {
        await list.call('onBatchBegin', step, {});
        const b = await train.next();
        if (!b) break;
        try {
          const y = targetsOf(b, step, 'fit');
          const r = trainStep(model, b.x, y);
          nonFinite.check(epoch, step, r.lossSum, b.x, y);
          acc.add(r);
        } finally {
          train.release(b);
        }
        await list.call('onBatchEnd', step, acc.logs());
        // every batch, so that Ctrl-C is seen before the next one
        await tick();
        await run.atBoundary?.(epoch, step + 1);
        // as Keras 3: a callback may stop training after any batch
        if (model.stopTraining) break;
      }
      if (run.interrupted) break; // Ctrl-C: no validation or epoch end for a partial epoch
      // an iterator that ran out before this epoch's first batch ends training here
      if (acc.count === 0 && train.exhausted) break;
      const logs: Logs = acc.logs();
      if (val) {
        await list.call('onTestBegin', {});
        const valLogs = await evaluateRun(model, val, 'fit (validation)', 'val_');
        await list.call('onTestEnd', Object.fromEntries(Object.entries(valLogs).map(([k, v]) => [k.slice(4), v])));
        Object.assign(logs, valLogs);
      }
      await list.call('onEpochEnd', epoch, logs);
      await run.atBoundary?.(epoch, -1);
      lastLogs = logs;
      if (model.stopTraining || train.exhausted) break;
    }
  } finally {
    train.close();
  }
  history.interrupted = run.interrupted;
  await list.call('onTrainEnd', lastLogs);
  return history;
}
