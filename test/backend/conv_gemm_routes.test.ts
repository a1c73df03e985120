// Convolutions that the wasm backend routes through other kernels, against the JS reference on
// every wasm build and identical over 1 and 2 threads: 1x1 stride-1 convolutions run as matMuls
// (forward, input gradient; the filter gradient from 1024 input channels), and the stride-1
// input gradient of small maps (a 3x3 output of a 5x5 input) takes the col2im form.
import { test } from 'node:test';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { type ConvSpec, convInfo, describe, js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

const specs: ConvSpec[] = [
  { batch: 4, inH: 16, inW: 16, inC: 96, outC: 128, kH: 1, kW: 1, padding: 'valid' }, // 12.6M madds: 2 threads
  { batch: 2, inH: 3, inW: 3, inC: 1024, outC: 20, kH: 1, kW: 1, padding: 'same' },
  { batch: 1, inH: 5, inW: 4, inC: 1030, outC: 9, kH: 1, kW: 1, padding: 'valid' },
  { batch: 8, inH: 5, inW: 5, inC: 16, outC: 24, kH: 3, kW: 3, padding: 'valid' },
  { batch: 30, inH: 5, inW: 5, inC: 64, outC: 64, kH: 3, kW: 3, padding: 'valid' },
  { batch: 3, inH: 4, inW: 6, inC: 9, outC: 8, kH: 3, kW: 3, dilation: [1, 2], padding: 'valid' },
];

for (const spec of specs) {
  test(`conv2d routes ${describe(spec)}`, () => {
    const c = convInfo(spec);
    const x = rand(c.batch * c.inH * c.inW * c.inC);
    const w = rand(c.kH * c.kW * c.inC * c.outC);
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
      const dw = be.alloc(w.length).fill(7);
      be.conv2d(on(be, x), on(be, w), y, c);
      be.conv2dBackpropInput(on(be, dy), on(be, w), dx, c);
      be.conv2dBackpropFilter(on(be, x), on(be, dy), dw, c);
      assertClose(y, y0, `${label} conv2d`);
      assertClose(dx, dx0, `${label} conv2dBackpropInput`);
      assertClose(dw, dw0, `${label} conv2dBackpropFilter`);
      results.push([y, dx, dw]);
      // plain arrays are copied in and out
      const px = new Float32Array(x.length).fill(7);
      be.conv2dBackpropInput(dy, w, px, c);
      assertClose(px, dx0, `${label} conv2dBackpropInput plain arrays`);
    }
    if (wasm1 && wasm2) {
      for (let i = 0; i < 3; i++) assertIdentical(results[0][i], results[1][i], `conv kernel ${i}, 2 threads vs 1`);
    }
  });
}
