import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tt from '../../src/index';
import { ImageDataGenerator } from '../../src/preprocessing/index';
import type { Tensor } from '../../src/tensor/tensor';

// Class folders of solid-color images: class k, image i has red 40k + 10i, so a batch row tells
// which file it came from; plus one 4x4 gradient image with known pixels.
let root: string;
const red = (k: number, i: number): number => 40 * k + 10 * i;

async function solid(file: string, r: number, w = 5, h = 3): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width: w, height: h, channels: 3, background: { r, g: 100, b: 200 } } }).toFile(file);
}

/** 4x4 RGB: pixel (y, x) = (10y + x, 50 + x, 200 - 10y). */
const gradient = (): Uint8Array => {
  const d = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) d.set([10 * y + x, 50 + x, 200 - 10 * y], (y * 4 + x) * 3);
  return d;
};

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-flowdir-'));
  for (let i = 0; i < 3; i++) await solid(path.join(root, 'ants', `a${i}.png`), red(0, i));
  await solid(path.join(root, 'bees', 'b0.png'), red(1, 0));
  await solid(path.join(root, 'bees', 'b1.PNG'), red(1, 1));
  await solid(path.join(root, 'bees', 'deep', 'b2.png'), red(1, 2));
  await solid(path.join(root, 'bees', 'deep', 'b3.png'), red(1, 3));
  await sharp({ create: { width: 3, height: 3, channels: 3, background: { r: 0, g: 0, b: 0 } } }).gif().toFile(path.join(root, 'bees', 'skip.gif'));
  fs.writeFileSync(path.join(root, 'bees', 'notes.txt'), 'not an image');
  fs.mkdirSync(path.join(root, 'cows'));
  await sharp(gradient(), { raw: { width: 4, height: 4, channels: 3 } }).png().toFile(path.join(root, 'cows', 'c0.png'));
  await solid(path.join(root, 'cows', 'c1.jpg'), red(2, 1));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const ALL = ['ants/a0.png', 'ants/a1.png', 'ants/a2.png', 'bees/b0.png', 'bees/b1.PNG', 'bees/deep/b2.png', 'bees/deep/b3.png', 'cows/c0.png', 'cows/c1.jpg'].map((f) => f.split('/').join(path.sep));

/** Red value of each row of a batch (the centre pixel). */
function reds(x: Tensor): number[] {
  const [b, h, w, c] = x.shape;
  const v = x.values;
  return Array.from({ length: b }, (_, i) => Math.round(v[i * h * w * c + (Math.floor(h / 2) * w + Math.floor(w / 2)) * c]));
}

describe('ImageDataGenerator.flowFromDirectory', () => {
  it('indexes classes and files as Keras: sorted folders, any depth, its allow-list (no .gif)', () => {
    const it = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [3, 5], shuffle: false, batchSize: 4 });
    assert.deepEqual(it.classIndices, { ants: 0, bees: 1, cows: 2 });
    assert.deepEqual(it.filenames, ALL);
    assert.deepEqual(Array.from(it.classes), [0, 0, 0, 1, 1, 1, 1, 2, 2]);
    assert.equal(it.samples, 9);
    assert.equal(it.length, 3);
    assert.equal(it.numClasses, 3);
    const given = new ImageDataGenerator().flowFromDirectory(root, { classes: ['cows', 'ants'], shuffle: false });
    assert.deepEqual(given.classIndices, { cows: 0, ants: 1 });
    assert.deepEqual(given.filenames, [ALL[7], ALL[8], ALL[0], ALL[1], ALL[2]]);
    assert.deepEqual(Array.from(given.classes), [0, 0, 1, 1, 1]);
  });

  it('gives batches in file order without shuffle, the last one smaller, then starts over', async () => {
    const it = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [3, 5], shuffle: false, batchSize: 4 });
    const sizes: number[] = [];
    const seen: number[] = [];
    for (let b = 0; b < 4; b++) {
      const { value: [x, y], done } = await it.next();
      assert.equal(done, false);
      assert.deepEqual(x.shape.slice(1), [3, 5, 3]);
      assert.equal(x.dtype, 'float32');
      sizes.push(x.shape[0]);
      seen.push(...reds(x));
      assert.deepEqual(y.shape, [x.shape[0], 3]);
    }
    assert.deepEqual(sizes, [4, 4, 1, 4]);
    // cows/c0 is the gradient: its centre pixel (1, 2) of the nearest 3x5 resize
    assert.deepEqual(seen.slice(0, 7), [0, 10, 20, 40, 50, 60, 70]);
    assert.deepEqual(seen.slice(9), [0, 10, 20, 40]);
    assert.deepEqual(reds((await it.getBatch(1))[0]), [50, 60, 70, seen[7]], "getBatch is Keras's __getitem__");
    assert.throws(() => it.getBatch(3), /batch 3 does not exist; an epoch has 3 batches/);
  });

  it('labels per classMode: categorical one-hot, binary and sparse float indices, input = x, null = x alone', async () => {
    const opts = { targetSize: [3, 5] as [number, number], shuffle: false, batchSize: 9 };
    const gen = new ImageDataGenerator({ rescale: 1 / 255 });
    const [x, cat] = (await gen.flowFromDirectory(root, opts).next()).value;
    assert.deepEqual(cat.shape, [9, 3]);
    assert.deepEqual(Array.from(cat.values), [0, 0, 0, 1, 1, 1, 1, 2, 2].flatMap((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0))));
    for (const mode of ['binary', 'sparse'] as const) {
      const [, y] = (await gen.flowFromDirectory(root, { ...opts, classMode: mode }).next()).value;
      assert.deepEqual(y.shape, [9]);
      assert.equal(y.dtype, 'float32');
      assert.deepEqual(Array.from(y.values), [0, 0, 0, 1, 1, 1, 1, 2, 2]);
    }
    const [xi, yi] = (await gen.flowFromDirectory(root, { ...opts, classMode: 'input' }).next()).value;
    assert.deepEqual(yi.shape, xi.shape);
    assert.deepEqual(Array.from(yi.values), Array.from(x.values));
    const only = (await gen.flowFromDirectory(root, { ...opts, classMode: null }).next()).value;
    assert.ok(!Array.isArray(only));
    assert.deepEqual(only.shape, [9, 3, 5, 3]);
    assert.deepEqual(Array.from(only.values), Array.from(x.values));
  });

  it('decodes a known image exactly (no augmentation), with rescale, in each colorMode', async () => {
    const g = gradient();
    const it = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [4, 4], classes: ['cows'], shuffle: false, batchSize: 1 });
    const [x] = (await it.next()).value;
    assert.deepEqual(x.shape, [1, 4, 4, 3]);
    assert.deepEqual(Array.from(x.values), Array.from(g));
    const scaled = new ImageDataGenerator({ rescale: 0.5 }).flowFromDirectory(root, { targetSize: [4, 4], classes: ['cows'], shuffle: false, batchSize: 1 });
    assert.deepEqual(Array.from((await scaled.next()).value[0].values), Array.from(g, (v) => Math.fround(v * 0.5)));
    const grey = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [4, 4], classes: ['cows'], colorMode: 'grayscale', shuffle: false, batchSize: 1 });
    const [xg] = (await grey.next()).value;
    assert.deepEqual(xg.shape, [1, 4, 4, 1]);
    // PIL's luma: (19595 R + 38470 G + 7471 B + 0x8000) >> 16
    const luma = (p: number) => (19595 * g[p * 3] + 38470 * g[p * 3 + 1] + 7471 * g[p * 3 + 2] + 0x8000) >>> 16;
    assert.deepEqual(Array.from(xg.values), Array.from({ length: 16 }, (_, p) => luma(p)));
    const rgba = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [4, 4], classes: ['cows'], colorMode: 'rgba', shuffle: false, batchSize: 1 });
    const [xa] = (await rgba.next()).value;
    assert.deepEqual(xa.shape, [1, 4, 4, 4]);
    assert.deepEqual(Array.from(xa.values.subarray(0, 8)), [g[0], g[1], g[2], 255, g[3], g[4], g[5], 255]);
    // nearest (the default) from 4x4 to 2x2 takes pixels (1, 1), (1, 3), (3, 1), (3, 3) as PIL
    const small = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [2, 2], classes: ['cows'], shuffle: false, batchSize: 1 });
    const xs = (await small.next()).value[0].values;
    assert.deepEqual([xs[0], xs[3], xs[6], xs[9]], [11, 13, 31, 33]);
  });

  it("splits each class's sorted files: the first validationSplit fraction is validation", () => {
    const gen = new ImageDataGenerator({ validationSplit: 0.5 });
    const val = gen.flowFromDirectory(root, { subset: 'validation', shuffle: false });
    const train = gen.flowFromDirectory(root, { subset: 'training', shuffle: false });
    // ants 3 -> floor(1.5) = 1 validation, bees 4 -> 2, cows 2 -> 1
    assert.deepEqual(val.filenames, [ALL[0], ALL[3], ALL[4], ALL[7]]);
    assert.deepEqual(train.filenames, [ALL[1], ALL[2], ALL[5], ALL[6], ALL[8]]);
    assert.deepEqual(Array.from(val.classes), [0, 1, 1, 2]);
    assert.deepEqual(Array.from(train.classes), [0, 0, 1, 1, 2]);
    assert.deepEqual(train.classIndices, val.classIndices);
  });

  it('shuffles each epoch, every file once per epoch, repeatably with a seed', async () => {
    const order = async (seed: number) => {
      const it = new ImageDataGenerator().flowFromDirectory(root, { targetSize: [3, 5], batchSize: 9, classes: ['ants', 'bees'], seed });
      const epochs: number[][] = [];
      for (let e = 0; e < 3; e++) epochs.push(reds((await it.next()).value[0]));
      return epochs;
    };
    const a = await order(3);
    assert.deepEqual(await order(3), a);
    for (const e of a) assert.deepEqual([...e].sort((p, q) => p - q), [0, 10, 20, 40, 50, 60, 70]);
    assert.ok(a.some((e) => e.join() !== a[0].join()), 'epochs reshuffle');
    assert.ok(a.some((e) => e.join() !== '0,10,20,40,50,60,70'), 'the order is shuffled');
  });

  it('augments as flow() does on the same decoded images: same order and draws with the same seed', async () => {
    const opts = { targetSize: [4, 4] as [number, number], classes: ['cows'] };
    const plain = (await new ImageDataGenerator().flowFromDirectory(root, { ...opts, shuffle: false, batchSize: 2 }).next()).value[0];
    const gen = new ImageDataGenerator({ horizontalFlip: true, widthShiftRange: 0.3, rotationRange: 20 });
    const fromFlow = gen.flow(plain, null, { batchSize: 1, seed: 9 });
    const it = gen.flowFromDirectory(root, { ...opts, batchSize: 1, seed: 9 });
    // two calls not awaited in turn still get their own order and draws
    const [p, q] = await Promise.all([it.next(), it.next()]);
    const batches = [p.value[0], q.value[0], (await it.next()).value[0]];
    let changed = false;
    for (const b of batches) {
      const want = Array.from(fromFlow.next().value.values);
      assert.deepEqual(Array.from(b.values), want);
      changed ||= want.join() !== Array.from(plain.values.subarray(0, 48)).join() && want.join() !== Array.from(plain.values.subarray(48)).join();
    }
    assert.ok(changed, 'the images are augmented');
  });

  it('trains a model for an epoch as a fit source (length batches)', async () => {
    tt.setSeed(1);
    const m = tt.sequential([
      tt.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 3] }),
      tt.layers.flatten(),
      tt.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const it = new ImageDataGenerator({ rescale: 1 / 255 }).flowFromDirectory(root, { targetSize: [6, 6], batchSize: 4, seed: 2 });
    let steps = 0;
    const h = await m.fit(it, { epochs: 1, verbose: 0, callbacks: [{ onBatchEnd: () => void steps++ }] });
    assert.equal(steps, 3);
    assert.equal(h.history.loss.length, 1);
    assert.ok(Number.isFinite(h.history.loss[0]));
    const h2 = await m.fit(it, { epochs: 2, stepsPerEpoch: 2, verbose: 0 });
    assert.equal(h2.history.loss.length, 2);
  });

  it('refuses bad options with errors that name them', () => {
    const gen = new ImageDataGenerator();
    assert.throws(() => gen.flowFromDirectory(root, { classMode: 'int' as never }), /classMode must be 'categorical', 'binary', 'sparse', 'input' or null, got 'int'/);
    assert.throws(() => gen.flowFromDirectory(root, { subset: 'validation' }), /validationSplit, which is 0/);
    assert.throws(() => gen.flowFromDirectory(root, { classes: ['ants', 'wasps'] }), /\["wasps"\] are not sub-folders/);
    assert.throws(() => gen.flowFromDirectory(path.join(root, 'nope')), /is not a folder/);
    assert.throws(() => gen.flowFromDirectory(root, { targetSize: [0, 4] }), /targetSize must be \[height, width\]/);
    assert.throws(() => gen.flowFromDirectory(root, { batchSize: 0 }), /batchSize must be a positive integer/);
    assert.throws(() => gen.flowFromDirectory(root, { saveToDir: 'x' } as never), /saveToDir/);
    assert.throws(() => gen.flowFromDirectory(path.join(root, 'bees', 'deep')), /no images found in the 0 class folders/);
  });
});
