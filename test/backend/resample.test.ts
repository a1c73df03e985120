// resampleImages: a few values worked out by hand on the reference (where the two families part),
// then every wasm build and thread count bit for bit against the reference, over both families,
// every fill mode, rotated and axis-aligned matrices, flips, size changes and channel counts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Backend, ResampleInfo } from '../../src/backend/backend';
import { assertIdentical } from '../helpers/assert';
import { Rng } from '../../src/util/rng';
import { allBackends, describe, js, on, rand, wasmBackends } from './helpers';

const FILLS: ResampleInfo['fillMode'][] = ['nearest', 'constant', 'reflect', 'wrap'];

function info(batch: number, inH: number, inW: number, channels: number, rest: Partial<ResampleInfo> = {}): ResampleInfo {
  return {
    batch, inH, inW, channels, outH: inH, outW: inW, family: 'ndimage', interpolation: 'bilinear', fillMode: 'constant', fillValue: 0, ...rest,
  };
}

/** One row (1, 1, 4, 1) = [10, 20, 30, 40] shifted by `shift` columns. */
function shiftRow(be: Backend, shift: number, rest: Partial<ResampleInfo>): number[] {
  const y = new Float32Array(4);
  be.resampleImages(Float32Array.of(10, 20, 30, 40), Float64Array.of(1, 0, 0, 0, 1, shift), null, y, info(1, 1, 4, 1, rest));
  return Array.from(y);
}

test('reference: the two families disagree where scipy and Keras do', () => {
  // scipy constant: a coordinate in (-1, 0) is already cval; Keras interpolates against the fill
  assert.deepEqual(shiftRow(js, -0.5, { fillMode: 'constant', fillValue: 100 }), [100, 15, 25, 35]);
  assert.deepEqual(shiftRow(js, -0.5, { family: 'keras', fillMode: 'constant', fillValue: 100 }), [55, 15, 25, 35]);
  // reflect: scipy maps -0.5 to -0.5 -> interpolates the edge against itself; Keras the same here
  assert.deepEqual(shiftRow(js, -0.5, { fillMode: 'reflect' }), [10, 15, 25, 35]);
  assert.deepEqual(shiftRow(js, -1.5, { family: 'keras', fillMode: 'reflect' }), [15, 10, 15, 25]);
  // wrap: scipy's period is n - 1 (the ends overlap), Keras's n
  assert.deepEqual(shiftRow(js, -1, { fillMode: 'wrap' }), [30, 10, 20, 30]);
  assert.deepEqual(shiftRow(js, -1, { family: 'keras', fillMode: 'wrap' }), [40, 10, 20, 30]);
  assert.deepEqual(shiftRow(js, 2, { family: 'keras', fillMode: 'nearest' }), [30, 40, 40, 40]);
  // Keras nearest interpolation: floor(x + 0.5)
  assert.deepEqual(shiftRow(js, 0.5, { family: 'keras', interpolation: 'nearest', fillMode: 'constant', fillValue: -1 }), [20, 30, 40, -1]);
});

test('reference: identity copies exactly, flips mirror after resampling, a size change reads the input grid', () => {
  const x = Float32Array.of(1, 2, 3, 4, 5, 6); // (1, 2, 3, 1)
  const id = Float64Array.of(1, 0, 0, 0, 1, 0);
  const y = new Float32Array(6);
  js.resampleImages(x, id, Uint8Array.of(1), y, info(1, 2, 3, 1));
  assert.deepEqual(Array.from(y), [3, 2, 1, 6, 5, 4]);
  js.resampleImages(x, id, Uint8Array.of(3), y, info(1, 2, 3, 1));
  assert.deepEqual(Array.from(y), [6, 5, 4, 3, 2, 1]);
  // a 1x2 crop at row 1, column 1, then mirrored
  const crop = new Float32Array(2);
  js.resampleImages(x, Float64Array.of(1, 0, 1, 0, 1, 1), Uint8Array.of(1), crop, { ...info(1, 2, 3, 1), outH: 1, outW: 2, family: 'keras' });
  assert.deepEqual(Array.from(crop), [6, 5]);
});

function randomMatrix(rng: Rng, h: number, w: number, axisAligned: boolean): number[] {
  const t = axisAligned ? 0 : (rng.uniform() - 0.5) * 2;
  const zy = 0.7 + 0.6 * rng.uniform(), zx = 0.7 + 0.6 * rng.uniform();
  const c = Math.cos(t), s = Math.sin(t);
  const cy = (h - 1) / 2, cx = (w - 1) / 2;
  const dy = (rng.uniform() - 0.5) * h, dx = (rng.uniform() - 0.5) * w;
  const m = [c * zy, -s * zx, 0, s * zy, c * zx, 0];
  m[2] = cy + dy - m[0] * cy - m[1] * cx;
  m[5] = cx + dx - m[3] * cy - m[4] * cx;
  return m;
}

interface Case { batch: number; inH: number; inW: number; channels: number; outH: number; outW: number }
const cases: Case[] = [
  { batch: 3, inH: 7, inW: 9, channels: 2, outH: 7, outW: 9 },
  { batch: 5, inH: 8, inW: 8, channels: 3, outH: 8, outW: 8 },
  { batch: 2, inH: 6, inW: 5, channels: 1, outH: 9, outW: 4 },
  { batch: 2, inH: 5, inW: 6, channels: 5, outH: 3, outW: 8 },
  { batch: 2, inH: 1, inW: 4, channels: 4, outH: 2, outW: 4 },
  { batch: 40, inH: 32, inW: 32, channels: 3, outH: 32, outW: 32 }, // two threads' worth
];

const rng = new Rng(77);
for (const c of cases) {
  const x = rand(c.batch * c.inH * c.inW * c.channels, 0, 255);
  const mats: number[] = [];
  for (let b = 0; b < c.batch; b++) {
    // every third image axis-aligned (the tap tables), every fifth the identity
    mats.push(...(b % 5 === 4 && c.inH === c.outH && c.inW === c.outW ? [1, 0, 0, 0, 1, 0] : randomMatrix(rng, c.inH, c.inW, b % 3 === 0)));
  }
  const matrices = Float64Array.from(mats);
  const flips = Uint8Array.from({ length: c.batch }, (_, b) => b % 4);
  const variants: Partial<ResampleInfo>[] = [
    ...FILLS.map((fillMode) => ({ family: 'ndimage' as const, fillMode, fillValue: 7.25 })),
    ...FILLS.flatMap((fillMode) => (['bilinear', 'nearest'] as const).map((interpolation) => ({ family: 'keras' as const, fillMode, interpolation, fillValue: 0.1 }))),
  ];
  test(`resampleImages on every backend is the reference bit for bit: ${describe(c)}`, () => {
    for (const v of variants) {
      const inf = { ...info(c.batch, c.inH, c.inW, c.channels), outH: c.outH, outW: c.outW, ...v };
      const expected = new Float32Array(c.batch * c.outH * c.outW * c.channels);
      const flipFlags = c.batch % 2 ? flips : null; // with and without flags
      js.resampleImages(x, matrices, flipFlags, expected, inf);
      for (const [label, be] of allBackends) {
        for (const [where, own] of [['own memory', true], ['plain arrays', false]] as const) {
          const y = own ? be.alloc(expected.length) : new Float32Array(expected.length);
          be.resampleImages(own ? on(be, x) : x, matrices, flipFlags, y, inf);
          assertIdentical(y, expected, `${label}, ${where}, ${JSON.stringify(v)}`);
          if (own) be.free(y);
        }
      }
    }
  });
}

test('wasm resampleImages leaves the rest of the output buffer and the arena as they were', () => {
  for (const [label, be] of wasmBackends) {
    const before = be.liveBytes();
    const x = rand(2 * 4 * 4 * 3);
    const y = new Float32Array(2 * 4 * 4 * 3 + 5).fill(-9);
    be.resampleImages(x, Float64Array.of(1, 0, 0.5, 0, 1, 0.5, 0, 1, 0, 1, 0, 0), null, y.subarray(0, 96), info(2, 4, 4, 3));
    assert.deepEqual(Array.from(y.subarray(96)), [-9, -9, -9, -9, -9], label);
    assert.equal(be.liveBytes(), before, `${label}: temporaries freed`);
  }
});
