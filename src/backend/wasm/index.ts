/**
 * The fast backend: AssemblyScript kernels compiled to WebAssembly SIMD (relaxed SIMD when the
 * engine has it), running on a shared WebAssembly.Memory with a pool of worker threads.
 * It spreads the JS backend: kernels it does not accelerate are the reference kernels, run on the
 * same Float32Array views, and each override below hands the cases it does not handle (small
 * foreign buffers, other dtypes, rare variants) to the reference kernel.
 */
import type { Backend, BinaryOp, Conv2DInfo, ConvEpilogue, NumericArray, Pool2DInfo, ReduceOp, UnaryGradOp, UnaryOp } from '../backend';
import { createJsBackend } from '../js/index';
import { isSuffix } from '../js/elementwise';
import { WasmContext, defaultThreads } from './context';
import { compileKernels, type Variant } from './kernels';
import * as lin from './linalg';
import * as sim from './simple';
import { dropout, dropoutGrad, optimizerStep } from './optim';
import { resampleImages } from './resample';
import { thinBackpropFilter, thinConv2d, thinFilterApplies, thinForwardApplies } from './conv_thin';
import { winoBackpropFilter, winoBackpropInput, winoConv2d, winogradApplies, winogradFilterApplies } from './winograd';
import { wino5BackpropFilter, wino5BackpropInput, wino5Conv2d, winograd5Applies, winograd5FilterApplies } from './winograd5';
import { sizeOf } from '../../util/shape';
import * as bn from './batch_norm';
import { relu6, relu6Grad } from './relu6';
import { depthwiseApplies, depthwiseBackpropFilter, depthwiseBackpropInput, depthwiseConv2d } from './depthwise';

export interface WasmBackendOptions {
  /** Worker count + 1; default TATAMI_THREADS or os.availableParallelism(). */
  threads?: number;
  /** Which build to load; 'auto' picks relaxed SIMD when the engine validates it. */
  variant?: Variant | 'auto';
  /**
   * How long the main thread waits for a worker's share of a kernel beyond its own (milliseconds)
   * before it gives the worker up: the call throws WorkerPoolError and the pool is rebuilt.
   * Default TATAMI_WORKER_TIMEOUT_MS, else 30000.
   */
  workerTimeoutMs?: number;
}

/** The wasm backend, with a few extras beyond the Backend interface. */
export interface WasmBackend extends Backend {
  readonly threads: number;
  readonly variant: Variant;
  /** The worker time limit in force (WasmBackendOptions.workerTimeoutMs). */
  readonly workerTimeoutMs: number;
  /** Zero-filled Int32Array in the shared memory (e.g. maxPool argmax), freed with free(). */
  allocInt32(size: number): Int32Array;
  /** Bytes currently allocated and not freed. */
  liveBytes(): number;
  /** Total bytes of the shared memory. */
  memoryBytes(): number;
}

/** Creates the wasm backend, or returns null when WebAssembly SIMD or the built module is missing. */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend | null {
  const compiled = compileKernels(options.variant ?? 'auto');
  if (compiled === null) return null;
  const ctx = new WasmContext(compiled.module, compiled.variant, options.threads ?? defaultThreads(),
    { workerTimeoutMs: options.workerTimeoutMs });
  const js = createJsBackend();

  const be: WasmBackend = {
    ...js,
    name: 'wasm',
    threads: ctx.threads,
    variant: ctx.variant,
    workerTimeoutMs: ctx.workerTimeoutMs,
    alloc: (size) => ctx.arena.allocF32(size),
    allocUninit: (size) => ctx.arena.allocF32Uninit(size),
    allocInt32: (size) => ctx.arena.allocI32(size),
    free: (buf) => ctx.arena.free(buf),
    liveBytes: () => ctx.arena.liveBytes,
    memoryBytes: () => ctx.arena.size,

    matMul: (a, b, out, M, K, N, transA, transB, accumulate) =>
      lin.matMul(ctx, a, b, out, M, K, N, transA, transB, accumulate ?? false),
    conv2d(x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo, epilogue?: ConvEpilogue) {
      if (winogradApplies(c, c.inC, c.outC, c.outH, c.outW)) {
        winoConv2d(ctx, x, w, y, c, epilogue); // bias and relu in the output transform
        return;
      }
      if (winograd5Applies(c, c.inC, c.outC, c.outH, c.outW)) {
        wino5Conv2d(ctx, x, w, y, c, epilogue);
        return;
      }
      if (thinForwardApplies(c)) {
        thinConv2d(ctx, x, w, y, c, epilogue);
        return;
      }
      if (depthwiseApplies(c)) depthwiseConv2d(ctx, x, w, y, c);
      else if (c.depthwise) js.conv2d(x, w, y, c);
      else if (lin.conv2d(ctx, x, w, y, c, epilogue)) return; // bias and relu done in the lowering's chunks
      // the other kernels write y first; bias and relu follow in one pass
      if (epilogue?.bias) be.biasAdd(y, epilogue.bias, y, c.outC, epilogue.relu);
      else if (epilogue?.relu) be.unary('relu', y, y);
    },
    conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, c: Conv2DInfo) {
      if (depthwiseApplies(c)) depthwiseBackpropInput(ctx, dy, w, dx, c);
      else if (c.depthwise) js.conv2dBackpropInput(dy, w, dx, c);
      else if (winogradApplies(c, c.outC, c.inC, c.inH, c.inW)) winoBackpropInput(ctx, dy, w, dx, c);
      else if (winograd5Applies(c, c.outC, c.inC, c.inH, c.inW)) wino5BackpropInput(ctx, dy, w, dx, c);
      else lin.conv2dBackpropInput(ctx, dy, w, dx, c);
    },
    conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, c: Conv2DInfo) {
      if (depthwiseApplies(c)) depthwiseBackpropFilter(ctx, x, dy, dw, c);
      else if (c.depthwise) js.conv2dBackpropFilter(x, dy, dw, c);
      else if (winogradFilterApplies(c)) {
        winoBackpropFilter(ctx, x, dy, dw, c);
      } else if (winograd5FilterApplies(c)) wino5BackpropFilter(ctx, x, dy, dw, c);
      else if (thinFilterApplies(c)) thinBackpropFilter(ctx, x, dy, dw, c);
      else lin.conv2dBackpropFilter(ctx, x, dy, dw, c);
    },

    maxPool: (x: Float32Array, y: Float32Array, argmax: Int32Array, p: Pool2DInfo) => sim.maxPool(ctx, x, y, argmax, p),
    maxPoolBackward: (dy: Float32Array, argmax: Int32Array, dx: Float32Array, p: Pool2DInfo) =>
      sim.maxPoolBackward(ctx, dy, argmax, dx, p),
    avgPool: (x: Float32Array, y: Float32Array, p: Pool2DInfo) => sim.avgPool(ctx, x, y, p),
    avgPoolBackward: (dy: Float32Array, dx: Float32Array, p: Pool2DInfo) => sim.avgPoolBackward(ctx, dy, dx, p),

    unary(op: UnaryOp, x: NumericArray, out: NumericArray) {
      // other dtypes (int32 tensors) take the reference kernel
      if (op === 'relu' && x instanceof Float32Array && out instanceof Float32Array && sim.worthIt(ctx, x.length, x, out)) {
        sim.relu(ctx, x, out);
      } else if (op === 'relu6' && x instanceof Float32Array && out instanceof Float32Array && sim.worthIt(ctx, x.length, x, out)) {
        relu6(ctx, x, out);
      } else js.unary(op, x, out);
    },
    unaryGrad(op: UnaryGradOp, dy: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array) {
      if (op === 'relu' && sim.worthIt(ctx, dy.length, dy, x, dx)) sim.reluGrad(ctx, dy, x, dx);
      else if (op === 'relu6' && sim.worthIt(ctx, dy.length, dy, x, dx)) relu6Grad(ctx, dy, x, dx);
      else js.unaryGrad(op, dy, x, y, dx);
    },
    binary(op: BinaryOp, a: NumericArray, aShape: readonly number[], b: NumericArray, bShape: readonly number[],
      out: NumericArray, outShape: readonly number[]) {
      const code = sim.BINARY_CODES[op];
      const n = out.length;
      if (code !== undefined && a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array
        && n > 0 && sizeOf(outShape) === n && sim.worthIt(ctx, n, a, b, out)) {
        if (a.length === n && b.length === n) return sim.binarySame(ctx, code, a, b, out);
        if (a.length === n && b.length > 0 && (b.length === 1 || isSuffix(bShape, outShape)) && n % b.length === 0) {
          return sim.binaryBcast(ctx, code, a, b, false, out);
        }
        if (b.length === n && a.length > 0 && (a.length === 1 || isSuffix(aShape, outShape)) && n % a.length === 0) {
          return sim.binaryBcast(ctx, code, b, a, true, out);
        }
      }
      js.binary(op, a, aShape, b, bShape, out, outShape);
    },
    affine(x: Float32Array, scale: number, offset: number, out: Float32Array) {
      if (sim.worthIt(ctx, x.length, x, out)) sim.affine(ctx, x, scale, offset, out);
      else js.affine(x, scale, offset, out);
    },
    reduce(op: ReduceOp, x: NumericArray, outer: number, n: number, inner: number, out: NumericArray) {
      if (op === 'sum' && x instanceof Float32Array && out instanceof Float32Array
        && outer * inner > 0 && sim.worthIt(ctx, x.length, x, out)) sim.reduceSum(ctx, x, outer, n, inner, out);
      else js.reduce(op, x, outer, n, inner, out);
    },
    softmax(x: Float32Array, y: Float32Array, rows: number, n: number) {
      if (rows * n >= 4096 && n > 0) sim.softmax(ctx, x, y, rows, n);
      else js.softmax(x, y, rows, n);
    },
    biasAdd(x: Float32Array, bias: Float32Array, out: Float32Array, channels: number, relu?: boolean) {
      if (channels > 0 && bias.length === channels && x.length % channels === 0 && x.length > 0
        && sim.worthIt(ctx, x.length, x, bias, out)) {
        if (relu) sim.biasRelu(ctx, x, bias, out, channels);
        else sim.binaryBcast(ctx, 0, x, bias, false, out);
      } else js.biasAdd(x, bias, out, channels, relu);
    },
    optimizerStep: (step) => optimizerStep(ctx, step),
    dropout: (x: Float32Array, y: Float32Array, keep: Uint8Array, seed: readonly number[], threshold: number, scale: number) =>
      dropout(ctx, x, y, keep, seed, threshold, scale),
    dropoutGrad: (dy: Float32Array, keep: Uint8Array, scale: number, dx: Float32Array) => dropoutGrad(ctx, dy, keep, scale, dx),
    resampleImages: (x, matrices, flips, y, info) => resampleImages(ctx, x, matrices, flips, y, info),
    biasGrad(dy: Float32Array, db: Float32Array, channels: number, reluY?: Float32Array, dx?: Float32Array) {
      if (channels > 0 && dy.length % channels === 0 && dy.length > 0 && sim.worthIt(ctx, dy.length, dy, db)) {
        if (reluY && dx && reluY.length === dy.length && dx.length === dy.length && sim.worthIt(ctx, dy.length, reluY, dx)) {
          sim.reluBiasGrad(ctx, dy, reluY, dx, db, channels);
        } else if (!reluY && !dx) sim.biasGrad(ctx, dy, db, channels);
        else js.biasGrad(dy, db, channels, reluY, dx);
      } else js.biasGrad(dy, db, channels, reluY, dx);
    },
    batchNormStats(x: Float32Array, channels: number, mean: Float64Array, variance: Float64Array) {
      if (sim.worthIt(ctx, x.length, x)) bn.batchNormStats(ctx, x, channels, mean, variance);
      else js.batchNormStats(x, channels, mean, variance);
    },
    batchNormApply(x: Float32Array, mean: Float32Array, scale: Float32Array, offset: Float32Array, y: Float32Array,
      channels: number) {
      if (sim.worthIt(ctx, x.length, x, y)) bn.batchNormApply(ctx, x, mean, scale, offset, y, channels);
      else js.batchNormApply(x, mean, scale, offset, y, channels);
    },
    batchNormGradSums(dy: Float32Array, x: Float32Array, mean: Float32Array, sumDy: Float64Array, sumDyXc: Float64Array,
      channels: number) {
      if (sim.worthIt(ctx, x.length, dy, x)) bn.batchNormGradSums(ctx, dy, x, mean, sumDy, sumDyXc, channels);
      else js.batchNormGradSums(dy, x, mean, sumDy, sumDyXc, channels);
    },
    batchNormGradInput(dy: Float32Array, x: Float32Array, mean: Float32Array, k: Float32Array, a: Float32Array,
      b: Float32Array, dx: Float32Array, channels: number) {
      if (sim.worthIt(ctx, x.length, dy, x, dx)) bn.batchNormGradInput(ctx, dy, x, mean, k, a, b, dx, channels);
      else js.batchNormGradInput(dy, x, mean, k, a, b, dx, channels);
    },
  };
  return be;
}
