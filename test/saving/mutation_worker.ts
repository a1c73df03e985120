import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { Rng } from '../../src/util/rng';

/**
 * The mutation run of mutation.test.ts, in a worker thread so that a load stuck in a loop can be
 * stopped from outside. Reports { case } before and { result } after each damaged file.
 * (node --test also runs this file on its own, as it runs every .js under test/: then it does nothing.)
 */

export interface MutationJob {
  dir: string;
  seed: number;
  cases: number;
}
export type Outcome = 'rejected' | 'same' | 'changed' | 'crash';
export interface MutationCase {
  index: number;
  format: 'keras' | 'h5';
  mutation: string;
}
export interface MutationResult extends MutationCase {
  outcome: Outcome;
  ms: number;
  error?: string;
}

function model(): tt.Sequential {
  resetNames();
  tt.setSeed(7);
  const m = tt.sequential([
    tt.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

/** One damage: cut the file, flip 1-4 bytes, or insert 1-16 random bytes, at seeded places. */
function mutate(bytes: Buffer, rng: Rng): { data: Buffer; mutation: string } {
  const at = (n = bytes.length) => Math.floor(rng.uniform() * n);
  const kind = at(3);
  if (kind === 0) {
    const len = at();
    return { data: bytes.subarray(0, len), mutation: `truncated to ${len} of ${bytes.length} bytes` };
  }
  if (kind === 1) {
    const data = Buffer.from(bytes);
    const spots = [];
    for (let k = 1 + at(4); k > 0; k--) {
      const p = at();
      const mask = 1 + at(255);
      data[p] ^= mask;
      spots.push(`${p}^${mask}`);
    }
    return { data, mutation: `flipped ${spots.join(', ')}` };
  }
  const p = at(bytes.length + 1);
  const extra = Buffer.from(Array.from({ length: 1 + at(16) }, () => at(256)));
  return { data: Buffer.concat([bytes.subarray(0, p), extra, bytes.subarray(p)]), mutation: `${extra.length} bytes inserted at ${p}` };
}

async function run(job: MutationJob): Promise<void> {
  const original = model();
  const files = { keras: join(job.dir, 'm.keras'), h5: join(job.dir, 'm.h5') };
  await original.save(files.keras);
  await original.save(files.h5);
  const want = original.weights.map((w) => Buffer.from((w.values as Float32Array).buffer.slice(0)));
  const good = { keras: readFileSync(files.keras), h5: readFileSync(files.h5) };
  const rng = new Rng(job.seed);
  for (let index = 0; index < job.cases; index++) {
    const format = index % 2 === 0 ? 'keras' : 'h5';
    const { data, mutation } = mutate(good[format], rng);
    const file = join(job.dir, `case${index}.${format}`);
    writeFileSync(file, data);
    const c: MutationCase = { index, format, mutation };
    parentPort!.postMessage({ case: c });
    const t0 = performance.now();
    let outcome: Outcome;
    let error: string | undefined;
    try {
      const loaded = await tt.loadModel(file, { compile: false });
      const got = loaded.weights.map((w) => Buffer.from((w.values as Float32Array).buffer.slice(0)));
      const same = got.length === want.length && got.every((g, i) => g.equals(want[i]));
      outcome = same ? 'same' : 'changed';
    } catch (e) {
      const err = e as Error;
      outcome = err?.name === 'ModelFileError' ? 'rejected' : 'crash';
      error = `${err?.name}: ${err?.message}`;
    }
    parentPort!.postMessage({ result: { ...c, outcome, ms: performance.now() - t0, error } satisfies MutationResult });
  }
  parentPort!.postMessage({ done: true });
}

if (!isMainThread && workerData?.mutationJob) {
  run(workerData.mutationJob as MutationJob).catch((e) => parentPort!.postMessage({ fatal: String((e as Error)?.stack ?? e) }));
}
