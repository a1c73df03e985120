import { closeSync, fstatSync, openSync, readSync } from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ModelFileError } from './files';
import { checkNotTruncated, hdf5TimeLimitMs, type H5Dataset, type H5Group } from './h5';
import { loadH5wasm, withDiagnosedFile } from './h5_module';

/**
 * HDF5 files read in place from disk, for files too large to copy into memory (Keras's
 * application weights: 528 MB for VGG16). h5wasm's Node build mounts the real file system
 * (Emscripten's NODERAWFS), so HDF5 reads only the bytes asked for; a dataset is read as
 * row slices, so no whole copy of the file, nor of its largest dataset, is ever held.
 * src/saving/h5.ts keeps the in-memory build for model files, which are read whole anyway.
 */

/** A dataset with h5wasm's hyperslab read: one [start, stop) range per leading dimension. */
export interface H5SliceableDataset extends H5Dataset {
  readonly dtype: string;
  slice(ranges: [number, number][]): unknown;
}

interface H5DiskFile extends H5Group {
  close(): unknown;
}
interface H5DiskModule {
  File: new (name: string, mode: 'r') => H5DiskFile;
  ready: Promise<unknown>;
}

function loadDiskBuild(): Promise<H5DiskModule> {
  return loadH5wasm<H5DiskModule, H5DiskModule>('node', async (h5) => {
    await h5.ready;
    return h5;
  });
}

/** Checks that `file` exists, is an HDF5 file and is as long as its superblock says. */
function checkFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModelFileError(`cannot read weights file '${file}': ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ModelFileError(`cannot read weights file '${file}': it is a directory`);
    // the superblock sits at 0, 512, 1024, ... and takes < 100 bytes: the first 64 KB hold any usual user block
    const head = new Uint8Array(Math.min(st.size, 65536));
    readSync(fd, head, 0, head.length, 0);
    checkNotTruncated(head, file, st.size);
  } finally {
    closeSync(fd);
  }
}

/** The probing worker (h5_probe_worker.ts), kept between files; unref'd while idle so it never holds the process open. */
let prober: Promise<Worker> | null = null;
let probes: Promise<unknown> = Promise.resolve();
let probeId = 0;

/** Starts the worker and waits until it has loaded h5wasm (the time limit counts reading only). */
function startProber(): Promise<Worker> {
  const w = new Worker(path.join(__dirname, 'h5_probe_worker.js'));
  const p = new Promise<Worker>((resolve, reject) => {
    w.once('message', (m: { ready: boolean; error?: string }) => {
      if (m.ready) resolve(w);
      else reject(new ModelFileError(`the HDF5 reader did not start: ${m.error}`));
    });
    w.once('error', (e) => reject(new ModelFileError(`the HDF5 reader did not start: ${e.message}`)));
  });
  p.catch(() => {
    prober = null;
    void w.terminate();
  });
  return p;
}

/**
 * Walks the file's structure in a worker first (h5_probe_worker.ts): a damaged file can send the
 * HDF5 library into a loop, which cannot be interrupted on this thread. 20 s (or
 * $TATAMI_HDF5_TIME_LIMIT_MS) once h5wasm is loaded; a worker past it, or whose library aborted, is
 * replaced by the next probe.
 */
function probeStructure(file: string): Promise<void> {
  const limit = hdf5TimeLimitMs(); // the structure only: no per-byte allowance
  const run = async (): Promise<void> => {
    if (!prober) prober = startProber();
    const w = await prober;
    w.ref();
    const id = probeId++;
    try {
      await new Promise<void>((resolve, reject) => {
        const retire = () => {
          prober = null;
          void w.terminate();
        };
        const timer = setTimeout(() => {
          retire();
          reject(new ModelFileError(`'${file}' is damaged: the HDF5 library did not finish reading its structure within ${(limit / 1000).toFixed(0)} s (stopped)`));
        }, limit);
        const settle = (m: { id: number; ok: boolean; error?: string; aborted: boolean }) => {
          if (m.id !== id) return;
          clearTimeout(timer);
          w.off('message', settle);
          w.off('error', failed);
          if (m.aborted) retire();
          if (m.ok) resolve();
          else reject(new ModelFileError(m.error ?? `'${file}' is damaged`));
        };
        const failed = (e: Error) => {
          clearTimeout(timer);
          prober = null;
          reject(new ModelFileError(`'${file}': the HDF5 reader failed: ${e.message}`));
        };
        w.on('message', settle);
        w.once('error', failed);
        w.postMessage({ id, file: path.resolve(file), label: file });
      });
    } finally {
      w.unref();
    }
  };
  const p = probes.then(run, run);
  probes = p.catch(() => undefined);
  return p;
}

/**
 * Opens an HDF5 file read-only where it lies and hands its root group to `fn` (which may read
 * datasets slice by slice); errors name the file, and HDF5's own diagnosis when it has one.
 */
export async function withH5File<T>(file: string, fn: (root: H5Group) => T): Promise<T> {
  checkFile(file);
  await probeStructure(file);
  const h5 = await loadDiskBuild();
  return withDiagnosedFile(file, () => new h5.File(path.resolve(file), 'r'), fn);
}
