import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { tempDir } from './io_helpers';
import type { MutationCase, MutationJob, MutationResult } from './mutation_worker';

// A bounded mutation run: damaged copies of a small model's .keras and .h5 files (truncated,
// bytes flipped, bytes inserted; seeded). Every load either succeeds or throws ModelFileError
// (anything else is a crash), and none takes longer than HANG_MS (the worker is stopped then).
// HDF5 has no checksums on data, so a flipped weight byte in an .h5 file loads as a changed
// weight: that figure is reported, not asserted. A .keras file with a changed weight is a failure.

const CASES = Number(process.env.TATAMI_MUTATION_CASES ?? 200);
const SEED = Number(process.env.TATAMI_MUTATION_SEED ?? 2026);
const HANG_MS = 10_000;
// worker start-up (loading tatami, training and saving the two originals) on a busy machine
const STARTUP_MS = 120_000;

function runWorker(job: MutationJob): Promise<{ results: MutationResult[]; hung: MutationCase | null }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'mutation_worker.js'), { workerData: { mutationJob: job } });
    const results: MutationResult[] = [];
    let current: MutationCase | null = null;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms = HANG_MS) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        resolve({ results, hung: current });
      }, ms);
    };
    arm(STARTUP_MS);
    worker.on('message', (m) => {
      if (m.case) current = m.case;
      if (m.result) results.push(m.result);
      if (m.fatal) reject(new Error(`mutation worker failed: ${m.fatal}`));
      if (m.done) {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ results, hung: null });
        return;
      }
      arm();
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe(`mutation run: ${CASES} damaged .keras/.h5 files (seed ${SEED})`, () => {
  let dir = '';
  let cleanup = () => {};
  let results: MutationResult[] = [];
  let hung: MutationCase | null = null;
  before(async () => {
    ({ dir, cleanup } = tempDir('mutate'));
    ({ results, hung } = await runWorker({ dir, seed: SEED, cases: CASES }));
  });
  after(() => cleanup());

  it('no load hangs', () => {
    assert.equal(hung, null, `stopped after ${HANG_MS} ms on ${JSON.stringify(hung)}`);
    assert.equal(results.length, CASES);
  });

  it('no crashes: every failure is a ModelFileError', () => {
    const crashes = results.filter((r) => r.outcome === 'crash');
    assert.deepEqual(crashes, [], `${crashes.length} crashes`);
  });

  it('no damaged .keras file loads with changed weights', () => {
    const changed = results.filter((r) => r.format === 'keras' && r.outcome === 'changed');
    assert.deepEqual(changed, []);
  });

  it('reports what happened to each format', (t) => {
    for (const format of ['keras', 'h5'] as const) {
      const mine = results.filter((r) => r.format === format);
      const count = (o: string) => mine.filter((r) => r.outcome === o).length;
      const slowest = Math.max(...mine.map((r) => r.ms));
      t.diagnostic(`${format}: ${mine.length} files, ${count('rejected')} rejected, ${count('same')} loaded unchanged, ` +
        `${count('changed')} loaded with changed weights, ${count('crash')} crashes; slowest load ${slowest.toFixed(0)} ms`);
      assert.ok(count('rejected') > mine.length / 2, `${format}: most damaged files are rejected`);
    }
  });
});
