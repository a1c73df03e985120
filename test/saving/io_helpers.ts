import assert from 'node:assert/strict';
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

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const d = maxAbsDiff(a, b);
  assert.ok(d <= tol, `${what}: max abs difference ${d} > ${tol}`);
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
