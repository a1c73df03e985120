import * as fs from 'node:fs';
import * as path from 'node:path';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { Callback, type Logs } from './callback';
import { checkMode, checkNumber, lowerIsBetter, printMsg, warnOnce, type Mode } from './monitor';
import { KeyError, formatValue, pyFormat } from './py_format';
import { warmHdf5Writer } from './warm_writer';

export interface ModelCheckpointArgs {
  /**
   * Where to save; Python format fields are filled from `epoch` (1-based), `batch` and the
   * logs: 'weights/val_loss{val_loss:.3f}.weights.h5', 'ckpt-{epoch:02d}.keras'. Must end in
   * '.weights.h5' with saveWeightsOnly, else in '.keras' or '.h5'. Folders are created.
   */
  filepath: string;
  /** Quantity compared when saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 1 prints a line for each save or skip (default 0). */
  verbose?: number;
  /** Save only when the monitored quantity improves (default false). */
  saveBestOnly?: boolean;
  /** model.saveWeights instead of model.save (default false). */
  saveWeightsOnly?: boolean;
  /** 'auto', 'min' or 'max'. */
  mode?: Mode;
  /** 'epoch' (default) or a number of batches between saves. */
  saveFreq?: 'epoch' | number;
  /** Initial "best" value with saveBestOnly (default: none, i.e. ±inf). */
  initialValueThreshold?: number;
  /**
   * Deprecated (Keras 2, removed in Keras 3): save only every `period` epochs, the epochs
   * period, 2*period, ... (1-based). Accepted for old scripts such as seed 002's `period=3`.
   */
  period?: number;
}

const KEYS = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold', 'period'];

/**
 * Keras 3's ModelCheckpoint: saves the model (model.save) or its weights (model.saveWeights)
 * after every epoch or every `saveFreq` batches, optionally only when the monitored quantity
 * improves. Messages are Keras 3's: `Epoch 3: val_loss improved from inf to 0.07180, saving
 * model to weights/val_loss0.072.weights.h5`, `Epoch 4: val_loss did not improve from 0.07180`.
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: Mode;
  readonly saveFreq: 'epoch' | number;
  readonly period: number;
  /** Best monitored value so far (undefined until the first epoch end). */
  best: number | undefined;
  private lower: boolean | null = null;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private epochsSinceSave = 0;

  constructor(args: ModelCheckpointArgs) {
    super();
    checkOptions('modelCheckpoint', args, KEYS);
    if (typeof args?.filepath !== 'string' || args.filepath === '') throw new ValueError('modelCheckpoint: filepath (a string) is required');
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = checkMode(args.mode, (m) => `ModelCheckpoint mode '${m}' is unknown, fallback to auto mode.`);
    this.best = args.initialValueThreshold;
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isInteger(freq) && (freq as number) > 0)) {
      throw new ValueError(`Unrecognized saveFreq: ${JSON.stringify(freq)}. Expected saveFreq are 'epoch' or integer values`);
    }
    this.saveFreq = freq;
    this.period = checkNumber('modelCheckpoint', 'period', args.period ?? 1, { integer: true, min: 1 });
    if (args.period !== undefined) {
      warnOnce('ModelCheckpoint: `period` is deprecated (Keras 2; Keras 3 removed it). It saves every `period` epochs; use `saveFreq` (\'epoch\' or a number of batches) instead.');
    }
    if (this.saveWeightsOnly) {
      if (!this.filepath.endsWith('.weights.h5')) {
        throw new ValueError('When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` ' +
          `(Keras weights format). Received: filepath=${this.filepath}`);
      }
    } else if (!this.filepath.endsWith('.keras') && !this.filepath.endsWith('.h5')) {
      throw new ValueError(`The filepath provided must end in \`.keras\` (Keras model format) or \`.h5\`. Received: filepath=${this.filepath}`);
    }
  }

  /** What BackupAndRestore keeps: the best value and where the save counters stand. */
  getState(): Record<string, unknown> {
    return {
      best: this.best ?? null, lower: this.lower, currentEpoch: this.currentEpoch, batchesSinceSave: this.batchesSinceSave,
      lastBatchSeen: this.lastBatchSeen, epochsSinceSave: this.epochsSinceSave,
    };
  }

  setState(state: Record<string, unknown>): void {
    this.best = (state.best as number | null) ?? undefined;
    this.lower = state.lower as boolean | null;
    this.currentEpoch = state.currentEpoch as number;
    this.batchesSinceSave = state.batchesSinceSave as number;
    this.lastBatchSeen = state.lastBatchSeen as number;
    this.epochsSinceSave = state.epochsSinceSave as number;
  }

  override async onTrainBegin(): Promise<void> {
    await warmHdf5Writer(this.model);
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras counts batches across epochs; a batch index that did not grow starts a new epoch.
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.saveModel(this.currentEpoch, batch, logs ?? {});
    }
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.lower === null) {
      this.lower = lowerIsBetter(this.monitor, this.mode, 'ModelCheckpoint');
      this.best ??= this.lower ? Infinity : -Infinity;
    }
    if (this.saveFreq !== 'epoch') return;
    if (++this.epochsSinceSave < this.period) return;
    this.epochsSinceSave = 0;
    await this.saveModel(epoch, null, logs ?? {});
  }

  /** The file path for this epoch (and batch): the template filled with epoch+1, batch+1 and the logs. */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null && !('batch' in logs)) values.batch = batch + 1;
    try {
      return pyFormat(this.filepath, values, ['epoch', 'batch']);
    } catch (e) {
      if (e instanceof KeyError) {
        throw new KeyError(`Failed to format this callback filepath: "${this.filepath}". Reason: '${e.key}' ` +
          `(available: epoch${batch !== null ? ', batch' : ''}, ${Object.keys(logs).join(', ')})`);
      }
      throw e;
    }
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined || current === null) {
      warnOnce(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    this.lower ??= lowerIsBetter(this.monitor, this.mode, 'ModelCheckpoint');
    const best = this.best;
    const bestStr = best === undefined ? 'None' : formatValue(best, '.5f');
    const improved = best === undefined || (this.lower ? current < best : current > best);
    if (improved) {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${formatValue(current, '.5f')}, saving model to ${filepath}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const filepath = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    if (fs.existsSync(filepath) && fs.statSync(filepath).isDirectory()) {
      throw new TatamiError(`Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`);
    }
    const dir = path.dirname(filepath);
    if (dir && !fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
    const model = this.model!;
    if (this.saveWeightsOnly) {
      if (typeof model.saveWeights !== 'function') throw new TatamiError(`ModelCheckpoint: model '${model.name}' has no saveWeights(path)`);
      await model.saveWeights(filepath);
    } else {
      if (typeof model.save !== 'function') throw new TatamiError(`ModelCheckpoint: model '${model.name}' has no save(path)`);
      await model.save(filepath, { overwrite: true });
    }
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
  }
}

/** tt.callbacks.modelCheckpoint(args): a new ModelCheckpoint. */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
