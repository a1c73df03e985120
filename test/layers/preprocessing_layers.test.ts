import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { Tensor } from '../../src/tensor/tensor';
import {
  CenterCrop, RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Resizing, deserializeLayer, layers,
  type Layer,
} from '../../src/layers/index';
import { affineTransform, resize } from '../../src/ops/image';
import { ShapeError, ValueError } from '../../src/util/errors';
import { layerConfigFromKeras, layerConfigToKeras } from '../../src/saving/keras_config';

// Keras 3's image preprocessing layers: random draws within the documented ranges, inference
// behaviour, seeds, configs through Keras JSON and .keras files, and training with them at the input.

function images(shape: number[], seed = 1): Tensor {
  tt.setSeed(seed);
  return tt.randomUniform(shape);
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Every random layer with options that make it change any image. */
function randomLayers(seed?: number): Layer[] {
  return [
    layers.randomFlip({ seed }), layers.randomRotation({ factor: 0.2, seed }), layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.3, seed }),
    layers.randomZoom({ heightFactor: 0.3, seed }), layers.randomContrast({ factor: 0.5, valueRange: [0, 1], seed }),
    layers.randomCrop({ height: 4, width: 5, seed }),
  ];
}

describe('image preprocessing layers: random draws', () => {
  it('RandomFlip flips about half the images; horizontal_and_vertical turns them half a turn', () => {
    const flips = new RandomFlip({ seed: 5 }).randomTransformation(4000);
    const share = flips.filter(Boolean).length / flips.length;
    assert.ok(Math.abs(share - 0.5) < 0.03, `flipped share ${share}`);
    const x = images([64, 3, 4, 2]);
    const y = new RandomFlip({ seed: 2 }).apply(x, { training: true });
    const per = 3 * 4 * 2;
    let flipped = 0;
    for (let b = 0; b < 64; b++) {
      const src = x.f32.subarray(b * per, (b + 1) * per), out = y.f32.subarray(b * per, (b + 1) * per);
      const turned = Array.from({ length: per }, (_, i) => src[(per / 2 - 1 - Math.floor(i / 2)) * 2 + (i % 2)]);
      if (out.every((v, i) => v === src[i])) continue;
      assert.deepEqual(Array.from(out), turned, `image ${b} is either unchanged or turned half a turn`);
      flipped++;
    }
    assert.ok(flipped > 16 && flipped < 48, `${flipped} of 64 flipped`);
  });

  it('RandomRotation draws angles uniformly in factor * 2 pi', () => {
    const layer = new RandomRotation({ factor: [-0.1, 0.25], seed: 3 });
    const t = layer.randomTransformation(4000, 9, 9);
    const angles = Array.from({ length: 4000 }, (_, b) => Math.atan2(t[b * 8 + 3], t[b * 8]));
    const lo = -0.1 * 2 * Math.PI, hi = 0.25 * 2 * Math.PI;
    assert.ok(angles.every((a) => a >= lo - 1e-12 && a <= hi + 1e-12));
    assert.ok(Math.min(...angles) < lo + 0.02 && Math.max(...angles) > hi - 0.02, 'the whole range is reached');
    assert.ok(Math.abs(mean(angles) - (lo + hi) / 2) < 0.03, `mean angle ${mean(angles)}`);
    // a single number f means [-f, f]
    assert.deepEqual(new RandomRotation({ factor: 0.2 }).factor, [-0.2, 0.2]);
  });

  it('RandomTranslation shifts by fractions of the size drawn in [-f, f] or [lo, hi]', () => {
    const t = new RandomTranslation({ heightFactor: 0.2, widthFactor: [-0.1, 0.3], seed: 4 }).randomTransformation(4000, 10, 20);
    const dx = Array.from({ length: 4000 }, (_, b) => -t[b * 8 + 2]);
    const dy = Array.from({ length: 4000 }, (_, b) => -t[b * 8 + 5]);
    assert.ok(dy.every((v) => v >= -2 && v <= 2) && dx.every((v) => v >= -2 && v <= 6));
    assert.ok(Math.abs(mean(dy)) < 0.05 && Math.abs(mean(dx) - 2) < 0.1, `means ${mean(dx)}, ${mean(dy)}`);
    assert.ok(Math.min(...dy) < -1.95 && Math.max(...dx) > 5.9);
  });

  it('RandomZoom draws zooms in [1 + lo, 1 + hi], one draw for both axes unless widthFactor is given', () => {
    const same = new RandomZoom({ heightFactor: [-0.3, 0.5], seed: 6 }).randomTransformation(3000, 8, 8);
    const zy = Array.from({ length: 3000 }, (_, b) => same[b * 8 + 4]);
    assert.ok(zy.every((z, b) => z >= 0.7 && z <= 1.5 && same[b * 8] === z));
    assert.ok(Math.abs(mean(zy) - 1.1) < 0.02, `mean ${mean(zy)}`);
    const apart = new RandomZoom({ heightFactor: 0.1, widthFactor: [0.2, 0.4], seed: 6 }).randomTransformation(3000, 8, 8);
    const zx = Array.from({ length: 3000 }, (_, b) => apart[b * 8]);
    assert.ok(zx.every((z) => z >= 1.2 && z <= 1.4) && Math.abs(mean(zx) - 1.3) < 0.01);
  });

  it('RandomContrast draws factors in [1 - lower, 1 + upper]', () => {
    const f = new RandomContrast({ factor: 0.4, seed: 8 }).randomTransformation(4000);
    assert.ok(f.every((v) => v >= 0.6 && v <= 1.4) && Math.abs(mean(f) - 1) < 0.02);
    assert.ok(Math.min(...f) < 0.61 && Math.max(...f) > 1.39);
    const g = new RandomContrast({ factor: [0.1, 0.9], seed: 8 }).randomTransformation(4000);
    assert.ok(g.every((v) => v >= 0.9 && v <= 1.9) && Math.abs(mean(g) - 1.4) < 0.02);
  });

  it('RandomCrop places the window anywhere with equal chance, the same place for the whole batch', () => {
    const layer = new RandomCrop({ height: 3, width: 2, seed: 9 });
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const key = layer.randomTransformation(5, 4).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 3 * 3, 'tops 0..2 and lefts 0..2');
    for (const [k, n] of counts) assert.ok(Math.abs(n - 3000 / 9) < 80, `${k}: ${n}`);
    const x = images([4, 5, 4, 1]);
    const twin = new RandomCrop({ height: 3, width: 2, seed: 9 });
    const [top, left] = twin.randomTransformation(5, 4);
    const y = layer.apply(x, { training: true });
    const fresh = new RandomCrop({ height: 3, width: 2, seed: 9 }).apply(x, { training: true });
    assert.deepEqual(fresh.shape, [4, 3, 2, 1]);
    for (let b = 0; b < 4; b++) {
      for (let r = 0; r < 3; r++) for (let c = 0; c < 2; c++) assert.equal(fresh.f32[(b * 3 + r) * 2 + c], x.f32[(b * 5 + top + r) * 4 + left + c]);
    }
    assert.deepEqual(y.shape, [4, 3, 2, 1]);
  });

  it('the layers apply exactly the transformation they draw', () => {
    const x = images([3, 6, 5, 2]);
    const drawn = new RandomRotation({ factor: 0.3, seed: 12, fillMode: 'wrap' }).randomTransformation(3, 6, 5);
    const y = new RandomRotation({ factor: 0.3, seed: 12, fillMode: 'wrap' }).apply(x, { training: true });
    assert.deepEqual(y.f32, affineTransform(x, drawn, { fillMode: 'wrap' }).f32);
  });

  it('a seed makes a layer repeatable; without one, tt.setSeed does', () => {
    const x = images([4, 6, 7, 3]);
    for (const [a, b] of randomLayers(21).map((l, i) => [l, randomLayers(21)[i]])) {
      assert.deepEqual(a.apply(x, { training: true }).f32, b.apply(x, { training: true }).f32, a.className);
    }
    for (let i = 0; i < 6; i++) {
      tt.setSeed(77);
      const first = randomLayers()[i].apply(x, { training: true }).f32;
      tt.setSeed(77);
      assert.deepEqual(randomLayers()[i].apply(x, { training: true }).f32, first);
    }
  });
});

describe('image preprocessing layers: inference and shapes', () => {
  it('the random layers pass images through at inference (as float32), and change them in training', () => {
    const x = images([4, 6, 7, 3]);
    for (const layer of randomLayers(3)) {
      if (layer instanceof RandomCrop) continue;
      assert.deepEqual(layer.apply(x).f32, x.f32, `${layer.className} at inference`);
      const y = layer.apply(x, { training: true });
      assert.deepEqual(y.shape, x.shape);
      assert.notDeepEqual(y.f32, x.f32, `${layer.className} in training`);
    }
    const bytes = tt.tensor(Uint8Array.from([0, 255, 7, 9]), [1, 2, 2, 1], 'uint8');
    const out = new RandomFlip().apply(bytes);
    assert.equal(out.dtype, 'float32');
    assert.deepEqual(Array.from(out.f32), [0, 255, 7, 9]);
  });

  it('RandomCrop at inference crops the centre to the target aspect ratio and resizes', () => {
    const x = images([2, 6, 6, 1]);
    const y = new RandomCrop({ height: 2, width: 6 }).apply(x);
    assert.deepEqual(y.shape, [2, 2, 6, 1]);
    // the 2x6 window at rows 2..3 needs no resizing
    for (let b = 0; b < 2; b++) for (let i = 0; i < 12; i++) assert.equal(y.f32[b * 12 + i], x.f32[b * 36 + 12 + i]);
  });

  it('single images (rank 3) work and other ranks are refused', () => {
    const x = images([5, 6, 2]);
    assert.deepEqual(new Resizing({ height: 3, width: 4 }).apply(x).shape, [3, 4, 2]);
    assert.deepEqual(new RandomRotation({ factor: 0.5 }).apply(x, { training: true }).shape, [5, 6, 2]);
    assert.throws(() => new CenterCrop({ height: 2, width: 2 }).apply(images([5, 6])), (e: Error) => e instanceof ShapeError && /CenterCrop layer .* expects images/.test(e.message));
  });

  it('Resizing, CenterCrop and RandomCrop report their output shape in a model', () => {
    const model = tt.sequential([
      layers.resizing({ height: 12, width: 10, inputShape: [20, 16, 3] }), layers.centerCrop({ height: 8, width: 9 }), layers.randomCrop({ height: 6, width: 6 }),
      layers.randomFlip(), layers.flatten(),
    ]);
    assert.deepEqual(model.layers.map((l) => l.outputShape), [[null, 12, 10, 3], [null, 8, 9, 3], [null, 6, 6, 3], [null, 6, 6, 3], [null, 108]]);
    assert.deepEqual(model.predict(images([2, 20, 16, 3])).shape, [2, 108]);
  });

  it('refuses what Keras refuses, or what tatami does not implement, with clear errors', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as never }), /unknown fillMode 'mirror'/],
      [() => layers.randomZoom({ heightFactor: 1.5 }), /heightFactor must be a number or a pair of numbers in \[-1, 1\]/],
      [() => layers.randomTranslation({ heightFactor: 0.1 } as never), /heightFactor and widthFactor are required/],
      [() => layers.randomContrast({ factor: 1.5 }), /factor must be a number in \[0, 1\]/],
      [() => layers.randomFlip({ mode: 'diagonal' as never }), /mode must be one of/],
      [() => layers.resizing({ height: 4, width: 4, interpolation: 'bicubic' as never }), /interpolation 'bicubic' is not supported/],
      [() => layers.resizing({ height: 4, width: 4, cropToAspectRatio: true, padToAspectRatio: true }), /only one of/],
      [() => layers.centerCrop({ height: 0, width: 4 }), /height must be a positive integer/],
      [() => layers.randomCrop({ height: 4, width: 4, dataFormat: 'channels_first' as never }), /dataFormat 'channels_first' is not supported/],
      [() => layers.randomFlip({ seed: 1.5 }), /seed must be an integer/],
    ];
    for (const [make, message] of bad) assert.throws(make, (e: Error) => e instanceof ValueError && message.test(e.message), String(message));
  });

  it('refuses to cut a gradient: a transforming layer after weights is an error in training', async () => {
    const model = tt.sequential([layers.conv2d({ filters: 2, kernelSize: 1, inputShape: [4, 4, 1] }), layers.randomFlip(), layers.flatten(), layers.dense({ units: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await assert.rejects(model.fit(images([4, 4, 4, 1]), tt.zeros([4, 2]), { epochs: 1, verbose: 0 }),
      (e: Error) => /RandomFlip layer 'random_flip.*' passes no gradient back to its input/.test(e.message));
    assert.deepEqual(model.predict(images([2, 4, 4, 1])).shape, [2, 2], 'inference is fine');
  });
});

describe('image preprocessing layers: configs, files and training', () => {
  it('write the config keys and values Keras 3 writes, and read them back', () => {
    const cases: [Layer, Record<string, unknown>][] = [
      [new RandomFlip({ mode: 'horizontal' }), { seed: null, mode: 'horizontal', data_format: 'channels_last' }],
      [new RandomRotation({ factor: 0.1 }), { factor: [-0.1, 0.1], data_format: 'channels_last', fill_mode: 'reflect', fill_value: 0, interpolation: 'bilinear', seed: null }],
      [new RandomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.1], seed: 4 }),
        { height_factor: 0.1, width_factor: [-0.2, 0.1], fill_mode: 'reflect', interpolation: 'bilinear', seed: 4, fill_value: 0, data_format: 'channels_last' }],
      [new RandomZoom({ heightFactor: 0.2, fillMode: 'constant', fillValue: 0.5 }),
        { height_factor: 0.2, width_factor: null, fill_mode: 'constant', interpolation: 'bilinear', seed: null, fill_value: 0.5, data_format: 'channels_last' }],
      [new RandomContrast({ factor: 0.2 }), { factor: [0.2, 0.2], value_range: [0, 255], seed: null }],
      [new RandomCrop({ height: 24, width: 20 }), { height: 24, width: 20, seed: null, data_format: 'channels_last' }],
      [new Resizing({ height: 32, width: 30 }), {
        height: 32, width: 30, interpolation: 'bilinear', crop_to_aspect_ratio: false, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0,
        data_format: 'channels_last',
      }],
      [new CenterCrop({ height: 5, width: 6 }), { height: 5, width: 6, data_format: 'channels_last' }],
    ];
    for (const [layer, expected] of cases) {
      const json = layerConfigToKeras(layer.className, layer.getConfig(), 'keras3');
      const { name: _n, trainable: _t, dtype: _d, ...rest } = json;
      assert.deepEqual(rest, expected, layer.className);
      assert.deepEqual(Object.keys(rest), Object.keys(expected), `${layer.className}: Keras's key order`);
      const back = deserializeLayer({ className: layer.className, config: layerConfigFromKeras(layer.className, json, 'test') });
      assert.deepEqual(back.getConfig(), layer.getConfig(), layer.className);
    }
  });

  it('read configs as Keras 3 writes them (concrete seeds, pairs, antialias)', () => {
    const keras: [string, Record<string, unknown>][] = [
      ['RandomFlip', { name: 'random_flip', trainable: true, dtype: 'float32', seed: 1337, mode: 'horizontal_and_vertical', data_format: 'channels_last' }],
      ['RandomRotation', { name: 'rr', trainable: true, factor: [-0.2, 0.3], data_format: 'channels_last', fill_mode: 'nearest', fill_value: 0.0, interpolation: 'nearest', seed: null }],
      ['RandomContrast', { name: 'rc', trainable: true, factor: [0.0, 0.2], value_range: [0, 1], seed: null }],
      ['Resizing', { name: 'rs', height: 8, width: 8, interpolation: 'nearest', crop_to_aspect_ratio: true, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0.0, antialias: false, data_format: 'channels_last' }],
    ];
    for (const [cls, cfg] of keras) {
      const layer = deserializeLayer({ className: cls, config: layerConfigFromKeras(cls, cfg as never, 'test') });
      assert.equal(layer.className, cls);
    }
    const rot = deserializeLayer({ className: 'RandomRotation', config: layerConfigFromKeras('RandomRotation', keras[1][1] as never, 'test') }) as RandomRotation;
    assert.deepEqual(rot.factor, [-0.2, 0.3]);
    assert.equal(rot.fill.fillMode, 'nearest');
    assert.equal((deserializeLayer({ className: 'RandomFlip', config: layerConfigFromKeras('RandomFlip', keras[0][1] as never, 'test') }) as RandomFlip).seed, 1337);
    assert.deepEqual((deserializeLayer({ className: 'RandomContrast', config: layerConfigFromKeras('RandomContrast', keras[2][1] as never, 'test') }) as RandomContrast).factor, [0, 0.2]);
  });

  it('a Sequential with every preprocessing layer survives a .keras save and load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tatami-prelayers-'));
    try {
      tt.setSeed(1);
      const model = tt.sequential([
        layers.resizing({ height: 10, width: 12, inputShape: [9, 9, 3] }), layers.centerCrop({ height: 9, width: 10 }),
        layers.randomCrop({ height: 8, width: 8, seed: 3 }), layers.randomFlip({ mode: 'horizontal' }), layers.randomRotation({ factor: [-0.05, 0.1], fillMode: 'constant' }),
        layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'wrap' }), layers.randomZoom({ heightFactor: 0.2, widthFactor: 0.1, interpolation: 'nearest' }),
        layers.randomContrast({ factor: 0.3, valueRange: [0, 1], seed: 9 }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      const file = join(dir, 'aug.keras');
      await model.save(file);
      const back = await tt.loadModel<tt.Sequential>(file);
      const configs = (m: tt.Sequential) => m.layers.map((l) => ({ className: l.className, ...l.getConfig(), batchInputShape: undefined }));
      assert.deepEqual(configs(back), configs(model));
      const x = images([2, 9, 9, 3]);
      assert.deepEqual(back.predict(x).f32, model.predict(x).f32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a small model with randomFlip and randomTranslation at its input trains with fit', async () => {
    // vertical stripes of period 2 (class 0) or 4 (class 1): flips and shifts keep the class
    tt.setSeed(3);
    const n = 64;
    const x = Tensor.empty([n, 8, 8, 1]);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      const period = labels[i] === 0 ? 2 : 4;
      for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) x.f32[(i * 8 + r) * 8 + c] = Math.floor(c / (period / 2)) % 2;
    }
    const y = tt.oneHot(tt.tensor(labels, [n], 'int32'), 2);
    const model = tt.sequential([
      layers.randomFlip({ mode: 'horizontal', inputShape: [8, 8, 1] }), layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), layers.flatten(), layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = history.history.loss as number[];
    assert.ok(loss[loss.length - 1] < 0.6 * loss[0], `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
    assert.ok(model.layers[2].getWeights()[0].f32.some((v) => v !== 0));
  });
});

describe('resize, nearest: the pixel jax picks, exactly', () => {
  it('output line i reads input line floor((i + 0.5) * n / out) for every pair of sizes up to 40', () => {
    for (let n = 1; n <= 40; n++) {
      const x = Tensor.fromArray(Float32Array.from({ length: n }, (_, i) => i), [1, 1, n, 1]);
      for (let out = 1; out <= 40; out++) {
        const y = resize(x, [1, out], { interpolation: 'nearest' }).values;
        // integer arithmetic: no rounding to hide an off-by-one at exact multiples
        const want = Array.from({ length: out }, (_, i) => Math.floor(((2 * i + 1) * n) / (2 * out)));
        assert.deepEqual(Array.from(y), want, `${n} -> ${out}`);
      }
    }
  });
});
