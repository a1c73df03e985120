import { parentPort, workerData } from 'node:worker_threads';
import { ModelFileError } from './files';
import { loadH5wasm, withDiagnostics } from './h5_module';
import { snapshot } from './h5_snapshot';

/**
 * One-shot worker of h5_disk.ts: opens an HDF5 file where it lies and walks its groups,
 * attributes and dataset headers (no dataset values), so that a damaged file that sends the HDF5
 * library into a loop is found under a time limit before the main thread reads it in place.
 */

interface Job {
  file: string;
  label: string;
}

interface DiskModule {
  File: new (name: string, mode: 'r') => { close(): unknown };
  ready: Promise<unknown>;
}

async function probe(job: Job): Promise<void> {
  const h5 = await loadH5wasm<DiskModule, DiskModule>('node', async (m) => {
    await m.ready;
    return m;
  });
  parentPort!.postMessage({ started: true }); // the time limit counts from here
  withDiagnostics((diagnose) => {
    let f: { close(): unknown };
    try {
      f = new h5.File(job.file, 'r');
    } catch (e) {
      throw new ModelFileError(`cannot open '${job.label}' as HDF5: ${diagnose() || String(e)}`);
    }
    try {
      snapshot(f as never, job.label, diagnose, () => false);
    } finally {
      try {
        f.close();
      } catch {
        // a damaged file may not close
      }
    }
  });
}

if (parentPort && workerData?.h5Probe) {
  probe(workerData.h5Probe as Job).then(
    () => parentPort!.postMessage({ ok: true }),
    (e) => parentPort!.postMessage({ ok: false, error: (e as Error)?.message ?? String(e) }),
  );
}
