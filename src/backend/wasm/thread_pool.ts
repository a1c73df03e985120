/**
 * A synchronous pool of worker threads that run wasm kernels on the shared memory.
 *
 * Control block (one SharedArrayBuffer per set of workers): per worker a 512-byte region (no two
 * workers' words share a cache line): 8 i32 slots [gen, done, fn, args, error, state, fault,
 * msgLen], then the UTF-8 text of its last failure. fn indexes JOB_FNS and args is the address of
 * the job's argument block in the wasm memory (laid out by layout.ts; WasmContext writes it). The
 * main thread writes a job, bumps `gen` and notifies; the worker runs it, stores `error` and
 * `done = gen` and notifies back. The main thread does its own share meanwhile, then spins (up to
 * WAIT_SPIN_MS), then waits. Idle workers spin for workerSpinUs() after each job, then sleep in
 * Atomics.wait; they are unref'd so they never keep the process alive.
 *
 * Faults, as the main thread (blocked, so deaf to worker events) learns of them:
 * - a kernel that throws or traps: the worker catches it and reports error = threw with the text;
 * - a worker that exits (process.exit, an uncaught error): its process 'exit' hook reports
 *   state = dead and moves `done`, which wakes the main thread;
 * - a worker that hangs or vanishes without a word (terminated, killed for memory): the time limit.
 *   A call reads the clock once (when its own share starts); the waiting side reads it only after
 *   the spin and a first sleep, so the checks cost nothing measurable on calls that end quickly.
 * On any of them the pool terminates every worker, starts new ones on the same memory (the arena
 * stays valid) and throws WorkerPoolError; the next call runs on the new workers.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { TatamiError } from '../../util/errors';
import { JOB_FNS, type JobFn, type WasmMemory, type WasmModule } from './kernels';

const REGION_BYTES = 512;
const STRIDE = REGION_BYTES / 4;
/** The i32 slots of a worker's region and their values: const enums, inlined (no lookups in the spin loops). */
export const enum Slot { gen, done, fn, args, error, state, fault, msgLen }
export const enum State { booting, ready, dead }
export const enum Failure { none, threw, exited }
const MSG_OFFSET = 32;
const MSG_BYTES = REGION_BYTES - MSG_OFFSET;
/** Spin iterations before the spinning sides first read the clock (WAIT_SPIN_MS, workerSpinUs): a few microseconds. */
export const SPIN = 2000;
/**
 * How long an idle worker spins for its next job before it sleeps, in microseconds
 * (TATAMI_WORKER_SPIN_US; 0 for SPIN iterations only). A training step calls a kernel every few
 * dozen microseconds with JavaScript between them; a worker asleep by then must be woken, which
 * costs tens to hundreds of microseconds on a virtual machine, on each parallel call. OpenMP
 * runtimes spin for far longer (200 ms by default); an idle pool here goes to sleep after this.
 */
export function workerSpinUs(): number {
  const env = process.env.TATAMI_WORKER_SPIN_US;
  if (env !== undefined && env !== '') {
    const us = Number(env);
    if (Number.isFinite(us) && us >= 0) return us;
  }
  return DEFAULT_WORKER_SPIN_US;
}
export const DEFAULT_WORKER_SPIN_US = 500;
/** How long the main thread spins for the workers' shares after its own, before it sleeps. */
const WAIT_SPIN_MS = 1;

/** Default time limit of a worker's job, beyond the main thread's own share: no real job comes near it. */
export const DEFAULT_WORKER_TIMEOUT_MS = 30000;
/** A worker that has not started after this long (or the job limit, if longer) is given up. */
const BOOT_TIMEOUT_MS = 60000;
/** The first sleep of a wait, before the clock is read (a job's limit starts after it). */
const FIRST_SLICE_MS = 200;
/** The slow wait re-reads the clock at least this often. */
const SLICE_MS = 1000;
/** A worker may take this many times as long as the main thread's share (the shares are equal). */
const SHARE_FACTOR = 10;

/** The time limit from TATAMI_WORKER_TIMEOUT_MS (milliseconds), else the default. */
export function workerTimeoutMs(): number {
  const env = process.env.TATAMI_WORKER_TIMEOUT_MS;
  if (env !== undefined && env !== '') {
    const ms = Number(env);
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  return DEFAULT_WORKER_TIMEOUT_MS;
}

export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  ctl: SharedArrayBuffer;
  index: number;
  tileTmp: number;
}

/** The i32 index of worker `index`'s first slot in the control block. */
export function slotBase(index: number): number {
  return index * STRIDE;
}

/** `name: message` of a thrown value, with the frame it came from. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frame = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
  return `${e.name}: ${e.message}${frame !== undefined ? ` (${frame})` : ''}`;
}

/** Writes a failure's text into the worker's region, then its error code (read after `done`). */
export function writeFailure(ctl: Int32Array, index: number, code: number, text: string): void {
  const o = slotBase(index);
  const bytes = new TextEncoder().encode(text).subarray(0, MSG_BYTES);
  new Uint8Array(ctl.buffer, o * 4 + MSG_OFFSET, MSG_BYTES).set(bytes);
  ctl[o + Slot.msgLen] = bytes.length;
  ctl[o + Slot.error] = code;
}

/**
 * Marks a worker dead (once) and wakes the main thread: `done` moves to the last posted job, whose
 * error code says it did not run. Called by the worker's exit hook, or by the main thread when it
 * hears of an exit the worker could not report.
 */
export function markDead(ctl: Int32Array, index: number, text: string): void {
  const o = slotBase(index);
  if (Atomics.load(ctl, o + Slot.state) === State.dead) return;
  writeFailure(ctl, index, Failure.exited, text);
  Atomics.store(ctl, o + Slot.state, State.dead);
  Atomics.store(ctl, o + Slot.done, Atomics.load(ctl, o + Slot.gen));
  Atomics.notify(ctl, o + Slot.done);
  Atomics.notify(ctl, o + Slot.state);
}

function readFailure(ctl: Int32Array, index: number): string {
  const o = slotBase(index);
  const len = Math.min(ctl[o + Slot.msgLen], MSG_BYTES);
  return new TextDecoder().decode(new Uint8Array(ctl.buffer, o * 4 + MSG_OFFSET, len).slice());
}

/** How a worker failed: its kernel threw or trapped, it exited, or it ran past the time limit. */
export type WorkerFailure = 'threw' | 'exited' | 'timeout';

/** A kernel job failed on a worker thread; the pool has been restarted and the next call works. */
export class WorkerPoolError extends TatamiError {
  constructor(readonly kernel: string, readonly worker: number, readonly failure: WorkerFailure, detail: string) {
    const what = failure === 'threw' ? `failed in kernel ${kernel}: ${detail}`
      : failure === 'exited' ? `died (${detail}) before finishing kernel ${kernel}`
        : `did not finish kernel ${kernel} ${detail}`;
    super(`tatami wasm: worker ${worker} of the thread pool ${what}. `
      + 'The pool was restarted; the outputs of this call are undefined.');
    this.name = 'WorkerPoolError';
  }
}

/** Fault codes of the `fault` slot (test hook; worker.ts acts on them). */
export const FAULTS = { throw: 1, trap: 2, exit: 3, 'silent-exit': 4, hang: 5, 'exit-idle': 6 } as const;
export type WorkerFault = keyof typeof FAULTS;
let pendingFault: { code: number; worker: number } | null = null;

/**
 * Test hook: on its next job, worker `worker` of the next pool call that uses it throws, traps
 * (wasm `unreachable`), exits (reported), exits without a word, or hangs; or ('exit-idle') does
 * the job, then exits without a word while idle.
 */
export function injectWorkerFault(fault: WorkerFault, worker = 0): void {
  pendingFault = { code: FAULTS[fault], worker };
}

export class ThreadPool {
  private ctl!: Int32Array;
  private workers: Worker[] = [];
  private gens: number[] = [];
  private startedAt = 0;
  private readonly fnIndex = new Map<string, number>();
  /** Times the workers were replaced after a failure. */
  restarts = 0;

  /** workers = threads - 1: the main thread runs one share itself. */
  constructor(private readonly module: WasmModule, private readonly memory: WasmMemory,
    private readonly nWorkers: number, private readonly tileTmps: number[], readonly timeoutMs = workerTimeoutMs()) {
    JOB_FNS.forEach((f, i) => this.fnIndex.set(f, i));
    this.start();
  }

  get size(): number {
    return this.nWorkers;
  }

  /** Starts a fresh set of workers with a fresh control block (old workers can no longer touch it). */
  private start(): void {
    const ctlBuf = new SharedArrayBuffer(REGION_BYTES * Math.max(this.nWorkers, 1));
    const ctl = new Int32Array(ctlBuf);
    this.ctl = ctl;
    this.gens = new Array<number>(this.nWorkers).fill(0);
    this.workers = [];
    this.startedAt = performance.now();
    for (let i = 0; i < this.nWorkers; i++) {
      const init: WorkerInit = {
        module: this.module, memory: this.memory, ctl: ctlBuf, index: i, tileTmp: this.tileTmps[i],
      };
      const w = new Worker(path.join(__dirname, 'worker.js'), { workerData: init });
      w.unref();
      // heard only while the main thread is idle; without an 'error' listener, an uncaught error
      // in a worker would end the process
      w.on('error', (e) => markDead(ctl, i, `uncaught ${describeError(e)}`));
      w.on('exit', (code) => markDead(ctl, i, `exited with code ${code}`));
      this.workers.push(w);
    }
  }

  private restart(): void {
    for (const w of this.workers) void w.terminate();
    this.restarts++;
    this.start();
  }

  /**
   * Runs `fn` on `jobs` argument blocks: blocks[0] on the calling thread via `self`, blocks[1..]
   * on workers, returning when all are done. Throws if any job failed.
   */
  run(fn: JobFn, jobs: number, blocks: readonly number[], self: () => void): void {
    const n = Math.min(jobs - 1, this.nWorkers);
    if (n < jobs - 1) throw new Error(`tatami wasm: ${jobs} jobs of ${fn} for ${this.nWorkers + 1} threads`);
    const ctl = this.ctl;
    const index = this.fnIndex.get(fn)!;
    if (pendingFault !== null && pendingFault.worker < n) {
      ctl[slotBase(pendingFault.worker) + Slot.fault] = pendingFault.code;
      pendingFault = null;
    }
    for (let w = 0; w < n; w++) {
      const o = w * STRIDE;
      ctl[o + Slot.fn] = index;
      ctl[o + Slot.args] = blocks[w + 1];
      const g = (this.gens[w] = (this.gens[w] + 1) | 0);
      Atomics.store(ctl, o + Slot.gen, g);
      Atomics.notify(ctl, o + Slot.gen);
    }
    const t0 = performance.now();
    const spin = SPIN;
    let failure: unknown = null;
    try {
      self();
    } catch (e) {
      failure = e;
    }
    // the workers' shares end close to this one's: spin for them (the clock read every 256 loads)
    // rather than sleep and be woken, which costs as much as a small kernel
    const until = performance.now() + WAIT_SPIN_MS;
    for (let w = 0; w < n; w++) {
      const o = w * STRIDE;
      const g = this.gens[w];
      let spins = 0;
      while (Atomics.load(ctl, o + Slot.done) !== g) {
        if (++spins < spin || ((spins & 255) !== 0 || performance.now() < until)) continue;
        const late = this.waitSlow(o, g, t0);
        if (late !== null) return this.fail(fn, w, late[0], late[1], failure);
        break;
      }
      const code = ctl[o + Slot.error];
      if (code !== 0) {
        return this.fail(fn, w, code === Failure.threw ? 'threw' : 'exited', readFailure(ctl, w), failure);
      }
    }
    if (failure !== null) throw failure;
  }

  /**
   * Sleeps until worker `o / STRIDE` reports job `g` done. Returns null, or why it gave up: the
   * worker is dead, or the job ran past the limit. The first sleep reads no clock (it ends within
   * microseconds on almost every call); after it, the limit counts time
   * spent waiting once the worker is up and the main thread's share is done, in slices: a slice
   * that lasts far longer than asked means the whole process was stopped (Ctrl-Z, a debugger),
   * which is no worker's fault.
   */
  private waitSlow(o: number, g: number, t0: number): [WorkerFailure, string] | null {
    const ctl = this.ctl;
    const d0 = Atomics.load(ctl, o + Slot.done);
    if (d0 === g) return null;
    // (a worker that died while idle never moves `done` for this job: the loop finds it dead after this slice)
    const first = Math.min(FIRST_SLICE_MS, this.timeoutMs);
    let slept = 0;
    if (Atomics.load(ctl, o + Slot.state) === State.ready
      && Atomics.wait(ctl, o + Slot.done, d0, first) === 'timed-out') slept = first;
    let budget = -1;
    let last = 0;
    for (;;) {
      const d = Atomics.load(ctl, o + Slot.done);
      if (d === g) return null;
      const state = Atomics.load(ctl, o + Slot.state);
      if (state === State.dead) return ['exited', readFailure(ctl, o / STRIDE)];
      const now = performance.now();
      if (state === State.booting) {
        const boot = Math.max(this.timeoutMs, BOOT_TIMEOUT_MS);
        if (now - this.startedAt > boot) return ['timeout', `(it did not start within ${boot} ms)`];
        Atomics.wait(ctl, o + Slot.state, State.booting, 100);
        continue;
      }
      if (budget < 0) budget = this.timeoutMs + SHARE_FACTOR * Math.max(0, now - t0 - slept) - slept;
      else budget -= Math.min(now - last, 2 * SLICE_MS);
      if (budget <= 0) {
        return ['timeout', `within the time limit of ${this.timeoutMs} ms `
          + `(+ ${SHARE_FACTOR}x the main thread's share): it hung or died without reporting `
          + '(TATAMI_WORKER_TIMEOUT_MS sets the limit)'];
      }
      last = now;
      Atomics.wait(ctl, o + Slot.done, d, Math.min(budget, SLICE_MS));
    }
  }

  private fail(fn: JobFn, w: number, kind: WorkerFailure, detail: string, own: unknown): never {
    this.restart();
    throw own ?? new WorkerPoolError(fn, w, kind, detail);
  }
}
