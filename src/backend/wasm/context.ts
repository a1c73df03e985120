/**
 * What every wasm kernel wrapper needs: the instance on the main thread, the arena, the lazily
 * started thread pool, per-thread scratch, the geometry block and the per-thread argument blocks
 * (laid out by layout.ts, written here by field name), and the marshalling of arrays that are not
 * views into the shared memory (copied into temporary blocks, outputs copied back).
 */
import * as os from 'node:os';
import type { Conv2DInfo, ConvEpilogue } from '../backend';
import { Arena } from './arena';
import { ValueError } from '../../util/errors';
import { ThreadPool, workerTimeoutMs } from './thread_pool';
import {
  type FieldList, type Fields, JOBS, JOB_FNS, type JobArgs, type JobFn, type KernelExports, type Variant, WA,
  type WasmModule, fieldList, writeFields,
} from './kernels';

/** Below this many multiply-adds per thread, starting workers costs more than it saves. */
export const MIN_MADDS_PER_THREAD = 1 << 19;
/**
 * The same for matMul: waking a sleeping worker costs tens of microseconds (far more on a loaded
 * machine), and the small dense layers call GEMMs back to back with JS work between them, so
 * the worker is asleep by the next call. 2^21 multiply-adds is ~50 us of one core's GEMM.
 */
export const MIN_GEMM_MADDS_PER_THREAD = 1 << 21;
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

/** The address of a convolution epilogue's bias in wasm memory (0 without one), checked against the output channels. */
export function epilogueBias(ctx: WasmContext, c: Conv2DInfo, epilogue?: ConvEpilogue): number {
  if (!epilogue?.bias) return 0;
  if (epilogue.bias.length !== c.outC) {
    throw new Error(`conv2d: a bias of ${epilogue.bias.length} values for ${c.outC} output channels`);
  }
  return ctx.in(epilogue.bias);
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

/** 8-byte slots per argument block: more than any layout in layout.ts needs. */
const ARG_SLOTS = 32;
/** i32 slots of the geometry block. */
const PARAM_SLOTS = 64;

const JOB_FIELDS = Object.fromEntries(JOB_FNS.map((f) => [f, fieldList(JOBS[f])])) as Record<JobFn, FieldList>;
for (const f of JOB_FNS) {
  if (JOB_FIELDS[f].count > ARG_SLOTS) throw new Error(`wasm layout of ${f}: ${JOB_FIELDS[f].count} slots > ${ARG_SLOTS}`);
}
const geometryFields = new Map<object, FieldList>();

export class WasmContext {
  readonly arena: Arena;
  /** The exports called with plain values; jobs go through run() and call(). */
  readonly exports: KernelExports;
  private readonly kernels: Record<JobFn, (args: number) => void>;
  readonly threads: number;
  private pool: ThreadPool | null = null;
  private readonly tileTmps: number[] = [];
  private scratchAddrs: number[] = [];
  private scratchBytes = 0;
  /** The geometry block of the current call (i32 slots). */
  private readonly params: Int32Array;
  private readonly paramsAddr: number;
  /** One argument block per thread: job t of a run reads block t. */
  private readonly argAddrs: number[] = [];
  private readonly argBlocks: Float64Array[] = [];
  private temps: number[] = [];
  private outs: [Typed, Typed][] = [];

  /** The pool's time limit per job beyond the main thread's share (see thread_pool.ts). */
  readonly workerTimeoutMs: number;

  /** options.workerTimeoutMs: that limit, default TATAMI_WORKER_TIMEOUT_MS or 30 s. */
  constructor(readonly module: WasmModule, readonly variant: Variant, threads: number,
    options: { workerTimeoutMs?: number } = {}) {
    const limit = options.workerTimeoutMs;
    if (limit !== undefined && !(typeof limit === 'number' && Number.isFinite(limit) && limit > 0)) {
      throw new ValueError(`workerTimeoutMs must be a positive number of milliseconds, got ${String(limit)}`);
    }
    this.workerTimeoutMs = limit ?? workerTimeoutMs();
    this.threads = threads;
    // the module's static data ends at heap_base; leave it the first 64 KiB
    this.arena = new Arena(65536);
    const instance = new WA!.Instance(module, { env: { memory: this.arena.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.kernels = jobKernels(instance.exports);
    if (this.exports.heap_base() > 65536) throw new Error('tatami wasm kernels: static data exceeds 64 KiB');
    for (let t = 0; t < threads; t++) this.tileTmps.push(this.arena.allocBytes(256).addr);
    this.exports.set_tile_tmp(this.tileTmps[0]);
    this.paramsAddr = this.arena.allocBytes(4 * PARAM_SLOTS).addr;
    this.params = new Int32Array(this.arena.buffer, this.paramsAddr, PARAM_SLOTS);
    for (let t = 0; t < threads; t++) {
      const addr = this.arena.allocBytes(8 * ARG_SLOTS).addr;
      this.argAddrs.push(addr);
      this.argBlocks.push(new Float64Array(this.arena.buffer, addr, ARG_SLOTS));
    }
    // workers take a few hundred ms to boot: start them now, in the background
    if (threads > 1) {
      this.pool = new ThreadPool(this.module, this.arena.memory, threads - 1, this.tileTmps.slice(1), this.workerTimeoutMs);
    }
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

  /** Writes the geometry block laid out by `layout` (a geometry enum of layout.ts); returns its address. */
  setParams<E extends Record<string, string | number>>(layout: E, values: Fields<E>): number {
    let fields = geometryFields.get(layout);
    if (fields === undefined) {
      fields = fieldList(layout);
      if (fields.count > PARAM_SLOTS) throw new Error(`wasm geometry layout: ${fields.count} slots > ${PARAM_SLOTS}`);
      geometryFields.set(layout, fields);
    }
    writeFields(this.params, fields, values, 'geometry');
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

  /**
   * Runs `fn` once per entry of `jobs` (at most one per thread), each with its own argument block;
   * a single job runs on the calling thread without the pool.
   */
  run<F extends JobFn>(fn: F, jobs: readonly JobArgs<F>[]): void {
    const n = jobs.length;
    if (n === 0) return;
    if (n > this.threads) throw new Error(`tatami wasm: ${n} jobs of ${fn} for ${this.threads} threads`);
    const fields = JOB_FIELDS[fn];
    for (let t = 0; t < n; t++) writeFields(this.argBlocks[t], fields, jobs[t], fn);
    const kernel = this.kernels[fn];
    if (n === 1 || this.pool === null) {
      for (let t = 0; t < n; t++) kernel(this.argAddrs[t]);
      return;
    }
    this.pool.run(fn, n, this.argAddrs, () => kernel(this.argAddrs[0]));
  }

  /** Runs one job on the calling thread. */
  call<F extends JobFn>(fn: F, args: JobArgs<F>): void {
    writeFields(this.argBlocks[0], JOB_FIELDS[fn], args, fn);
    this.kernels[fn](this.argAddrs[0]);
  }
}

/** The job exports of an instance; a missing one means dist/wasm was built from older sources. */
export function jobKernels(exports: Record<string, unknown>): Record<JobFn, (args: number) => void> {
  const out = {} as Record<JobFn, (args: number) => void>;
  for (const f of JOB_FNS) {
    const k = exports[f];
    if (typeof k !== 'function' || k.length !== 1) {
      throw new Error(`tatami wasm kernels: export ${f} is missing or does not take one argument block `
        + '(rebuild with npm run build:wasm)');
    }
    out[f] = k as (args: number) => void;
  }
  return out;
}
