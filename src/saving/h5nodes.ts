import { ModelFileError } from './files';
import type { H5Dataset, H5Group, H5Node } from './h5';

// Reading and writing the pieces Keras files are made of: groups, string attributes (as h5py
// stores Python bytes), and float arrays. Errors name the file (`label`) and the HDF5 path.

export interface ArrayData {
  values: Float32Array;
  shape: number[];
}

export function isGroup(n: H5Node | null): n is H5Group {
  return n != null && n.type === 'Group';
}

export function isDataset(n: H5Node | null): n is H5Dataset {
  return n != null && n.type === 'Dataset';
}

/** The node at a relative path, or null (never throws for missing links). */
export function child(g: H5Group, relPath: string): H5Node | null {
  let node: H5Node | null = g;
  for (const part of relPath.split('/').filter((p) => p)) {
    if (!isGroup(node) || !node.keys().includes(part)) return null;
    node = node.get(part);
  }
  return node;
}

export function childGroup(g: H5Group, relPath: string): H5Group | null {
  const n = child(g, relPath);
  return isGroup(n) ? n : null;
}

/** Creates the groups along a path (HDF5 needs each level to exist). */
export function ensureGroup(g: H5Group, relPath: string): H5Group {
  let node = g;
  for (const part of relPath.split('/').filter((p) => p)) {
    const next = node.keys().includes(part) ? node.get(part) : node.create_group(part);
    if (!isGroup(next)) throw new ModelFileError(`HDF5 path '${node.path}/${part}' is not a group`);
    node = next;
  }
  return node;
}

function decode(v: unknown): unknown {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  return v;
}

export function hasAttr(node: H5Node, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(node.attrs, name);
}

/** A string attribute (fixed or variable length, or bytes), or null when absent. */
export function attrText(node: H5Node, name: string): string | null {
  if (!hasAttr(node, name)) return null;
  let v = decode(node.attrs[name].value);
  if (Array.isArray(v) && v.length === 1) v = decode(v[0]);
  if (typeof v !== 'string') throw new ModelFileError(`HDF5 attribute '${name}' of '${node.path}' is not text`);
  return v;
}

/**
 * A list-of-strings attribute such as layer_names or weight_names. Keras splits long lists into
 * name0, name1, ... (HDF5 object headers hold at most 64 KB); both forms are read.
 */
export function attrTexts(node: H5Node, name: string): string[] | null {
  const one = (key: string): string[] => {
    const v = decode(node.attrs[key].value);
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.map((x) => String(decode(x)));
    if (ArrayBuffer.isView(v) && (v as unknown as { length: number }).length === 0) return []; // h5py's empty list
    throw new ModelFileError(`HDF5 attribute '${key}' of '${node.path}' is not a list of strings`);
  };
  if (hasAttr(node, name)) return one(name);
  if (!hasAttr(node, `${name}0`)) return null;
  const out: string[] = [];
  for (let i = 0; hasAttr(node, `${name}${i}`); i++) out.push(...one(`${name}${i}`));
  return out;
}

/**
 * The length of the HDF5 file being read (set by readH5 around its synchronous callback): a
 * dataset's header may claim any shape, and reading it allocates that much, so the claim is
 * checked against what the file can hold first.
 */
let fileLength = Infinity;
/** DEFLATE, the only filter in h5wasm that Keras files could use, expands at most 1032:1. */
const MAX_FILTER_RATIO = 1032;

export function withFileLength<T>(bytes: number, fn: () => T): T {
  const outer = fileLength;
  fileLength = bytes;
  try {
    return fn();
  } finally {
    fileLength = outer;
  }
}

/** Throws unless the dataset's stated size fits in the file (contiguous) or could come from it (chunked, compressed). */
function checkStoredSize(ds: H5Dataset, label: string, where: string): void {
  const meta = (ds as H5Dataset & { metadata?: { size?: number; total_size?: number; chunks?: number[] | null } }).metadata;
  if (!meta || !Number.isFinite(fileLength)) return;
  const bytes = (meta.size ?? 0) * (meta.total_size ?? 0);
  const room = meta.chunks ? fileLength * MAX_FILTER_RATIO : fileLength;
  if (!(bytes <= room)) {
    throw new ModelFileError(`'${label}': dataset ${where} claims shape [${ds.shape}] (${bytes} bytes), more than the ${fileLength}-byte file can hold`);
  }
}

/** A numeric dataset as float32 values with its shape. */
export function readArray(ds: H5Node | null, label: string, where: string): ArrayData {
  if (!isDataset(ds)) throw new ModelFileError(`'${label}' has no dataset at ${where}`);
  const shape = ds.shape ?? [];
  checkStoredSize(ds, label, where);
  const v = ds.value;
  let values: Float32Array;
  if (v instanceof Float32Array) values = v;
  else if (v instanceof BigInt64Array || v instanceof BigUint64Array) values = Float32Array.from(v, (x) => Number(x));
  else if (ArrayBuffer.isView(v)) values = Float32Array.from(v as unknown as ArrayLike<number>);
  else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') values = Float32Array.of(Number(v));
  else throw new ModelFileError(`'${label}': dataset ${where} is not numeric`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new ModelFileError(`'${label}': dataset ${where} has ${values.length} values for shape [${shape}]`);
  return { values, shape };
}

/** A scalar dataset as a JS number (int64 counters included). */
export function readScalar(ds: H5Node | null, label: string, where: string): number {
  if (!isDataset(ds)) throw new ModelFileError(`'${label}' has no dataset at ${where}`);
  checkStoredSize(ds, label, where);
  const v = ds.value;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1) return Number((v as unknown as ArrayLike<number>)[0]);
  throw new ModelFileError(`'${label}': dataset ${where} is not a scalar`);
}

/** Byte length of a string in UTF-8 (fixed-length HDF5 strings are sized in bytes). */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function checkAscii(s: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) throw new ModelFileError(`${what} must be ASCII to be stored as Keras stores it: '${s}'`);
}

/** A fixed-length byte-string attribute, as h5py stores Keras's `json.dumps(...).encode('utf8')`. */
export function writeText(node: H5Node, name: string, text: string): void {
  checkAscii(text, `attribute ${name}`);
  node.create_attribute(name, text, null, `A${Math.max(1, byteLength(text))}`);
}

/** A 1-D array of fixed-length byte strings (an empty list becomes h5py's empty float64 array). */
export function writeTexts(node: H5Node, name: string, texts: string[]): void {
  if (texts.length === 0) {
    node.create_attribute(name, new Float64Array(0), [0], '<d'); // h5wasm dtypes use struct codes
    return;
  }
  texts.forEach((t) => checkAscii(t, `attribute ${name}`));
  const width = Math.max(1, ...texts.map(byteLength));
  node.create_attribute(name, texts, [texts.length], `A${width}`);
}

export function writeArray(g: H5Group, name: string, values: Float32Array, shape: number[]): void {
  g.create_dataset({ name, data: values, shape, dtype: '<f' });
}

/** A scalar: int64 for counters (Keras's optimizer iteration), float32 otherwise. */
export function writeScalar(g: H5Group, name: string, value: number, dtype: 'int64' | 'float32'): void {
  const data = dtype === 'int64' ? BigInt64Array.of(BigInt(Math.round(value))) : Float32Array.of(value);
  g.create_dataset({ name, data, shape: [], dtype: dtype === 'int64' ? '<q' : '<f' });
}
