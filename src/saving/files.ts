import * as fs from 'fs';
import { TatamiError } from '../util/errors';

/** A model or weights file that cannot be read, is truncated, or is not in the expected format. */
export class ModelFileError extends TatamiError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

export type FileKind = 'zip' | 'hdf5';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads a whole file; errors name the file and what it was expected to hold. */
export function readFileBytes(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message;
    throw new ModelFileError(`cannot read ${what} '${file}': ${reason}`);
  }
}

/** HDF5 files may start with a user block of 512, 1024, 2048, ... bytes before the signature. */
export function hdf5SignatureOffset(bytes: Uint8Array): number {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b)) return at;
  }
  return -1;
}

/** Tells a .keras zip from an HDF5 file by their first bytes, or says what the file is not. */
export function sniffFile(bytes: Uint8Array, file: string): FileKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)) {
    return 'zip';
  }
  if (hdf5SignatureOffset(bytes) >= 0) return 'hdf5';
  if (bytes.length === 0) throw new ModelFileError(`'${file}' is empty: expected a .keras zip archive or an HDF5 (.h5) file`);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ModelFileError(`'${file}' is neither a .keras zip archive nor an HDF5 file (it starts with bytes ${head})`);
}

/** 'm.keras' → 'keras', 'w.weights.h5' → 'weights.h5', 'm.hdf5' → 'h5'. */
export function fileFormat(file: string): 'keras' | 'weights.h5' | 'h5' | null {
  const f = file.toLowerCase();
  if (f.endsWith('.keras')) return 'keras';
  if (f.endsWith('.weights.h5')) return 'weights.h5';
  if (f.endsWith('.h5') || f.endsWith('.hdf5')) return 'h5';
  return null;
}
