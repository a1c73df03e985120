import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../util/atomic_file';
import { crc32 } from '../util/crc32';
import { globalRng, type RngState } from '../util/rng';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { warmHdf5Writer } from './warm_writer';
import { Callback, type CallbackLike, type EpochSums, type FitRun, type StatefulCallback } from './callback';

export interface BackupAndRestoreArgs {
  /** Folder for the backup; used by this callback only (not another run, not a ModelCheckpoint). */
  backupDir: string;
  /** 'epoch' (default): back up after each epoch; a number: every that many batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when fit completes (default true). */
  deleteCheckpoint?: boolean;
}

const KEYS = ['backupDir', 'saveFreq', 'deleteCheckpoint'];
const FORMAT = 'tatami BackupAndRestore 1';
// two slots written in turn: while one is being replaced the other is whole
const SLOTS = ['backup_a', 'backup_b'];

/** One backup: <slot>.weights.h5 (weights and optimizer, model.saveWeights) and <slot>.json (this). */
interface Backup {
  format: string;
  generation: number;
  /** Where fit goes on: `step` steps of `epoch` are done. */
  epoch: number;
  step: number;
  /** A callback stopped training (EarlyStopping): the run is over. */
  stopped: boolean;
  weightsBytes: number;
  weightsCrc32: number;
  /** The RNG before the epoch's shuffle, and now (dropout of the next batch). */
  rngEpochStart: RngState;
  rng: RngState;
  epochSums: EpochSums | null;
  history: { epoch: number[]; history: Record<string, number[]> };
  callbacks: { index: number; className: string; state: Record<string, unknown> }[];
  own: { batchesSinceSave: number; lastBatchSeen: number };
}

// JSON has no NaN, Infinity or -0; a loss or a "best" may be any of them
const encode = (_k: string, v: unknown) =>
  typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { $number: Object.is(v, -0) ? '-0' : String(v) } : v;
const decode = (_k: string, v: unknown) =>
  v !== null && typeof v === 'object' && typeof (v as { $number?: unknown }).$number === 'string' ? Number((v as { $number: string }).$number) : v;

/**
 * The length and CRC-32 of a file, read in 1 MB pieces: reading a backup back whole made a
 * garbage buffer of its size at every save (14 MB for seed 001), which moved RSS between epochs.
 */
function fileCrc32(file: string): { bytes: number; crc: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const piece = new Uint8Array(1 << 20);
    let crc = 0;
    let bytes = 0;
    for (let n; (n = fs.readSync(fd, piece, 0, piece.length, bytes)) > 0; bytes += n) crc = crc32(piece.subarray(0, n), crc);
    return { bytes, crc };
  } finally {
    fs.closeSync(fd);
  }
}

const isStateful = (c: CallbackLike): c is CallbackLike & StatefulCallback =>
  typeof (c as Partial<StatefulCallback>).getState === 'function' && typeof (c as Partial<StatefulCallback>).setState === 'function';

/**
 * Keras 3's BackupAndRestore: backs up the training state after each epoch (or every `saveFreq`
 * batches); when fit starts again with the same model, data and callbacks, it goes on from the
 * last backup, and a run killed at any moment (kill -9) ends as an uninterrupted one would, bit for
 * bit. Beyond Keras (which keeps weights and the epoch only, and restarts a half-done epoch), the
 * backup holds the optimizer state and learning rate, the states of EarlyStopping,
 * ReduceLROnPlateau and ModelCheckpoint (any callback with getState/setState), the RNG of
 * shuffling and dropout, the epoch's running sums and the History, so fit resumes mid-epoch at
 * the very batch. Each file is written through a temporary name and a rename, in two slots
 * used in turn, and the JSON names the CRC-32 of its weights file: a slot caught half-written is
 * skipped. The folder's backup files are deleted when fit completes (deleteCheckpoint), not when
 * it is interrupted by Ctrl-C.
 * @example
 *   await model.fit(x, y, { epochs: 50, callbacks: [tt.callbacks.backupAndRestore({ backupDir: 'backup' })] });
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private generation = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private rngEpochStart: RngState | null = null;

  constructor(args: BackupAndRestoreArgs) {
    super();
    checkOptions('backupAndRestore', args, KEYS);
    if (typeof args?.backupDir !== 'string' || args.backupDir === '') throw new ValueError('Empty `backupDir` argument passed');
    this.backupDir = args.backupDir;
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isInteger(freq) && (freq as number) > 0)) {
      throw new ValueError(`Invalid value for argument \`saveFreq\`. Received: saveFreq=${JSON.stringify(freq)}. Expected either 'epoch' or a positive integer.`);
    }
    this.saveFreq = freq;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  private files(slot: string): { weights: string; meta: string } {
    return { weights: path.join(this.backupDir, `${slot}.weights.h5`), meta: path.join(this.backupDir, `${slot}.json`) };
  }

  private run(): FitRun {
    const run = this.model?.fitRun;
    if (!run) throw new TatamiError('BackupAndRestore works inside model.fit only');
    return run;
  }

  /** The newest whole backup, or null when there is none; a folder holding only damaged ones is an error. */
  latest(): { backup: Backup; weights: string } | null {
    let best: { backup: Backup; weights: string } | null = null;
    const problems: string[] = [];
    for (const slot of SLOTS) {
      const f = this.files(slot);
      if (!fs.existsSync(f.meta)) continue;
      try {
        const backup = JSON.parse(fs.readFileSync(f.meta, 'utf8'), decode) as Backup;
        if (backup?.format !== FORMAT) throw new Error(`not a ${FORMAT} file`);
        const bytes = fs.existsSync(f.weights) ? fs.readFileSync(f.weights) : null;
        // the weights were replaced but this JSON was not (killed in between): the other slot is whole
        if (!bytes || bytes.length !== backup.weightsBytes || crc32(bytes) !== backup.weightsCrc32) throw new Error('its weights file is not the one it was written with');
        if (!best || backup.generation > best.backup.generation) best = { backup, weights: f.weights };
      } catch (e) {
        problems.push(`${f.meta}: ${(e as Error).message}`);
      }
    }
    if (!best && problems.length === SLOTS.length) {
      throw new TatamiError(`the backup in '${this.backupDir}' is damaged (${problems.join('; ')}); delete the folder to start over`);
    }
    return best;
  }

  override async onTrainBegin(): Promise<void> {
    const run = this.run();
    const model = this.model!;
    if (typeof model.saveWeights !== 'function' || typeof model.loadWeights !== 'function') {
      throw new TatamiError(`BackupAndRestore: model '${model.name}' has no saveWeights/loadWeights`);
    }
    this.generation = 0;
    this.batchesSinceSave = 0;
    this.lastBatchSeen = 0;
    const previous = run.atBoundary;
    run.atBoundary = async (epoch, stepsDone) => {
      await previous?.(epoch, stepsDone);
      await this.atBoundary(run, epoch, stepsDone);
    };
    const found = this.latest();
    await warmHdf5Writer(model);
    if (!found) return;
    const b = found.backup;
    await model.loadWeights(found.weights);
    this.generation = b.generation;
    run.resume = {
      epoch: b.stopped ? (this.params?.epochs ?? b.epoch) : b.epoch,
      step: b.stopped ? 0 : b.step,
      restoreCallbacks: () => this.restoreCallbacks(run, b),
      restoreEpoch: (sums) => {
        if (b.epochSums) Object.assign(sums, { count: b.epochSums.count, lossSum: b.epochSums.lossSum, metricSums: b.epochSums.metricSums.slice() });
        globalRng.setState(b.rng);
      },
    };
  }

  private restoreCallbacks(run: FitRun, b: Backup): void {
    const mismatch = (what: string) =>
      new TatamiError(`the backup in '${this.backupDir}' was made with other callbacks (${what}); resume with the same callbacks, or delete the folder to start over`);
    for (const saved of b.callbacks) {
      const c = run.callbacks[saved.index];
      if (!c || !isStateful(c) || c.constructor.name !== saved.className) throw mismatch(`callback ${saved.index} was a ${saved.className}`);
      c.setState(saved.state);
    }
    run.history.epoch.splice(0, Infinity, ...b.history.epoch);
    for (const k of Object.keys(run.history.history)) delete run.history.history[k];
    Object.assign(run.history.history, b.history.history);
    this.batchesSinceSave = b.own.batchesSinceSave;
    this.lastBatchSeen = b.own.lastBatchSeen;
    // before the epoch's onEpochBegin and shuffle: the same order as the first time
    globalRng.setState(b.rngEpochStart);
  }

  override onEpochBegin(): void {
    this.rngEpochStart = globalRng.getState();
  }

  /** After every callback has seen the batch (or epoch) end: back up when due, or when interrupted. */
  private async atBoundary(run: FitRun, epoch: number, stepsDone: number): Promise<void> {
    const model = this.model!;
    if (stepsDone < 0) {
      this.lastBatchSeen = 0;
      if (this.saveFreq === 'epoch' || run.interrupted) {
        const rng = globalRng.getState();
        await this.save(run, { epoch: epoch + 1, step: 0, stopped: model.stopTraining && !run.interrupted, rngEpochStart: rng, rng, epochSums: null });
      }
      return;
    }
    const batch = stepsDone - 1;
    let due = false;
    if (this.saveFreq !== 'epoch') {
      // Keras's count: batches since the last save, across epochs
      this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
      this.lastBatchSeen = batch;
      if (this.batchesSinceSave >= this.saveFreq) {
        this.batchesSinceSave = 0;
        due = true;
      }
    }
    // a callback that stopped training ends the epoch now: its epoch-end backup follows
    if (!run.interrupted && (!due || model.stopTraining)) return;
    const sums = run.epochSums!;
    await this.save(run, {
      epoch, step: stepsDone, stopped: false, rngEpochStart: this.rngEpochStart ?? globalRng.getState(), rng: globalRng.getState(),
      epochSums: { count: sums.count, lossSum: sums.lossSum, metricSums: sums.metricSums.slice() },
    });
  }

  private async save(run: FitRun, at: Pick<Backup, 'epoch' | 'step' | 'stopped' | 'rngEpochStart' | 'rng' | 'epochSums'>): Promise<void> {
    const generation = this.generation + 1;
    const f = this.files(SLOTS[generation % 2]);
    fs.mkdirSync(this.backupDir, { recursive: true });
    await this.model!.saveWeights!(f.weights);
    const written = fileCrc32(f.weights);
    const backup: Backup = {
      format: FORMAT, generation, ...at, weightsBytes: written.bytes, weightsCrc32: written.crc,
      history: { epoch: run.history.epoch.slice(), history: Object.fromEntries(Object.entries(run.history.history).map(([k, v]) => [k, v.slice()])) },
      callbacks: run.callbacks.flatMap((c, index) => (c !== this && isStateful(c) ? [{ index, className: c.constructor.name, state: c.getState() }] : [])),
      own: { batchesSinceSave: this.batchesSinceSave, lastBatchSeen: this.lastBatchSeen },
    };
    writeFileAtomicSync(f.meta, JSON.stringify(backup, encode));
    this.generation = generation;
  }

  override onTrainEnd(): void {
    // Ctrl-C keeps the backup: the same command goes on from it
    if (this.model?.fitRun?.interrupted || !this.deleteCheckpoint || !fs.existsSync(this.backupDir)) return;
    for (const slot of SLOTS) {
      const f = this.files(slot);
      fs.rmSync(f.weights, { force: true });
      fs.rmSync(f.meta, { force: true });
    }
    // temporaries of writes killed half-way, then the folder if nothing else is in it
    for (const name of fs.readdirSync(this.backupDir)) {
      if (/^\.backup_[ab]\.(weights\.h5|json)\..*\.tmp$/.test(name)) fs.rmSync(path.join(this.backupDir, name), { force: true });
    }
    if (fs.readdirSync(this.backupDir).length === 0) fs.rmdirSync(this.backupDir);
  }
}

/** tt.callbacks.backupAndRestore(args): a new BackupAndRestore. */
export function backupAndRestore(args: BackupAndRestoreArgs): BackupAndRestore {
  return new BackupAndRestore(args);
}
