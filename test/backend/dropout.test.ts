// Dropout kernels: the same xoshiro128** mask and values as the JS loop of src/ops/random.ts
// (restated here), bit for bit, on every wasm build and thread count.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertIdentical } from '../helpers/assert';
import { on, rand, wasmBackends } from './helpers';

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

function reference(x: Float32Array, seed: number[], threshold: number, scale: number): [Float32Array, Uint8Array] {
  let [s0, s1, s2, s3] = seed;
  const y = new Float32Array(x.length);
  const keep = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    keep[i] = r >= threshold ? 1 : 0;
    y[i] = keep[i] ? x[i] * scale : 0;
  }
  return [y, keep];
}

for (const [label, be] of wasmBackends) {
  test(`dropout kernels ${label}`, () => {
    const n = 50003;
    const x = rand(n);
    for (const rate of [0.25, 0.3, 0.5, 0.9]) {
      const seed = [0x9e3779b9 | 1, 0x7f4a7c15, -12345, 0x3c6ef372];
      const threshold = Math.floor(rate * 4294967296);
      const scale = 1 / (1 - rate);
      const [yRef, keepRef] = reference(x, seed, threshold, scale);
      const y = be.alloc(n);
      const keep = new Uint8Array(n);
      assert.ok(be.dropout!(on(be, x), y, keep, seed, threshold, scale));
      assertIdentical(keep, keepRef, `keep rate=${rate}`);
      assertIdentical(y, yRef, `y rate=${rate}`);
      const dy = rand(n);
      const dx = new Float32Array(n);
      assert.ok(be.dropoutGrad!(dy, keep, scale, dx));
      const dxRef = dy.map((v, i) => (keep[i] ? v * scale : 0));
      assertIdentical(dx, dxRef, `dx rate=${rate}`);
    }
    assert.equal(be.dropout!(rand(8), new Float32Array(8), new Uint8Array(8), [1, 2, 3, 4], 0, 1), false);
  });
}
