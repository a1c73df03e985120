import type { Variable, Tensor } from '../tensor/tensor';
import type { Optimizer } from '../optimizers/optimizer';

export type Logs = Record<string, number>;

/** What a callback may touch of the model being trained. */
export interface CallbackModel {
  name: string;
  stopTraining: boolean;
  optimizer: Optimizer | null;
  readonly weights: Variable[];
  getWeights(): Tensor[];
  setWeights(values: Tensor[]): void;
  save?(path: string, options?: { includeOptimizer?: boolean; overwrite?: boolean }): Promise<void>;
  saveWeights?(path: string): Promise<void>;
  loadWeights?(path: string): Promise<void>;
  /** The fit in progress (set by fit before onTrainBegin): what BackupAndRestore and Ctrl-C need. */
  fitRun?: FitRun | null;
}

/** The running sums of the epoch in progress (fit's Accumulator); a mid-epoch backup keeps them exactly. */
export interface EpochSums {
  count: number;
  lossSum: number;
  metricSums: number[];
}

/** Where fit goes on after a callback restored a backup in onTrainBegin. */
export interface ResumePoint {
  /** The epoch to run first. */
  epoch: number;
  /** Steps of that epoch already done (0: from its beginning). */
  step: number;
  /** Called once every onTrainBegin has run (so callbacks that reset themselves there are set after). */
  restoreCallbacks(): void;
  /** Called after the resumed epoch's shuffle when step > 0: the RNG and the sums as they were then. */
  restoreEpoch(sums: EpochSums): void;
}

/** What fit shares with the callbacks of one run. */
export interface FitRun {
  /** Every callback of the run, History included, in call order. */
  readonly callbacks: readonly CallbackLike[];
  readonly history: { epoch: number[]; history: Record<string, number[]> };
  epochSums: EpochSums | null;
  /** Set by a callback in onTrainBegin to continue a run. */
  resume: ResumePoint | null;
  /** Called by fit after every callback has seen a batch end (stepsDone > 0) or an epoch end (stepsDone = -1): the whole state is consistent there. */
  atBoundary: ((epoch: number, stepsDone: number) => void | Promise<void>) | null;
  /** True once Ctrl-C (SIGINT) asked fit to stop: it stops after the current batch, without ending the epoch. */
  interrupted: boolean;
}

/** Callbacks whose state survives a restart (BackupAndRestore saves it as JSON). */
export interface StatefulCallback {
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}

export interface TrainingParams {
  epochs: number;
  steps: number;
  verbose: number;
  batchSize?: number;
  samples?: number;
  /** 'fit', 'evaluate' or 'predict' */
  mode?: string;
}

/**
 * Keras's Callback: override any hook. Hooks may be async (fit awaits them).
 * `this.model.stopTraining = true` ends fit after the current epoch.
 */
export class Callback {
  model: CallbackModel | null = null;
  params: TrainingParams | null = null;
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
}

/** Plain objects with some of the hooks are accepted too, as in tfjs (`{ onEpochEnd: ... }`). */
export type CallbackLike = Callback | Partial<Omit<Callback, 'model' | 'params'>>;

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onTestBegin' | 'onTestEnd';

export class CallbackList {
  constructor(readonly callbacks: CallbackLike[]) {}

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) {
      if (typeof c.setModel === 'function') c.setModel(model);
      else (c as { model?: CallbackModel }).model = model;
    }
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) {
      if (typeof c.setParams === 'function') c.setParams(params);
      else (c as { params?: TrainingParams }).params = params;
    }
  }

  async call(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const f = (c as Record<string, unknown>)[hook];
      if (typeof f === 'function') await (f as (...a: unknown[]) => unknown).apply(c, args);
    }
  }
}
