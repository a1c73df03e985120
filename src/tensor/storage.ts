import { backend } from '../backend/registry';
import type { Backend } from '../backend/backend';

export type DType = 'float32' | 'int32' | 'uint8' | 'bool';
export type DataArray = Float32Array | Int32Array | Uint8Array;

/**
 * A tensor's buffer, shared by views such as reshape. float32 storage comes from the backend
 * (so kernels read it in place) and goes back to it when the last tensor using it is disposed
 * or collected.
 */
export class Storage {
  refs = 0;
  constructor(public data: DataArray, private readonly owner: Backend | null) {}

  release(): void {
    if (--this.refs > 0 || this.data.length === 0) return;
    if (this.owner && this.data instanceof Float32Array) this.owner.free(this.data);
    this.data = EMPTY;
  }
}

const EMPTY = new Float32Array(0);

export function allocData(dtype: DType, size: number): Storage {
  if (dtype === 'float32') {
    const b = backend();
    return new Storage(b.alloc(size), b);
  }
  return new Storage(dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size), null);
}

/** float32 storage whose contents the caller will fully overwrite (kernel outputs). */
export function allocOutput(size: number): Storage {
  const b = backend();
  return new Storage(b.allocUninit(size), b);
}

/** Wraps an existing array; float32 arrays not made by the backend are adopted as they are. */
export function wrapData(data: DataArray): Storage {
  return new Storage(data, null);
}

export function arrayFor(dtype: DType, size: number): DataArray {
  return dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
}
