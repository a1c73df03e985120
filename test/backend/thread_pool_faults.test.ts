// The thread pool under faults: a worker that throws, traps, exits (with or without a word) or
// hangs gives a WorkerPoolError within the time limit, the pool is rebuilt and the next call is
// right, and no worker outlives the process. Faults run in child processes
// (thread_pool_fault_child.ts), so a hang or crash cannot take the test runner down.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  DEFAULT_WORKER_SPIN_US, DEFAULT_WORKER_TIMEOUT_MS, WorkerPoolError, workerSpinUs, workerTimeoutMs,
} from '../../src/backend/wasm/thread_pool';
import './helpers'; // loads the wasm backends, and fails when they cannot load

const CHILD = path.join(__dirname, 'thread_pool_fault_child.js');
/** The time limit the children run with (TATAMI_WORKER_TIMEOUT_MS). */
const LIMIT_MS = 1500;

interface Report {
  fault: string; before: number; thrown: string; message?: string; kernel?: string; worker?: number; failure?: string;
  ms: number; after: number; doneAt: number;
}

function runChild(args: string[]): { status: number | null; reports: Report[]; stderr: string; exitLagMs: number } {
  const r = spawnSync(process.execPath, [CHILD, ...args], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, TATAMI_WORKER_TIMEOUT_MS: String(LIMIT_MS) },
  });
  const ended = Date.now();
  assert.equal(r.error, undefined, `the child did not exit by itself: ${r.error}\n${r.stderr}`);
  const reports = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Report);
  const last = reports.length > 0 ? reports[reports.length - 1].doneAt : ended;
  return { status: r.status, reports, stderr: r.stderr, exitLagMs: ended - last };
}

const TIMEOUT = /did not finish kernel gemm within the time limit of 1500 ms/;
/** Per fault: how it is classed, the message after 'worker 0 of the thread pool ', and how soon it must come. */
const EXPECTED: Record<string, { failure: string; message: RegExp; withinMs: number }> = {
  throw: { failure: 'threw', message: /failed in kernel gemm: Error: injected test fault/, withinMs: 1000 },
  trap: { failure: 'threw', message: /failed in kernel gemm: RuntimeError: unreachable/, withinMs: 1000 },
  exit: { failure: 'exited', message: /died \(exited with code 3\) before finishing kernel gemm/, withinMs: 1000 },
  // noticed by the main thread's 'exit' listener between calls, so the next call fails at once
  'exit-idle': {
    failure: 'exited', message: /died \(exited with code 5\) before finishing kernel gemm/, withinMs: 1000,
  },
  'silent-exit': { failure: 'timeout', message: TIMEOUT, withinMs: LIMIT_MS + 1000 },
  hang: { failure: 'timeout', message: TIMEOUT, withinMs: LIMIT_MS + 1000 },
};

test('each worker fault is a clear error in time, and the rebuilt pool computes right', () => {
  const faults = Object.keys(EXPECTED);
  const { status, reports, stderr, exitLagMs } = runChild(['2', '0', faults.join(',')]);
  assert.equal(status, 0, stderr);
  assert.deepEqual(reports.map((r) => r.fault), faults, stderr);
  for (const r of reports) {
    const want = EXPECTED[r.fault];
    assert.ok(r.before < 1e-4, `${r.fault}: the call before the fault is off by ${r.before}`);
    assert.equal(r.thrown, 'WorkerPoolError', `${r.fault}: ${JSON.stringify(r)}`);
    assert.equal(r.kernel, 'gemm');
    assert.equal(r.worker, 0);
    assert.equal(r.failure, want.failure, r.fault);
    assert.ok(r.message!.startsWith('tatami wasm: worker 0 of the thread pool '), r.message);
    assert.match(r.message!, want.message);
    assert.match(r.message!, /The pool was restarted/);
    if (want.failure === 'timeout') {
      assert.ok(r.ms >= LIMIT_MS - 100, `${r.fault}: gave up after ${r.ms} ms, before the limit`);
    }
    assert.ok(r.ms < want.withinMs, `${r.fault}: the error came after ${r.ms} ms (allowed ${want.withinMs})`);
    assert.ok(r.after < 1e-4, `${r.fault}: the call after the fault is off by ${r.after} from the JS reference`);
  }
  // no terminated, hung or replacement worker keeps the process alive
  assert.ok(exitLagMs < 5000, `the child took ${exitLagMs} ms to exit after its last call`);
});

test('the failing worker is named, and an uncaught pool error ends the process', () => {
  const { status, reports, stderr } = runChild(['3', '1', 'trap', 'uncaught']);
  assert.equal(reports.length, 1, stderr);
  const [r] = reports;
  assert.equal(r.worker, 1);
  assert.match(r.message!, /worker 1 of the thread pool failed in kernel gemm: RuntimeError: unreachable/);
  assert.ok(r.after < 1e-4, `the call after the trap is off by ${r.after}`);
  assert.equal(status, 1);
  assert.match(stderr, /WorkerPoolError: tatami wasm: worker 1 of the thread pool failed in kernel gemm: Error: inj/);
});

/** The value `read()` gives for each setting of environment variable `name` (undefined: unset), restoring it after. */
function readWithEnv(name: string, values: (string | undefined)[], read: () => number): number[] {
  const saved = process.env[name];
  try {
    return values.map((v) => {
      if (v === undefined) delete process.env[name];
      else process.env[name] = v;
      return read();
    });
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

test('the time limit: 30 s by default, TATAMI_WORKER_TIMEOUT_MS sets it', () => {
  assert.equal(DEFAULT_WORKER_TIMEOUT_MS, 30000);
  assert.deepEqual(readWithEnv('TATAMI_WORKER_TIMEOUT_MS', [undefined, '250', 'soon'], workerTimeoutMs),
    [DEFAULT_WORKER_TIMEOUT_MS, 250, DEFAULT_WORKER_TIMEOUT_MS]);
});

test('idle workers spin 500 us after a job, TATAMI_WORKER_SPIN_US sets it (0: only a few microseconds)', () => {
  assert.equal(DEFAULT_WORKER_SPIN_US, 500);
  const d = DEFAULT_WORKER_SPIN_US;
  assert.deepEqual(readWithEnv('TATAMI_WORKER_SPIN_US', [undefined, '0', '2000', 'long', '-5', ''], workerSpinUs),
    [d, 0, 2000, d, d, d]);
});

test('WorkerPoolError names the kernel, the worker and the cause', () => {
  const e = new WorkerPoolError('conv_fwd', 2, 'exited', 'exited with code 7');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'WorkerPoolError');
  assert.equal(e.message, 'tatami wasm: worker 2 of the thread pool died (exited with code 7) before finishing '
    + 'kernel conv_fwd. The pool was restarted; the outputs of this call are undefined.');
});
