/**
 * The shared WebAssembly.Memory and a JS-side allocator over it: every buffer the wasm kernels
 * read in place lives here. Size classes (quarter powers of two, 64-byte aligned) with free lists;
 * blocks are never coalesced, which keeps a training loop's memory flat because it asks for the
 * same sizes every step. The memory only grows (views made before a grow stay valid).
 */

import { WA, type WasmMemory } from './kernels';

const PAGE = 65536;
/** wasm32 limit: 4 GiB. */
export const MAX_PAGES = 65536;
const ALIGN = 64;
/** Bytes kept free past the last block: kernels may read a few vectors past a buffer's end. */
const SLACK = 1024;

function classBytes(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  const p = 2 ** Math.floor(Math.log2(bytes - 1));
  const step = Math.max(ALIGN, p / 4);
  return Math.ceil(bytes / step) * step;
}

export class Arena {
  readonly memory: WasmMemory;
  private sab: SharedArrayBuffer;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  /**
   * Every block ever carved gets an ordinal (blocks are never merged or split, so a training
   * loop stops adding entries after its first step); its size class and whether it is handed out
   * are kept by ordinal in typed arrays. A Map of live addresses would churn with every
   * allocation and free, and each rehash of its table is garbage in V8's old generation.
   */
  private readonly ordinalOf = new Map<number, number>();
  private blockClass = new Float64Array(256);
  private blockLive = new Uint8Array(256);
  private blocks = 0;
  /** Bytes handed out and not yet freed (by size class). */
  liveBytes = 0;

  constructor(base: number, initialPages = 256) {
    this.memory = new WA!.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
    this.sab = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(this.sab);
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** The current buffer (refreshed after a grow). */
  get buffer(): SharedArrayBuffer {
    return this.sab;
  }

  /** True when arr is a view into this memory, so kernels can read it in place. */
  owns(arr: ArrayBufferView): boolean {
    return this.buffers.has(arr.buffer);
  }

  /** Byte address of a block of at least `bytes` bytes, 64-byte aligned; not zeroed when reused. */
  allocBytes(bytes: number): { addr: number; fresh: boolean } {
    const cls = classBytes(Math.max(bytes, 4));
    const list = this.freeLists.get(cls);
    let addr: number;
    let fresh = false;
    const spare = list !== undefined && list.length > 0 ? list : this.nearbyFree(cls);
    if (spare) {
      addr = spare.pop()!;
      // the block keeps its own class, so it returns to the list it came from
      const k = this.ordinalOf.get(addr)!;
      this.blockLive[k] = 1;
      this.liveBytes += this.blockClass[k];
      return { addr, fresh };
    } else {
      addr = this.top;
      this.ensure(addr + cls + SLACK);
      this.top = addr + cls;
      fresh = true;
    }
    this.addBlock(addr, cls);
    this.liveBytes += cls;
    return { addr, fresh };
  }

  /** Records a newly carved block as handed out. */
  private addBlock(addr: number, cls: number): void {
    const k = this.blocks++;
    if (k === this.blockLive.length) {
      const c = new Float64Array(k * 2);
      c.set(this.blockClass);
      this.blockClass = c;
      const l = new Uint8Array(k * 2);
      l.set(this.blockLive);
      this.blockLive = l;
    }
    this.ordinalOf.set(addr, k);
    this.blockClass[k] = cls;
    this.blockLive[k] = 1;
  }

  /**
   * A free list of a slightly larger class (at most 1.5x), used when the exact class has none:
   * the last, smaller batch of an epoch then reuses the full batches' blocks instead of growing
   * the memory by a whole step's worth.
   */
  private nearbyFree(cls: number): number[] | null {
    let best: number[] | null = null;
    let bestCls = Infinity;
    for (const [c, l] of this.freeLists) {
      if (c > cls && c <= cls * 1.5 && c < bestCls && l.length > 0) {
        best = l;
        bestCls = c;
      }
    }
    return best;
  }

  /** Returns a block by address; unknown addresses (double frees, foreign views) are ignored. */
  freeAddr(addr: number): void {
    const k = this.ordinalOf.get(addr);
    if (k === undefined || this.blockLive[k] === 0) return;
    this.blockLive[k] = 0;
    const cls = this.blockClass[k];
    this.liveBytes -= cls;
    let list = this.freeLists.get(cls);
    if (list === undefined) {
      list = [];
      this.freeLists.set(cls, list);
    }
    list.push(addr);
  }

  /** Zero-filled Float32Array of `size` floats in the shared memory. */
  allocF32(size: number): Float32Array {
    const { addr, fresh } = this.allocBytes(size * 4);
    const v = new Float32Array(this.sab, addr, size);
    if (!fresh) v.fill(0);
    return v;
  }

  /** Float32Array of `size` floats with whatever a freed block held (outputs a kernel overwrites). */
  allocF32Uninit(size: number): Float32Array {
    const { addr } = this.allocBytes(size * 4);
    return new Float32Array(this.sab, addr, size);
  }

  /** Zero-filled Int32Array of `size` ints in the shared memory. */
  allocI32(size: number): Int32Array {
    const { addr, fresh } = this.allocBytes(size * 4);
    const v = new Int32Array(this.sab, addr, size);
    if (!fresh) v.fill(0);
    return v;
  }

  free(arr: ArrayBufferView): void {
    if (this.owns(arr)) this.freeAddr(arr.byteOffset);
  }

  /** Total bytes of the memory. */
  get size(): number {
    return this.sab.byteLength;
  }

  private ensure(end: number): void {
    const have = this.sab.byteLength;
    if (end <= have) return;
    const curPages = have / PAGE;
    const needPages = Math.ceil(end / PAGE);
    // grow by at least a quarter to keep the number of grows logarithmic
    let pages = Math.max(needPages - curPages, Math.ceil(curPages / 4));
    pages = Math.min(pages, MAX_PAGES - curPages);
    if (curPages + pages < needPages) throw new RangeError(`tatami wasm backend: out of memory (asked for ${end} bytes, limit 4 GiB)`);
    this.memory.grow(pages);
    this.sab = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(this.sab);
  }
}
