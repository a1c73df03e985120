import { join } from 'node:path';
import * as tt from '../../src/index';
import { smallModel } from './seeds';

/**
 * The child of the kill test (kill.ts): writes one kind of file over and over until it is killed.
 * Versions 1, 2, 3, ...: every weight of version k equals k, so a complete file shows which
 * version it is and a mixed one shows damage. Tells the parent {started: k} and {done: k}.
 * Does nothing unless started by kill.ts (node --test also runs every .js under test/).
 */

export type KillMode = 'keras' | 'h5' | 'weights' | 'checkpoint';

export const TARGETS: Record<KillMode, string> = { keras: 'm.keras', h5: 'm.h5', weights: 'w.weights.h5', checkpoint: 'ckpt.keras' };

async function writeVersions(mode: Exclude<KillMode, 'checkpoint'>, file: string): Promise<void> {
  const m = smallModel();
  for (let k = 1; ; k++) {
    for (const w of m.weights) w.values.fill(k);
    process.send!({ started: k });
    if (mode === 'weights') await m.saveWeights(file);
    else await m.save(file);
    process.send!({ done: k });
  }
}

/** fit with a ModelCheckpoint that saves after every batch (weights change at each one). */
async function checkpoints(file: string): Promise<void> {
  const m = smallModel();
  tt.setSeed(3);
  const x = tt.randomNormal([16, 6, 6, 2]);
  const y = tt.oneHot(tt.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [16], 'int32'), 4);
  let k = 0;
  const report = tt.callbacks.lambdaCallback({ onBatchEnd: () => void process.send!({ done: ++k }) });
  await m.fit(x, y, { epochs: 100_000, batchSize: 4, verbose: 0, callbacks: [tt.callbacks.modelCheckpoint({ filepath: file, saveFreq: 1 }), report] });
}

if (process.env.TATAMI_KILL_WRITER && process.send) {
  const mode = process.env.TATAMI_KILL_WRITER as KillMode;
  const file = join(process.argv[2], TARGETS[mode]);
  (mode === 'checkpoint' ? checkpoints(file) : writeVersions(mode, file)).catch((e) => {
    process.send!({ fatal: String((e as Error)?.stack ?? e) });
    process.exit(1);
  });
}
