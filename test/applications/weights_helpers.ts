import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = dirname(dir);
  }
  return dir;
}

/** Debian's Python with numpy and h5py writes weight files in Keras's application layout. */
export const PYTHON = '/usr/bin/python3';
export const WRITER = join(repoRoot(), 'test', 'crosscheck', 'application_weights.py');

/** Why the writer cannot run here, or null when it can. */
export function writerMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} with numpy and h5py (Debian's python3-numpy, python3-h5py) is needed to write the weight files`;
}

/** Writes a random weight file of `net` (no top) in Keras's layout; returns the writer's summary. */
export function writeWeights(net: string, size: number, alpha: number, seed: number, file: string, ...flags: string[]): { checksum: number; layers: number } {
  const r = spawnSync(PYTHON, [WRITER, 'write', net, String(size), String(alpha), String(seed), file, ...flags], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`application_weights.py write ${net} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
