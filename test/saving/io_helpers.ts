import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tt from '../../src/index';

/** The repository root: the nearest ancestor with package.json (works from src and from dist). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tatami-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies of every weight value of a model (to check that a failed load changed nothing). */
export function snapshot(model: { weights: tt.Variable[] }): Float32Array[] {
  return model.weights.map((w) => Float32Array.from(w.values as Float32Array));
}

/** The output of predict as one tensor (functional models with one output return one too). */
export function predict1(model: tt.Sequential | tt.LayersModel, x: tt.Tensor): tt.Tensor {
  const y = model.predict(x);
  return Array.isArray(y) ? y[0] : y;
}
