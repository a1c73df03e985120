// Shared helpers of the backend kernel specs.
import * as assert from 'node:assert/strict';
import type { Backend, Conv2DInfo } from '../../src/backend/backend';
import { createJsBackend } from '../../src/backend/js/index';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm/index';
import { Rng } from '../../src/util/rng';

export const js = createJsBackend();
/** Backends under test, by label; the wasm ones are missing when wasm SIMD is unavailable. */
export const wasm2 = createWasmBackend({ threads: 2 });
export const wasm1 = createWasmBackend({ threads: 1 });
export const wasmPlain = createWasmBackend({ threads: 2, variant: 'simd' });
export const wasmBackends: [string, WasmBackend][] = (
  [['wasm(2 threads)', wasm2], ['wasm(1 thread)', wasm1], ['wasm(mul+add)', wasmPlain]] as [string, WasmBackend | null][]
).filter((e): e is [string, WasmBackend] => e[1] !== null);
/** The reference backend and every wasm one: specs that hold on any backend run over this list. */
export const allBackends: [string, Backend][] = [['js', js], ...wasmBackends];

const rng = new Rng(1234);

export function rand(n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
  return a;
}

/** A copy of `src` in b's own memory (what tensors made by b look like). */
export function on(b: Backend, src: Float32Array): Float32Array {
  const a = b.alloc(src.length);
  a.set(src);
  return a;
}

/** |got - want| <= tol * (|want| + scale) elementwise, scale = max |want| (relative to the magnitude of the result). */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-4): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (w === g) continue;
    if (!(Math.abs(g - w) <= tol * (Math.abs(w) + scale))) {
      assert.fail(`${what}: element ${i} is ${g}, expected ${w} (scale ${scale})`);
    }
  }
}

export function assertIdentical(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      assert.fail(`${what}: element ${i} is ${got[i]} with one thread count and ${want[i]} with another`);
    }
  }
}

export interface ConvSpec {
  batch: number; inH: number; inW: number; inC: number; outC: number;
  kH: number; kW: number; stride?: [number, number]; dilation?: [number, number];
  padding: 'valid' | 'same'; depthwise?: boolean;
}

/** Conv2DInfo as Keras computes it for 'valid' / 'same' padding. */
export function convInfo(s: ConvSpec): Conv2DInfo {
  const [sH, sW] = s.stride ?? [1, 1];
  const [dH, dW] = s.dilation ?? [1, 1];
  const effH = dH * (s.kH - 1) + 1;
  const effW = dW * (s.kW - 1) + 1;
  let outH: number, outW: number, padTop = 0, padLeft = 0;
  if (s.padding === 'valid') {
    outH = Math.floor((s.inH - effH) / sH) + 1;
    outW = Math.floor((s.inW - effW) / sW) + 1;
  } else {
    outH = Math.ceil(s.inH / sH);
    outW = Math.ceil(s.inW / sW);
    padTop = Math.floor(Math.max((outH - 1) * sH + effH - s.inH, 0) / 2);
    padLeft = Math.floor(Math.max((outW - 1) * sW + effW - s.inW, 0) / 2);
  }
  return {
    batch: s.batch, inH: s.inH, inW: s.inW, inC: s.inC, outH, outW, outC: s.outC, kH: s.kH, kW: s.kW,
    strideH: sH, strideW: sW, dilationH: dH, dilationW: dW, padTop, padLeft, depthwise: s.depthwise,
  };
}

export function describe(o: object): string {
  return JSON.stringify(o).replace(/"/g, '');
}
