/**
 * A synchronous pool of worker threads that run wasm kernels on the shared memory.
 *
 * Control block (one SharedArrayBuffer): per worker, 8 i32 slots [gen, done, fn, args, error]:
 * fn indexes JOB_FNS and args is the address of the job's argument block in the wasm memory (laid
 * out by layout.ts; WasmContext writes it). The main thread writes a job, bumps `gen` and
 * notifies; the worker runs it, stores `done = gen` and notifies back. The main thread does its
 * own share meanwhile, then waits. Idle workers sleep in Atomics.wait after a short spin; they are
 * unref'd so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { JOB_FNS, type JobFn, type WasmMemory, type WasmModule } from './kernels';

const SLOT = 8;
const GEN = 0;
const DONE = 1;
const FN = 2;
const ARGS = 3;
const ERROR = 4;
/** Spin iterations before sleeping, on both sides: a few microseconds. */
const SPIN = 2000;

export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  ctl: SharedArrayBuffer;
  index: number;
  tileTmp: number;
}

export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly gens: number[];
  private readonly fnIndex = new Map<string, number>();

  /** workers = threads - 1: the main thread runs one share itself. */
  constructor(module: WasmModule, memory: WasmMemory, nWorkers: number, tileTmps: number[]) {
    const ctlBuf = new SharedArrayBuffer(4 * SLOT * Math.max(nWorkers, 1));
    this.ctl = new Int32Array(ctlBuf);
    this.gens = new Array<number>(nWorkers).fill(0);
    JOB_FNS.forEach((f, i) => this.fnIndex.set(f, i));
    for (let i = 0; i < nWorkers; i++) {
      const init: WorkerInit = { module, memory, ctl: ctlBuf, index: i, tileTmp: tileTmps[i] };
      const w = new Worker(path.join(__dirname, 'worker.js'), { workerData: init });
      w.unref();
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `fn` on `jobs` argument blocks: blocks[0] on the calling thread via `self`, blocks[1..]
   * on workers, returning when all are done. Throws if any job failed.
   */
  run(fn: JobFn, jobs: number, blocks: readonly number[], self: () => void): void {
    const n = Math.min(jobs - 1, this.workers.length);
    if (n < jobs - 1) throw new Error(`tatami wasm: ${jobs} jobs of ${fn} for ${this.workers.length + 1} threads`);
    const index = this.fnIndex.get(fn)!;
    for (let w = 0; w < n; w++) {
      const o = w * SLOT;
      this.ctl[o + FN] = index;
      this.ctl[o + ARGS] = blocks[w + 1];
      this.ctl[o + ERROR] = 0;
      const g = (this.gens[w] = (this.gens[w] + 1) | 0);
      Atomics.store(this.ctl, o + GEN, g);
      Atomics.notify(this.ctl, o + GEN);
    }
    let failure: unknown = null;
    try {
      self();
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
      if (this.ctl[o + ERROR] !== 0 && failure === null) failure = new Error(`tatami wasm worker ${w} failed in ${fn}`);
    }
    if (failure !== null) throw failure;
  }
}

/** The loop a worker runs (called from worker.ts). */
export function workerLoop(init: WorkerInit, exports: Record<string, unknown>): never {
  const ctl = new Int32Array(init.ctl);
  const o = init.index * SLOT;
  const fns = JOB_FNS.map((f) => exports[f] as (args: number) => void);
  let last = 0;
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
      fns[ctl[o + FN]](ctl[o + ARGS] >>> 0);
    } catch (e) {
      ctl[o + ERROR] = 1;
      // eslint-disable-next-line no-console
      console.error('tatami wasm worker:', e);
    }
    Atomics.store(ctl, o + DONE, g);
    Atomics.notify(ctl, o + DONE);
  }
}
