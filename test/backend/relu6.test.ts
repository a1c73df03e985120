// ReLU6 (MobileNetV2's activation) as a unary kernel and its gradient: every wasm build against
// the JS reference, values across both kinks, exactly 0 and 6, and NaN.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { js, on, rand, wasmBackends } from './helpers';

/** Values with -0 as 0 (the reference multiplies dy by 0, the kernel masks it). */
const plain = (a: Float32Array) => Array.from(a, (v) => (v === 0 ? 0 : v));

for (const n of [5, 1003, 70001]) {
  test(`relu6 and its gradient, n=${n}`, () => {
    const x = rand(n, -8, 9);
    x[0] = 0;
    x[1] = 6;
    x[2] = NaN;
    x[n - 1] = 6.5;
    const dy = rand(n);
    const want = new Float32Array(n);
    js.unary('relu6', x, want);
    const wantDx = new Float32Array(n);
    js.unaryGrad('relu6', dy, x, want, wantDx);
    assert.deepEqual([want[0], want[1], want[n - 1]], [0, 6, 6]);
    assert.ok(Number.isNaN(want[2]));
    assert.deepEqual(plain(wantDx.subarray(0, 3)), [0, 0, 0]);
    for (const [label, be] of wasmBackends) {
      for (const shared of [true, false]) {
        const y = shared ? be.alloc(n).fill(7) : new Float32Array(n).fill(7);
        be.unary('relu6', shared ? on(be, x) : x, y);
        assert.deepEqual(plain(y), plain(want), `${label} relu6 ${shared ? '' : 'plain'}`);
        const dx = shared ? be.alloc(n).fill(7) : new Float32Array(n).fill(7);
        be.unaryGrad('relu6', shared ? on(be, dy) : dy, shared ? on(be, x) : x, y, dx);
        assert.deepEqual(plain(dx), plain(wantDx), `${label} relu6 gradient ${shared ? '' : 'plain'}`);
      }
    }
  });
}
