import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../util/errors';
import { Callback, type Logs } from './callback';
import { checkMode, checkNumber, lowerIsBetter, monitorValue, printMsg, type Mode } from './monitor';

export interface EarlyStoppingArgs {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** A change smaller than this (in absolute value) is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1 prints `Epoch 22: early stopping` (default 0). */
  verbose?: number;
  /** 'auto' (from the name), 'min' or 'max'. */
  mode?: Mode;
  /** Training stops unless the quantity beats this value within `patience` epochs. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before watching starts (default 0). */
  startFromEpoch?: number;
}

const KEYS = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'];

/**
 * Keras 3's EarlyStopping: stops fit when the monitored quantity has not improved for
 * `patience` epochs; `restoreBestWeights` restores the best epoch's weights at the end.
 * @example
 *   await model.fit(x, y, { validationSplit: 0.2, epochs: 50,
 *     callbacks: [tt.callbacks.earlyStopping({ monitor: 'val_loss', patience: 10, verbose: 1 })] });
 *   // prints "Epoch 22: early stopping"
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: Mode;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  /** 0-based epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;
  private lower: boolean | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    checkOptions('earlyStopping', args, KEYS);
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber('earlyStopping', 'minDelta', args.minDelta ?? 0, { min: -Infinity }));
    this.patience = checkNumber('earlyStopping', 'patience', args.patience ?? 0, { integer: true });
    this.verbose = args.verbose ?? 0;
    this.mode = checkMode(args.mode, (m) => `EarlyStopping mode ${m} is unknown, fallback to auto mode.`);
    this.baseline = args.baseline ?? undefined;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkNumber('earlyStopping', 'startFromEpoch', args.startFromEpoch ?? 0, { integer: true });
  }

  override onTrainBegin(): void {
    // Instances may be reused across fits.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    if (this.lower !== null) this.best = this.lower ? Infinity : -Infinity;
  }

  /** Keras's _is_improvement: beats the reference by more than minDelta in the right direction. */
  private isImprovement(value: number, reference: number): boolean {
    return this.lower ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.lower === null) {
      // Decided at the first epoch end, as Keras does once the metrics exist.
      this.lower = lowerIsBetter(this.monitor, this.mode, 'EarlyStopping');
      this.best = this.lower ? Infinity : -Infinity;
    }
    const current = monitorValue(logs, this.monitor, (keys) =>
      `Early stopping conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${keys}`);
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = this.model!;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // With no best yet, the current weights are the best.
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      // The wait restarts only when the value beats both the previous best and the baseline.
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  /** What BackupAndRestore keeps: the wait, the best value and epoch (and weights, with restoreBestWeights). */
  getState(): Record<string, unknown> {
    return {
      wait: this.wait, stoppedEpoch: this.stoppedEpoch, best: this.best, bestEpoch: this.bestEpoch, lower: this.lower,
      bestWeights: this.bestWeights?.map((t) => ({ shape: t.shape.slice(), values: Array.from(t.dataSync() as Float32Array) })) ?? null,
    };
  }

  setState(state: Record<string, unknown>): void {
    this.wait = state.wait as number;
    this.stoppedEpoch = state.stoppedEpoch as number;
    this.best = state.best as number;
    this.bestEpoch = state.bestEpoch as number;
    this.lower = state.lower as boolean | null;
    const w = state.bestWeights as { shape: number[]; values: number[] }[] | null;
    this.bestWeights = w ? w.map((t) => Tensor.fromArray(Float32Array.from(t.values), t.shape)) : null;
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMsg(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) printMsg(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
  }
}

/** tt.callbacks.earlyStopping(args): a new EarlyStopping. */
export function earlyStopping(args: EarlyStoppingArgs = {}): EarlyStopping {
  return new EarlyStopping(args);
}
