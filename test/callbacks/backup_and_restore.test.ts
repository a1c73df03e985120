import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { Rng } from '../../src/util/rng';
import type { ChildResult } from './resume_child';

// Kill tests: resume_child.js trains with BackupAndRestore, ReduceLROnPlateau, EarlyStopping,
// ModelCheckpoint, dropout and shuffling; it is sent SIGKILL after backups (and at seeded moments
// after them: mid-batch, mid-save), started again with the same command each time, and must end
// bit-identical to an uninterrupted run: weights, optimizer state, learning rate, History and
// the callbacks' states.

const CHILD = path.join(__dirname, 'resume_child.js');
// tmpfs when there is one: fsync there is free, and SIGKILL does not lose written pages anyway
const TMP = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function spawnChild(dir: string, saveFreq: string, msPerBatch: number) {
  const child = spawn(process.execPath, [CHILD, dir, saveFreq, String(msPerBatch)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

/** The newest backup's generation and position, or null. */
function latestBackup(dir: string): { generation: number; epoch: number; step: number } | null {
  let best: { generation: number; epoch: number; step: number } | null = null;
  for (const slot of ['backup_a', 'backup_b']) {
    try {
      const b = JSON.parse(fs.readFileSync(path.join(dir, 'backup', `${slot}.json`), 'utf8'));
      if (!best || b.generation > best.generation) best = { generation: b.generation, epoch: b.epoch, step: b.step };
    } catch {
      // not there yet
    }
  }
  return best;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// more kills for a longer run: TATAMI_KILLS=20 node --test dist/test/callbacks/backup_and_restore.test.js
const KILLS = Number(process.env.TATAMI_KILLS ?? 3);

async function uninterrupted(dir: string, saveFreq: string): Promise<ChildResult> {
  const { exited } = spawnChild(dir, saveFreq, 0);
  const r = await exited;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!fs.existsSync(path.join(dir, 'backup')), 'a completed run deletes its backup');
  return JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
}

/** Runs the child until it completes, killing it `kills` times after backups; returns what it resumed from each time. */
async function killedRun(dir: string, saveFreq: string, kills: number, seed: number): Promise<{ result: ChildResult; resumedFrom: string[] }> {
  const rng = new Rng(seed);
  const resumedFrom: string[] = [];
  for (let attempt = 0; ; attempt++) {
    assert.ok(attempt <= kills + 1, 'the run finishes');
    const start = latestBackup(dir)?.generation ?? 0;
    const { child, exited } = spawnChild(dir, saveFreq, 4);
    let done: Awaited<typeof exited> | null = null;
    void exited.then((r) => (done = r));
    if (resumedFrom.length < kills) {
      const target = start + 1 + Math.floor(rng.uniform() * 2);
      while (!done && (latestBackup(dir)?.generation ?? 0) < target) await sleep(5);
      if (!done) {
        await sleep(Math.floor(rng.uniform() * 40)); // during the next batch, or the next backup's write
        child.kill('SIGKILL');
      }
    }
    const r = await exited;
    if (r.signal === 'SIGKILL') {
      const b = latestBackup(dir)!;
      resumedFrom.push(`epoch ${b.epoch} step ${b.step}`);
      continue;
    }
    assert.equal(r.code, 0, r.stderr);
    return { result: JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')), resumedFrom };
  }
}

describe('BackupAndRestore: kill -9 and start again', { timeout: 600_000 }, () => {
  let root = '';
  let want: ChildResult;
  before(async () => {
    root = fs.mkdtempSync(path.join(TMP, 'tatami-backup-'));
    // one uninterrupted run for both: how often backups are made changes nothing in training
    want = await uninterrupted(path.join(root, 'whole'), 'epoch');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the reference run is one where the callbacks act', () => {
    assert.ok(new Set(want.history.history.learning_rate).size >= 2, 'ReduceLROnPlateau lowered the learning rate');
    assert.ok(want.history.epoch.length < 14, 'EarlyStopping ended the run');
  });

  for (const [saveFreq, kills] of [['3', KILLS], ['epoch', 1]] as const) {
    it(`saveFreq ${saveFreq}: ${kills} SIGKILLs, then the same final state bit for bit`, async (t) => {
      const { result, resumedFrom } = await killedRun(path.join(root, `killed-${saveFreq}`), saveFreq, kills, 13);
      t.diagnostic(`resumed from: ${resumedFrom.join('; ')}`);
      assert.equal(resumedFrom.length, kills);
      if (saveFreq !== 'epoch') assert.ok(resumedFrom.some((s) => !s.endsWith('step 0')), 'some resumes were mid-epoch');
      assert.deepEqual(result.history, want.history);
      assert.deepEqual(result.optimizer, want.optimizer);
      assert.deepEqual(result.weights, want.weights);
      assert.deepEqual(result.callbacks, want.callbacks);
    });
  }
});

describe('BackupAndRestore in process', () => {
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(TMP, 'tatami-bar-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function model(): tt.Sequential {
    tt.setSeed(1);
    const m = tt.sequential([tt.layers.dense({ units: 2, inputShape: [3] })]);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  }
  const x = tt.ones([8, 3]);
  const y = tt.zeros([8, 2]);

  it('checks its options as Keras does', () => {
    assert.throws(() => tt.callbacks.backupAndRestore({ backupDir: '' }), /Empty `backupDir`/);
    assert.throws(() => tt.callbacks.backupAndRestore({ backupDir: 'b', saveFreq: 0 }), /Invalid value for argument `saveFreq`/);
    assert.throws(() => tt.callbacks.backupAndRestore({ backupDir: 'b', saveEvery: 2 } as never), /unknown option 'saveEvery'/);
  });

  it('an interrupted fit resumes at the epoch after its last backup; completion removes only its own files', async () => {
    const backupDir = path.join(dir, 'b1');
    fs.mkdirSync(backupDir);
    fs.writeFileSync(path.join(backupDir, 'notes.txt'), 'mine');
    const crash = { onEpochEnd: (e: number) => { if (e === 2) throw new Error('power cut'); } };
    const m = model();
    await assert.rejects(m.fit(x, y, { epochs: 5, verbose: 0, callbacks: [tt.callbacks.backupAndRestore({ backupDir }), crash] }), /power cut/);
    const m2 = model();
    const h = await m2.fit(x, y, { epochs: 5, verbose: 0, callbacks: [tt.callbacks.backupAndRestore({ backupDir }), {}] });
    // epochs 0 and 1 were backed up (epoch 2 failed before its backup): History holds all five
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4]);
    assert.deepEqual(fs.readdirSync(backupDir), ['notes.txt']);
  });

  it('a slot whose weights file does not match its JSON is skipped; two damaged slots are a clear error', async () => {
    const backupDir = path.join(dir, 'b2');
    const stop = { onEpochEnd: (e: number) => { if (e === 2) throw new Error('stop'); } };
    await assert.rejects(model().fit(x, y, { epochs: 5, verbose: 0, callbacks: [tt.callbacks.backupAndRestore({ backupDir }), stop] }), /stop/);
    // generation 2 (slot a... b in turn): damage the newest weights file
    const cb = tt.callbacks.backupAndRestore({ backupDir });
    const newest = cb.latest()!;
    assert.equal(newest.backup.generation, 2);
    fs.appendFileSync(newest.weights, 'x');
    assert.equal(cb.latest()!.backup.generation, 1, 'the older slot is used');
    for (const f of fs.readdirSync(backupDir).filter((f) => f.endsWith('.weights.h5'))) fs.appendFileSync(path.join(backupDir, f), 'x');
    await assert.rejects(model().fit(x, y, { epochs: 5, verbose: 0, callbacks: [cb] }), (e: Error) =>
      e.name === 'TatamiError' && e.message.includes(backupDir) && /is damaged.*delete the folder/.test(e.message));
  });

  it('a backup made as EarlyStopping ended the run resumes to the same end, training nothing more', async () => {
    const backupDir = path.join(dir, 'b4');
    const run = async () => {
      const m = model();
      const es = tt.callbacks.earlyStopping({ monitor: 'loss', patience: 1, minDelta: 10, restoreBestWeights: true });
      let ran = 0;
      const count = { onEpochBegin: () => void ran++ };
      const h = await m.fit(x, y, { epochs: 20, verbose: 0, callbacks: [tt.callbacks.backupAndRestore({ backupDir, deleteCheckpoint: false }), es, count] });
      return { ran, epochs: h.epoch, loss: h.history.loss, weights: m.weights.map((w) => Array.from(w.values as Float32Array)), es: es.getState() };
    };
    const first = await run();
    assert.ok(first.ran < 20 && first.ran === first.epochs.length, 'EarlyStopping stopped the run');
    const again = await run();
    assert.equal(again.ran, 0, 'no epoch runs again');
    assert.deepEqual({ ...again, ran: first.ran }, first);
  });

  it('resuming with other stateful callbacks is refused', async () => {
    const backupDir = path.join(dir, 'b3');
    const stop = { onEpochEnd: (e: number) => { if (e === 1) throw new Error('stop'); } };
    const es = () => tt.callbacks.earlyStopping({ monitor: 'loss', patience: 10 });
    await assert.rejects(model().fit(x, y, { epochs: 5, verbose: 0, callbacks: [es(), tt.callbacks.backupAndRestore({ backupDir }), stop] }), /stop/);
    const rlr = tt.callbacks.reduceLROnPlateau({ monitor: 'loss' });
    await assert.rejects(model().fit(x, y, { epochs: 5, verbose: 0, callbacks: [rlr, tt.callbacks.backupAndRestore({ backupDir })] }),
      /made with other callbacks \(callback 0 was a EarlyStopping\)/);
  });
});
