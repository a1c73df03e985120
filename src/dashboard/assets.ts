import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpError } from './http_util';

/**
 * The chart scripts the pages load, served from the installed packages (vega, vega-lite,
 * vega-embed: their browser builds), so the dashboard needs no network.
 */
const VENDOR: Record<string, { pkg: string; file: string }> = {
  'vega.js': { pkg: 'vega', file: 'build/vega.min.js' },
  'vega-lite.js': { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  'vega-embed.js': { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
};

export const VENDOR_SCRIPTS = Object.keys(VENDOR);

/** The folder of an installed package: up from its entry point to the package.json that names it. */
function packageDir(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === pkg) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the package '${pkg}'`);
    dir = up;
  }
}

const cache = new Map<string, Buffer>();

export function vendorScript(name: string): Buffer {
  const v = VENDOR[name];
  if (!v) throw new HttpError(404, `no script '${name}'`);
  let buf = cache.get(name);
  if (!buf) {
    try {
      buf = fs.readFileSync(path.join(packageDir(v.pkg), v.file));
    } catch (e) {
      throw new HttpError(500, `the '${v.pkg}' package is not installed (${(e as Error).message})`);
    }
    cache.set(name, buf);
  }
  return buf;
}
