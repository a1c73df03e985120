// Convolution spec: conv2d and both gradients on every wasm build against the JS reference.
import { test } from 'node:test';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { type ConvSpec, convInfo, describe, js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

const specs: ConvSpec[] = [
  { batch: 2, inH: 7, inW: 7, inC: 3, outC: 4, kH: 3, kW: 3, padding: 'valid' },
  { batch: 3, inH: 8, inW: 9, inC: 5, outC: 7, kH: 3, kW: 3, padding: 'same' },
  { batch: 2, inH: 9, inW: 9, inC: 4, outC: 6, kH: 3, kW: 3, stride: [2, 2], padding: 'same' },
  { batch: 2, inH: 10, inW: 9, inC: 4, outC: 6, kH: 3, kW: 3, stride: [2, 2], padding: 'valid' },
  { batch: 2, inH: 10, inW: 8, inC: 3, outC: 5, kH: 3, kW: 3, dilation: [2, 2], padding: 'same' },
  { batch: 2, inH: 11, inW: 10, inC: 3, outC: 9, kH: 3, kW: 2, dilation: [2, 3], padding: 'valid' },
  { batch: 2, inH: 6, inW: 6, inC: 8, outC: 16, kH: 1, kW: 1, padding: 'valid' },
  { batch: 2, inH: 7, inW: 7, inC: 8, outC: 10, kH: 1, kW: 1, stride: [2, 2], padding: 'valid' },
  { batch: 2, inH: 12, inW: 9, inC: 3, outC: 8, kH: 5, kW: 3, stride: [2, 1], padding: 'valid' },
  { batch: 2, inH: 9, inW: 12, inC: 2, outC: 8, kH: 4, kW: 2, stride: [1, 2], padding: 'same' },
  { batch: 2, inH: 10, inW: 10, inC: 3, outC: 4, kH: 2, kW: 2, stride: [3, 3], padding: 'valid' },
  { batch: 4, inH: 12, inW: 12, inC: 1, outC: 32, kH: 3, kW: 3, padding: 'valid' },
  // few input channels (conv_thin.ts filter gradient): padding copied in, taps in pairs and a single one left
  { batch: 3, inH: 9, inW: 10, inC: 3, outC: 16, kH: 3, kW: 3, padding: 'same' },
  { batch: 2, inH: 12, inW: 11, inC: 1, outC: 32, kH: 5, kW: 5, padding: 'valid' },
  { batch: 2, inH: 7, inW: 8, inC: 2, outC: 48, kH: 3, kW: 4, padding: 'same' },
  { batch: 2, inH: 6, inW: 9, inC: 4, outC: 16, kH: 2, kW: 3, padding: 'valid' },
  // ... output channels past a multiple of 16, four at a time over four taps: LeNet's first layer (20),
  // 12 (no group of 16), 36 over 27 taps (3 left for the last group of four)
  { batch: 3, inH: 12, inW: 10, inC: 1, outC: 20, kH: 5, kW: 5, padding: 'same' },
  { batch: 2, inH: 9, inW: 8, inC: 2, outC: 12, kH: 3, kW: 3, padding: 'valid' },
  { batch: 2, inH: 8, inW: 9, inC: 3, outC: 36, kH: 3, kW: 3, padding: 'same' },
  // the one-channel forward kernel (5x5 and more taps) over rows split between two threads
  { batch: 16, inH: 20, inW: 19, inC: 1, outC: 20, kH: 5, kW: 5, padding: 'same' },
  { batch: 3, inH: 9, inW: 11, inC: 7, outC: 13, kH: 3, kW: 3, padding: 'same' },
  { batch: 8, inH: 16, inW: 16, inC: 16, outC: 32, kH: 3, kW: 3, padding: 'same' },
  { batch: 6, inH: 14, inW: 14, inC: 32, outC: 64, kH: 3, kW: 3, padding: 'valid' },
  { batch: 4, inH: 13, inW: 13, inC: 24, outC: 20, kH: 3, kW: 3, stride: [2, 2], padding: 'same' },
  { batch: 2, inH: 6, inW: 6, inC: 4, outC: 8, kH: 3, kW: 3, padding: 'same', depthwise: true },
  // Winograd F(4x4, 3x3) (outputs of 8x8 and more, tile 4): odd output sizes, partial 4x4 tiles, K not a
  // multiple of 8, several chunks of tiles
  { batch: 3, inH: 11, inW: 9, inC: 12, outC: 20, kH: 3, kW: 3, padding: 'same' },
  { batch: 2, inH: 10, inW: 13, inC: 8, outC: 16, kH: 3, kW: 3, padding: 'valid' },
  { batch: 5, inH: 13, inW: 13, inC: 32, outC: 64, kH: 3, kW: 3, padding: 'valid' },
  // Winograd F(2x2, 3x3): outputs under 8 rows; more than 128 channels
  { batch: 3, inH: 8, inW: 14, inC: 8, outC: 12, kH: 3, kW: 3, padding: 'valid' },
  { batch: 2, inH: 8, inW: 8, inC: 132, outC: 16, kH: 3, kW: 3, padding: 'same' },
  // Winograd F(3x3, 2x2) filter gradient (outputs of at least 256 pixels), split over threads
  { batch: 4, inH: 18, inW: 18, inC: 16, outC: 32, kH: 3, kW: 3, padding: 'same' },
  { batch: 6, inH: 19, inW: 19, inC: 12, outC: 20, kH: 3, kW: 3, padding: 'valid' },
  // ... and at even outputs of 144 pixels or more (12x12); 4x4 filter tiles at 12x14
  { batch: 3, inH: 12, inW: 14, inC: 16, outC: 24, kH: 3, kW: 3, padding: 'same' },
  // 256 channels: chunk sizes whose strides are all multiples of 4 KiB (the chunk search gives up)
  { batch: 1, inH: 16, inW: 16, inC: 256, outC: 256, kH: 3, kW: 3, padding: 'same' },
  // Winograd F(2x2, 5x5) and F(5x5, 2x2) (winograd5.ts): LeNet's second layer (50 channels: K not a
  // multiple of 4, and C not one in the input gradient), several chunks of tiles; odd outputs (partial
  // 2x2 tiles) with 1 and 3 channels past a multiple of 4; 'valid' (the input gradient padded by 4)
  { batch: 3, inH: 14, inW: 14, inC: 20, outC: 50, kH: 5, kW: 5, padding: 'same' },
  { batch: 2, inH: 11, inW: 9, inC: 9, outC: 13, kH: 5, kW: 5, padding: 'valid' },
  { batch: 2, inH: 9, inW: 12, inC: 8, outC: 11, kH: 5, kW: 5, padding: 'same' },
  { batch: 5, inH: 13, inW: 9, inC: 18, outC: 16, kH: 5, kW: 5, padding: 'same' },
  // the direct kernels under Winograd's 64 outputs, and 1x7 / 7x1: the input gradient as a forward
  // convolution with the kernel flipped and packed in wasm (pack_flipped), input channels not a
  // multiple of 8; kernels over 256 KiB packed (K*N*4), run over the rows in groups of panels
  { batch: 2, inH: 7, inW: 7, inC: 20, outC: 12, kH: 3, kW: 3, padding: 'same' },
  { batch: 2, inH: 9, inW: 10, inC: 12, outC: 10, kH: 1, kW: 7, padding: 'same' },
  { batch: 2, inH: 10, inW: 9, inC: 9, outC: 16, kH: 7, kW: 1, padding: 'same' },
  { batch: 2, inH: 7, inW: 7, inC: 128, outC: 68, kH: 3, kW: 3, padding: 'same' },
  { batch: 3, inH: 5, inW: 5, inC: 300, outC: 264, kH: 1, kW: 1, stride: [2, 2], padding: 'valid' },
  // ... and the filter gradient's dy chunk (256 pixels x 264 channels) and the strided input gradient's W^T
  // (288 x 256) over 256 KiB, each in two groups of panels
  { batch: 4, inH: 16, inW: 16, inC: 8, outC: 264, kH: 1, kW: 1, stride: [2, 2], padding: 'valid' },
  { batch: 2, inH: 9, inW: 9, inC: 32, outC: 256, kH: 3, kW: 3, stride: [2, 2], padding: 'same' },
];

// each spec with Winograd's 2x2 tiles forced and with the default 4x4 tiles where they apply (winograd.ts)
for (const [spec, tile] of specs.flatMap((s) => [[s, '2'], [s, '4']] as [ConvSpec, string][])) {
  test(`conv2d ${describe(spec)} winograd tile ${tile}`, () => {
    process.env.TATAMI_WINOGRAD_TILE = tile;
    try {
      check(spec);
    } finally {
      delete process.env.TATAMI_WINOGRAD_TILE;
    }
  });
}

function check(spec: ConvSpec): void {
  {
    const c = convInfo(spec);
    const wSize = c.kH * c.kW * c.inC * (c.depthwise ? c.outC / c.inC : c.outC);
    const x = rand(c.batch * c.inH * c.inW * c.inC);
    const w = rand(wSize);
    const dy = rand(c.batch * c.outH * c.outW * c.outC);
    const y0 = new Float32Array(dy.length);
    const dx0 = new Float32Array(x.length);
    const dw0 = new Float32Array(w.length);
    js.conv2d(x, w, y0, c);
    js.conv2dBackpropInput(dy, w, dx0, c);
    js.conv2dBackpropFilter(x, dy, dw0, c);
    const results: Float32Array[][] = [];
    for (const [label, be] of wasmBackends) {
      const y = be.alloc(dy.length);
      const dx = be.alloc(x.length);
      const dw = be.alloc(w.length);
      // outputs start dirty: kernels must overwrite them
      y.fill(7);
      dx.fill(7);
      dw.fill(7);
      be.conv2d(on(be, x), on(be, w), y, c);
      be.conv2dBackpropInput(on(be, dy), on(be, w), dx, c);
      be.conv2dBackpropFilter(on(be, x), on(be, dy), dw, c);
      assertClose(y, y0, `${label} conv2d`);
      assertClose(dx, dx0, `${label} conv2dBackpropInput`);
      assertClose(dw, dw0, `${label} conv2dBackpropFilter`);
      results.push([y, dx, dw]);
      const py = new Float32Array(dy.length);
      const pdw = new Float32Array(w.length);
      be.conv2d(x, w, py, c);
      be.conv2dBackpropFilter(x, dy, pdw, c);
      assertClose(py, y0, `${label} conv2d plain arrays`);
      assertClose(pdw, dw0, `${label} conv2dBackpropFilter plain arrays`);
    }
    if (wasm1 && wasm2) {
      for (let i = 0; i < 3; i++) assertIdentical(results[0][i], results[1][i], `conv kernel ${i}`);
    }
  }
}

// Outputs whose receptive field is all zero (a blank border, relu's zeros, padding) are exact
// zeros, as the direct kernel gives them: F(4x4, 3x3)'s and F(2x2, 5x5)'s transforms would leave
// ±1e-8 residues there, and relu's mask and max pooling's ties would pass gradient through the
// positive ones. 5x5: 50 output channels (a tail of 2) and 18 input channels (a tail of 2).
for (const [tile, k, inC, outC] of [['2', 3, 32, 64], ['4', 3, 32, 64], ['-', 5, 18, 50]] as [string, number, number, number][]) {
  test(`conv2d ${k}x${k} winograd tile ${tile}: outputs that see only zeros are exact zeros`, () => {
    const c = convInfo({ batch: 2, inH: 20, inW: 18, inC, outC, kH: k, kW: k, padding: 'same' });
    const x = rand(c.batch * c.inH * c.inW * c.inC);
    // zero everything but a 7x6 block per image and scattered channels, as relu leaves them
    for (let n = 0; n < c.batch; n++) {
      for (let h = 0; h < c.inH; h++) {
        for (let w = 0; w < c.inW; w++) {
          const inside = h >= 5 + n && h < 12 + n && w >= 4 && w < 10;
          for (let ch = 0; ch < c.inC; ch++) {
            const i = ((n * c.inH + h) * c.inW + w) * c.inC + ch;
            if (!inside || x[i] < 0) x[i] = ch % 2 === 0 && !inside ? -0 : 0;
          }
        }
      }
    }
    const w = rand(k * k * c.inC * c.outC);
    const y0 = new Float32Array(c.batch * c.outH * c.outW * c.outC);
    js.conv2d(x, w, y0, c);
    let zeros = 0;
    for (const v of y0) if (v === 0) zeros++;
    if (zeros < y0.length / 3) throw new Error(`the test input leaves only ${zeros} zero outputs`);
    if (tile !== '-') process.env.TATAMI_WINOGRAD_TILE = tile;
    try {
      for (const [label, be] of wasmBackends) {
        const y = be.alloc(y0.length);
        be.conv2d(on(be, x), on(be, w), y, c);
        for (let i = 0; i < y0.length; i++) {
          if (y0[i] === 0 && y[i] !== 0) throw new Error(`${label}: output ${i} is ${y[i]} where every input it sees is zero`);
        }
        assertClose(y, y0, `${label} conv2d`);
      }
    } finally {
      delete process.env.TATAMI_WINOGRAD_TILE;
    }
  });
}

// The epilogue (bias, relu or both) as the output is written: on Winograd's 2x2 and 4x4 tiles, where
// blind outputs become relu(bias), in the lowering's chunks, and after the other kernels; against the
// reference's passes.
for (const [spec, tile] of [
  [{ batch: 2, inH: 14, inW: 13, inC: 16, outC: 32, kH: 3, kW: 3, padding: 'same' }, '4'],
  [{ batch: 2, inH: 14, inW: 13, inC: 16, outC: 32, kH: 3, kW: 3, padding: 'same' }, '2'],
  [{ batch: 2, inH: 9, inW: 8, inC: 3, outC: 8, kH: 3, kW: 3, padding: 'valid' }, '4'],
  // F(2x2, 5x5), whose blind outputs also become relu(bias); 50 channels: the bias read in a tail
  [{ batch: 2, inH: 14, inW: 13, inC: 20, outC: 50, kH: 5, kW: 5, padding: 'same' }, '-'],
  // the one-channel forward kernel (conv_thin.ts): 29 pixels a row (a partial block of 12)
  [{ batch: 2, inH: 11, inW: 29, inC: 1, outC: 20, kH: 5, kW: 5, padding: 'same' }, '-'],
  // the lowering, its epilogue on each chunk of rows: conv_fwd (6 channels: a tail of 2), conv_fwd_ind
  // (kernel rows of 24 floats read in place, stride 2, 10 channels); 1x1 as a GEMM, then one pass
  [{ batch: 3, inH: 7, inW: 7, inC: 3, outC: 6, kH: 3, kW: 3, padding: 'same' }, '-'],
  [{ batch: 2, inH: 9, inW: 9, inC: 8, outC: 10, kH: 3, kW: 3, stride: [2, 2], padding: 'same' }, '-'],
  [{ batch: 2, inH: 5, inW: 5, inC: 8, outC: 12, kH: 1, kW: 1, padding: 'valid' }, '-'],
] as [ConvSpec, string][]) {
  for (const epi of [{ bias: true, relu: true }, { bias: true, relu: false }, { bias: false, relu: true }]) {
    test(`conv2d ${describe(spec)} tile ${tile} with epilogue ${describe(epi)}`, () => {
      const c = convInfo(spec);
      const x = rand(c.batch * c.inH * c.inW * c.inC);
      // a blank band, so that 4x4 tiles have outputs that see only zeros
      for (let i = 0; i < x.length; i++) if (Math.floor(i / (c.inW * c.inC)) % c.inH < 6) x[i] = 0;
      const w = rand(c.kH * c.kW * c.inC * c.outC);
      const bias = epi.bias ? rand(c.outC) : null;
      const y0 = new Float32Array(c.batch * c.outH * c.outW * c.outC);
      js.conv2d(x, w, y0, c);
      if (bias) js.biasAdd(y0, bias, y0, c.outC, epi.relu);
      else js.unary('relu', y0, y0);
      if (tile !== '-') process.env.TATAMI_WINOGRAD_TILE = tile;
      try {
        for (const [label, be] of wasmBackends) {
          const y = be.alloc(y0.length);
          y.fill(7);
          be.conv2d(on(be, x), on(be, w), y, c, { bias: bias && on(be, bias), relu: epi.relu });
          assertClose(y, y0, `${label} conv2d with epilogue`);
          const yj = new Float32Array(y0.length);
          js.conv2d(x, w, yj, c, { bias, relu: epi.relu });
          assertIdentical(yj, y0, 'the reference backend with epilogue');
        }
      } finally {
        delete process.env.TATAMI_WINOGRAD_TILE;
      }
    });
  }
}

// The input gradient of a 'valid' 3x3 convolution whose dy needs fewer 4x4 tiles than dx: the
// transpose of F(4x4, 3x3) over dy's tiles (wino4_bwd, patches added into a dirty dx) and, with
// TATAMI_WINO_BWD=0, F(4x4, 3x3) over the padded dy; both against the reference, and not the same
// bits (two paths did run). Partial dy tiles (11 = 4 + 4 + 3) and odd batches split over threads.
for (const spec of [
  { batch: 3, inH: 18, inW: 18, inC: 16, outC: 32, kH: 3, kW: 3, padding: 'valid' },
  { batch: 5, inH: 13, inW: 14, inC: 16, outC: 24, kH: 3, kW: 3, padding: 'valid' },
] as ConvSpec[]) {
  test(`conv2dBackpropInput ${describe(spec)}: transposed F(4x4, 3x3) and F(4x4, 3x3) on the padded dy`, () => {
    const c = convInfo(spec);
    const dy = rand(c.batch * c.outH * c.outW * c.outC);
    const w = rand(9 * c.inC * c.outC);
    const dx0 = new Float32Array(c.batch * c.inH * c.inW * c.inC);
    js.conv2dBackpropInput(dy, w, dx0, c);
    for (const [label, be] of wasmBackends) {
      const got: Float32Array[] = [];
      for (const setting of ['1', '0']) {
        process.env.TATAMI_WINO_BWD = setting;
        try {
          const dx = be.alloc(dx0.length);
          dx.fill(7);
          be.conv2dBackpropInput(on(be, dy), on(be, w), dx, c);
          assertClose(dx, dx0, `${label} conv2dBackpropInput, TATAMI_WINO_BWD=${setting}`);
          got.push(dx);
        } finally {
          delete process.env.TATAMI_WINO_BWD;
        }
      }
      if (got[0].every((v, i) => Object.is(v, got[1][i]))) throw new Error(`${label}: both settings gave the same bits`);
    }
  });
}
