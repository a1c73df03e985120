// Optimizer update kernels: bit-identical to the JS loops of src/optimizers/rules.ts (restated
// here as the reference), on every wasm build and thread count, in and out of the shared memory.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertIdentical } from '../helpers/assert';
import { on, rand, wasmBackends } from './helpers';

const N = 70001; // odd: exercises the scalar tail and uneven thread splits

function adadeltaRef(w: Float32Array, g: Float32Array, ag: Float32Array, ad: Float32Array, lr: number, rho: number, eps: number): void {
  for (let i = 0; i < w.length; i++) {
    ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
    const delta = (-Math.sqrt(ad[i] + eps) / Math.sqrt(ag[i] + eps)) * g[i];
    ad[i] = rho * ad[i] + (1 - rho) * delta * delta;
    w[i] += lr * delta;
  }
}

function adamRef(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vh: Float32Array | undefined,
  alpha: number, b1: number, b2: number, eps: number): void {
  for (let i = 0; i < w.length; i++) {
    m[i] += (g[i] - m[i]) * (1 - b1);
    v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
    let denom = v[i];
    if (vh) {
      vh[i] = Math.max(vh[i], v[i]);
      denom = vh[i];
    }
    w[i] -= (m[i] * alpha) / (Math.sqrt(denom) + eps);
  }
}

for (const [label, be] of wasmBackends) {
  test(`adadelta kernel ${label}`, () => {
    for (const inMemory of [true, false]) {
      const w0 = rand(N), g = rand(N, -3, 3), ag0 = rand(N, 0, 1), ad0 = rand(N, 0, 0.1);
      const w = w0.slice(), ag = ag0.slice(), ad = ad0.slice();
      const ww = inMemory ? on(be, w0) : w0.slice(), wag = inMemory ? on(be, ag0) : ag0.slice(), wad = inMemory ? on(be, ad0) : ad0.slice();
      for (let step = 0; step < 3; step++) {
        adadeltaRef(w, g, ag, ad, 1.0, 0.95, 1e-7);
        assert.ok(be.optimizerStep!('adadelta', ww, inMemory ? on(be, g) : g, [wag, wad], [1.0, 0.95, 1e-7]));
      }
      assertIdentical(ww, w, 'w');
      assertIdentical(wag, ag, 'accumulated_grad');
      assertIdentical(wad, ad, 'accumulated_delta_var');
    }
  });
  test(`adam kernel ${label}`, () => {
    for (const amsgrad of [false, true]) {
      const w0 = rand(N), g = rand(N, -3, 3), m0 = rand(N, -0.1, 0.1), v0 = rand(N, 0, 0.1), vh0 = rand(N, 0, 0.1);
      const w = w0.slice(), m = m0.slice(), v = v0.slice(), vh = vh0.slice();
      const ww = on(be, w0), wm = on(be, m0), wv = on(be, v0), wvh = vh0.slice();
      for (let t = 1; t <= 3; t++) {
        const alpha = (0.001 * Math.sqrt(1 - Math.pow(0.999, t))) / (1 - Math.pow(0.9, t));
        adamRef(w, g, m, v, amsgrad ? vh : undefined, alpha, 0.9, 0.999, 1e-7);
        assert.ok(be.optimizerStep!('adam', ww, on(be, g), amsgrad ? [wm, wv, wvh] : [wm, wv], [alpha, 0.9, 0.999, 1e-7]));
      }
      assertIdentical(ww, w, `w amsgrad=${amsgrad}`);
      assertIdentical(wm, m, 'momentum');
      assertIdentical(wv, v, 'velocity');
      if (amsgrad) assertIdentical(wvh, vh, 'velocity_hat');
    }
  });
}

test('optimizer kernels decline small or unknown updates', () => {
  for (const [, be] of wasmBackends) {
    assert.equal(be.optimizerStep!('adadelta', rand(10), rand(10), [rand(10), rand(10)], [1, 0.95, 1e-7]), false);
    assert.equal(be.optimizerStep!('rmsprop', rand(N), rand(N), [rand(N)], [1]), false);
  }
});
