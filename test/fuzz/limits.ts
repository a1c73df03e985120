import { hdf5TimeLimitMs } from '../../src/saving/h5';
import type { Files } from './seeds';

/**
 * The time limits of a fuzz case, derived from the readers' own: a case is a hang only when it
 * outlasts every limit the reader itself enforces, so a slow read that the reader stops becomes
 * its clear error (counted as rejected), and only a reader stuck past its own limit is a hang.
 */

/**
 * The child process's environment. HDF5 reads that loop are stopped by the reader after 2 s
 * instead of 20 s (same error, ten times cheaper over 10,000 cases); a legitimate read of a
 * fuzzed file (< 100 KB) takes ~50 ms alone.
 */
export const CHILD_ENV: NodeJS.ProcessEnv = { TATAMI_FUZZ_CHILD: '1', TATAMI_HDF5_TIME_LIMIT_MS: '2000' };

/** A case of a reader that enforces no limit of its own and reads small files in a few ms. */
export const PLAIN_CASE_LIMIT_MS = 5000;

/**
 * Everything in an HDF5 case besides the read the reader times: writing the files, unzipping,
 * parsing the config, building the model, and after a stopped read starting HDF5's worker again
 * and loading h5wasm into it (~1 s alone; the same for the probe worker of application weights).
 * Generous because the machine is shared: at nice 10 under load 6-14 a 0.5 s case took up to 11 s
 * (seed 14, keras).
 */
export const HDF5_CASE_OVERHEAD_MS = 30_000;

/** Time to load a reader's modules (h5wasm, sharp, the wasm backend) on its first case in a child. */
export const WARM_UP_MS = 30_000;

const totalBytes = (files: Files) => Object.values(files).reduce((n, b) => n + b.length, 0);

/**
 * The limit of a case that makes `reads` HDF5 reads, each bounded by the reader's own limit
 * (hdf5TimeLimitMs, as the child sees it), with the case's total bytes as the read's size (its
 * 1 s per 5 MB hardly matters for files of < 100 KB).
 */
export function hdf5CaseLimitMs(reads: number): (files: Files) => number {
  return (files) => HDF5_CASE_OVERHEAD_MS + reads * hdf5TimeLimitMs(totalBytes(files), CHILD_ENV);
}
