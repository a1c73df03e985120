// Shared helpers of the backend kernel specs.
import type { Backend, Conv2DInfo } from '../../src/backend/backend';
import { createJsBackend } from '../../src/backend/js/index';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm/index';
import { Rng } from '../../src/util/rng';

export const js = createJsBackend();

/** A wasm backend; it is part of the build, so one that does not load fails every test here. */
function requireWasm(options: Parameters<typeof createWasmBackend>[0]): WasmBackend {
  const b = createWasmBackend(options);
  if (!b) throw new Error(`the wasm backend ${JSON.stringify(options)} did not load: no WebAssembly SIMD in this Node, or npm run build:wasm was not run`);
  return b;
}

/** Backends under test, by label. */
export const wasm2 = requireWasm({ threads: 2 });
export const wasm1 = requireWasm({ threads: 1 });
export const wasmPlain = requireWasm({ threads: 2, variant: 'simd' });
export const wasmBackends: [string, WasmBackend][] = [['wasm(2 threads)', wasm2], ['wasm(1 thread)', wasm1], ['wasm(mul+add)', wasmPlain]];
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
