// Dropout kernels: the xoshiro128** mask and values (the stream restated here), bit for bit, on the
// reference backend and every wasm build and thread count, above and below the size where the wasm
// backend hands the work to the reference kernel, and (300,007 elements) split over two threads.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertIdentical } from '../helpers/assert';
import { allBackends, on, rand } from './helpers';

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

for (const [label, be] of allBackends) {
  test(`dropout kernels ${label}`, () => {
    for (const [n, rate] of [[50003, 0.25], [50003, 0.3], [50003, 0.5], [50003, 0.9], [37, 0.5], [300007, 0.25]]) {
      const x = rand(n);
      const seed = [0x9e3779b9 | 1, 0x7f4a7c15, -12345, 0x3c6ef372];
      const threshold = Math.floor(rate * 4294967296);
      const scale = 1 / (1 - rate);
      const [yRef, keepRef] = reference(x, seed, threshold, scale);
      const y = be.alloc(n);
      const keep = new Uint8Array(n);
      be.dropout(on(be, x), y, keep, seed, threshold, scale);
      assertIdentical(keep, keepRef, `keep rate=${rate}`);
      assertIdentical(y, yRef, `y rate=${rate}`);
      const dy = rand(n);
      const dx = new Float32Array(n);
      be.dropoutGrad(dy, keep, scale, dx);
      const dxRef = dy.map((v, i) => (keep[i] ? v * scale : 0));
      assertIdentical(dx, dxRef, `dx rate=${rate}`);
    }
  });
}
