import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tt from '../../src/index';
export { repoRoot } from '../helpers/fixtures';

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
