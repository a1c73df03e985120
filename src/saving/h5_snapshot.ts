import { ModelFileError } from './files';
import type { H5Dataset, H5Group, H5Node } from './h5';

/**
 * An HDF5 file read whole into plain objects (by h5_read_worker.ts, in a worker thread) and the
 * read-only H5Group/H5Dataset views the readers use on it. The HDF5 C library can loop for ever
 * on a damaged file (seen: a variable-length string attribute of a fuzzed .h5), and a synchronous
 * wasm call cannot be interrupted; in a worker it can be stopped after a time limit.
 */

export interface SnapAttr {
  value?: unknown;
  shape: number[] | null;
  error?: string;
}

export interface SnapNode {
  path: string;
  type: string;
  attrs: Record<string, SnapAttr>;
  children?: Record<string, SnapNode | null>;
  shape?: number[] | null;
  metadata?: { size: number; total_size: number; chunks: number[] | null };
  value?: unknown;
  error?: string;
}

/** Limits of the walk: deeper than any Keras file, and enough nodes for the largest applications. */
export const MAX_DEPTH = 64;
export const MAX_NODES = 200_000;

interface WalkNode {
  path: string;
  type: string;
  attrs: Record<string, { value: unknown; shape: number[] | null }>;
  keys?(): string[];
  get?(name: string): WalkNode | null;
  shape?: number[] | null;
  metadata?: { size: number; total_size: number; chunks: number[] | null };
  value?: unknown;
}

/**
 * Reads every group, attribute and dataset below `root` into plain objects. `diagnose` gives
 * HDF5's own account of a failure; `room(meta)` says whether a dataset's stated size could come
 * from the file (a larger one is not read: its reader refuses it by its metadata).
 */
export function snapshot(root: WalkNode, label: string, diagnose: () => string, room: (bytes: number, chunked: boolean) => boolean): SnapNode {
  let count = 0;
  const failed = (e: unknown) => `'${label}' is damaged: ${diagnose() || (e instanceof Error ? e.message : String(e))}`;
  const walk = (n: WalkNode, depth: number): SnapNode => {
    if (++count > MAX_NODES) throw new ModelFileError(`'${label}' has more than ${MAX_NODES} HDF5 objects (damaged, or links that loop)`);
    if (depth > MAX_DEPTH) throw new ModelFileError(`'${label}' nests HDF5 groups more than ${MAX_DEPTH} deep (damaged, or links that loop)`);
    const attrs: Record<string, SnapAttr> = Object.create(null);
    let names: string[];
    try {
      names = Object.keys(n.attrs ?? {}); // links (soft, external) have no attributes
    } catch (e) {
      throw new ModelFileError(failed(e));
    }
    for (const name of names) {
      const a = n.attrs[name];
      try {
        attrs[name] = { value: a.value, shape: a.shape };
      } catch (e) {
        attrs[name] = { shape: null, error: failed(e) };
      }
    }
    const out: SnapNode = { path: n.path, type: n.type, attrs };
    if (n.type === 'Group' && n.keys && n.get) {
      out.children = Object.create(null);
      let keys: string[];
      try {
        keys = n.keys();
      } catch (e) {
        throw new ModelFileError(failed(e));
      }
      for (const k of keys) {
        let c: WalkNode | null;
        try {
          c = n.get(k);
        } catch (e) {
          throw new ModelFileError(failed(e));
        }
        out.children![k] = c ? walk(c, depth + 1) : null;
      }
    } else if (n.type === 'Dataset') {
      try {
        const m = n.metadata!;
        out.metadata = { size: m.size, total_size: m.total_size, chunks: m.chunks };
        out.shape = n.shape ?? null;
        if (room(m.size * m.total_size, m.chunks != null)) out.value = n.value;
      } catch (e) {
        out.error = failed(e);
      }
    }
    return out;
  };
  return walk(root, 0);
}

function readOnly(path: string): never {
  throw new ModelFileError(`HDF5 node '${path}' was opened for reading`);
}

function attrsOf(n: SnapNode): H5Node['attrs'] {
  const out: H5Node['attrs'] = Object.create(null);
  for (const name of Object.keys(n.attrs)) {
    const a = n.attrs[name];
    Object.defineProperty(out, name, {
      enumerable: true,
      value: {
        shape: a.shape,
        get value() {
          if (a.error) throw new ModelFileError(a.error);
          return a.value;
        },
      },
    });
  }
  return out;
}

/** The H5Group/H5Dataset view of a snapshot node. */
export function viewOf(n: SnapNode): H5Node {
  const base = { path: n.path, type: n.type, attrs: attrsOf(n), create_attribute: () => readOnly(n.path) };
  if (n.type === 'Group') {
    const g: H5Group = {
      ...base,
      keys: () => Object.keys(n.children ?? {}),
      get: (name: string) => {
        const c = n.children?.[name];
        return c ? viewOf(c) : null;
      },
      create_group: () => readOnly(n.path),
      create_dataset: () => readOnly(n.path),
    };
    return g;
  }
  if (n.type === 'Dataset') {
    const d: H5Dataset & { metadata?: SnapNode['metadata'] } = {
      ...base,
      get shape() {
        if (n.error) throw new ModelFileError(n.error);
        return n.shape ?? null;
      },
      get metadata() {
        if (n.error) throw new ModelFileError(n.error);
        return n.metadata;
      },
      get value() {
        if (n.error) throw new ModelFileError(n.error);
        return n.value;
      },
    };
    return d;
  }
  return base;
}
