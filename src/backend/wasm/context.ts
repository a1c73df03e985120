/**
 * What every wasm kernel wrapper needs: the instance on the main thread, the arena, the lazily
 * started thread pool, per-thread scratch, a parameter block, and the marshalling of arguments
 * that are not views into the shared memory (copied into temporary blocks, outputs copied back).
 */
import * as os from 'node:os';
import { Arena } from './arena';
import { type Job, ThreadPool } from './thread_pool';
import { type JobFn, type KernelExports, type Variant, WA, type WasmModule } from './kernels';

/** Below this many multiply-adds per thread, starting workers costs more than it saves. */
export const MIN_MADDS_PER_THREAD = 1 << 19;
/** Below this many elements per thread for memory-bound kernels. */
export const MIN_ELEMS_PER_THREAD = 1 << 16;

export function defaultThreads(): number {
  const env = process.env.TATAMI_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number.parseInt(env, 10);
    if (Number.isFinite(n) && n >= 1) return Math.min(n, 64);
  }
  const avail = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(avail, 64));
}

/** [start, end) ranges splitting [0, total) into at most `parts` pieces at multiples of `align`. */
export function splitRange(total: number, align: number, parts: number): [number, number][] {
  const units = Math.ceil(total / align);
  const p = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let i = 0; i < p; i++) {
    const s = Math.min(total, Math.floor((units * i) / p) * align);
    const e = Math.min(total, Math.floor((units * (i + 1)) / p) * align);
    if (e > s) out.push([s, e]);
  }
  return out;
}

type Typed = Float32Array | Int32Array;

export class WasmContext {
  readonly arena: Arena;
  readonly exports: KernelExports;
  readonly threads: number;
  private pool: ThreadPool | null = null;
  private readonly tileTmps: number[] = [];
  private scratchAddrs: number[] = [];
  private scratchBytes = 0;
  /** A 64-int parameter block (geometry of the current call). */
  readonly params: Int32Array;
  readonly paramsAddr: number;
  private temps: number[] = [];
  private outs: [Typed, Typed][] = [];

  constructor(readonly module: WasmModule, readonly variant: Variant, threads: number) {
    this.threads = threads;
    // the module's static data ends at heap_base; leave it the first 64 KiB
    this.arena = new Arena(65536);
    const instance = new WA!.Instance(module, { env: { memory: this.arena.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    if (this.exports.heap_base() > 65536) throw new Error('tatami wasm kernels: static data exceeds 64 KiB');
    for (let t = 0; t < threads; t++) this.tileTmps.push(this.arena.allocBytes(256).addr);
    this.exports.set_tile_tmp(this.tileTmps[0]);
    this.paramsAddr = this.arena.allocBytes(256).addr;
    this.params = new Int32Array(this.arena.buffer, this.paramsAddr, 64);
    // workers take a few hundred ms to boot: start them now, in the background
    if (threads > 1) this.pool = new ThreadPool(this.module, this.arena.memory, threads - 1, this.tileTmps.slice(1));
  }

  /** Threads worth using for `work` units when each thread should get at least `minPerThread`. */
  partsFor(work: number, minPerThread: number): number {
    return Math.max(1, Math.min(this.threads, Math.floor(work / minPerThread)));
  }

  /** Per-thread scratch of at least `bytes` bytes (kept and grown across calls). */
  scratch(bytes: number): number[] {
    if (bytes > this.scratchBytes) {
      for (const a of this.scratchAddrs) this.arena.freeAddr(a);
      const size = Math.max(bytes, Math.ceil(this.scratchBytes * 1.25), 1 << 20);
      this.scratchAddrs = [];
      for (let t = 0; t < this.threads; t++) this.scratchAddrs.push(this.arena.allocBytes(size).addr);
      this.scratchBytes = size;
    }
    return this.scratchAddrs;
  }

  /** Writes the parameter block; returns its address. */
  setParams(values: number[]): number {
    this.params.set(values);
    return this.paramsAddr;
  }

  /** Address of an input: in place when in the shared memory, else a temporary copy. */
  in(arr: Typed): number {
    if (this.arena.owns(arr)) return arr.byteOffset;
    const { addr } = this.arena.allocBytes(arr.length * 4);
    this.temps.push(addr);
    const copy = arr instanceof Int32Array ? new Int32Array(this.arena.buffer, addr, arr.length)
      : new Float32Array(this.arena.buffer, addr, arr.length);
    copy.set(arr as never);
    return addr;
  }

  /** Address of an output: in place, or a temporary copied back by finish() (copied in first if `keep`). */
  out(arr: Typed, keep = false): number {
    if (this.arena.owns(arr)) return arr.byteOffset;
    const { addr } = this.arena.allocBytes(arr.length * 4);
    this.temps.push(addr);
    const tmp = arr instanceof Int32Array ? new Int32Array(this.arena.buffer, addr, arr.length)
      : new Float32Array(this.arena.buffer, addr, arr.length);
    if (keep) tmp.set(arr as never);
    this.outs.push([arr, tmp]);
    return addr;
  }

  /** A temporary block of `floats` floats for the current call (freed by finish()). */
  temp(floats: number): number {
    const { addr } = this.arena.allocBytes(floats * 4);
    this.temps.push(addr);
    return addr;
  }

  /** Copies temporary outputs back and frees the call's temporaries. */
  finish(): void {
    for (const [dst, tmp] of this.outs) dst.set(tmp as never);
    this.outs = [];
    for (const a of this.temps) this.arena.freeAddr(a);
    this.temps = [];
  }

  /** Runs jobs (one per thread); a single job runs on the calling thread without the pool. */
  run(jobs: Job[]): void {
    if (jobs.length === 0) return;
    if (jobs.length === 1 || this.pool === null) {
      for (const [fn, args] of jobs) this.call(fn, args);
      return;
    }
    this.pool!.run(jobs, (fn, args) => this.call(fn, args));
  }

  call(fn: JobFn, args: number[]): void {
    (this.exports[fn] as (...a: number[]) => void)(...args);
  }
}
