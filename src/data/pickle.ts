import { DataFileError } from './data_file_error';
import { PyBytes, PyDict, type NdArray, type PickleValue } from './pickle_values';

export { PyBytes, PyDict, isNdArray, type NdArray, type PickleValue } from './pickle_values';

/**
 * A reader for the few Python pickles that datasets ship (CIFAR's batches): dicts, lists,
 * tuples, numbers, strings, bytes and NumPy arrays. It never runs or builds an arbitrary class:
 * the only globals it accepts are the handful NumPy and Python 3 use to pickle arrays and bytes,
 * and each is interpreted here, not called. Anything else is refused with an error naming it.
 *
 * Python 2 byte strings (SHORT_BINSTRING/BINSTRING, as in the original CIFAR files) come back as
 * PyBytes, as Python 3 reads them with `pickle.load(f, encoding='bytes')`.
 */

// Intermediate objects that only live on the stack while an array or dtype is being rebuilt.
class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}
class DType {
  littleEndian = true;
  constructor(readonly code: string) {}
}
class PendingArray {}

type Item = PickleValue | PyGlobal | DType | PendingArray;

const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.numeric._frombuffer',
  'numpy._core.numeric._frombuffer',
  '_codecs.encode', // how Python 3 writes bytes at protocol 2: encode(text, 'latin1')
  '__builtin__.bytes',
  'builtins.bytes',
  '__builtin__.bytearray',
  'builtins.bytearray',
]);

const DTYPE_SIZES: Record<string, number> = {
  b1: 1, u1: 1, i1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f2: 2, f4: 4, f8: 8,
};

const MAX_LONG_BYTES = 64;

/** Parses one pickle. `name` (usually the file path) is used in error messages. */
export function parsePickle(buf: Uint8Array, name = 'pickle'): PickleValue {
  return new Unpickler(buf, name).run();
}

class Unpickler {
  private pos = 0;
  private stack: Item[] = [];
  private marks: number[] = [];
  private memo = new Map<number, Item>();
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array, private readonly name: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private fail(msg: string): never {
    throw new DataFileError(`${this.name}: not a pickle this reader accepts: ${msg}`);
  }

  private need(n: number): number {
    // a negative length (BINSTRING's is signed) would move the reader backwards: a loop, not a value
    if (n < 0) this.fail(`negative length ${n} at offset ${this.pos}`);
    if (this.pos + n > this.buf.length) {
      throw new DataFileError(`${this.name}: truncated pickle (needs ${n} more bytes at offset ${this.pos} of ${this.buf.length})`);
    }
    const p = this.pos;
    this.pos += n;
    return p;
  }
  private u8(): number { return this.buf[this.need(1)]; }
  private u16(): number { return this.view.getUint16(this.need(2), true); }
  private i32(): number { return this.view.getInt32(this.need(4), true); }
  private u32(): number { return this.view.getUint32(this.need(4), true); }
  private u64(): number {
    const p = this.need(8);
    const v = this.view.getBigUint64(p, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${v} too large`);
    return Number(v);
  }
  private bytes(n: number): Uint8Array {
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
  private line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) this.need(this.buf.length - this.pos + 1);
    const s = Buffer.from(this.buf.subarray(this.pos, end)).toString('latin1');
    this.pos = end + 1;
    return s;
  }
  private utf8(n: number): string {
    return Buffer.from(this.bytes(n)).toString('utf8');
  }

  private push(v: Item): void { this.stack.push(v); }
  private pop(): Item {
    if (this.stack.length === 0 || (this.marks.length && this.stack.length <= this.marks[this.marks.length - 1])) {
      this.fail('stack underflow');
    }
    return this.stack.pop()!;
  }
  private top(): Item {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack[this.stack.length - 1];
  }
  private popMark(): Item[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail('no MARK for a collection opcode');
    return this.stack.splice(m);
  }
  private memoGet(i: number): Item {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} is not defined`);
    return this.memo.get(i)!;
  }

  run(): PickleValue {
    for (;;) {
      const op = this.u8();
      switch (op) {
        case 0x80: { // PROTO
          const v = this.u8();
          if (v > 5) this.fail(`protocol ${v} is newer than 5`);
          break;
        }
        case 0x95: this.u64(); break; // FRAME: its length only helps buffering
        case 0x2e: { // STOP
          const v = this.pop();
          return this.value(v, 'the pickled object');
        }
        case 0x28: this.marks.push(this.stack.length); break; // MARK
        case 0x7d: this.push(new PyDict()); break; // EMPTY_DICT
        case 0x5d: this.push([]); break; // EMPTY_LIST
        case 0x29: this.push(tuple([])); break; // EMPTY_TUPLE
        case 0x64: this.push(this.dictFrom(this.popMark())); break; // DICT
        case 0x6c: this.push(this.popMark() as PickleValue[]); break; // LIST
        case 0x74: this.push(tuple(this.popMark())); break; // TUPLE
        case 0x85: this.push(tuple([this.pop()])); break; // TUPLE1
        case 0x86: { const b = this.pop(); const a = this.pop(); this.push(tuple([a, b])); break; } // TUPLE2
        case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.push(tuple([a, b, c])); break; } // TUPLE3
        case 0x61: { const v = this.value(this.pop(), 'a list item'); this.listOf(this.top()).push(v); break; } // APPEND
        case 0x65: { // APPENDS (one by one: spreading 100,000 items would overflow the call stack)
          const items = this.popMark();
          const list = this.listOf(this.top());
          for (const v of items) list.push(this.value(v, 'a list item'));
          break;
        }
        case 0x73: { // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.dictOf(this.top()).set(this.value(k, 'a dict key'), this.value(v, 'a dict value'));
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.popMark();
          const d = this.dictOf(this.top());
          for (let i = 0; i + 1 < items.length; i += 2) d.set(this.value(items[i], 'a dict key'), this.value(items[i + 1], 'a dict value'));
          break;
        }
        case 0x4e: this.push(null); break; // NONE
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x4b: this.push(this.u8()); break; // BININT1
        case 0x4d: this.push(this.u16()); break; // BININT2
        case 0x4a: this.push(this.i32()); break; // BININT
        case 0x8a: this.push(this.long(this.u8())); break; // LONG1
        case 0x8b: this.push(this.long(this.i32())); break; // LONG4
        case 0x49: this.push(this.intLine(this.line())); break; // INT (protocol 0/1 text)
        case 0x47: this.push(this.view.getFloat64(this.need(8), false)); break; // BINFLOAT (big-endian)
        case 0x55: this.push(new PyBytes(this.bytes(this.u8()))); break; // SHORT_BINSTRING
        case 0x54: this.push(new PyBytes(this.bytes(this.i32()))); break; // BINSTRING
        case 0x43: this.push(new PyBytes(this.bytes(this.u8()))); break; // SHORT_BINBYTES
        case 0x42: this.push(new PyBytes(this.bytes(this.u32()))); break; // BINBYTES
        case 0x8e: this.push(new PyBytes(this.bytes(this.u64()))); break; // BINBYTES8
        case 0x96: this.push(new PyBytes(this.bytes(this.u64()))); break; // BYTEARRAY8
        case 0x8c: this.push(this.utf8(this.u8())); break; // SHORT_BINUNICODE
        case 0x58: this.push(this.utf8(this.u32())); break; // BINUNICODE
        case 0x8d: this.push(this.utf8(this.u64())); break; // BINUNICODE8
        case 0x71: this.memo.set(this.u8(), this.top()); break; // BINPUT
        case 0x72: this.memo.set(this.u32(), this.top()); break; // LONG_BINPUT
        case 0x70: this.memo.set(this.intLine(this.line()) as number, this.top()); break; // PUT
        case 0x94: this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
        case 0x68: this.push(this.memoGet(this.u8())); break; // BINGET
        case 0x6a: this.push(this.memoGet(this.u32())); break; // LONG_BINGET
        case 0x67: this.push(this.memoGet(this.intLine(this.line()) as number)); break; // GET
        case 0x30: this.pop(); break; // POP
        case 0x32: this.push(this.top()); break; // DUP
        case 0x63: { // GLOBAL
          const module = this.line();
          this.push(this.global(module, this.line()));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const n = this.pop();
          const m = this.pop();
          if (typeof m !== 'string' || typeof n !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(m, n));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const fn = this.pop();
          this.push(this.reduce(fn, args));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case 0x97: case 0x98: this.fail('out-of-band buffers (protocol 5 NEXT_BUFFER) are not stored in the file');
        // eslint-disable-next-line no-fallthrough
        default:
          this.fail(`opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}') at offset ${this.pos - 1} is not supported`);
      }
    }
  }

  private long(n: number): number | bigint {
    if (n < 0) this.fail('negative LONG length');
    // building a BigInt byte by byte is quadratic; no array, label or size needs more than 64 bits
    if (n > MAX_LONG_BYTES) this.fail(`an integer of ${n} bytes (at most ${MAX_LONG_BYTES} are read)`);
    const b = this.bytes(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private intLine(s: string): number | boolean {
    if (s === '00') return false;
    if (s === '01') return true;
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v)) this.fail(`bad integer '${s}'`);
    return v;
  }

  private global(module: string, name: string): PyGlobal {
    const g = new PyGlobal(module, name);
    if (!ALLOWED_GLOBALS.has(g.qualified)) {
      this.fail(`refusing to load the Python global ${g.qualified} (only dicts, lists, numbers, strings, bytes and NumPy arrays are read)`);
    }
    return g;
  }

  private reduce(fn: Item, args: Item): Item {
    if (!(fn instanceof PyGlobal)) this.fail('REDUCE on something that is not an allowed global');
    const a = Array.isArray(args) ? args : this.fail(`${fn.qualified} called without an argument tuple`);
    switch (fn.name) {
      case '_reconstruct':
        if (!(a[0] instanceof PyGlobal) || a[0].qualified !== 'numpy.ndarray') this.fail('_reconstruct of a class other than numpy.ndarray');
        return new PendingArray();
      case 'dtype': {
        const code = a[0];
        if (typeof code !== 'string' && !(code instanceof PyBytes)) this.fail('numpy.dtype without a type code');
        return this.dtype(String(code));
      }
      case '_frombuffer': { // numpy's protocol-5 form: _frombuffer(buffer, dtype, shape, order)
        const [buf, dt, shape, order] = a;
        if (!(buf instanceof PyBytes) || !(dt instanceof DType)) this.fail('_frombuffer needs bytes and a dtype');
        return this.array(dt, this.shape(shape), String(order) === 'F', buf.bytes);
      }
      case 'encode': {
        if (typeof a[0] !== 'string' || !/^latin-?1$/.test(String(a[1]))) this.fail('_codecs.encode other than (text, latin1)');
        return new PyBytes(Uint8Array.from(a[0], (c) => c.charCodeAt(0)));
      }
      case 'bytes':
      case 'bytearray': {
        if (a.length === 0) return new PyBytes(new Uint8Array(0));
        if (typeof a[0] === 'string' && /^latin-?1$/.test(String(a[1]))) return new PyBytes(Uint8Array.from(a[0], (c) => c.charCodeAt(0)));
        if (a[0] instanceof PyBytes) return new PyBytes(a[0].bytes);
        return this.fail(`${fn.qualified} with unsupported arguments`);
      }
      default:
        return this.fail(`${fn.qualified} cannot be called`);
    }
  }

  private dtype(code: string): DType {
    const m = /^([<>|=]?)([a-zA-Z]\d+)$/.exec(code);
    if (m && m[2][0] === 'O') this.fail('NumPy arrays of Python objects (dtype O) are not supported');
    if (!m || !(m[2] in DTYPE_SIZES)) this.fail(`NumPy dtype '${code}' is not supported (numbers and booleans only)`);
    const d = new DType(m[2]);
    if (m[1] === '>') d.littleEndian = false;
    return d;
  }

  private shape(s: Item): number[] {
    if (!Array.isArray(s) || !s.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) this.fail('array shape is not a tuple of sizes');
    return s as number[];
  }

  private build(target: Item, state: Item): void {
    if (target instanceof DType) {
      // (version, byte order, subarray, names, fields, elsize, alignment, flags[, metadata])
      if (!Array.isArray(state) || state.length < 8) this.fail('unexpected numpy.dtype state');
      if (state[2] !== null || state[3] !== null) this.fail('structured or subarray NumPy dtypes are not supported');
      if (state[1] === '>') target.littleEndian = false;
      return;
    }
    if (target instanceof PendingArray) {
      // (version, shape, dtype, is_fortran, raw data)
      if (!Array.isArray(state) || state.length !== 5) this.fail('unexpected numpy.ndarray state');
      const [, shape, dt, fortran, raw] = state;
      if (!(dt instanceof DType)) this.fail('numpy.ndarray state without a dtype');
      if (!(raw instanceof PyBytes)) this.fail('NumPy arrays of Python objects are not supported');
      const arr = this.array(dt, this.shape(shape), fortran === true, raw.bytes);
      // The array replaces its placeholder everywhere, including the memo.
      this.stack[this.stack.length - 1] = arr;
      for (const [k, v] of this.memo) if (v === target) this.memo.set(k, arr);
      return;
    }
    this.fail('BUILD (setting object state) is only accepted for NumPy arrays and dtypes');
  }

  private array(dt: DType, shape: number[], fortranOrder: boolean, data: Uint8Array): NdArray {
    const n = shape.reduce((p, s) => p * s, 1);
    const want = n * DTYPE_SIZES[dt.code];
    if (data.length !== want) {
      this.fail(`NumPy array of shape (${shape.join(', ')}) and dtype ${dt.code} needs ${want} bytes, has ${data.length}`);
    }
    return { kind: 'ndarray', dtype: dt.code, littleEndian: dt.littleEndian || DTYPE_SIZES[dt.code] === 1, shape, fortranOrder, data };
  }

  private dictFrom(items: Item[]): PyDict {
    const d = new PyDict();
    for (let i = 0; i + 1 < items.length; i += 2) d.set(this.value(items[i], 'a dict key'), this.value(items[i + 1], 'a dict value'));
    return d;
  }

  private listOf(v: Item): PickleValue[] {
    if (!Array.isArray(v) || isTuple(v)) this.fail('APPEND to something that is not a list');
    return v;
  }
  private dictOf(v: Item): PyDict {
    if (!(v instanceof PyDict)) this.fail('SETITEM on something that is not a dict');
    return v;
  }

  /** Checks that no half-built object (global, dtype, pending array) escapes. */
  private value(v: Item, what: string): PickleValue {
    if (v instanceof PyGlobal || v instanceof DType || v instanceof PendingArray) {
      this.fail(`${what} is an unfinished ${v.constructor.name}`);
    }
    return v as PickleValue;
  }
}

const TUPLES = new WeakSet<object>();
function tuple(items: Item[]): PickleValue[] {
  TUPLES.add(items);
  return items as PickleValue[];
}
function isTuple(v: object): boolean {
  return TUPLES.has(v);
}
