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

function prepare(file: string, options: AtomicWriteOptions): { tmp: string; fail: (message: string) => Error } {
  const fail = options.error ?? ((m: string) => new TatamiError(m));
  if (options.overwrite === false && fs.existsSync(file)) throw fail(`'${file}' already exists (pass overwrite: true to replace it)`);
  const dir = path.dirname(path.resolve(file));
  // pid and a random suffix: two writers of the same file never share a temporary
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  return { tmp, fail };
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
    fs.rmSync(tmp, { force: true });
    throw fail(`cannot write '${file}': ${(e as Error).message}`);
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
