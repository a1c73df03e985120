import { parentPort } from 'node:worker_threads';
import { ModelFileError } from './files';
import { loadMemoryBuild } from './h5';
import { withDiagnostics } from './h5_module';
import { snapshot } from './h5_snapshot';

/**
 * The worker thread of readH5 (h5.ts): opens HDF5 bytes with h5wasm and sends back the whole
 * file as a snapshot (plain objects), or the error. Does nothing outside a worker.
 */

/** DEFLATE, the only filter Keras files could use, expands at most 1032:1. */
const MAX_FILTER_RATIO = 1032;

interface Request {
  id: number;
  bytes: Uint8Array;
  label: string;
}

async function read(req: Request): Promise<unknown> {
  const { h5, fs } = await loadMemoryBuild();
  const name = `/tatami-read-${req.id}.h5`;
  fs.writeFile(name, req.bytes);
  const room = (n: number, chunked: boolean) => n <= req.bytes.length * (chunked ? MAX_FILTER_RATIO : 1);
  try {
    return withDiagnostics((diagnose) => {
      let file: InstanceType<typeof h5.File>;
      try {
        file = new h5.File(name, 'r');
      } catch (e) {
        throw new ModelFileError(`cannot open '${req.label}' as HDF5: ${diagnose() || String(e)}`);
      }
      try {
        return snapshot(file as never, req.label, diagnose, room);
      } finally {
        try {
          file.close();
        } catch {
          // closing a damaged file may fail
        }
      }
    });
  } finally {
    fs.unlink(name);
  }
}

// h5wasm loaded before the first request, so that readH5's time limit counts reading only
if (parentPort) {
  loadMemoryBuild().then(
    () => parentPort!.postMessage({ ready: true }),
    (e) => parentPort!.postMessage({ ready: false, error: String((e as Error)?.message ?? e) }),
  );
}

parentPort?.on('message', (req: Request) => {
  read(req).then(
    (snap) => parentPort!.postMessage({ id: req.id, snap }),
    (e) => parentPort!.postMessage({ id: req.id, error: (e as Error)?.message ?? String(e), fileError: e instanceof ModelFileError }),
  );
});
