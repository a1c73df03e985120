import type { Tensor } from '../tensor/tensor';
import { CallbackList, type CallbackLike, type FitRun, type Logs } from '../callbacks/callback';
import { globalRng } from '../util/rng';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { History } from './history';
import { ProgbarLogger } from './progress';
import { checkSameLength, splitValidation, takeRows } from './batches';
import { Accumulator, trainStep } from './step';
import { evaluateLogs } from './evaluate';
import type { TrainableModel } from './types';
import { stopOnSigint } from './interrupt';

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  validationBatchSize?: number;
  initialEpoch?: number;
  callbacks?: CallbackLike[];
  /** Where the progress bar goes (default process.stdout). */
  stream?: NodeJS.WritableStream;
}

const FIT_KEYS = ['batchSize', 'epochs', 'verbose', 'shuffle', 'validationSplit', 'validationData', 'validationBatchSize',
  'initialEpoch', 'callbacks', 'stream'];

/** Breathes between batches so timers, signals and async callbacks get a turn. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keras's fit loop: epochs of shuffled mini-batches, validation at each epoch end, callbacks.
 * Ctrl-C stops it after the current batch (history.interrupted), see interrupt.ts.
 */
export async function fit(model: TrainableModel, x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
  const removeHandler = stopOnSigint(model);
  try {
    return await fitLoop(model, x, y, args);
  } finally {
    removeHandler();
    model.fitRun = null;
  }
}

async function fitLoop(model: TrainableModel, x: Tensor, y: Tensor, args: FitArgs): Promise<History> {
  checkOptions('fit', args, FIT_KEYS);
  if (!model.compiled) throw new TatamiError(`model '${model.name}' must be compiled before fit: call model.compile({ optimizer, loss, metrics })`);
  checkSameLength(x, y, 'fit');
  const batchSize = args.batchSize ?? 32;
  const epochs = args.epochs ?? 1;
  const verbose = args.verbose ?? 1;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`fit: batchSize must be a positive integer, got ${args.batchSize}`);
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new ValueError(`fit: epochs must be a non-negative integer, got ${args.epochs}`);

  let trainX = x;
  let trainY = y;
  let val: [Tensor, Tensor] | null = args.validationData ?? null;
  if (val) checkSameLength(val[0], val[1], 'fit validationData');
  if (!val && args.validationSplit) {
    const s = splitValidation(x, y, args.validationSplit);
    trainX = s.x;
    trainY = s.y;
    val = [s.vx, s.vy];
  }
  const n = trainX.shape[0];
  const steps = Math.ceil(n / batchSize);
  const history = new History();
  // Keras 3's order: the user's callbacks, then History (it sees what they add to the logs,
  // e.g. ReduceLROnPlateau's learning_rate), then the progress bar.
  const list = new CallbackList([...(args.callbacks ?? []), history, ...(verbose ? [new ProgbarLogger(verbose, args.stream)] : [])]);
  list.setModel(model);
  list.setParams({ epochs, steps, verbose, batchSize, samples: n, mode: 'fit' });

  model.stopTraining = false;
  const run: FitRun = { callbacks: list.callbacks, history, epochSums: null, resume: null, atBoundary: null, interrupted: false };
  model.fitRun = run;
  await list.call('onTrainBegin', {});
  // a callback that restored a backup (BackupAndRestore) says where to go on
  const resume = run.resume;
  resume?.restoreCallbacks();
  const order = new Int32Array(n);
  let lastLogs: Logs = {};
  for (let epoch = resume ? resume.epoch : args.initialEpoch ?? 0; epoch < epochs && !run.interrupted; epoch++) {
    await list.call('onEpochBegin', epoch, {});
    for (let i = 0; i < n; i++) order[i] = i;
    if (args.shuffle ?? true) globalRng.shuffle(order);
    const acc = new Accumulator(model.compiled);
    run.epochSums = acc;
    const first = resume && epoch === resume.epoch ? resume.step : 0;
    if (first > 0) resume!.restoreEpoch(acc);
    for (let step = first; step < steps; step++) {
      await list.call('onBatchBegin', step, {});
      const start = step * batchSize;
      const end = Math.min(start + batchSize, n);
      const xb = takeRows(trainX, order, start, end);
      const yb = takeRows(trainY, order, start, end);
      acc.add(trainStep(model, xb, yb));
      xb.dispose();
      yb.dispose();
      await list.call('onBatchEnd', step, acc.logs());
      // every batch, so that Ctrl-C is seen before the next one
      await tick();
      await run.atBoundary?.(epoch, step + 1);
      // as Keras 3: a callback may stop training after any batch
      if (model.stopTraining) break;
    }
    if (run.interrupted) break; // Ctrl-C: no validation or epoch end for a partial epoch
    const logs: Logs = acc.logs();
    if (val) {
      await list.call('onTestBegin', {});
      const valLogs = evaluateLogs(model, val[0], val[1], args.validationBatchSize ?? batchSize, 'val_');
      await list.call('onTestEnd', Object.fromEntries(Object.entries(valLogs).map(([k, v]) => [k.slice(4), v])));
      Object.assign(logs, valLogs);
    }
    await list.call('onEpochEnd', epoch, logs);
    await run.atBoundary?.(epoch, -1);
    lastLogs = logs;
    if (model.stopTraining) break;
  }
  history.interrupted = run.interrupted;
  await list.call('onTrainEnd', lastLogs);
  return history;
}
