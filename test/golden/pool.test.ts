import { describe, it } from 'node:test';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { layers } from '../../src/layers/index';
import { assertAllClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for max/average pooling (test/fixtures/pool.json): y and d(sum(y*dy))/dx, through
// the ops and through the MaxPooling2D / AveragePooling2D layers.

interface PoolCase {
  name: string;
  kind: 'max' | 'avg' | 'global_avg' | 'global_max';
  pool_size: [number, number] | null;
  strides: [number, number] | null;
  padding: 'valid' | 'same' | null;
  x: FixtureArray; dy: FixtureArray; y: FixtureArray; dx: FixtureArray;
}

const cases = loadFixture<{ cases: PoolCase[] }>('pool').cases;
const windowed = cases.filter((c) => c.kind === 'max' || c.kind === 'avg');
const global = cases.filter((c) => c.kind === 'global_avg' || c.kind === 'global_max');

function check(c: PoolCase, f: (x: Tensor) => Tensor, label: string): void {
  const x = toTensor(c.x, 'x');
  x.requiresGrad = true;
  const y = f(x);
  assertAllClose(y, c.y, `${c.name} (${label}) y`);
  const [dx] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [x]);
  assertAllClose(dx, c.dx, `${c.name} (${label}) dx`);
}

for (const kind of kernelBackends()) {
  describe(`golden pooling [${backendLabel(kind)}]`, () => {
    for (const c of windowed) {
      const pool = c.pool_size!;
      const strides = c.strides!;
      const padding = c.padding!;
      const op = c.kind === 'max' ? ops.maxPool : ops.avgPool;
      it(`${c.name}: ops.${c.kind}Pool`, () => onBackend(kind, () => check(c, (x) => op(x, pool, strides, padding), 'op')));
      it(`${c.name}: layer`, () => onBackend(kind, () => {
        const args = { poolSize: pool, strides, padding };
        const layer = c.kind === 'max' ? layers.maxPooling2d(args) : layers.averagePooling2d(args);
        check(c, (x) => layer.invoke(x), layer.className);
      }));
    }

    // Keras's GlobalAveragePooling2D / GlobalMaxPooling2D: a mean / max over H and W. Checked as
    // that reduction, and through the dedicated ops and layers.
    for (const c of global) {
      const avg = c.kind === 'global_avg';
      const reduce = avg ? ops.mean : ops.max;
      it(`${c.name}: ops.${avg ? 'mean' : 'max'}(x, [1, 2])`,
        () => onBackend(kind, () => check(c, (x) => reduce(x, [1, 2]), 'reduction')));
      const opName = avg ? 'globalAvgPool' : 'globalMaxPool';
      const op = avg ? ops.globalAvgPool : ops.globalMaxPool;
      it(`${c.name}: ops.${opName}`, () => onBackend(kind, () => check(c, (x) => op(x), opName)));
      const key = avg ? 'globalAveragePooling2d' : 'globalMaxPooling2d';
      it(`${c.name}: ${key} layer`, () => onBackend(kind, () => {
        const layer = avg ? layers.globalAveragePooling2d({}) : layers.globalMaxPooling2d({});
        check(c, (x) => layer.invoke(x), layer.className);
      }));
    }
  });
}
