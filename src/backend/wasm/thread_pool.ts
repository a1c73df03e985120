/**
 * A synchronous pool of worker threads that run wasm kernels on the shared memory.
 *
 * Control block (one SharedArrayBuffer): per worker, 16 i32 slots [gen, done, fn, nargs, error]
 * and 32 f64 argument slots. The main thread writes a job, bumps `gen` and notifies; the worker
 * runs it, stores `done = gen` and notifies back. The main thread does its own share meanwhile,
 * then waits. Idle workers sleep in Atomics.wait after a short spin; they are unref'd so they
 * never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { JOB_FNS, type JobFn, type WasmMemory, type WasmModule } from './kernels';

const SLOT = 16;
const GEN = 0;
const DONE = 1;
const FN = 2;
const NARGS = 3;
const ERROR = 4;
const MAX_ARGS = 32;
/** Spin iterations before sleeping, on both sides: a few microseconds. */
const SPIN = 2000;

export type Job = [JobFn, number[]];

export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  ctl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  index: number;
  tileTmp: number;
}

export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly workers: Worker[] = [];
  private readonly gens: number[];
  private readonly fnIndex = new Map<string, number>();

  /** workers = threads - 1: the main thread runs one share itself. */
  constructor(module: WasmModule, memory: WasmMemory, nWorkers: number, tileTmps: number[]) {
    const ctlBuf = new SharedArrayBuffer(4 * SLOT * Math.max(nWorkers, 1));
    const argBuf = new SharedArrayBuffer(8 * MAX_ARGS * Math.max(nWorkers, 1));
    this.ctl = new Int32Array(ctlBuf);
    this.args = new Float64Array(argBuf);
    this.gens = new Array<number>(nWorkers).fill(0);
    JOB_FNS.forEach((f, i) => this.fnIndex.set(f, i));
    for (let i = 0; i < nWorkers; i++) {
      const init: WorkerInit = { module, memory, ctl: ctlBuf, args: argBuf, index: i, tileTmp: tileTmps[i] };
      const w = new Worker(path.join(__dirname, 'worker.js'), { workerData: init });
      w.unref();
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs jobs[0] on the calling thread via `self` and jobs[1..] on workers, returning when all
   * are done. Throws if any job failed.
   */
  run(jobs: Job[], self: (fn: JobFn, args: number[]) => void): void {
    const n = Math.min(jobs.length - 1, this.workers.length);
    for (let w = 0; w < n; w++) {
      const [fn, a] = jobs[w + 1];
      if (a.length > MAX_ARGS) throw new Error(`too many kernel arguments (${a.length})`);
      const o = w * SLOT;
      const ao = w * MAX_ARGS;
      for (let i = 0; i < a.length; i++) this.args[ao + i] = a[i];
      this.ctl[o + FN] = this.fnIndex.get(fn)!;
      this.ctl[o + NARGS] = a.length;
      this.ctl[o + ERROR] = 0;
      const g = (this.gens[w] = (this.gens[w] + 1) | 0);
      Atomics.store(this.ctl, o + GEN, g);
      Atomics.notify(this.ctl, o + GEN);
    }
    let failure: unknown = null;
    try {
      if (jobs.length > 0) self(jobs[0][0], jobs[0][1]);
    } catch (e) {
      failure = e;
    }
    for (let w = 0; w < n; w++) {
      const o = w * SLOT;
      const g = this.gens[w];
      let spins = 0;
      for (;;) {
        const d = Atomics.load(this.ctl, o + DONE);
        if (d === g) break;
        if (++spins < SPIN) continue;
        Atomics.wait(this.ctl, o + DONE, d, 1000);
      }
      if (this.ctl[o + ERROR] !== 0 && failure === null) failure = new Error(`tatami wasm worker ${w} failed in ${jobs[w + 1][0]}`);
    }
    if (failure !== null) throw failure;
  }
}

/** The loop a worker runs (called from worker.ts). */
export function workerLoop(init: WorkerInit, exports: Record<string, unknown>): never {
  const ctl = new Int32Array(init.ctl);
  const args = new Float64Array(init.args);
  const o = init.index * SLOT;
  const ao = init.index * MAX_ARGS;
  const fns = JOB_FNS.map((f) => exports[f] as (...a: number[]) => void);
  let last = 0;
  const a: number[] = [];
  for (;;) {
    let g = Atomics.load(ctl, o + GEN);
    let spins = 0;
    while (g === last) {
      if (++spins > SPIN) {
        Atomics.wait(ctl, o + GEN, last);
        spins = 0;
      }
      g = Atomics.load(ctl, o + GEN);
    }
    last = g;
    try {
      const nargs = ctl[o + NARGS];
      a.length = nargs;
      for (let i = 0; i < nargs; i++) a[i] = args[ao + i];
      fns[ctl[o + FN]](...a);
    } catch (e) {
      ctl[o + ERROR] = 1;
      // eslint-disable-next-line no-console
      console.error('tatami wasm worker:', e);
    }
    Atomics.store(ctl, o + DONE, g);
    Atomics.notify(ctl, o + DONE);
  }
}
