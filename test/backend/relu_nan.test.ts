// relu, the fused bias+relu and relu6 keep a NaN input NaN on every backend, as Keras/TF and
// PyTorch do (relu(NaN) = NaN): a NaN must not hide behind a relu as 0. Gradients are not
// specified here (TF's and PyTorch's relu gradient of NaN is 0, as ours).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tt from '../../src/index';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { allBackends, on, rand } from './helpers';

/** rand values with NaN, -0, 0, -Infinity and Infinity at the start and NaN at the end (the scalar tail). */
function withSpecials(n: number): Float32Array {
  const x = rand(n, -2, 2);
  x.set([NaN, -0, 0, -Infinity, Infinity, NaN, -1, 1].slice(0, n));
  x[n - 1] = NaN;
  return x;
}

/** What relu must give: NaN for NaN, else max(x, 0) with +0 for x <= 0. */
const reluOf = (v: number) => (Number.isNaN(v) ? NaN : v > 0 ? v : 0);

for (const n of [5, 1003, 70001]) {
  test(`relu and relu6 of NaN are NaN on every backend, n=${n}`, () => {
    const x = withSpecials(n);
    const want = Array.from(x, reluOf);
    const want6 = Array.from(x, (v) => (Number.isNaN(v) ? NaN : Math.min(reluOf(v), 6)));
    for (const [label, be] of allBackends) {
      for (const shared of [true, false]) {
        const y = shared ? be.alloc(n).fill(7) : new Float32Array(n).fill(7);
        be.unary('relu', shared ? on(be, x) : x, y);
        assert.deepEqual(Array.from(y), want, `${label} relu ${shared ? 'shared' : 'plain'}`);
        be.unary('relu6', shared ? on(be, x) : x, y);
        // relu6(-0) is -0 on wasm, 0 in the reference (relu6.test.ts compares them as equal too)
        assert.deepEqual(Array.from(y, (v) => (v === 0 ? 0 : v)), want6, `${label} relu6 ${shared ? 'shared' : 'plain'}`);
      }
    }
  });
}

for (const [rows, C] of [[3, 5], [257, 64], [1100, 67]]) {
  test(`biasAdd with a fused relu keeps NaN on every backend, ${rows}x${C}`, () => {
    const x = withSpecials(rows * C);
    const bias = rand(C);
    bias[1] = NaN; // a NaN bias makes its whole column NaN
    const want = Array.from(x, (v, i) => reluOf(Math.fround(v + bias[i % C])));
    for (const [label, be] of allBackends) {
      const y = be.alloc(rows * C).fill(7);
      be.biasAdd(on(be, x), on(be, bias), y, C, true);
      assert.deepEqual(Array.from(y), want, `${label} biasAdd relu ${rows}x${C}`);
    }
  });
}

for (const kind of kernelBackends()) {
  test(`tt.relu and a Dense layer with relu (fused) pass NaN through, ${backendLabel(kind)}`, () => {
    onBackend(kind, () => {
      const y = tt.tensor([NaN, -1, 0, 2]).relu().dataSync();
      assert.deepEqual(Array.from(y), [NaN, 0, 0, 2]);
      const dense = tt.layers.dense({ units: 3, activation: 'relu', kernelInitializer: 'ones', inputShape: [2] });
      const out = (dense.apply(tt.tensor([[NaN, 1], [1, 1]])) as tt.Tensor).dataSync();
      assert.deepEqual(Array.from(out), [NaN, NaN, NaN, 2, 2, 2]);
    });
  });
}
