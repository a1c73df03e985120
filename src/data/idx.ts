import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { Tensor, type DType } from '../tensor/tensor';
import { DataFileError } from './data_file_error';

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 *   bytes 0-1  zero
 *   byte  2    element type (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double)
 *   byte  3    number of dimensions
 *   then one big-endian uint32 per dimension, then the elements, big-endian, row-major.
 * Files may be gzipped (detected by the 1f 8b magic, whatever their name).
 */

export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxData {
  type: IdxType;
  shape: number[];
  data: IdxArray;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'ubyte', bytes: 1 },
  0x09: { type: 'byte', bytes: 1 },
  0x0b: { type: 'short', bytes: 2 },
  0x0c: { type: 'int', bytes: 4 },
  0x0d: { type: 'float', bytes: 4 },
  0x0e: { type: 'double', bytes: 8 },
};

const CODES: Record<IdxType, number> = { ubyte: 0x08, byte: 0x09, short: 0x0b, int: 0x0c, float: 0x0d, double: 0x0e };

const gunzipAsync = promisify(zlib.gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decodes an IDX file already in memory (not gzipped). `name` (usually the path) appears in
 * every error so a user knows which file is wrong.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxData {
  if (bytes.length < 4) {
    throw new DataFileError(`${name}: truncated IDX file: ${bytes.length} bytes, too short for the 4-byte magic number`);
  }
  const info = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || info === undefined) {
    throw new DataFileError(
      `${name}: not an IDX file: magic number ${hex(bytes, 4)}; expected 00 00 <type 08|09|0b|0c|0d|0e> <ndims>` +
        (isGzip(bytes) ? ' (the data is gzipped; read it with readIdx)' : ''),
    );
  }
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataFileError(
      `${name}: truncated IDX file: ${bytes.length} bytes, but its header of ${ndims} dimensions needs ${headerBytes}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * info.bytes;
  if (bytes.length !== expected) {
    throw new DataFileError(
      `${name}: IDX size mismatch: the header says ${info.type} data of shape (${shape.join(', ')}), ` +
        `${expected} bytes in all, but the file has ${bytes.length}` +
        (bytes.length < expected ? ' (truncated?)' : ' (trailing bytes)'),
    );
  }
  return { type: info.type, shape, data: decode(view, headerBytes, count, info.type) };
}

function decode(view: DataView, offset: number, count: number, type: IdxType): IdxArray {
  const src = new Uint8Array(view.buffer, view.byteOffset + offset, count * TYPES[CODES[type]].bytes);
  switch (type) {
    case 'ubyte':
      return src.slice();
    case 'byte':
      return new Int8Array(src.slice().buffer);
    case 'short': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'double': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function gunzipError(path: string, e: unknown): DataFileError {
  const why = e instanceof Error ? e.message : String(e);
  return new DataFileError(`${path}: corrupt or truncated gzip data (${why})`);
}

function readError(path: string, e: unknown): DataFileError {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return new DataFileError(`${path}: no such file`);
  return new DataFileError(`${path}: cannot read: ${err?.message ?? String(e)}`);
}

/** Reads a plain or gzipped IDX file. */
export async function readIdx(path: string): Promise<IdxData> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      throw gunzipError(path, e);
    }
  }
  return parseIdx(bytes, path);
}

/** Synchronous readIdx. */
export function readIdxSync(path: string): IdxData {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw readError(path, e);
  }
  if (isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw gunzipError(path, e);
    }
  }
  return parseIdx(bytes, path);
}

/**
 * IDX data as a tensor: ubyte stays uint8; byte, short and int become int32; float and double
 * become float32 (tatami's widest float).
 */
export function idxToTensor(idx: IdxData): Tensor {
  const { data, shape } = idx;
  let dtype: DType;
  let values: Uint8Array | Int32Array | Float32Array;
  if (data instanceof Uint8Array) {
    dtype = 'uint8';
    values = data;
  } else if (data instanceof Float32Array || data instanceof Float64Array) {
    dtype = 'float32';
    values = data instanceof Float32Array ? data : Float32Array.from(data);
  } else {
    dtype = 'int32';
    values = data instanceof Int32Array ? data : Int32Array.from(data);
  }
  return Tensor.fromArray(values, shape.slice(), dtype);
}

/** Reads a plain or gzipped IDX file into a tensor (see idxToTensor for the dtypes). */
export async function loadIdx(path: string): Promise<Tensor> {
  return idxToTensor(await readIdx(path));
}

/**
 * Encodes values as an IDX file (uncompressed; gzip it with zlib.gzipSync if wanted).
 * `type` defaults from the array: Uint8Array → ubyte, Int8Array → byte, Int16Array → short,
 * Int32Array → int, Float32Array → float, Float64Array → double.
 */
export function encodeIdx(data: IdxArray, shape: number[], type?: IdxType): Uint8Array {
  const t: IdxType =
    type ??
    (data instanceof Uint8Array ? 'ubyte'
      : data instanceof Int8Array ? 'byte'
      : data instanceof Int16Array ? 'short'
      : data instanceof Int32Array ? 'int'
      : data instanceof Float32Array ? 'float'
      : 'double');
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new DataFileError(`encodeIdx: shape (${shape.join(', ')}) needs ${count} values, got ${data.length}`);
  }
  if (shape.length > 255) throw new DataFileError(`encodeIdx: at most 255 dimensions, got ${shape.length}`);
  const width = TYPES[CODES[t]].bytes;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * width);
  const view = new DataView(out.buffer);
  out[2] = CODES[t];
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const o = header + i * width;
    const v = data[i];
    if (t === 'ubyte') view.setUint8(o, v);
    else if (t === 'byte') view.setInt8(o, v);
    else if (t === 'short') view.setInt16(o, v, false);
    else if (t === 'int') view.setInt32(o, v, false);
    else if (t === 'float') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}
