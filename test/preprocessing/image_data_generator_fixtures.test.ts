import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';
import { assertAllClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { affineMatrix, IDENTITY } from '../../src/preprocessing/affine_matrix';
import { affineTransformBatch, fillModeCode, FLIP_VERTICAL, type FillMode } from '../../src/preprocessing/affine_transform';
import { mapCoordinate } from '../../src/backend/js/resample';
import { applyBrightness, applyChannelShift } from '../../src/preprocessing/pixel_adjust';
import { ImageDataGenerator } from '../../src/preprocessing/image_data_generator';
import type { TransformParams } from '../../src/preprocessing/transform_params';

/** Keras 3's arithmetic over scipy, from test/fixtures/make_augment_fixtures.py. */

interface AffineCase {
  name: string;
  image: string;
  params?: TransformParams;
  fillMode: FillMode;
  cval: number;
  matrix: number[];
  expected: FixtureArray;
}
interface Fixture {
  images: Record<string, FixtureArray>;
  affine: AffineCase[];
  kernel: AffineCase[];
  channelShift: { image: string; intensity: number; expected: FixtureArray }[];
  brightness: { name: string; x: FixtureArray; brightness: number; expected: FixtureArray }[];
  pipeline: { image: string; params: TransformParams; fillMode: FillMode; cval: number; expected: FixtureArray }[];
  featurewise: { x: FixtureArray; rescale: number; mean: FixtureArray; std: FixtureArray; featurewise_2: FixtureArray; samplewise_3: FixtureArray };
  kerasPreprocessing: {
    version: string;
    agree: { image: string; params: TransformParams; fillMode: FillMode; cval: number; expected: FixtureArray }[];
    differ: { image: string; params: TransformParams; fillMode: FillMode; cval: number; keras_preprocessing: FixtureArray }[];
  } | null;
}

const fx = loadFixture<Fixture>('augment');

/** Every test below runs on every backend: the resampling is the backend's resampleImages kernel. */
function test(name: string, fn: () => void): void {
  for (const kind of kernelBackends()) nodeTest(`${name} [${backendLabel(kind)}]`, () => onBackend(kind, fn));
}
const TOL = { rtol: 0, atol: 1e-4 };

function image(name: string): { data: Float32Array; shape: [number, number, number] } {
  const a = fx.images[name];
  return { data: Float32Array.from(a.data), shape: a.shape as [number, number, number] };
}

function runKernel(c: AffineCase): Float32Array {
  const { data, shape } = image(c.image);
  const out = new Float32Array(data.length);
  affineTransformBatch(data, out, 1, shape[0], shape[1], shape[2], Float64Array.from(c.matrix), null, fillModeCode(c.fillMode), c.cval);
  return out;
}

test('fixtures cover every fill mode, both images and the keras_preprocessing cross-check', () => {
  const modes = new Set(fx.affine.map((c) => c.fillMode));
  assert.deepEqual([...modes].sort(), ['constant', 'nearest', 'reflect', 'wrap']);
  assert.deepEqual(fx.images.a.shape, [7, 9, 2]);
  assert.deepEqual(fx.images.b.shape, [8, 8, 3]);
  assert.ok(fx.kerasPreprocessing, 'regenerate augment.json with python3-keras-preprocessing installed');
});

test("affineMatrix reproduces Keras 3's matrix (centre h/2 - 0.5, x/y swapped)", () => {
  for (const c of fx.affine) {
    const { shape } = image(c.image);
    const m = affineMatrix(c.params!, shape[0], shape[1]);
    assert.ok(m, c.name);
    assertAllClose(m, c.matrix, `${c.name}: matrix`, { rtol: 0, atol: 1e-12 });
  }
  assert.equal(affineMatrix({}, 8, 8), null);
  assert.equal(affineMatrix({ theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1 }, 8, 8), null);
});

test('the kernel matches scipy.ndimage.affine_transform (order 1) for arbitrary matrices in every mode', () => {
  for (const c of [...fx.kernel, ...fx.affine]) assertAllClose(runKernel(c), c.expected.data, c.name, TOL);
});

/**
 * Pixels whose source coordinate (from scipy's matrix) lies within 1e-9 of a seam where the
 * constant or wrap mode jumps (an integer multiple of n - 1). There the result depends on the
 * last bit of the coordinate, i.e. on whether Math.cos and NumPy's cos round alike; everywhere
 * else the interpolation is continuous and must agree within the tolerance.
 */
function onSeam(c: AffineCase, h: number, w: number, r: number, col: number): boolean {
  if (c.fillMode !== 'constant' && c.fillMode !== 'wrap') return false;
  const m = c.matrix;
  const near = (v: number, n: number): boolean => Math.abs(v / (n - 1) - Math.round(v / (n - 1))) * (n - 1) < 1e-9;
  return near(r * m[0] + col * m[1] + m[2], h) || near(r * m[3] + col * m[4] + m[5], w);
}

test('applyTransform matches Keras 3 for rotations, shifts, shears, zooms and combinations in every fill mode', () => {
  let seamMisses = 0;
  let total = 0;
  for (const c of fx.affine) {
    const gen = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval });
    const out = gen.applyTransform(toTensor(fx.images[c.image]), c.params!);
    assert.deepEqual(out.shape, fx.images[c.image].shape);
    const [h, w, ch] = out.shape;
    for (let i = 0; i < out.size; i++) {
      total++;
      if (Math.abs(out.values[i] - c.expected.data[i]) <= TOL.atol) continue;
      const px = Math.floor(i / ch);
      assert.ok(
        onSeam(c, h, w, Math.floor(px / w), px % w),
        `${c.name}: [${i}] = ${out.values[i]}, expected ${c.expected.data[i]}, away from any seam of the fill mode`,
      );
      seamMisses++;
    }
  }
  assert.ok(seamMisses < total * 0.002, `${seamMisses} of ${total} values differ on a seam; the rounding there should rarely matter`);
});

test('applyTransform: the whole pipeline (affine, channel shift, flips, brightness) matches Keras 3', () => {
  for (const c of fx.pipeline) {
    const gen = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval });
    const out = gen.applyTransform(toTensor(fx.images[c.image]), c.params);
    assertAllClose(out.values, c.expected.data, JSON.stringify(c.params), TOL);
  }
});

test('flips alone are exact', () => {
  const { data, shape } = image('a');
  const [h, w, ch] = shape;
  const gen = new ImageDataGenerator();
  const x = toTensor(fx.images.a);
  const hf = gen.applyTransform(x, { flipHorizontal: true }).values;
  const vf = gen.applyTransform(x, { flipVertical: true }).values;
  const both = gen.applyTransform(x, { flipHorizontal: true, flipVertical: true }).values;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      for (let k = 0; k < ch; k++) {
        const v = data[(r * w + c) * ch + k];
        assert.equal(hf[(r * w + (w - 1 - c)) * ch + k], v);
        assert.equal(vf[((h - 1 - r) * w + c) * ch + k], v);
        assert.equal(both[((h - 1 - r) * w + (w - 1 - c)) * ch + k], v);
      }
    }
  }
  assert.deepEqual(Array.from(gen.applyTransform(x, {}).values), Array.from(data), 'no transform leaves the image as it is');
});

test('channel shift and brightness match Keras (brightness through an 8-bit PIL image)', () => {
  for (const c of fx.channelShift) {
    const { data } = image(c.image);
    applyChannelShift(data, 0, data.length, c.intensity);
    assertAllClose(data, c.expected.data, `channel shift ${c.intensity}`, TOL);
  }
  for (const c of fx.brightness) {
    const data = Float32Array.from(c.x.data);
    applyBrightness(data, 0, data.length, c.x.shape[2], c.brightness);
    assertAllClose(data, c.expected.data, c.name, TOL);
  }
  assert.throws(() => applyBrightness(new Float32Array(8), 0, 8, 2, 1.2), /1, 3 or 4 channels.*got 2/);
});

test('scipy boundary mapping: reflect is half-sample with period 2n, wrap has period n - 1', () => {
  assert.equal(mapCoordinate(-0.25, 5, 'reflect'), -0.75);
  assert.equal(mapCoordinate(-1.25, 5, 'reflect'), 0.25);
  assert.equal(mapCoordinate(5.25, 5, 'reflect'), 3.75);
  assert.equal(mapCoordinate(10.5, 5, 'reflect'), 0.5);
  assert.equal(mapCoordinate(-0.5, 5, 'wrap'), 3.5);
  assert.equal(mapCoordinate(4.5, 5, 'wrap'), 0.5);
  assert.equal(mapCoordinate(-3, 1, 'wrap'), 0);
});

test('fit computes per-channel mean and std over (N, H, W) after rescale, and standardize applies them', () => {
  const f = fx.featurewise;
  const x = toTensor(f.x);
  const gen = new ImageDataGenerator({ featurewiseCenter: true, featurewiseStdNormalization: true, rescale: f.rescale });
  gen.fit(x);
  assertAllClose(gen.mean!, f.mean.data, 'mean', { rtol: 1e-6, atol: 1e-7 });
  assertAllClose(gen.std!, f.std.data, 'std', { rtol: 1e-6, atol: 1e-7 });
  const img = toTensor({ shape: f.x.shape.slice(1), data: f.x.data.slice(2 * 60, 3 * 60) });
  assertAllClose(gen.standardize(img).values, f.featurewise_2.data, 'featurewise standardize', TOL);

  const sw = new ImageDataGenerator({ samplewiseCenter: true, samplewiseStdNormalization: true, rescale: f.rescale });
  const img3 = toTensor({ shape: f.x.shape.slice(1), data: f.x.data.slice(3 * 60, 4 * 60) });
  assertAllClose(sw.standardize(img3).values, f.samplewise_3.data, 'samplewise standardize', TOL);
  assert.notDeepEqual(Array.from(sw.standardize(img3).values), Array.from(img3.values));
});

test('keras_preprocessing 1.1.0 agrees where the versions agree (flips, shifts with tx = ty, channel shift)', () => {
  const kp = fx.kerasPreprocessing!;
  assert.ok(kp.agree.length >= 6);
  for (const c of kp.agree) {
    const gen = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval });
    assertAllClose(gen.applyTransform(toTensor(fx.images[c.image]), c.params).values, c.expected.data, `kp ${JSON.stringify(c.params)}`, TOL);
  }
});

test('where keras_preprocessing 1.1.0 differs (rotation, tx != ty, zoom, shear), the generator follows Keras 3', () => {
  for (const c of fx.kerasPreprocessing!.differ) {
    const gen = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval });
    const out = gen.applyTransform(toTensor(fx.images[c.image]), c.params).values;
    let worst = 0;
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - c.keras_preprocessing.data[i]));
    assert.ok(worst > 0.1, `${JSON.stringify(c.params)} should differ from keras_preprocessing (max diff ${worst})`);
  }
});

test('batched kernel: each image its own matrix and flip; an identity matrix copies (here flipped) exactly', () => {
  const a = image('b');
  const [h, w, ch] = a.shape;
  const size = h * w * ch;
  const c0 = fx.affine.find((c) => c.image === 'b' && c.fillMode === 'reflect')!;
  const c1 = fx.affine.find((c) => c.image === 'b' && c.fillMode === 'wrap' && c.name.startsWith('combination'))!;
  const src = new Float32Array(3 * size);
  for (let i = 0; i < 3; i++) src.set(a.data, i * size);
  const dst = new Float32Array(3 * size);
  const mats = Float64Array.from([...c0.matrix, ...IDENTITY, ...c1.matrix]);
  // the wrap-mode matrix under reflect gives a different image, so use the modes one at a time
  affineTransformBatch(src, dst, 3, h, w, ch, mats, Uint8Array.of(0, FLIP_VERTICAL, 0), fillModeCode('reflect'), 0);
  assertAllClose(dst.subarray(0, size), c0.expected.data, 'image 0', TOL);
  const rowLen = w * ch;
  for (let r = 0; r < h; r++) {
    assert.deepEqual(Array.from(dst.subarray(size + (h - 1 - r) * rowLen, size + (h - r) * rowLen)), Array.from(a.data.subarray(r * rowLen, (r + 1) * rowLen)));
  }
  const dst2 = new Float32Array(3 * size);
  affineTransformBatch(src, dst2, 3, h, w, ch, mats, null, fillModeCode('wrap'), 0);
  assertAllClose(dst2.subarray(2 * size), c1.expected.data, 'image 2', TOL);
});
