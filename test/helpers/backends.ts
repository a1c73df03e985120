import type { Backend } from '../../src/backend/backend';
import { backend, setBackend } from '../../src/backend/registry';
import { createJsBackend } from '../../src/backend/js/index';
import { createWasmBackend } from '../../src/backend/wasm/index';

// Running a kernel test on every backend: the active one, the js reference and the wasm backend.
// The wasm backend is part of the build, so a wasm backend that does not load fails the tests
// that need it (it is not skipped).

let wasm: Backend | null = null;

/** The wasm backend (the active one when it is wasm), created once; throws when it does not load. */
export function wasmBackend(): Backend {
  if (wasm) return wasm;
  if (backend().name === 'wasm') return (wasm = backend());
  const b = createWasmBackend();
  if (!b) throw new Error('the wasm backend did not load: no WebAssembly SIMD in this Node, or the module was not built (npm run build:wasm)');
  return (wasm = b);
}

export type BackendKind = 'default' | 'js' | 'wasm';

/** Which backends a kernel test runs on: the active one ("default"), plus js and wasm when not the default. */
export function kernelBackends(): BackendKind[] {
  const active = backend().name;
  return ['default', ...(['js', 'wasm'] as const).filter((k) => k !== active)];
}

/** "js backend", "wasm backend", or "default backend (wasm)" for test titles. */
export function backendLabel(kind: BackendKind): string {
  return kind === 'default' ? `default backend (${backend().name})` : `${kind} backend`;
}

/** Runs fn with b active (tensors made inside come from b), then restores the previous backend. */
export function withBackend<T>(b: Backend, fn: () => T): T {
  const prev = backend();
  setBackend(b);
  try {
    return fn();
  } finally {
    setBackend(prev);
  }
}

/** Runs fn on the backend of that kind. */
export function onBackend(kind: BackendKind, fn: () => void): void {
  const b = kind === 'default' ? backend() : kind === 'js' ? createJsBackend() : wasmBackend();
  withBackend(b, fn);
}
