import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { Callback, type Logs } from './callback';
import { checkMode, checkNumber, monitorValue, printMsg, type Mode } from './monitor';
import { pyRepr } from './py_format';

export interface ReduceLROnPlateauArgs {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** new_lr = lr * factor; must be < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1 prints each reduction (default 0). */
  verbose?: number;
  /** 'auto' ('max' when the name contains 'acc'), 'min' or 'max'. */
  mode?: Mode;
  /** Threshold for a significant improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate (default 0). */
  minLr?: number;
}

const KEYS = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'];

/**
 * Keras 3's ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` when the
 * monitored quantity has not improved for `patience` epochs, and records the learning rate
 * as logs.learning_rate every epoch (so history.history.learning_rate exists, as in Keras 3).
 * Prints `Epoch 18: ReduceLROnPlateau reducing learning rate to 1.0000000656873453e-06.`:
 * Keras reads the float32 variable into a Python float, multiplies in double precision and
 * prints its repr; the variable then stores the product rounded to float32.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: Mode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private lower = true;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    checkOptions('reduceLROnPlateau', args, KEYS);
    this.monitor = args.monitor ?? 'val_loss';
    const factor = args.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor < 1)) throw new ValueError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${factor}`);
    this.factor = factor;
    this.patience = checkNumber('reduceLROnPlateau', 'patience', args.patience ?? 10, { integer: true });
    this.verbose = args.verbose ?? 0;
    this.mode = checkMode(args.mode, (m) => `Learning rate reduction mode ${m} is unknown, fallback to auto mode.`);
    this.minDelta = checkNumber('reduceLROnPlateau', 'minDelta', args.minDelta ?? 1e-4, { min: -Infinity });
    this.cooldown = checkNumber('reduceLROnPlateau', 'cooldown', args.cooldown ?? 0, { integer: true });
    this.minLr = checkNumber('reduceLROnPlateau', 'minLr', args.minLr ?? 0);
    this.reset();
  }

  private reset(): void {
    // Keras's own rule here (not MonitorCallback's): 'auto' means max iff the name contains 'acc'.
    this.lower = this.mode === 'min' || (this.mode === 'auto' && !this.monitor.includes('acc'));
    this.best = this.lower ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private improves(current: number): boolean {
    return this.lower ? current < this.best - this.minDelta : current > this.best + this.minDelta;
  }

  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  /** What BackupAndRestore keeps (the learning rate itself is in the optimizer's saved state). */
  getState(): Record<string, unknown> {
    return { wait: this.wait, cooldownCounter: this.cooldownCounter, best: this.best };
  }

  setState(state: Record<string, unknown>): void {
    this.wait = state.wait as number;
    this.cooldownCounter = state.cooldownCounter as number;
    this.best = state.best as number;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer) throw new TatamiError('ReduceLROnPlateau needs a compiled model (model.optimizer is null)');
    // Keras stores the learning rate in a float32 variable and logs float(variable).
    if (logs) logs.learning_rate = Math.fround(optimizer.learningRate);
    const current = monitorValue(logs, this.monitor, (keys) =>
      `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${keys}.`);
    if (current === undefined) return;
    if (this.inCooldown()) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait++;
      if (this.wait >= this.patience) {
        const oldLr = Math.fround(optimizer.learningRate);
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = Math.fround(newLr);
          if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyRepr(newLr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** tt.callbacks.reduceLROnPlateau(args): a new ReduceLROnPlateau. */
export function reduceLROnPlateau(args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(args);
}
