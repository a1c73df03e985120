import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { Rng } from '../../src/util/rng';

/**
 * The training script of the kill tests (backup_and_restore.test.ts, interrupt.test.ts), run as a
 * child process: `node resume_child.js <workDir> <saveFreq> [msPerBatch]`. A small model with
 * dropout, shuffling, ReduceLROnPlateau, EarlyStopping(restoreBestWeights) and ModelCheckpoint,
 * backed up by BackupAndRestore in <workDir>/backup; at the end it writes <workDir>/result.json
 * (every weight as float32 bits, the optimizer's state, the History). node --test runs every .js
 * under test/, this one too: without arguments it does nothing.
 */

export interface ChildResult {
  weights: string[];
  optimizer: { iterations: number; learningRate: number; slots: string[] };
  history: { epoch: number[]; history: Record<string, number[]> };
  /** EarlyStopping's and ModelCheckpoint's states at the end. */
  callbacks: Record<string, unknown>[];
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export async function main(workDir: string, saveFreq: 'epoch' | number, msPerBatch: number): Promise<void> {
  tt.setSeed(42);
  // data from its own generator: the same whatever the global RNG does
  const rng = new Rng(7);
  const n = 200;
  const x = new Float32Array(n * 8).map(() => rng.normal());
  const labels = Array.from({ length: n }, (_, i) => (x[i * 8] + x[i * 8 + 1] > 0.3 ? 0 : x[i * 8 + 2] > 0 ? 1 : 2));
  const y = new Float32Array(n * 3);
  labels.forEach((c, i) => (y[i * 3 + c] = 1));
  const model = tt.sequential([
    tt.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }),
    tt.layers.dropout({ rate: 0.3 }),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const slow = tt.callbacks.lambdaCallback({ onBatchEnd: () => new Promise<void>((r) => setTimeout(r, msPerBatch)) });
  const callbacks = [
    tt.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minDelta: 0.01 }),
    tt.callbacks.backupAndRestore({ backupDir: path.join(workDir, 'backup'), saveFreq }),
    tt.callbacks.earlyStopping({ monitor: 'val_loss', patience: 4, restoreBestWeights: true }),
    tt.callbacks.modelCheckpoint({ filepath: path.join(workDir, 'best.weights.h5'), saveBestOnly: true, saveWeightsOnly: true }),
  ];
  const history = await model.fit(tt.tensor(x, [n, 8]), tt.tensor(y, [n, 3]), {
    epochs: 14, batchSize: 16, validationSplit: 0.2, verbose: 0,
    callbacks: [...callbacks, ...(msPerBatch > 0 ? [slow] : [])],
  });
  const opt = model.optimizer!;
  const state = opt.getState();
  const result: ChildResult = {
    weights: model.weights.map((w) => b64(w.values as Float32Array)),
    optimizer: { iterations: opt.iterations, learningRate: opt.learningRate, slots: state.slice(1).map((s) => b64(s.values)) },
    history: { epoch: history.epoch, history: history.history },
    callbacks: [callbacks[0], callbacks[2], callbacks[3]].map((c) => (c as unknown as { getState(): Record<string, unknown> }).getState()),
  };
  fs.writeFileSync(path.join(workDir, 'result.json'), JSON.stringify(result));
}

if (require.main === module && process.argv.length >= 4) {
  const freq = process.argv[3] === 'epoch' ? 'epoch' : Number(process.argv[3]);
  main(process.argv[2], freq, Number(process.argv[4] ?? 0)).catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
