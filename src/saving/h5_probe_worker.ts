import { parentPort } from 'node:worker_threads';
import { ModelFileError } from './files';
import { loadH5wasm, withDiagnostics } from './h5_module';
import { snapshot } from './h5_snapshot';

/**
 * The worker of h5_disk.ts: opens an HDF5 file where it lies and walks its groups, attributes and
 * dataset headers (no dataset values), so that a damaged file that sends the HDF5 library into a
 * loop is found under a time limit before the main thread reads it in place. Kept between files
 * (loading h5wasm takes ~0.5 s of CPU); it says when the library aborted, so that it is replaced.
 * Does nothing outside a worker.
 */

interface Job {
  id: number;
  file: string;
  label: string;
}

interface DiskModule {
  File: new (name: string, mode: 'r') => { close(): unknown };
  ready: Promise<unknown>;
}

const load = () => loadH5wasm<DiskModule, DiskModule>('node', async (m) => {
  await m.ready;
  return m;
});

/** Set once the WebAssembly module has failed (a trap or Emscripten's abort): not to be reused. */
let aborted = false;

/** Runs `fn`, noting whether what it throws is the module failing rather than HDF5 reporting an error. */
function seen<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    aborted ||= (e as Error)?.name === 'RuntimeError' || /\babort/i.test(String((e as Error)?.message ?? e));
    throw e;
  }
}

async function probe(job: Job): Promise<void> {
  const h5 = await load();
  withDiagnostics((diagnose) => {
    let f: { close(): unknown };
    try {
      f = seen(() => new h5.File(job.file, 'r'));
    } catch (e) {
      throw new ModelFileError(`cannot open '${job.label}' as HDF5: ${diagnose() || String(e)}`);
    }
    try {
      seen(() => snapshot(f as never, job.label, diagnose, () => false));
    } finally {
      try {
        f.close();
      } catch {
        // a damaged file may not close
      }
    }
  });
}

if (parentPort) {
  // h5wasm loaded before the first job, so that the time limit counts reading only
  load().then(
    () => parentPort!.postMessage({ ready: true }),
    (e) => parentPort!.postMessage({ ready: false, error: String((e as Error)?.message ?? e) }),
  );
  parentPort.on('message', (job: Job) => {
    probe(job).then(
      () => parentPort!.postMessage({ id: job.id, ok: true, aborted }),
      (e) => parentPort!.postMessage({ id: job.id, ok: false, error: (e as Error)?.message ?? String(e), aborted }),
    );
  });
}
