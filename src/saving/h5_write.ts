import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TatamiError } from '../util/errors';
import { removeQuietly, removeStaleTemporaries, replaceFileAtomic, temporaryPath, type AtomicWriteOptions } from '../util/atomic_file';
import { ModelFileError } from './files';
import type { H5Group } from './h5';
import { loadH5wasm, withDiagnostics } from './h5_module';
import { writeArray } from './h5nodes';

/**
 * HDF5 files written in place on disk, through h5wasm's Node build (Emscripten's NODERAWFS, as
 * h5_disk.ts reads): the HDF5 library writes the file with plain file-system calls, so no copy of
 * the file is held in memory. The browser build's memory FS (which reads still use, in a worker)
 * kept the whole file in JS arrays grown by doubling, then copied it out: 60-130 MB held and
 * let go around each write of a 5 MB model, which made training's RSS swing with every backup.
 */

interface H5WriteFile extends H5Group {
  close(): unknown;
}
interface H5WriteModule {
  File: new (name: string, mode: 'w') => H5WriteFile;
  ready: Promise<unknown>;
}

function loadWriter(): Promise<H5WriteModule> {
  return loadH5wasm<H5WriteModule, H5WriteModule>('node', async (h5) => {
    await h5.ready;
    return h5;
  });
}

let warmedFor = -1;
/** The warm-up's (never written) file name in the temporary folder: its temporaries are `.tatami-warm.h5.<pid>.<random>.tmp`. */
export const WARM_FILE = (): string => path.join(os.tmpdir(), 'tatami-warm.h5');

/**
 * Loads the HDF5 writer now and writes one throwaway file holding a dataset of `largestBytes`
 * bytes (the largest variable to be saved), so that h5wasm's module, its memory and the pages a
 * save touches are in place before training's first epoch ends rather than at its first save.
 * Once per process and size; a failure is left for the real save to report.
 */
export async function warmH5Writer(largestBytes = 0): Promise<void> {
  if (largestBytes <= warmedFor) return;
  warmedFor = largestBytes;
  // a temporary of WARM_FILE (pid in its name), so that those of killed processes are found and removed
  const tmp = temporaryPath(WARM_FILE());
  try {
    await writeH5At(tmp, (root) => writeArray(root, 'w', new Float32Array(Math.ceil(largestBytes / 4)), [Math.ceil(largestBytes / 4)]));
  } catch {
    warmedFor = -1;
  } finally {
    removeQuietly(tmp);
    removeStaleTemporaries(WARM_FILE());
  }
}

/** The largest dataset size (bytes) warmH5Writer has written in this process; -1 before it ran. */
export const h5WriterWarmedFor = (): number => warmedFor;

/** Creates (or truncates) the HDF5 file `file`, fills it with `fn` and closes it; HDF5's failures are ModelFileErrors. */
async function writeH5At(file: string, fn: (root: H5Group) => void): Promise<void> {
  const h5 = await loadWriter();
  withDiagnostics((diagnose) => {
    try {
      const f = new h5.File(path.resolve(file), 'w');
      try {
        fn(f);
      } finally {
        f.close();
      }
    } catch (e) {
      if (e instanceof TatamiError) throw e;
      throw new ModelFileError(`HDF5 write failed: ${diagnose() || (e instanceof Error ? e.message : String(e))}`);
    }
  });
}

/**
 * Writes the HDF5 file `file` with `fn`, through a temporary file and a rename (atomic_file.ts),
 * so a crash leaves the old file or the new one; errors are ModelFileErrors.
 */
export function writeH5File(file: string, fn: (root: H5Group) => void, options: Pick<AtomicWriteOptions, 'overwrite'> = {}): Promise<void> {
  return replaceFileAtomic(file, (tmp) => writeH5At(tmp, fn), { ...options, error: (m) => new ModelFileError(m) });
}

/**
 * Builds an HDF5 file with `fn` and returns its bytes (the weights inside a .keras zip). It is
 * written to a temporary file beside `near` (named as atomic_file.ts names its temporaries, so one
 * left by a killed process is removed by the next write there) and read back once.
 */
export async function writeH5(near: string, fn: (root: H5Group) => void): Promise<Uint8Array> {
  const tmp = temporaryPath(near);
  try {
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.closeSync(fs.openSync(tmp, 'w'));
  } catch (e) {
    throw new ModelFileError(`cannot write '${near}': ${(e as Error).message}`);
  }
  try {
    await writeH5At(tmp, fn);
    return fs.readFileSync(tmp);
  } finally {
    removeQuietly(tmp);
  }
}
