import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpError } from './http_util';

/**
 * A request path split into decoded segments, refusing what could step outside a folder: `..`
 * and `.` (also percent-encoded, `%2e%2e`), slashes or backslashes inside a segment (`%2f`,
 * `%5c`), NUL bytes, empty segments (`//`) and drive letters. Malformed percent-encoding is a 400.
 */
export function pathSegments(rawPath: string): string[] {
  if (!rawPath.startsWith('/')) throw new HttpError(400, 'request path must start with /');
  const raw = rawPath.slice(1).split('/');
  if (raw.length && raw[raw.length - 1] === '') raw.pop(); // a trailing slash
  return raw.map((s) => {
    let seg: string;
    try {
      seg = decodeURIComponent(s);
    } catch {
      throw new HttpError(400, `malformed percent-encoding in the path: '${s}'`);
    }
    if (seg === '' || seg === '.' || seg === '..') throw new HttpError(403, `path segment '${s}' is refused`);
    if (/[/\\\0]/.test(seg) || /^[a-zA-Z]:/.test(seg)) throw new HttpError(403, `path segment '${s}' is refused`);
    return seg;
  });
}

/** The real path of `root` (symlinks resolved), with a trailing separator for prefix tests. */
function realRoot(root: string): string {
  const r = fs.realpathSync(root);
  return r.endsWith(path.sep) ? r : r + path.sep;
}

/** True when `p` (already real) is `root` itself or inside it. */
function inside(p: string, rootWithSep: string): boolean {
  return p === rootWithSep.slice(0, -1) || p.startsWith(rootWithSep);
}

/**
 * The file that `segments` name under `root`, or a 404: the path is joined from checked segments,
 * then its real path (every symlink followed) must still lie under the root's real path, so a
 * link pointing out of the runs folder serves nothing.
 */
export function resolveInside(root: string, segments: readonly string[], want: 'file' | 'dir' = 'file'): string {
  const rootReal = realRoot(root);
  const joined = path.join(rootReal, ...segments);
  let real: string;
  try {
    real = fs.realpathSync(joined);
  } catch {
    throw new HttpError(404, `not found: ${segments.join('/')}`);
  }
  if (!inside(real, rootReal)) throw new HttpError(403, `'${segments.join('/')}' leads outside the runs folder`);
  const st = fs.statSync(real);
  if (want === 'file' ? !st.isFile() : !st.isDirectory()) throw new HttpError(404, `not found: ${segments.join('/')}`);
  return real;
}

/** Whether `dir` under `root` is a real folder inside the root (a symlinked run pointing out is not). */
export function isInside(root: string, dir: string): boolean {
  try {
    return inside(fs.realpathSync(dir), realRoot(root));
  } catch {
    return false;
  }
}

const TYPES: Record<string, string> = {
  '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
