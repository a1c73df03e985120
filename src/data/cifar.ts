import { Tensor } from '../tensor/tensor';
import { DataFileError } from './data_file_error';
import { findCifar, type CifarLayout, type CifarSource } from './cifar_files';
import { isNdArray, parsePickle, PyDict, type PickleValue } from './pickle';
import type { ImageDataset } from './mnist';

export type { CifarLayout } from './cifar_files';

/** 32x32 RGB, stored in the files channel by channel: 1024 R, 1024 G, 1024 B bytes. */
const PIXELS = 3072;

/** How labels are read: which label of a binary record, which key of a Python batch. */
export interface CifarLabels {
  /** The number of classes of each label byte before the pixels of a binary record (CIFAR-10: [10]; CIFAR-100: [20, 100], coarse then fine). */
  binaryLabelRanges: number[];
  /** Which of those bytes is the label wanted. */
  binaryLabelIndex: number;
  /** The Python dict key ('labels', 'fine_labels', 'coarse_labels'). */
  pythonKey: string;
  numClasses: number;
  /** Keras's dtype for y: CIFAR-10 uint8; CIFAR-100 int64 in Keras, int32 here. */
  dtype: 'uint8' | 'int32';
}

/** One batch file: pixels (n, 3, 32, 32) as stored, and labels (n,). */
interface Batch {
  pixels: Uint8Array;
  labels: Int32Array;
}

function checkLabel(v: number, numClasses: number, file: string, i: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
    throw new DataFileError(`${file}: record ${i} has label ${v}, outside 0..${numClasses - 1}: not a file of this dataset`);
  }
}

/** A binary batch: records of label byte(s) then 3072 pixel bytes. */
export function parseBinaryBatch(b: Uint8Array, labels: CifarLabels, file: string): Batch {
  const nl = labels.binaryLabelRanges.length;
  const rec = nl + PIXELS;
  if (b.length === 0 || b.length % rec !== 0) {
    throw new DataFileError(
      `${file}: ${b.length} bytes is not a whole number of ${rec}-byte records (${nl} label byte${nl > 1 ? 's' : ''} + 3072 pixels): truncated or not a CIFAR binary batch`,
    );
  }
  const n = b.length / rec;
  const pixels = new Uint8Array(n * PIXELS);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * rec;
    for (let k = 0; k < nl; k++) checkLabel(b[at + k], labels.binaryLabelRanges[k], file, i);
    out[i] = b[at + labels.binaryLabelIndex];
    pixels.set(b.subarray(at + nl, at + rec), i * PIXELS);
  }
  return { pixels, labels: out };
}

/** A Python batch: a pickled dict with b'data' (n, 3072) uint8 and a list of n labels. */
export function parsePythonBatch(b: Uint8Array, labels: CifarLabels, file: string): Batch {
  let v: PickleValue;
  try {
    v = parsePickle(b, file);
  } catch (e) {
    if (e instanceof DataFileError && e.message.startsWith(file)) throw e;
    throw new DataFileError(`${file}: ${(e as Error).message}`);
  }
  if (!(v instanceof PyDict)) throw new DataFileError(`${file}: expected a pickled dict (a CIFAR Python batch), got another value`);
  const data = v.get('data');
  if (!isNdArray(data)) throw new DataFileError(`${file}: no NumPy array under b'data' (keys: ${v.keys().join(', ')}): not a CIFAR Python batch`);
  if (data.dtype !== 'u1' || data.shape.length !== 2 || data.shape[1] !== PIXELS || data.fortranOrder) {
    throw new DataFileError(`${file}: b'data' is a ${data.dtype} array of shape (${data.shape.join(', ')}); expected uint8 (N, 3072) in C order`);
  }
  const n = data.shape[0];
  const raw = v.get(labels.pythonKey);
  let list: ArrayLike<number | bigint | unknown>;
  if (Array.isArray(raw)) list = raw;
  else if (isNdArray(raw) && raw.shape.length === 1 && /^[iu][1248]$/.test(raw.dtype)) list = ndarrayInts(raw.data, raw.dtype, raw.littleEndian);
  else throw new DataFileError(`${file}: no list of labels under b'${labels.pythonKey}' (keys: ${v.keys().join(', ')})`);
  if (list.length !== n) throw new DataFileError(`${file}: ${list.length} labels for ${n} images`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = Number(list[i] as number);
    checkLabel(typeof list[i] === 'number' || typeof list[i] === 'bigint' ? x : NaN, labels.numClasses, file, i);
    out[i] = x;
  }
  return { pixels: data.data, labels: out };
}

function ndarrayInts(b: Uint8Array, dtype: string, little: boolean): number[] {
  const size = Number(dtype[1]);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let at = 0; at < b.length; at += size) {
    const s = dtype[0] === 'i';
    out.push(
      size === 1 ? (s ? view.getInt8(at) : view.getUint8(at))
      : size === 2 ? (s ? view.getInt16(at, little) : view.getUint16(at, little))
      : size === 4 ? (s ? view.getInt32(at, little) : view.getUint32(at, little))
      : Number(s ? view.getBigInt64(at, little) : view.getBigUint64(at, little)),
    );
  }
  return out;
}

/** Concatenates batches into x (N, 32, 32, 3) uint8, channels last as Keras, and y (N, 1). */
function assemble(batches: Batch[], dtype: 'uint8' | 'int32'): [Tensor, Tensor] {
  const n = batches.reduce((s, b) => s + b.labels.length, 0);
  const x = new Uint8Array(n * PIXELS);
  const y = dtype === 'uint8' ? new Uint8Array(n) : new Int32Array(n);
  let i = 0;
  for (const b of batches) {
    y.set(b.labels, i);
    const src = b.pixels;
    for (let k = 0; k < b.labels.length; k++, i++) {
      const s = k * PIXELS;
      const d = i * PIXELS;
      for (let p = 0; p < 1024; p++) {
        x[d + 3 * p] = src[s + p];
        x[d + 3 * p + 1] = src[s + 1024 + p];
        x[d + 3 * p + 2] = src[s + 2048 + p];
      }
    }
  }
  return [Tensor.fromArray(x, [n, 32, 32, 3], 'uint8'), Tensor.fromArray(y, [n, 1], dtype)];
}

async function readBatches(src: CifarSource, files: string[], labels: CifarLabels): Promise<Batch[]> {
  // Read and check every file before building anything, so a bad file leaves nothing half-loaded.
  const out: Batch[] = [];
  for (const f of files) {
    const bytes = await src.read(f);
    const name = src.label(f);
    out.push(src.format === 'binary' ? parseBinaryBatch(bytes, labels, name) : parsePythonBatch(bytes, labels, name));
  }
  return out;
}

/** Loads a CIFAR dataset from `dir` (or the environment variable, or Keras's cache). */
export async function loadCifar(layout: CifarLayout, labels: CifarLabels, dir?: string): Promise<ImageDataset> {
  const src = await findCifar(layout, dir);
  const files = src.format === 'binary' ? layout.binFiles : layout.pyFiles;
  const train = await readBatches(src, files.train, labels);
  const test = await readBatches(src, files.test, labels);
  return [assemble(train, labels.dtype), assemble(test, labels.dtype)];
}
