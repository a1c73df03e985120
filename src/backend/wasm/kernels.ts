/**
 * The wasm kernel module: where the built .wasm files are, the relaxed-SIMD probe, and the exports
 * that take an argument block (jobs), each with its layout from layout.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as L from './layout';

// Minimal typings of the WebAssembly JS API: the compile settings (lib ES2022, @types/node 20)
// declare none, and a global declaration here could clash with other files' lib choices.
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
export const WA: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Every export that takes one argument block, with the block's layout; the pool names them by index in this order. */
export const JOBS = {
  gemm: L.GemmArgs, pack_b: L.PackBArgs,
  conv_fwd: L.ConvFwdArgs, conv_fwd_ind: L.ConvFwdIndArgs, conv_bwd_filter: L.ConvBwdFilterArgs,
  conv_bwd_input_col2im: L.ConvBwdInputArgs,
  maxpool: L.MaxPoolArgs, maxpool_bwd: L.MaxPoolBwdArgs, avgpool: L.AvgPoolArgs, avgpool_bwd: L.AvgPoolBwdArgs,
  relu: L.ReluArgs, relu_grad: L.ReluGradArgs, binary: L.BinaryArgs, binary_bcast: L.BinaryBcastArgs,
  affine: L.AffineArgs, bias_grad: L.BiasGradArgs, reduce_sum: L.ReduceSumArgs, softmax: L.SoftmaxArgs,
  wino_fwd: L.WinoFwdArgs, wino_filter: L.WinoFilterArgs, wino_filter_out: L.WinoFilterOutArgs,
  adadelta: L.AdadeltaArgs, adam: L.AdamArgs, dropout_fwd: L.DropoutArgs, dropout_bwd: L.DropoutBwdArgs,
  resample: L.ResampleArgs,
  bias_relu: L.BiasReluArgs, relu_bias_grad: L.ReluBiasGradArgs,
  depthwise_fwd: L.DepthwiseFwdArgs, depthwise_bwd_input: L.DepthwiseBwdInputArgs, depthwise_bwd_filter: L.DepthwiseBwdFilterArgs,
  bn_sums: L.BnSumsArgs, bn_apply: L.BnApplyArgs, bn_grad_input: L.BnGradInputArgs,
  relu6: L.ReluArgs, relu6_grad: L.ReluGradArgs,
  wino4_fwd: L.WinoFwdArgs, wino4_filter: L.WinoFilterArgs, wino4_filter_out: L.WinoFilterOutArgs,
  thin_filter: L.ThinFilterArgs,
  pack_flipped: L.PackFlippedArgs,
  wino5_fwd: L.WinoFwdArgs, wino5_filter: L.WinoFilterArgs, wino5_filter_out: L.WinoFilterOutArgs,
  thin_fwd: L.ThinFwdArgs,
  wino4_bwd: L.WinoFwdArgs,
  wino_pack: L.WinoPackArgs,
} as const;
export type JobFn = keyof typeof JOBS;
export const JOB_FNS = Object.keys(JOBS) as JobFn[];

/** The values of a block laid out by the numeric enum E: one number per field (all but `count`). */
export type Fields<E> = { readonly [K in Exclude<keyof E, 'count'>]: number };
/** The argument block of job `F`, by field name. */
export type JobArgs<F extends JobFn> = Fields<(typeof JOBS)[F]>;

/** A layout's field names and their slots, read once from the enum object. */
export interface FieldList {
  readonly names: readonly string[];
  readonly slots: readonly number[];
  readonly count: number;
}

export function fieldList(layout: Record<string, string | number>): FieldList {
  const names = Object.keys(layout).filter((k) => typeof layout[k] === 'number' && k !== 'count');
  const count = layout.count;
  if (typeof count !== 'number') throw new Error('wasm layout: an enum without count');
  return { names, slots: names.map((k) => layout[k] as number), count };
}

/** Writes values into a block, slot by slot; a missing field is an error (it would read a stale value). */
export function writeFields(block: Float64Array | Int32Array, fields: FieldList, values: object, what: string): void {
  const { names, slots } = fields;
  const v = values as Record<string, number>;
  for (let i = 0; i < names.length; i++) {
    const x = v[names[i]];
    if (typeof x !== 'number') throw new Error(`wasm call ${what}: field '${names[i]}' is ${x}, expected a number`);
    block[slots[i]] = x;
  }
}

/** The exports called with plain values: none takes more than three. */
export interface KernelExports {
  heap_base(): number;
  fill_zero(dst: number, n: number): void;
  set_tile_tmp(p: number): void;
  gemm_scratch(K: number, nc: number): number;
  wino_scratch(C: number, K: number, Tc: number): number;
  wino_filter_scratch(C: number, K: number, Tc: number): number;
  wino4_scratch(C: number, K: number, Tc: number): number;
  wino4_filter_scratch(C: number, K: number, Tc: number): number;
  wino5_scratch(C: number, K: number, Tc: number): number;
  wino5_filter_scratch(C: number, K: number, Tc: number): number;
  wino4_bwd_scratch(C: number, K: number, Tc: number): number;
}

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b,
]);
// (module (func (result v128) v128.const i32x4 0 0 0 0))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x0b,
]);

let flagsSet = false;

/**
 * Turns on relaxed SIMD (off by default in Node 20, and only settable from inside the process).
 * Every thread calls this before compiling or instantiating.
 */
export function setWasmFlags(): void {
  if (flagsSet) return;
  flagsSet = true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // flags are a best effort; the probes below decide what runs
  }
}

/**
 * Compiles with the optimizing tier only: kernels run long single calls, which the baseline tier
 * would otherwise execute before tiering up. The flag is process-wide, so it is restored at once
 * (other modules, such as a large HDF5 one, keep their fast baseline compile).
 */
function compileOptimized(bytes: Uint8Array): WasmModule {
  try {
    v8.setFlagsFromString('--no-liftoff');
    return new WA!.Module(bytes);
  } finally {
    v8.setFlagsFromString('--liftoff');
  }
}

export function hasSimd(): boolean {
  try {
    return WA !== undefined && WA.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function hasRelaxedSimd(): boolean {
  try {
    return WA !== undefined && WA.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/** Directory of the built .wasm files: dist/wasm, beside dist/src. */
export function wasmDir(): string {
  // __dirname is dist/src/backend/wasm
  return path.resolve(__dirname, '..', '..', '..', 'wasm');
}

export type Variant = 'relaxed' | 'simd';

/** Compiles the kernel module; null when the file or wasm SIMD is missing. */
export function compileKernels(prefer: Variant | 'auto' = 'auto'): { module: WasmModule; variant: Variant } | null {
  setWasmFlags();
  if (WA === undefined || !hasSimd()) return null;
  const relaxedOk = hasRelaxedSimd();
  const order: Variant[] = prefer === 'simd' || !relaxedOk ? ['simd'] : ['relaxed', 'simd'];
  for (const variant of order) {
    const file = path.join(wasmDir(), `kernels-${variant}.wasm`);
    if (!fs.existsSync(file)) continue;
    try {
      return { module: compileOptimized(fs.readFileSync(file)), variant };
    } catch {
      // fall through to the next variant
    }
  }
  return null;
}
