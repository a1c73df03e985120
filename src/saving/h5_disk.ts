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

/**
 * Walks the file's structure in a worker first (h5_probe_worker.ts): a damaged file can send the
 * HDF5 library into a loop, which cannot be interrupted on this thread. 20 s (or
 * $TATAMI_HDF5_TIME_LIMIT_MS) once h5wasm is loaded.
 */
function probeStructure(file: string): Promise<void> {
  const limit = hdf5TimeLimitMs(); // the structure only: no per-byte allowance
  const w = new Worker(path.join(__dirname, 'h5_probe_worker.js'), { workerData: { h5Probe: { file: path.resolve(file), label: file } } });
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    w.on('message', (m: { started?: boolean; ok?: boolean; error?: string }) => {
      if (m.started) {
        timer = setTimeout(() => finish(new ModelFileError(`'${file}' is damaged: the HDF5 library did not finish reading its structure within ${(limit / 1000).toFixed(0)} s (stopped)`)), limit);
      } else if (m.ok) finish(null);
      else finish(new ModelFileError(m.error ?? `'${file}' is damaged`));
    });
    w.once('error', (e) => finish(new ModelFileError(`'${file}': the HDF5 reader failed: ${e.message}`)));
  });
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
