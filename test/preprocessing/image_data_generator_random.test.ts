import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { Rng, setSeed } from '../../src/util/rng';
import { ImageDataGenerator } from '../../src/preprocessing/image_data_generator';
import { drawTransform, type TransformParams } from '../../src/preprocessing/transform_params';

/** Random draws (documented ranges, checked statistically with fixed seeds) and the flow iterator. */

function stats(v: number[]): { mean: number; variance: number; min: number; max: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
}

/** Uniform on (lo, hi): inside the range, reaching both ends, mean and variance of a uniform. */
function assertUniform(v: number[], lo: number, hi: number, what: string): void {
  const s = stats(v);
  const width = hi - lo;
  const sd = width / Math.sqrt(12);
  assert.ok(s.min >= lo && s.max <= hi, `${what}: [${s.min}, ${s.max}] leaves [${lo}, ${hi}]`);
  assert.ok(s.min < lo + 0.01 * width && s.max > hi - 0.01 * width, `${what}: [${s.min}, ${s.max}] does not fill [${lo}, ${hi}]`);
  assert.ok(Math.abs(s.mean - (lo + hi) / 2) < (4 * sd) / Math.sqrt(v.length), `${what}: mean ${s.mean}`);
  assert.ok(Math.abs(s.variance / (sd * sd) - 1) < 0.08, `${what}: variance ${s.variance}, expected ${sd * sd}`);
}

const N = 4000;

function draws(gen: ImageDataGenerator, shape: number[], seed: number): TransformParams[] {
  setSeed(seed);
  return Array.from({ length: N }, () => gen.getRandomTransform(shape));
}

test('random draws follow the documented ranges', () => {
  const gen = new ImageDataGenerator({
    rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.2, shearRange: 10, zoomRange: 0.2,
    channelShiftRange: 15, brightnessRange: [0.5, 1.5], horizontalFlip: true,
  });
  const p = draws(gen, [32, 40, 3], 123);
  assertUniform(p.map((q) => q.theta!), -30, 30, 'theta');
  assertUniform(p.map((q) => q.tx!), -0.2 * 32, 0.2 * 32, 'tx (heightShiftRange × height)');
  assertUniform(p.map((q) => q.ty!), -0.1 * 40, 0.1 * 40, 'ty (widthShiftRange × width)');
  assertUniform(p.map((q) => q.shear!), -10, 10, 'shear');
  assertUniform(p.map((q) => q.zx!), 0.8, 1.2, 'zx');
  assertUniform(p.map((q) => q.zy!), 0.8, 1.2, 'zy');
  assertUniform(p.map((q) => q.channelShiftIntensity!), -15, 15, 'channel shift');
  assertUniform(p.map((q) => q.brightness!), 0.5, 1.5, 'brightness');
  const zx = p.map((q) => q.zx! - 1);
  const zy = p.map((q) => q.zy! - 1);
  const corr = zx.reduce((a, v, i) => a + v * zy[i], 0) / Math.sqrt(zx.reduce((a, v) => a + v * v, 0) * zy.reduce((a, v) => a + v * v, 0));
  assert.ok(Math.abs(corr) < 0.06, `zx and zy are drawn independently (correlation ${corr})`);
  const flips = p.filter((q) => q.flipHorizontal).length / N;
  assert.ok(Math.abs(flips - 0.5) < 0.032, `horizontal flip probability ${flips}`);
  assert.ok(p.every((q) => q.flipVertical === false));
});

test('a generator without ranges draws the identity', () => {
  const p = new ImageDataGenerator().getRandomTransform([8, 8, 3], 1);
  assert.deepEqual(p, { theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal: false, flipVertical: false, channelShiftIntensity: null, brightness: null });
  const zoom = new ImageDataGenerator({ zoomRange: [0.5, 0.9] }).getRandomTransform([8, 8, 1], 2);
  assert.ok(zoom.zx! >= 0.5 && zoom.zx! <= 0.9 && zoom.zy! >= 0.5 && zoom.zy! <= 0.9, 'a zoom pair is [lower, upper]');
});

test('shift ranges: integers are whole pixels, arrays are choices with a random sign, numbers >= 1 are pixels', () => {
  const count = (v: number[]): Map<number, number> => v.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>());
  const ints = draws(new ImageDataGenerator({ widthShiftRange: 3 }), [10, 20, 1], 4).map((q) => q.ty!);
  assert.deepEqual([...count(ints).keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  // 0 is drawn with either sign, so it comes up about twice as often as the others
  assert.ok(Math.abs(count(ints).get(0)! / N - 1 / 3) < 0.03, `P(0) = ${count(ints).get(0)! / N}`);
  const list = draws(new ImageDataGenerator({ heightShiftRange: [0.1, 0.25] }), [40, 20, 1], 5).map((q) => q.tx!);
  assert.deepEqual([...count(list).keys()].sort((a, b) => a - b), [-10, -4, 4, 10]);
  const px = draws(new ImageDataGenerator({ widthShiftRange: 2.5 }), [10, 20, 1], 6).map((q) => q.ty!);
  assertUniform(px, -2.5, 2.5, 'pixel range 2.5');
});

test('draws are repeatable under tt.setSeed and the seed argument', () => {
  const gen = new ImageDataGenerator({ rotationRange: 20, zoomRange: 0.1, horizontalFlip: true });
  setSeed(9);
  const a = [gen.getRandomTransform([8, 8, 3]), gen.getRandomTransform([8, 8, 3])];
  setSeed(9);
  const b = [gen.getRandomTransform([8, 8, 3]), gen.getRandomTransform([8, 8, 3])];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], a[1]);
  assert.deepEqual(gen.getRandomTransform([8, 8, 3], 77), gen.getRandomTransform([8, 8, 3], 77));
  const x = Tensor.fromArray(Float32Array.from({ length: 192 }, (_, i) => i), [8, 8, 3]);
  assert.deepEqual(gen.randomTransform(x, 77).values, gen.applyTransform(x, gen.getRandomTransform([8, 8, 3], 77)).values);
});

/** n images whose every value is the image's index, labels = index. */
function indexed(n: number, h = 4, w = 5, c = 3): [Tensor, Tensor] {
  const x = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) x.fill(i, i * h * w * c, (i + 1) * h * w * c);
  return [Tensor.fromArray(x, [n, h, w, c]), Tensor.fromArray(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32')];
}

test('flow: ceil(n / batchSize) batches an epoch, each image once, reshuffled every epoch', () => {
  const [x, y] = indexed(10);
  const it = new ImageDataGenerator().flow(x, y, { batchSize: 4, seed: 3 });
  assert.equal(it.length, 3);
  const epochs: number[][] = [];
  for (let e = 0; e < 3; e++) {
    const seen: number[] = [];
    for (const size of [4, 4, 2]) {
      const { value, done } = it.next();
      assert.equal(done, false);
      const [xb, yb] = value;
      assert.deepEqual(xb.shape, [size, 4, 5, 3]);
      assert.equal(xb.dtype, 'float32');
      assert.equal(yb.dtype, 'int32');
      for (let i = 0; i < size; i++) assert.equal(xb.values[i * 60], yb.values[i], 'x and y rows stay together');
      seen.push(...yb.values);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    epochs.push(seen);
  }
  assert.ok(epochs[0].join() !== epochs[1].join() || epochs[1].join() !== epochs[2].join(), 'the order changes between epochs');
  const ordered = new ImageDataGenerator().flow(x, y, { batchSize: 4, shuffle: false });
  assert.deepEqual([...ordered.next().value[1].values], [0, 1, 2, 3]);
  ordered.next();
  assert.deepEqual([...ordered.next().value[1].values], [8, 9]);
  assert.deepEqual([...ordered.next().value[1].values], [0, 1, 2, 3]);
});

test('flow is a JavaScript iterable, and getBatch/onEpochEnd work as a Keras Sequence', () => {
  const [x, y] = indexed(6);
  const it = new ImageDataGenerator().flow(x, y, { batchSize: 4, shuffle: false });
  let k = 0;
  for (const [xb] of it) {
    assert.equal(xb.shape[0], k % 2 === 0 ? 4 : 2);
    if (++k === 4) break;
  }
  assert.deepEqual([...it.getBatch(1)[1].values], [4, 5]);
  assert.throws(() => it.getBatch(2), /batch 2 does not exist; an epoch has 2 batches/);
  const sh = new ImageDataGenerator().flow(x, y, { batchSize: 3, seed: 1 });
  const before = [...sh.getBatch(0)[1].values, ...sh.getBatch(1)[1].values];
  assert.deepEqual([...before].sort(), [0, 1, 2, 3, 4, 5]);
  sh.onEpochEnd();
  assert.deepEqual([...sh.getBatch(0)[1].values, ...sh.getBatch(1)[1].values].sort(), [0, 1, 2, 3, 4, 5]);
});

test('flow is deterministic under its seed and under tt.setSeed; augmentation differs between batches', () => {
  const x = Tensor.fromArray(Uint8Array.from({ length: 12 * 8 * 8 * 3 }, (_, i) => (i * 37) % 256), [12, 8, 8, 3], 'uint8');
  const gen = new ImageDataGenerator({ widthShiftRange: 0.2, heightShiftRange: 0.2, horizontalFlip: true, rotationRange: 10, rescale: 1 / 255 });
  const run = (seed?: number): number[][] => {
    const it = gen.flow(x, null, { batchSize: 5, seed });
    return Array.from({ length: 4 }, () => [...it.next().value.values]);
  };
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11), run(12));
  setSeed(4);
  const a = run();
  setSeed(4);
  assert.deepEqual(run(), a);
  assert.ok(a[0].every((v) => v >= 0 && v <= 1), 'uint8 input is rescaled to [0, 1]');
  const plain = new ImageDataGenerator({ rescale: 1 / 255 }).flow(x, null, { batchSize: 12, shuffle: false }).next().value;
  assert.deepEqual(plain.shape, [12, 8, 8, 3]);
  assert.ok(Math.abs(plain.values[5] - x.values[5] / 255) < 1e-7);
});

test('flow with a seed: batch k uses the draws of seed + k, as Keras reseeds NumPy', () => {
  const [x, y] = indexed(4, 6, 6, 1);
  const gen = new ImageDataGenerator({ widthShiftRange: 0.3, shearRange: 20 });
  const it = gen.flow(x, y, { batchSize: 4, shuffle: false, seed: 50 });
  it.next();
  const [xb] = it.next().value;
  // batch 1, no shuffle: images 0..3 with the draws of seed 51 in order
  const fromSeed = new Rng(51);
  const size = 36;
  for (let i = 0; i < 4; i++) {
    const img = Tensor.fromArray(x.f32.slice(i * size, (i + 1) * size), [6, 6, 1]);
    const params = drawTransform(gen.ranges, 6, 6, fromSeed);
    assert.deepEqual([...xb.values.subarray(i * size, (i + 1) * size)], [...gen.applyTransform(img, params).values]);
  }
});

test('subset: validation is the first validationSplit·n images, training the rest; label sets are checked', () => {
  const [x] = indexed(10);
  const y = Tensor.fromArray(Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]), [10], 'int32');
  const gen = new ImageDataGenerator({ validationSplit: 0.2 });
  const val = gen.flow(x, y, { subset: 'validation', batchSize: 32, shuffle: false });
  const tr = gen.flow(x, y, { subset: 'training', batchSize: 32, shuffle: false });
  assert.equal(val.n, 2);
  assert.equal(tr.n, 8);
  assert.deepEqual(Array.from(val.next().value[0].values).filter((_, i) => i % 60 === 0), [0, 1]);
  assert.deepEqual(Array.from(tr.next().value[0].values).filter((_, i) => i % 60 === 0), [2, 3, 4, 5, 6, 7, 8, 9]);
  const sorted = Tensor.fromArray(Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), [10], 'int32');
  assert.throws(() => gen.flow(x, sorted, { subset: 'training' }), /different sets of labels after the split/);
  assert.equal(gen.flow(x, sorted, { subset: 'training', ignoreClassSplit: true }).n, 8);
  assert.throws(() => new ImageDataGenerator().flow(x, null, { subset: 'validation' }), /no images to iterate over/);
});

test('fit with augment: flips leave per-channel statistics unchanged over any number of rounds', () => {
  const x = Tensor.fromArray(Float32Array.from({ length: 5 * 6 * 7 * 3 }, (_, i) => Math.sin(i) * 50 + (i % 3) * 20), [5, 6, 7, 3]);
  const plain = new ImageDataGenerator({ featurewiseStdNormalization: true });
  plain.fit(x);
  assert.equal(plain.featurewiseCenter, true, 'std normalization implies centering, as Keras');
  const aug = new ImageDataGenerator({ featurewiseStdNormalization: true, horizontalFlip: true, verticalFlip: true });
  aug.fit(x, { augment: true, rounds: 3, seed: 1 });
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(aug.mean![k] - plain.mean![k]) < 1e-4);
    assert.ok(Math.abs(aug.std![k] - plain.std![k]) < 1e-4);
  }
  const shifted = new ImageDataGenerator({ featurewiseCenter: true, widthShiftRange: 0.4, fillMode: 'constant', cval: -1000 });
  shifted.fit(x, { augment: true, seed: 2 });
  assert.ok(shifted.mean![0] < plain.mean![0] - 1, 'augmented copies (constant fill) enter the statistics');
});

test('standardize: batches are standardized image by image; the input is not modified', () => {
  const x = Tensor.fromArray(Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40]), [2, 2, 2, 1]);
  const out = new ImageDataGenerator({ samplewiseCenter: true }).standardize(x);
  assert.deepEqual([...out.values], [-1.5, -0.5, 0.5, 1.5, -15, -5, 5, 15]);
  assert.deepEqual([...x.values], [1, 2, 3, 4, 10, 20, 30, 40]);
  const pf = new ImageDataGenerator({ preprocessingFunction: (t) => Tensor.fromArray(Float32Array.from(t.values, (v) => v * 2), t.shape), rescale: 0.5 });
  assert.deepEqual([...pf.standardize(x).values], [...x.values], 'preprocessingFunction runs before rescale');
});

test('unsupported options and bad input throw clear errors', () => {
  assert.throws(() => new ImageDataGenerator({ zcaWhitening: true }), /zcaWhitening is not supported/);
  assert.throws(() => new ImageDataGenerator({ dataFormat: 'channelsFirst' }), /only channels-last/);
  assert.throws(() => new ImageDataGenerator({ interpolationOrder: 0 }), /only interpolationOrder 1/);
  assert.throws(() => new ImageDataGenerator({ fillMode: 'mirror' as never }), /fillMode must be one of 'nearest', 'constant', 'reflect', 'wrap'; got 'mirror'/);
  assert.throws(() => new ImageDataGenerator({ validationSplit: 1.5 }), /validationSplit must be strictly between 0 and 1/);
  assert.throws(() => new ImageDataGenerator({ rotationRnage: 3 } as never), /unknown option 'rotationRnage'/);
  assert.throws(() => new ImageDataGenerator({ zoomRange: [0.5] as never }), /zoomRange must be a number or a pair/);
  assert.throws(() => new ImageDataGenerator({ widthShiftRange: -0.1 }), /widthShiftRange must be >= 0/);
  const img = Tensor.fromArray(new Float32Array(12), [2, 2, 3]);
  assert.throws(() => new ImageDataGenerator({ featurewiseCenter: true }).standardize(img), /featurewiseCenter needs the data's statistics; call fit\(x\)/);
  assert.throws(() => new ImageDataGenerator({ brightnessRange: [0.5, 1.5] }).randomTransform(Tensor.fromArray(new Float32Array(8), [2, 2, 2])), /1, 3 or 4 channels/);
  assert.throws(() => new ImageDataGenerator().applyTransform(Tensor.fromArray(new Float32Array(4), [2, 2]), {}), /expected one image \(height, width, channels\)/);
  assert.throws(() => new ImageDataGenerator().fit(img), /x must have rank 4/);
  const [x, y] = indexed(4);
  assert.throws(() => new ImageDataGenerator().flow(img), /x must be a batch of images/);
  assert.throws(() => new ImageDataGenerator().flow(x, Tensor.fromArray(new Int32Array(3), [3], 'int32')), /x and y must have the same length/);
  assert.throws(() => new ImageDataGenerator().flow(x, y, { batchSize: 0 }), /batchSize must be a positive integer/);
  assert.throws(() => new ImageDataGenerator().flow(x, y, { subset: 'test' as never }), /subset must be 'training' or 'validation'/);
  assert.throws(() => new ImageDataGenerator().flow(x, y, { batchsize: 3 } as never), /unknown option 'batchsize'/);
});
