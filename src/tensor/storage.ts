import { backend } from '../backend/registry';
import type { Backend } from '../backend/backend';
import { inScope } from './engine';
import { type Cell, dropped, live, noteUnscoped, registry } from './reclaim';

export type DType = 'float32' | 'int32' | 'uint8' | 'bool';
export type DataArray = Float32Array | Int32Array | Uint8Array;

/**
 * A tensor's buffer, shared by views such as reshape. float32 storage comes from the backend
 * (so kernels read it in place) and goes back to it when the last tensor using it is disposed,
 * or when the values array itself becomes unreachable: the array, not the tensor, is what the
 * collector watches, so a kernel still holding `t.values` keeps the block alive.
 */
export class Storage {
  private readonly cell: Cell;
  private watched = false;

  /** Inside a scope the registry is joined only if a tensor outlives it (most are disposed at its end). */
  constructor(public data: DataArray, owner: Backend | null, period = -1) {
    const owned = owner !== null && data instanceof Float32Array && data.length > 0;
    this.cell = { handle: owned ? data.subarray(0, 0) : null, owner: owned ? owner : null, refs: 0, bytes: data.byteLength, period };
    if (!inScope()) this.watch();
  }

  /** From now on the block is freed when the values array becomes unreachable. */
  watch(): void {
    if (this.watched || this.data === EMPTY) return;
    this.watched = true;
    registry.register(this.data, this.cell, this.cell);
  }

  /** Tensors using this storage. */
  get refs(): number {
    return this.cell.refs;
  }

  /** A tensor starts using the storage. */
  retain(): void {
    this.cell.refs++;
    live.tensors++;
    live.bytes += this.cell.bytes;
  }

  /** A tensor using the storage was disposed; the last one frees it. */
  release(): void {
    const cell = this.cell;
    if (cell.refs === 0) return;
    cell.refs--;
    live.tensors--;
    live.bytes -= cell.bytes;
    if (cell.refs > 0 || this.data.length === 0) return;
    if (this.watched) registry.unregister(cell);
    dropped(cell);
    if (cell.owner !== null && cell.handle !== null) cell.owner.free(this.data as Float32Array);
    cell.handle = null;
    this.data = EMPTY;
  }
}

const EMPTY = new Float32Array(0);

/** Backend storage: values made in the shared memory outside a scope count towards the next reclaim. */
function fromBackend(make: (b: Backend) => Float32Array): Storage {
  const b = backend();
  const data = make(b);
  // only the shared (wasm) memory needs reclaiming: plain arrays are V8's own to collect
  const counted = data.buffer instanceof SharedArrayBuffer && data.length > 0 && !inScope();
  return new Storage(data, b, counted ? noteUnscoped(data.byteLength) : -1);
}

export function allocData(dtype: DType, size: number): Storage {
  if (dtype === 'float32') return fromBackend((b) => b.alloc(size));
  return new Storage(dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size), null);
}

/** float32 storage whose contents the caller will fully overwrite (kernel outputs). */
export function allocOutput(size: number): Storage {
  return fromBackend((b) => b.allocUninit(size));
}

/** Wraps an existing array; float32 arrays not made by the backend are adopted as they are. */
export function wrapData(data: DataArray): Storage {
  return new Storage(data, null);
}

export function arrayFor(dtype: DType, size: number): DataArray {
  return dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
}
