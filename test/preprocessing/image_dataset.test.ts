import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { imageDatasetFromDirectory, image } from '../../src/preprocessing/index';
import { numpyPermutation } from '../../src/preprocessing/numpy_random';
import type { Tensor } from '../../src/tensor/tensor';

// A folder of solid-color images: class k, image i has color (40k + 10i, 255 - 20i, 7k) so that a
// batch row tells which file it came from (solid colors survive any resize unchanged).
let root: string;
const COUNTS = { cats: 5, dogs: 4 }; // dogs: 3 JPEG-free PNG + one in a nested folder
const color = (k: number, i: number): number[] => [40 * k + 10 * i, 255 - 20 * i, 7 * k];

async function solid(file: string, rgb: number[], w = 6, h = 4): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).toFile(file);
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-folder-'));
  for (let i = 0; i < COUNTS.cats; i++) await solid(path.join(root, 'cats', `c${i}.png`), color(0, i), 6 + i, 4);
  for (let i = 0; i < 3; i++) await solid(path.join(root, 'dogs', `d${i}.PNG`), color(1, i));
  await solid(path.join(root, 'dogs', 'more', 'd3.png'), color(1, 3));
  fs.writeFileSync(path.join(root, 'dogs', 'notes.txt'), 'not an image');
  fs.mkdirSync(path.join(root, '.thumbs'));
  await solid(path.join(root, '.thumbs', 'x.png'), [0, 0, 0]);
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Which file a row of x came from, by its color. */
function rowColor(x: Tensor, b: number): number[] {
  const per = x.shape[1] * x.shape[2] * x.shape[3];
  return Array.from(x.values.subarray(b * per, b * per + 3));
}
function fileColor(f: string): number[] {
  const k = f.includes(`${path.sep}dogs${path.sep}`) ? 1 : 0;
  return color(k, Number(/(\d+)\.png$/i.exec(f)![1]));
}

describe("NumPy's RandomState shuffle", () => {
  it('gives the permutations NumPy gives (values from numpy 1.24)', () => {
    assert.deepEqual(Array.from(numpyPermutation(9, 1337)), [6, 8, 2, 3, 1, 0, 4, 5, 7]);
    const p = numpyPermutation(1000, 42);
    assert.deepEqual(Array.from(p.subarray(0, 12)), [521, 737, 740, 660, 411, 678, 626, 513, 859, 136, 811, 76]);
    assert.equal(p.reduce((s, v, i) => s + i * v, 0), 251374799);
    const q = numpyPermutation(70000, 123456);
    assert.deepEqual(Array.from(q.subarray(0, 6)), [23178, 21497, 6030, 38797, 61667, 63103]);
    let s = 0;
    q.forEach((v, i) => (s += i * v));
    assert.equal(s, 85787521693566);
  });
});

describe('imageDatasetFromDirectory', () => {
  it('indexes classes and files as Keras (sorted, any depth, allowed extensions only)', async () => {
    const ds = await imageDatasetFromDirectory(root, { shuffle: false, imageSize: [8, 8] });
    assert.deepEqual(ds.classNames, ['cats', 'dogs']);
    assert.equal(ds.fileCount, 9);
    assert.equal(ds.length, 1);
    const rel = ds.filePaths.map((f) => path.relative(root, f).split(path.sep).join('/'));
    assert.deepEqual(rel, ['cats/c0.png', 'cats/c1.png', 'cats/c2.png', 'cats/c3.png', 'cats/c4.png', 'dogs/d0.PNG', 'dogs/d1.PNG', 'dogs/d2.PNG', 'dogs/more/d3.png']);
    assert.deepEqual(Array.from(ds.labels!), [0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it("shuffles the file list with NumPy's RandomState(seed), so the split is Keras's", async () => {
    const sorted = (await imageDatasetFromDirectory(root, { shuffle: false })).filePaths;
    const ds = await imageDatasetFromDirectory(root, { seed: 1337 });
    const perm = [6, 8, 2, 3, 1, 0, 4, 5, 7]; // np.random.RandomState(1337).shuffle(list(range(9)))
    assert.deepEqual(ds.filePaths, perm.map((i) => sorted[i]));
    const [tr, va] = await imageDatasetFromDirectory(root, { seed: 1337, validationSplit: 0.25, subset: 'both' });
    // int(0.25 * 9) = 2 validation files, the last two of the shuffled list
    assert.deepEqual(va.filePaths, [sorted[5], sorted[7]]);
    assert.deepEqual(tr.filePaths, perm.slice(0, 7).map((i) => sorted[i]));
    const t2 = await imageDatasetFromDirectory(root, { seed: 1337, validationSplit: 0.25, subset: 'training' });
    const v2 = await imageDatasetFromDirectory(root, { seed: 1337, validationSplit: 0.25, subset: 'validation' });
    assert.deepEqual(t2.filePaths, tr.filePaths);
    assert.deepEqual(v2.filePaths, va.filePaths);
  });

  it('streams batches of float32 images with labels that match their files', async () => {
    const ds = await imageDatasetFromDirectory(root, { shuffle: false, batchSize: 4, imageSize: [5, 3] });
    const shapes: number[][] = [];
    let row = 0;
    for await (const batch of ds) {
      const [x, y] = batch as [Tensor, Tensor];
      assert.equal(x.dtype, 'float32');
      assert.equal(y.dtype, 'int32');
      shapes.push(x.shape);
      for (let b = 0; b < x.shape[0]; b++, row++) {
        assert.deepEqual(rowColor(x, b), fileColor(ds.filePaths[row]));
        assert.equal(y.values[b], ds.labels![row]);
      }
    }
    assert.deepEqual(shapes, [[4, 5, 3, 3], [4, 5, 3, 3], [1, 5, 3, 3]]);
    assert.equal(row, 9);
  });

  it('reshuffles each epoch with the seed, keeping x and y together', async () => {
    const ds = await imageDatasetFromDirectory(root, { seed: 7, batchSize: 9, imageSize: [2, 2], labelMode: 'categorical' });
    const orders: string[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for await (const batch of ds) {
        const [x, y] = batch as [Tensor, Tensor];
        assert.deepEqual(y.shape, [9, 2]);
        const order: string[] = [];
        for (let b = 0; b < 9; b++) {
          const c = rowColor(x, b);
          const f = ds.filePaths.find((p) => JSON.stringify(fileColor(p)) === JSON.stringify(c))!;
          assert.ok(f, `row ${b} matches a file`);
          const k = f.includes(`${path.sep}dogs${path.sep}`) ? 1 : 0;
          assert.deepEqual(Array.from(y.values.subarray(2 * b, 2 * b + 2)), k ? [0, 1] : [1, 0]);
          order.push(f);
        }
        orders.push(order);
      }
    }
    assert.deepEqual([...orders[0]].sort(), [...ds.filePaths].sort());
    assert.notDeepEqual(orders[0], orders[1]);
    assert.notDeepEqual(orders[1], orders[2]);
    const again = await imageDatasetFromDirectory(root, { seed: 7, batchSize: 9, imageSize: [2, 2] });
    for await (const [x] of again) assert.deepEqual(rowColor(x, 0), fileColor(orders[0][0]));
  });

  it('gives binary labels, grayscale, single images and unlabeled batches', async () => {
    const bin = await imageDatasetFromDirectory(root, { shuffle: false, labelMode: 'binary', colorMode: 'grayscale', imageSize: [3, 3], batchSize: 16 });
    for await (const batch of bin) {
      const [x, y] = batch as [Tensor, Tensor];
      assert.deepEqual(x.shape, [9, 3, 3, 1]);
      assert.deepEqual(y.shape, [9, 1]);
      assert.deepEqual(Array.from(y.values), [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    }
    const one = await imageDatasetFromDirectory(root, { shuffle: false, batchSize: null, imageSize: [2, 2] });
    let n = 0;
    for await (const batch of one) {
      assert.deepEqual(batch[0].shape, [2, 2, 3]);
      assert.deepEqual(batch[1]!.shape, []);
      n++;
    }
    assert.equal(n, 9);
    const none = await imageDatasetFromDirectory(root, { labelMode: null, shuffle: false, imageSize: [2, 2] });
    assert.equal(none.classNames, null);
    for await (const batch of none) assert.equal(batch.length, 1);
    const only = await imageDatasetFromDirectory(root, { classNames: ['dogs'], shuffle: false, imageSize: [2, 2] });
    assert.equal(only.fileCount, 4);
    assert.equal(image.imageDatasetFromDirectory, imageDatasetFromDirectory);
  });

  it('decodes lazily: a bad file fails only when its batch is reached, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-bad-'));
    try {
      for (let i = 0; i < 4; i++) await solid(path.join(dir, 'a', `${i}.png`), [i, i, i]);
      fs.writeFileSync(path.join(dir, 'a', '9.png'), 'broken');
      const ds = await imageDatasetFromDirectory(dir, { shuffle: false, batchSize: 2, imageSize: [2, 2] });
      for await (const [x] of ds) {
        assert.deepEqual(rowColor(x, 1), [1, 1, 1]);
        break; // the third batch, holding 9.png, is never decoded
      }
      await assert.rejects(async () => {
        for await (const b of ds) void b;
      }, /9\.png: cannot decode the image/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks its options as Keras does', async () => {
    await assert.rejects(imageDatasetFromDirectory(root, { labelMode: 'binary', classNames: ['cats', 'dogs'], validationSplit: 0.5 }), /validationSplit and subset must be given together/);
    await assert.rejects(imageDatasetFromDirectory(root, { validationSplit: 0.2, subset: 'training' }), /give a seed/);
    await assert.rejects(imageDatasetFromDirectory(root, { validationSplit: 1.5, subset: 'training', seed: 1 }), /between 0 and 1/);
    await assert.rejects(imageDatasetFromDirectory(root, { classNames: ['cats', 'birds'] }), /\["birds"\] are not sub-folders/);
    fs.mkdirSync(path.join(root, 'empty'));
    try {
      await assert.rejects(imageDatasetFromDirectory(root, { labelMode: 'binary' }), /needs exactly 2 classes, found 3/);
    } finally {
      fs.rmdirSync(path.join(root, 'empty'));
    }
    await assert.rejects(imageDatasetFromDirectory(path.join(root, 'nope')), /nope is not a folder/);
    await assert.rejects(imageDatasetFromDirectory(path.join(root, '.thumbs'), { shuffle: false }), /no images found/);
    // @ts-expect-error: checked at run time too
    await assert.rejects(imageDatasetFromDirectory(root, { image_size: [2, 2] }), /unknown option 'image_size'/);
    await assert.rejects(imageDatasetFromDirectory(root, { interpolation: 'area' }), /interpolation 'area' is not supported/);
  });
});
