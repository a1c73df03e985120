/**
 * Child process of thread_pool_faults.test.ts (a hung or crashed worker must not take the test
 * runner down). Usage: node thread_pool_fault_child.js THREADS WORKER FAULT[,FAULT...] [uncaught]
 * For each fault: a correct pool call, the fault injected into worker WORKER, the failing call
 * (timed; for exit-idle the call after the one the worker ends after), then a call whose result
 * is compared with the JS reference. Prints one JSON line per
 * fault. With `uncaught` a last fault is left uncaught (an unhandled rejection), so the process
 * must end with the error.
 * Run without arguments (as the test runner does with every file of dist/test) it does nothing.
 */
import { matMul as jsMatMul } from '../../src/backend/js/matmul';
import { createWasmBackend } from '../../src/backend/wasm/index';
import { injectWorkerFault, type WorkerFault, WorkerPoolError } from '../../src/backend/wasm/thread_pool';
import { Rng } from '../../src/util/rng';

// 192^3 multiply-adds: enough for every thread to take a share (context.ts MIN_GEMM_MADDS_PER_THREAD)
const S = 192;

async function main(args: string[]): Promise<void> {
  const threads = Number(args[0]);
  const worker = Number(args[1]);
  const faults = args[2].split(',') as WorkerFault[];
  const be = createWasmBackend({ threads });
  if (be === null) throw new Error('wasm backend unavailable');
  const rng = new Rng(7);
  const a = be.alloc(S * S);
  const b = be.alloc(S * S);
  for (let i = 0; i < S * S; i++) {
    a[i] = rng.uniform() - 0.5;
    b[i] = rng.uniform() - 0.5;
  }
  const want = new Float32Array(S * S);
  jsMatMul(a, b, want, S, S, S, false, false, false);
  const out = be.alloc(S * S);
  /** Largest |wasm - reference| of a fresh product (1e30 for a NaN: an element never written). */
  const check = (): number => {
    out.fill(Number.NaN);
    be.matMul(a, b, out, S, S, S, false, false);
    let worst = 0;
    for (let i = 0; i < S * S; i++) {
      const d = Math.abs(out[i] - want[i]);
      worst = Math.max(worst, Number.isNaN(d) ? 1e30 : d);
    }
    return worst;
  };
  for (const fault of faults) {
    const before = check();
    injectWorkerFault(fault, worker);
    if (fault === 'exit-idle') {
      // the worker does this job, then ends while the main thread is idle: its 'exit' event arrives meanwhile
      be.matMul(a, b, out, S, S, S, false, false);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const t0 = performance.now();
    let error: Record<string, unknown> = { thrown: 'nothing' };
    try {
      be.matMul(a, b, out, S, S, S, false, false);
    } catch (e) {
      error = e instanceof WorkerPoolError
        ? { thrown: e.name, message: e.message, kernel: e.kernel, worker: e.worker, failure: e.failure }
        : { thrown: String(e) };
    }
    const ms = performance.now() - t0;
    const after = check();
    console.log(JSON.stringify({ fault, before, ...error, ms, after, doneAt: Date.now() }));
    // let the 'exit' events of the replaced workers arrive, as they would between batches of a fit
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (args[3] === 'uncaught') {
    injectWorkerFault('throw', worker);
    be.matMul(a, b, out, S, S, S, false, false);
  }
}

// no catch: an error ends the process as an unhandled rejection (exit code 1, the error on stderr)
if (process.argv.length > 2) void main(process.argv.slice(2));
