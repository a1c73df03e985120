// Depthwise convolution spec (depth multiplier 1 runs the wasm kernels, others the reference):
// forward and both gradients on every wasm build against the JS reference, on shared-memory and
// plain arrays, and the same bits on one and two threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { type ConvSpec, convInfo, describe, js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

const dw = (s: Omit<ConvSpec, 'outC' | 'depthwise'> & { mult?: number }): ConvSpec =>
  ({ ...s, outC: s.inC * (s.mult ?? 1), depthwise: true });

const specs: ConvSpec[] = [
  dw({ batch: 2, inH: 7, inW: 7, inC: 32, kH: 3, kW: 3, padding: 'same' }),
  dw({ batch: 2, inH: 8, inW: 9, inC: 32, kH: 3, kW: 3, stride: [2, 2], padding: 'same' }),
  dw({ batch: 3, inH: 9, inW: 8, inC: 24, kH: 3, kW: 3, stride: [2, 2], padding: 'valid' }),
  dw({ batch: 2, inH: 10, inW: 11, inC: 20, kH: 3, kW: 3, padding: 'valid' }),
  // channel tails: a 4-block after the 16-blocks, and scalar channels
  dw({ batch: 2, inH: 6, inW: 7, inC: 23, kH: 3, kW: 3, padding: 'same' }),
  dw({ batch: 2, inH: 5, inW: 5, inC: 3, kH: 3, kW: 3, stride: [2, 2], padding: 'same' }),
  dw({ batch: 1, inH: 9, inW: 9, inC: 48, kH: 5, kW: 5, stride: [2, 1], padding: 'same' }),
  dw({ batch: 2, inH: 9, inW: 10, inC: 16, kH: 3, kW: 3, dilation: [2, 2], padding: 'same' }),
  dw({ batch: 2, inH: 4, inW: 4, inC: 8, kH: 1, kW: 1, padding: 'valid' }),
  // large enough to split over both threads
  dw({ batch: 8, inH: 28, inW: 28, inC: 64, kH: 3, kW: 3, padding: 'same' }),
  dw({ batch: 8, inH: 29, inW: 29, inC: 96, kH: 3, kW: 3, stride: [2, 2], padding: 'same' }),
  // multiplier 2: the reference kernel
  dw({ batch: 2, inH: 6, inW: 6, inC: 4, kH: 3, kW: 3, padding: 'same', mult: 2 }),
];

for (const spec of specs) {
  test(`depthwise conv2d ${describe(spec)}`, () => {
    const c = convInfo(spec);
    const x = rand(c.batch * c.inH * c.inW * c.inC);
    const w = rand(c.kH * c.kW * c.outC);
    const dy = rand(c.batch * c.outH * c.outW * c.outC);
    const y0 = new Float32Array(dy.length);
    const dx0 = new Float32Array(x.length);
    const dw0 = new Float32Array(w.length);
    js.conv2d(x, w, y0, c);
    js.conv2dBackpropInput(dy, w, dx0, c);
    js.conv2dBackpropFilter(x, dy, dw0, c);
    const results: Float32Array[][] = [];
    for (const [label, be] of wasmBackends) {
      const y = be.alloc(dy.length).fill(7);
      const dx = be.alloc(x.length).fill(7);
      const dW = be.alloc(w.length).fill(7);
      be.conv2d(on(be, x), on(be, w), y, c);
      be.conv2dBackpropInput(on(be, dy), on(be, w), dx, c);
      be.conv2dBackpropFilter(on(be, x), on(be, dy), dW, c);
      assertClose(y, y0, `${label} depthwise forward`, 1e-5);
      assertClose(dx, dx0, `${label} depthwise input gradient`, 1e-5);
      assertClose(dW, dw0, `${label} depthwise filter gradient`, 1e-5);
      results.push([y, dx, dW]);
      const py = new Float32Array(dy.length).fill(7);
      const pdx = new Float32Array(x.length).fill(7);
      const pdw = new Float32Array(w.length).fill(7);
      be.conv2d(x, w, py, c);
      be.conv2dBackpropInput(dy, w, pdx, c);
      be.conv2dBackpropFilter(x, dy, pdw, c);
      assertClose(py, y0, `${label} depthwise forward, plain arrays`, 1e-5);
      assertClose(pdx, dx0, `${label} depthwise input gradient, plain arrays`, 1e-5);
      assertClose(pdw, dw0, `${label} depthwise filter gradient, plain arrays`, 1e-5);
    }
    for (let i = 0; i < 3; i++) assertIdentical(results[0][i], results[1][i], `depthwise kernel ${i}: 2 threads against 1`);
    assert.ok(wasm1 && wasm2);
  });
}

test('depthwise forward matches a hand computation (3x3 same, stride 2)', () => {
  // one channel of 4x4 ones, kernel of ones: 'same' pads bottom/right only for stride 2 on even sizes
  const c = convInfo(dw({ batch: 1, inH: 4, inW: 4, inC: 1, kH: 3, kW: 3, stride: [2, 2], padding: 'same' }));
  for (const [label, be] of wasmBackends) {
    const y = be.alloc(4);
    be.conv2d(on(be, new Float32Array(16).fill(1)), on(be, new Float32Array(9).fill(1)), y, c);
    assert.deepEqual(Array.from(y), [9, 6, 6, 4], label);
  }
});
