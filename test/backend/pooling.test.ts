// Pooling spec on every wasm build against the JS reference.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pool2DInfo } from '../../src/backend/backend';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { describe, js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

function poolInfo(batch: number, inH: number, inW: number, channels: number, pool: number, stride: number,
  padding: 'valid' | 'same'): Pool2DInfo {
  let outH: number, outW: number, padTop = 0, padLeft = 0;
  if (padding === 'valid') {
    outH = Math.floor((inH - pool) / stride) + 1;
    outW = Math.floor((inW - pool) / stride) + 1;
  } else {
    outH = Math.ceil(inH / stride);
    outW = Math.ceil(inW / stride);
    padTop = Math.floor(Math.max((outH - 1) * stride + pool - inH, 0) / 2);
    padLeft = Math.floor(Math.max((outW - 1) * stride + pool - inW, 0) / 2);
  }
  return { batch, inH, inW, channels, outH, outW, poolH: pool, poolW: pool, strideH: stride, strideW: stride, padTop, padLeft };
}

const cases: Pool2DInfo[] = [
  poolInfo(3, 8, 8, 6, 2, 2, 'valid'),
  poolInfo(2, 9, 9, 8, 3, 2, 'same'),
  poolInfo(2, 5, 5, 3, 2, 1, 'valid'),
  poolInfo(2, 7, 7, 5, 2, 2, 'same'),
  poolInfo(16, 24, 24, 64, 2, 2, 'valid'),
  // 2x2 at stride 2 over odd sizes: the last row and column are in no window (their gradient is 0)
  poolInfo(3, 11, 13, 8, 2, 2, 'valid'),
  { batch: 2, inH: 5, inW: 5, channels: 4, outH: 4, outW: 4, poolH: 2, poolW: 2, strideH: 2, strideW: 2, padTop: 2, padLeft: 2 },
];

for (const p of cases) {
  test(`pooling ${describe(p)}`, () => {
    const x = rand(p.batch * p.inH * p.inW * p.channels);
    const n = p.batch * p.outH * p.outW * p.channels;
    const dy = rand(n);
    const y0 = new Float32Array(n);
    const am0 = new Int32Array(n);
    const dx0 = new Float32Array(x.length);
    const ay0 = new Float32Array(n);
    const adx0 = new Float32Array(x.length);
    js.maxPool(x, y0, am0, p);
    js.maxPoolBackward(dy, am0, dx0, p);
    js.avgPool(x, ay0, p);
    js.avgPoolBackward(dy, adx0, p);
    const results: Float32Array[][] = [];
    for (const [label, be] of wasmBackends) {
      const y = be.alloc(n);
      const am = new Int32Array(n);
      const dx = be.alloc(x.length).fill(3);
      be.maxPool(on(be, x), y, am, p);
      assertClose(y, y0, `${label} maxPool`);
      assert.deepEqual(Array.from(am), Array.from(am0), `${label} maxPool argmax`);
      be.maxPoolBackward(on(be, dy), am, dx, p);
      assertClose(dx, dx0, `${label} maxPoolBackward`);
      const am2 = be.allocInt32(n);
      be.maxPool(x, new Float32Array(n), am2, p);
      assert.deepEqual(Array.from(am2), Array.from(am0), `${label} maxPool argmax in wasm memory`);
      const ay = be.alloc(n).fill(3);
      const adx = be.alloc(x.length).fill(3);
      be.avgPool(on(be, x), ay, p);
      be.avgPoolBackward(on(be, dy), adx, p);
      assertClose(ay, ay0, `${label} avgPool`);
      assertClose(adx, adx0, `${label} avgPoolBackward`);
      results.push([y, dx, ay, adx]);
    }
    if (wasm1 && wasm2) for (let i = 0; i < 4; i++) assertIdentical(results[0][i], results[1][i], `pool kernel ${i}`);
  });
}

test('maxPool 2x2/2 ties and NaN: the first maximum in window order wins, as in the reference', () => {
  const p = poolInfo(2, 6, 7, 8, 2, 2, 'valid');
  const x = rand(p.batch * p.inH * p.inW * p.channels).map((v) => Math.round(v));
  x[5] = NaN;
  x[8 * 7 + 3] = NaN;
  const n = p.batch * p.outH * p.outW * p.channels;
  const y0 = new Float32Array(n);
  const am0 = new Int32Array(n);
  js.maxPool(x, y0, am0, p);
  const dy = rand(n);
  const dx0 = new Float32Array(x.length);
  js.maxPoolBackward(dy, am0, dx0, p);
  for (const [label, be] of wasmBackends) {
    const y = be.alloc(n);
    const am = be.allocInt32(n);
    be.maxPool(on(be, x), y, am, p);
    assertIdentical(y, y0, `${label} maxPool`);
    assert.deepEqual(Array.from(am), Array.from(am0), `${label} argmax`);
    const dx = be.alloc(x.length).fill(3);
    be.maxPoolBackward(on(be, dy), am, dx, p);
    assertIdentical(dx, dx0, `${label} maxPoolBackward`);
  }
});
