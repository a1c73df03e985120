import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tt from '../../src/index';
import { h5WriterWarmedFor } from '../../src/saving/h5_write';
import type { CallbackLike } from '../../src/callbacks/callback';
import { tempDir } from './fakes';

// The callbacks that write HDF5 load and warm the writer when training begins (so its one-time
// memory is taken before the first epoch ends, not at the first save); the others do not.

function problem(inputs: number, units: number): { model: tt.Sequential; x: tt.Tensor; y: tt.Tensor } {
  tt.setSeed(4);
  const model = tt.sequential([tt.layers.dense({ units, inputShape: [inputs] }), tt.layers.dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return { model, x: tt.randomNormal([8, inputs]), y: tt.randomNormal([8, 1]) };
}

/** What the writer had been warmed for when onTrainBegin reached a callback placed after `callbacks`. */
async function warmedAtTrainBegin(model: tt.Sequential, x: tt.Tensor, y: tt.Tensor, callbacks: CallbackLike[]): Promise<number> {
  let seen = NaN;
  const probe = tt.callbacks.lambdaCallback({ onTrainBegin: () => void (seen = h5WriterWarmedFor()) });
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [...callbacks, probe] });
  return seen;
}

const warmFiles = (pid = process.pid) => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`.tatami-warm.h5.${pid}.`));

/** The pid of a process that has exited (a child run to its end). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the HDF5 writer is warmed when training begins', () => {
  it('not without a callback that writes HDF5', async () => {
    const { model, x, y } = problem(10, 10);
    assert.equal(await warmedAtTrainBegin(model, x, y, [tt.callbacks.earlyStopping({ monitor: 'loss' })]), -1);
  });

  it('by ModelCheckpoint, for the largest variable, before its first save', async () => {
    const dir = tempDir();
    const { model, x, y } = problem(50, 40); // largest variable: 50 x 40 float32 = 8000 bytes
    const file = path.join(dir, 'w.weights.h5');
    const seen = await warmedAtTrainBegin(model, x, y, [
      tt.callbacks.modelCheckpoint({ filepath: file, saveWeightsOnly: true }),
      tt.callbacks.lambdaCallback({ onTrainBegin: () => assert.equal(fs.existsSync(file), false) }),
    ]);
    assert.equal(seen, 8000);
    assert.equal(fs.existsSync(file), true);
    assert.deepEqual(warmFiles(), []);
  });

  it('by BackupAndRestore (and so by `tatami train`)', async () => {
    const dir = tempDir();
    const { model, x, y } = problem(100, 60);
    assert.equal(await warmedAtTrainBegin(model, x, y, [tt.callbacks.backupAndRestore({ backupDir: path.join(dir, 'backup') })]), 24000);
    assert.deepEqual(warmFiles(), []);
  });

  it("removes the warm-up files of processes killed while writing them, not a live process's", async () => {
    const dead = deadPid();
    const stale = path.join(os.tmpdir(), `.tatami-warm.h5.${dead}.x1.tmp`);
    const live = path.join(os.tmpdir(), `.tatami-warm.h5.${process.ppid}.x2.tmp`);
    fs.writeFileSync(stale, 'left by a kill -9');
    fs.writeFileSync(live, 'being written');
    try {
      const { model, x, y } = problem(200, 60); // larger than before, so the writer is warmed again
      assert.equal(await warmedAtTrainBegin(model, x, y, [tt.callbacks.backupAndRestore({ backupDir: path.join(tempDir(), 'backup') })]), 48000);
      assert.deepEqual(warmFiles(dead), []);
      assert.equal(fs.existsSync(live), true);
    } finally {
      fs.rmSync(stale, { force: true });
      fs.rmSync(live, { force: true });
    }
  });
});
