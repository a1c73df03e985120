import { accessSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TatamiError } from '../util/errors';
import { ModelFileError } from './files';

/**
 * What the two h5wasm builds share: loading one (h5wasm is ESM-only, so it comes in through a real
 * dynamic import() from this CommonJS build), capturing HDF5's error stack while we call into it,
 * and opening a file so that every failure is a ModelFileError naming the file. h5.ts uses the
 * browser build (files as bytes in Emscripten's memory FS), h5_disk.ts the Node build (files read
 * in place).
 */

// A Function-built import() survives tsc's CommonJS output (which would turn import() into require()).
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

/** HDF5's own diagnostics (printed to stderr by the C library), captured while we call into it. */
let diagnostics: string[] | null = null;
/** The unfinished last line of what the Node build wrote to stderr (it writes in pieces). */
let pendingLine = '';
const loading = new Map<string, Promise<unknown>>();

/** Lines HDF5 prints: captured while we call into it, else passed on to `fallback`. */
function hdf5Printed(line: string, fallback: (line: string) => void): void {
  if (diagnostics) diagnostics.push(line);
  else fallback(line);
}

/** The slice of Emscripten's FS that the Node build writes stderr through. */
interface RawFs {
  write(stream: { fd: number }, buffer: Int8Array | Uint8Array, offset: number, length: number, position?: number): number;
}

/**
 * The Node build (NODERAWFS) writes HDF5's error stack to file descriptor 2 with fs.writeSync,
 * past console.error, so a user saw "HDF5-DIAG: Error detected in HDF5 ..." above our error.
 * Its writes to fd 2 are routed through `hdf5Printed` like the browser build's, by wrapping the
 * module's FS.write (which Emscripten's fd_write calls by name).
 */
function routeStderr(fs: RawFs, fallback: (line: string) => void): void {
  const write = fs.write.bind(fs);
  fs.write = (stream, buffer, offset, length, position) => {
    if (stream.fd !== 2) return write(stream, buffer, offset, length, position);
    const lines = (pendingLine + Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString('utf8')).split('\n');
    pendingLine = lines.pop()!;
    for (const l of lines) hdf5Printed(l, fallback);
    return length;
  };
}

function h5wasmEntry(build: 'esm' | 'node'): string {
  // package.json only exports `import` conditions, so find the file rather than require.resolve it
  for (const dir of require.resolve.paths('h5wasm') ?? []) {
    const file = path.join(dir, 'h5wasm', 'dist', build, 'hdf5_hl.js');
    try {
      accessSync(file);
      return file;
    } catch {
      // try the next node_modules folder
    }
  }
  throw new ModelFileError(`the npm package 'h5wasm' is not installed (needed for HDF5 files): run npm install h5wasm`);
}

/** Loads one h5wasm build once; `ready` waits for its module (and returns what the caller keeps of it). */
export function loadH5wasm<M, R>(build: 'esm' | 'node', ready: (h5: M) => Promise<R>): Promise<R> {
  let p = loading.get(build) as Promise<R> | undefined;
  if (!p) {
    p = (async () => {
      // Emscripten binds console.error when the module is instantiated; route it through a filter
      // so that HDF5's error stack becomes part of our error messages instead of stderr noise.
      const original = console.error;
      const fallback = (line: string) => original.call(console, line);
      console.error = function (...args: unknown[]) {
        hdf5Printed(args.map(String).join(' '), fallback);
      };
      try {
        const h5 = (await dynamicImport(pathToFileURL(h5wasmEntry(build)).href)) as M & { ready: Promise<{ FS: RawFs }> };
        if (build === 'node') routeStderr((await h5.ready).FS, fallback);
        return await ready(h5);
      } finally {
        console.error = original;
      }
    })();
    p.catch(() => loading.delete(build));
    loading.set(build, p);
  }
  return p;
}

/** The most specific line of HDF5's error stack, e.g. "truncated file: eof = 3000, ...". */
function diagnosis(lines: string[]): string {
  const frames = lines.filter((l) => /#\d+:/.test(l));
  const last = frames[frames.length - 1];
  if (!last) return '';
  const m = /\(\): (.*)$/.exec(last);
  return m ? m[1].trim() : last.trim();
}

/** Runs `fn` with HDF5's error stack captured; `diagnose()` gives its most specific line so far. */
export function withDiagnostics<T>(fn: (diagnose: () => string) => T): T {
  diagnostics = [];
  pendingLine = '';
  try {
    return fn(() => diagnosis(pendingLine ? [...(diagnostics ?? []), pendingLine] : diagnostics ?? []));
  } finally {
    diagnostics = null;
    pendingLine = '';
  }
}

/**
 * Opens a file with `open` and hands it to `fn`, then closes it; a file HDF5 cannot open or read
 * becomes a ModelFileError naming `label` and HDF5's own diagnosis (tatami's errors pass through).
 */
export function withDiagnosedFile<F extends { close(): unknown }, T>(label: string, open: () => F, fn: (file: F) => T): T {
  return withDiagnostics((diagnose) => {
    let file: F | null = null;
    try {
      try {
        file = open();
      } catch (e) {
        throw new ModelFileError(`cannot open '${label}' as HDF5: ${diagnose() || String(e)}`);
      }
      try {
        return fn(file);
      } catch (e) {
        if (e instanceof TatamiError) throw e;
        // h5wasm's own failures (it also throws plain strings): the HDF5 library says what broke
        throw new ModelFileError(`'${label}' is damaged: ${diagnose() || (e instanceof Error ? e.message : String(e))}`);
      }
    } finally {
      try {
        file?.close();
      } catch {
        // closing a half-opened file may fail
      }
    }
  });
}
