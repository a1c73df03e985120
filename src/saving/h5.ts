import { ModelFileError, hdf5SignatureOffset } from './files';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { loadH5wasm } from './h5_module';
import { viewOf, type SnapNode } from './h5_snapshot';
import { withFileLength } from './h5nodes';

/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly, shipped in the npm package).
 * Reads use its browser build, which keeps files in Emscripten's in-memory FS, in a worker thread:
 * whole files go in as bytes. Writes go to disk in place (h5_write.ts).
 */

// The few parts of h5wasm's API used here (its own .d.ts pulls in Emscripten typings).
export interface H5Node {
  readonly path: string;
  readonly type: string;
  readonly attrs: Record<string, { value: unknown; shape: number[] | null }>;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
}
export interface H5Dataset extends H5Node {
  readonly shape: number[] | null;
  readonly value: unknown;
}
export interface H5Group extends H5Node {
  keys(): string[];
  get(name: string): H5Node | null;
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: unknown; shape?: number[] | null; dtype?: string | null }): H5Dataset;
}
interface H5File extends H5Group {
  close(): unknown;
}
interface H5Module {
  File: new (name: string, mode: 'r' | 'w') => H5File;
  ready: Promise<{ FS: { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array; unlink(p: string): void } }>;
}

let counter = 0;

export function loadMemoryBuild() {
  return loadH5wasm<H5Module, { h5: H5Module; fs: Awaited<H5Module['ready']>['FS'] }>('esm', async (h5) => ({ h5, fs: (await h5.ready).FS }));
}

function readOffset(bytes: Uint8Array, at: number, size: number): number | null {
  if (at + size > bytes.length) return null;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
  return v === (1n << BigInt(8 * size)) - 1n ? null : Number(v);
}

/**
 * Checks the superblock's end-of-file address against the byte count, to name truncation plainly.
 * `bytes` holds the file or its first bytes (with the superblock); `size` is the file's length.
 */
export function checkNotTruncated(bytes: Uint8Array, file: string, size = bytes.length): void {
  const at = hdf5SignatureOffset(bytes);
  if (at < 0) throw new ModelFileError(`'${file}' is not an HDF5 file (no HDF5 signature)`);
  const version = bytes[at + 8];
  const so = version <= 1 ? bytes[at + 13] : bytes[at + 9];
  const baseAt = version === 0 ? at + 24 : version === 1 ? at + 28 : at + 12;
  if (![2, 4, 8].includes(so) || version > 3) throw new ModelFileError(`'${file}': unsupported or damaged HDF5 superblock (version ${version})`);
  const base = readOffset(bytes, baseAt, so);
  const eof = readOffset(bytes, baseAt + 2 * so, so);
  if (base == null || eof == null) throw new ModelFileError(`'${file}' is truncated: it ends inside the HDF5 superblock (${size} bytes)`);
  if (size < base + eof) {
    throw new ModelFileError(`'${file}' is truncated: the HDF5 file should be ${base + eof} bytes long but has ${size}`);
  }
}

/** The reading worker (h5_read_worker.ts), kept between reads; unref'd while idle so it never holds the process open. */
let reader: Promise<Worker> | null = null;

/** Starts the worker and waits until it has loaded h5wasm (the time limit counts reading only). */
function startReader(): Promise<Worker> {
  const w = new Worker(path.join(__dirname, 'h5_read_worker.js'));
  const p = new Promise<Worker>((resolve, reject) => {
    w.once('message', () => resolve(w));
    w.once('error', (e) => reject(new ModelFileError(`the HDF5 reader did not start: ${e.message}`)));
  });
  p.catch(() => (reader = null));
  return p;
}
let queue: Promise<unknown> = Promise.resolve();

/** How long HDF5 may take over a file before it is taken for a loop, unless $TATAMI_HDF5_TIME_LIMIT_MS says otherwise. */
export const HDF5_TIME_LIMIT_MS = 20_000;
/** Extra time per byte of the file: 1 s per 5 MB. */
const HDF5_MS_PER_BYTE = 1 / 5000;

/**
 * The time limit of one HDF5 read of `bytes` bytes: 20 s (or $TATAMI_HDF5_TIME_LIMIT_MS in `env`),
 * plus 1 s per 5 MB. Exported so that callers that bound a whole load (the fuzz harness) derive
 * their own limit from this one.
 */
export function hdf5TimeLimitMs(bytes = 0, env: NodeJS.ProcessEnv = process.env): number {
  return (Number(env.TATAMI_HDF5_TIME_LIMIT_MS) || HDF5_TIME_LIMIT_MS) + bytes * HDF5_MS_PER_BYTE;
}
const timeLimitMs = (bytes: number) => hdf5TimeLimitMs(bytes);

function readInWorker(bytes: Uint8Array, label: string): Promise<SnapNode> {
  const run = async (): Promise<SnapNode> => {
    if (!reader) reader = startReader();
    const w = await reader;
    w.ref();
    const id = counter++;
    try {
      return await new Promise<SnapNode>((resolve, reject) => {
        const timer = setTimeout(() => {
          reader = null;
          void w.terminate();
          reject(new ModelFileError(`'${label}' is damaged: the HDF5 library did not finish reading it within ${(timeLimitMs(bytes.length) / 1000).toFixed(0)} s (stopped)`));
        }, timeLimitMs(bytes.length));
        const settle = (m: { id: number; snap?: SnapNode; error?: string; fileError?: boolean }) => {
          if (m.id !== id) return;
          clearTimeout(timer);
          w.off('message', settle);
          w.off('error', failed);
          if (m.snap) resolve(m.snap);
          else reject(m.fileError ? new ModelFileError(m.error!) : new ModelFileError(`'${label}' is damaged: ${m.error}`));
        };
        const failed = (e: Error) => {
          clearTimeout(timer);
          reader = null;
          reject(new ModelFileError(`'${label}': the HDF5 reader failed: ${e.message}`));
        };
        w.on('message', settle);
        w.once('error', failed);
        w.postMessage({ id, bytes, label });
      });
    } finally {
      w.unref();
    }
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/**
 * Opens HDF5 bytes read-only and hands the root group to `fn`; errors name `label`. The file is
 * read in a worker thread (h5_snapshot.ts says why), so a damaged file that sends the HDF5
 * library into a loop becomes a ModelFileError after a time limit instead of a hung process.
 */
export async function readH5<T>(bytes: Uint8Array, label: string, fn: (root: H5Group) => T): Promise<T> {
  checkNotTruncated(bytes, label);
  const snap = await readInWorker(bytes, label);
  return withFileLength(bytes.length, () => fn(viewOf(snap) as H5Group));
}
