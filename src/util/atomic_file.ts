import * as fs from 'fs';
import * as path from 'path';
import { TatamiError } from './errors';

/**
 * Whole-file writes that never leave half a file: the data goes to a temporary file in the same
 * folder (same file system, so the rename is atomic), is flushed to disk, then renamed over the
 * target. Missing folders are created, as Keras does for .h5 files.
 */

export interface AtomicWriteOptions {
  /** Replace an existing file (default true); false makes an existing target an error. */
  overwrite?: boolean;
  /** Makes the error thrown when the file cannot be written (default: TatamiError). */
  error?: (message: string) => Error;
}

/**
 * A temporary name beside `file`: `.<name>.<pid>.<random>.tmp` (pid and a random suffix, so two
 * writers of the same file never share one; removeStaleTemporaries knows the pattern).
 */
export function temporaryPath(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
}

/** Removes a temporary after a failure; one that cannot be removed (its folder is not one) is no new error. */
export function removeQuietly(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // the write's own error is the one to report
  }
}

function prepare(file: string, options: AtomicWriteOptions): { tmp: string; fail: (message: string) => Error } {
  const fail = options.error ?? ((m: string) => new TatamiError(m));
  if (options.overwrite === false && fs.existsSync(file)) throw fail(`'${file}' already exists (pass overwrite: true to replace it)`);
  return { tmp: temporaryPath(file), fail };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
};

/**
 * Removes the temporaries of `file` left by writers that died before their rename (a kill -9,
 * a power cut): `.<name>.<pid>.<random>.tmp` whose process no longer runs. Called after each
 * successful write; a failure to clean is never an error of the write.
 */
export function removeStaleTemporaries(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const prefix = `.${path.basename(file)}.`;
  try {
    for (const name of fs.readdirSync(dir)) {
      const m = name.startsWith(prefix) ? /^(\d+)\.[a-z0-9]*\.tmp$/.exec(name.slice(prefix.length)) : null;
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // the folder may be unreadable; the temporaries then stay, named as such
  }
}

/** Writes `data` to `file` through a temporary file and a rename. */
export function writeFileAtomicSync(file: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): void {
  const { tmp, fail } = prepare(file, options);
  try {
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    removeQuietly(tmp);
    throw fail(`cannot write '${file}': ${(e as Error).message}`);
  }
  removeStaleTemporaries(file);
}

/**
 * The same for a writer that writes files by name (the HDF5 library): `write(tmp)` fills the
 * temporary file, created empty beforehand (so a folder that cannot be written fails here as in
 * writeFileAtomicSync), which is then flushed and renamed over `file`. Errors of tatami's own
 * classes thrown by `write` pass through unchanged; the temporary is removed on any failure.
 */
export async function replaceFileAtomic(file: string, write: (tmp: string) => void | Promise<void>, options: AtomicWriteOptions = {}): Promise<void> {
  const { tmp, fail } = prepare(file, options);
  const failed = (e: unknown) => {
    removeQuietly(tmp);
    return e instanceof TatamiError ? e : fail(`cannot write '${file}': ${(e as Error).message}`);
  };
  try {
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.closeSync(fs.openSync(tmp, 'w'));
    await write(tmp);
    const fd = fs.openSync(tmp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    throw failed(e);
  }
  removeStaleTemporaries(file);
}

/** The same, without blocking the event loop (images and reports). */
export async function writeFileAtomic(file: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const { tmp, fail } = prepare(file, options);
  try {
    await fs.promises.mkdir(path.dirname(tmp), { recursive: true });
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw fail(`cannot write '${file}': ${(e as Error).message}`);
  }
  removeStaleTemporaries(file);
}
