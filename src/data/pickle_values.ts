/**
 * The values a parsed pickle holds (see pickle.ts): Python's bytes and dict kept apart from
 * JavaScript's strings and objects, and NumPy arrays as raw bytes with their dtype and shape.
 */

/** A Python `bytes` value (kept apart from text, as Python does). */
export class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
  toString(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1');
  }
}

/** A Python dict, keys compared by value (text 'k' and bytes b'k' are distinct, as in Python). */
export class PyDict {
  readonly entries: [PickleValue, PickleValue][] = [];
  /** Entry index by key identity (keyId), so a dict of n keys is built in O(n), not O(n^2). */
  private readonly index = new Map<string | object, number>();
  set(key: PickleValue, value: PickleValue): void {
    const id = keyId(key);
    const i = this.index.get(id);
    if (i !== undefined) this.entries[i][1] = value;
    else {
      this.index.set(id, this.entries.length);
      this.entries.push([key, value]);
    }
  }
  /** The value under text key `name` or bytes key b'name' (CIFAR's keys are bytes). */
  get(name: string): PickleValue | undefined {
    for (const [k, v] of this.entries) {
      if (k === name || (k instanceof PyBytes && k.toString() === name)) return v;
    }
    return undefined;
  }
  keys(): string[] {
    return this.entries.map(([k]) => (k instanceof PyBytes ? `b'${k.toString()}'` : String(k)));
  }
}

/** A NumPy array: raw little- or big-endian bytes in C (or Fortran) order. */
export interface NdArray {
  readonly kind: 'ndarray';
  /** NumPy's type code without byte order: 'u1', 'i8', 'f4', 'b1', ... */
  dtype: string;
  littleEndian: boolean;
  shape: number[];
  fortranOrder: boolean;
  data: Uint8Array;
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyBytes
  | PyDict
  | NdArray
  | PickleValue[];

/** What makes two keys the same: bytes by value, text by value, numbers by value, anything else by identity. */
function keyId(k: PickleValue): string | object {
  if (k instanceof PyBytes) return `b:${k.toString()}`;
  if (typeof k === 'string') return `s:${k}`;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return `${typeof k}:${String(k)}`;
  if (k === null) return 'None';
  return k;
}

/** Whether a pickle value is a NumPy array. */
export function isNdArray(v: PickleValue | undefined): v is NdArray {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as NdArray).kind === 'ndarray';
}
