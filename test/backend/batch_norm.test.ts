// Batch-normalization kernels spec: every backend against a float64 recomputation, every wasm
// build on shared-memory and plain arrays, and the same bits on one and two threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, assertIdentical, assertScaledClose } from '../helpers/assert';
import { allBackends, describe, on, rand, wasm1, wasm2 } from './helpers';
import type { Backend } from '../../src/backend/backend';

interface Case { rows: number; C: number; center?: number }

// rows not a multiple of the 256-row blocks, channels with 8-, 4- and scalar tails, values far from zero
const cases: Case[] = [
  { rows: 1, C: 3 }, { rows: 7, C: 5 }, { rows: 300, C: 12 }, { rows: 513, C: 32 },
  { rows: 2000, C: 19 }, { rows: 1568, C: 96 }, { rows: 4096, C: 16, center: 100 }, { rows: 8200, C: 32 },
];

/** Per-channel float64 reference sums. */
function reference(x: Float32Array, dy: Float32Array, mean32: Float32Array, C: number) {
  const rows = x.length / C;
  const mean = new Float64Array(C), variance = new Float64Array(C), sDy = new Float64Array(C), sDyXc = new Float64Array(C);
  for (let i = 0; i < x.length; i++) mean[i % C] += x[i] / rows;
  for (let i = 0; i < x.length; i++) {
    const c = i % C;
    variance[c] += (x[i] - mean[c]) ** 2 / rows;
    sDy[c] += dy[i];
    sDyXc[c] += dy[i] * (x[i] - mean32[c]);
  }
  return { mean, variance, sDy, sDyXc };
}

function runAll(be: Backend, x: Float32Array, dy: Float32Array, p: Float32Array[], C: number, shared: boolean) {
  const [m, k, a, b] = p;
  const X = shared ? on(be, x) : x, DY = shared ? on(be, dy) : dy;
  const mean = new Float64Array(C), variance = new Float64Array(C), sDy = new Float64Array(C), sDyXc = new Float64Array(C);
  be.batchNormStats(X, C, mean, variance);
  const y = (shared ? be.alloc(x.length) : new Float32Array(x.length)).fill(7);
  be.batchNormApply(X, m, k, b, y, C);
  be.batchNormGradSums(DY, X, m, sDy, sDyXc, C);
  const dx = (shared ? be.alloc(x.length) : new Float32Array(x.length)).fill(7);
  be.batchNormGradInput(DY, X, m, k, a, b, dx, C);
  return { mean, variance, sDy, sDyXc, y, dx };
}

for (const cs of cases) {
  test(`batch norm kernels ${describe(cs)}`, () => {
    const { rows, C } = cs;
    const x = rand(rows * C, (cs.center ?? 0) - 2, (cs.center ?? 0) + 3);
    const dy = rand(rows * C);
    const p = [rand(C, (cs.center ?? 0) - 1, (cs.center ?? 0) + 1), rand(C, 0.5, 2), rand(C), rand(C)];
    const [m, k, a, b] = p;
    const ref = reference(x, dy, m, C);
    const y0 = Float64Array.from(x, (v, i) => (v - m[i % C]) * k[i % C] + b[i % C]);
    const dx0 = Float64Array.from(x, (v, i) => dy[i] * k[i % C] - a[i % C] - (v - m[i % C]) * b[i % C]);
    const outs: ReturnType<typeof runAll>[] = [];
    for (const [label, be] of allBackends) {
      for (const shared of [true, false]) {
        const r = runAll(be, x, dy, p, C, shared);
        const what = `${label}${shared ? '' : ' plain arrays'}`;
        assertClose(r.mean, ref.mean, 1e-5, `${what} mean`);
        // the variance relative to its own size (one-pass sums about a reference row)
        for (let c = 0; c < C; c++) {
          assert.ok(Math.abs(r.variance[c] - ref.variance[c]) <= 1e-4 * ref.variance[c] + 1e-9,
            `${what} variance[${c}] ${r.variance[c]} against ${ref.variance[c]}`);
        }
        assertScaledClose(r.sDy, ref.sDy, `${what} Σdy`, 1e-5);
        assertScaledClose(r.sDyXc, ref.sDyXc, `${what} Σdy·(x − mean)`, 1e-5);
        assertScaledClose(r.y, y0, `${what} apply`, 1e-6);
        assertScaledClose(r.dx, dx0, `${what} input gradient`, 1e-6);
        if (shared && label.startsWith('wasm(')) outs.push(r);
      }
    }
    // wasm(2 threads) against wasm(1 thread)
    for (const key of ['mean', 'variance', 'sDy', 'sDyXc', 'y', 'dx'] as const) {
      assertIdentical(outs[0][key], outs[1][key], `${key}: 2 threads against 1`);
    }
    assert.ok(wasm1 && wasm2);
  });
}

test('batchNormApply may write in place', () => {
  for (const [label, be] of allBackends) {
    const x = on(be, rand(40000));
    const expect = Float32Array.from(x, (v, i) => Math.fround(Math.fround(v - 0.5) * (i % 4 + 1)) + 1);
    be.batchNormApply(x, new Float32Array(4).fill(0.5), Float32Array.of(1, 2, 3, 4), new Float32Array(4).fill(1), x, 4);
    assertScaledClose(x, expect, `${label} in place`, 1e-6);
  }
});
