import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createWasmBackend } from '../../src/backend/wasm/index';
import { ValueError } from '../../src/util/errors';

// WasmBackendOptions.workerTimeoutMs: the time limit of a worker's share, over the environment's
// TATAMI_WORKER_TIMEOUT_MS. A hung worker runs in a child process (it must not take the runner down).

const SRC = path.resolve(__dirname, '..', '..', 'src', 'backend', 'wasm');

const CHILD = `
const { createWasmBackend } = require(${JSON.stringify(path.join(SRC, 'index.js'))});
const { injectWorkerFault } = require(${JSON.stringify(path.join(SRC, 'thread_pool.js'))});
const be = createWasmBackend({ threads: 2, workerTimeoutMs: 700 });
// 192: 7M multiply-adds, above the GEMM threshold for a 2-thread split (context.ts)
const S = 192, a = be.alloc(S * S).fill(1), b = be.alloc(S * S).fill(2), out = be.alloc(S * S);
be.matMul(a, b, out, S, S, S, false, false);
injectWorkerFault('hang', 0);
const t0 = performance.now();
let message = 'nothing thrown';
try { be.matMul(a, b, out, S, S, S, false, false); } catch (e) { message = e.name + ': ' + e.message; }
const ms = performance.now() - t0;
out.fill(0);
be.matMul(a, b, out, S, S, S, false, false);
console.log(JSON.stringify({ limit: be.workerTimeoutMs, message, ms, after: out[0] }));
`;

test('workerTimeoutMs sets the time limit of a hung worker, over TATAMI_WORKER_TIMEOUT_MS', { timeout: 60_000 }, () => {
  const out = execFileSync(process.execPath, ['-e', CHILD], {
    encoding: 'utf8', timeout: 50_000, env: { ...process.env, TATAMI_WORKER_TIMEOUT_MS: '60000' },
  });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.limit, 700);
  assert.match(r.message, /WorkerPoolError: .*within the time limit of 700 ms/);
  // the limit starts after the main thread's share; a loaded machine adds a little
  assert.ok(r.ms >= 600 && r.ms < 5000, `gave up after ${r.ms} ms`);
  assert.equal(r.after, 2 * 192, 'the rebuilt pool computes again');
});

test('workerTimeoutMs: the default and invalid values', () => {
  const saved = process.env.TATAMI_WORKER_TIMEOUT_MS;
  try {
    process.env.TATAMI_WORKER_TIMEOUT_MS = '4321';
    assert.equal(createWasmBackend({ threads: 1 })?.workerTimeoutMs, 4321);
    assert.equal(createWasmBackend({ threads: 1, workerTimeoutMs: 90 })?.workerTimeoutMs, 90);
    for (const bad of [0, -5, Number.NaN, Infinity, '100' as unknown as number]) {
      assert.throws(() => createWasmBackend({ threads: 1, workerTimeoutMs: bad }), (e: unknown) =>
        e instanceof ValueError && /workerTimeoutMs must be a positive number of milliseconds/.test((e as Error).message));
    }
  } finally {
    if (saved === undefined) delete process.env.TATAMI_WORKER_TIMEOUT_MS;
    else process.env.TATAMI_WORKER_TIMEOUT_MS = saved;
  }
});
