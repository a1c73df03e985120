import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { datasets, fashionMnist } from '../../src/data/index';
import { encodeIdx } from '../../src/data/idx';
import { TatamiError } from '../../src/util/errors';
import { oracleMissing } from '../helpers/oracles';

// The real gzipped files of Debian's dataset-fashion-mnist. Expected numbers were computed with
// NumPy on the same files; the train pixel mean agrees with the published 0.2860 * 255.

const DIR = fashionMnist.DEFAULT_DIR;
const present = fs.existsSync(path.join(DIR, 'train-images-idx3-ubyte.gz'));
const SKIP = `Debian's Fashion-MNIST is not installed in ${DIR} (apt-get install dataset-fashion-mnist)`;

const sum = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
};

describe('datasets.fashionMnist on the Debian files', () => {
  it('loads uint8 images and labels of the Keras shapes', async (t) => {
    if (!present) return oracleMissing(t, SKIP);
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.fashionMnist.loadData();
    assert.deepEqual(xTrain.shape, [60000, 28, 28]);
    assert.deepEqual(yTrain.shape, [60000]);
    assert.deepEqual(xTest.shape, [10000, 28, 28]);
    assert.deepEqual(yTest.shape, [10000]);
    for (const x of [xTrain, yTrain, xTest, yTest]) assert.equal(x.dtype, 'uint8');
  });

  it('has the known labels, pixels and balanced classes', async (t) => {
    if (!present) return oracleMissing(t, SKIP);
    const [[xTrain, yTrain], [xTest, yTest]] = await fashionMnist.loadData(DIR);
    assert.deepEqual(Array.from(yTrain.values.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    assert.deepEqual(Array.from(yTest.values.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    assert.equal(fashionMnist.classNames[yTrain.values[0]], 'Ankle boot');
    const x = xTrain.values;
    assert.deepEqual(Array.from(x.subarray(14 * 28, 15 * 28)), [
      0, 0, 1, 4, 6, 7, 2, 0, 0, 0, 0, 0, 237, 226, 217, 223, 222, 219, 222, 221, 216, 223, 229, 215, 218, 255, 77, 0,
    ]);
    assert.equal(sum(x, 0, 784), 76247);
    assert.equal(sum(x, 59999 * 784), 16684);
    assert.equal(sum(xTest.values, 0, 784), 33456);
    assert.equal(sum(xTest.values, 9999 * 784), 24390);
    assert.equal(sum(x), 3431114169);
    assert.equal(sum(xTest.values), 573469082);
    for (const [y, n] of [[yTrain, 6000], [yTest, 1000]] as const) {
      const h = new Array(10).fill(0);
      for (const v of y.values) h[v]++;
      assert.deepEqual(h, new Array(10).fill(n));
      assert.equal(sum(h), y.size);
    }
  });
});

describe('datasets.fashionMnist elsewhere', () => {
  it('has the ten Zalando class names', () => {
    assert.deepEqual(fashionMnist.classNames, [
      'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
    ]);
  });

  it('reads a given folder of gzipped or plain IDX files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-fashion-'));
    try {
      const img = (n: number) => encodeIdx(Uint8Array.from({ length: n * 4 }, (_, i) => i % 256), [n, 2, 2]);
      const lab = (n: number) => encodeIdx(Uint8Array.from({ length: n }, (_, i) => i % 10), [n]);
      fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(img(3)));
      fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(lab(3)));
      fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), img(2));
      fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), lab(2));
      const [[x, y], [xt, yt]] = await fashionMnist.loadData(dir);
      assert.deepEqual(x.shape, [3, 2, 2]);
      assert.deepEqual(Array.from(y.values), [0, 1, 2]);
      assert.deepEqual(xt.shape, [2, 2, 2]);
      assert.deepEqual(Array.from(yt.values), [0, 1]);

      // labels that do not match the images are named
      fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), lab(5));
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-fashion-'));
      for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(other, f));
      await assert.rejects(fashionMnist.loadData(other), /t10k-labels-idx1-ubyte: 5 labels, but .*t10k-images-idx3-ubyte has 2 images/);
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing folder is a clear error saying what was looked for and how to get it', async () => {
    const dir = path.join(os.tmpdir(), 'tatami-no-such-fashion-folder');
    await assert.rejects(fashionMnist.loadData(dir), (e: Error) => {
      assert.ok(e instanceof TatamiError);
      assert.match(e.message, /Fashion-MNIST not found: the folder .*tatami-no-such-fashion-folder does not exist/);
      assert.match(e.message, /train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz/);
      assert.match(e.message, /fashionMnist\.loadData\(dir\)/);
      return true;
    });
    assert.throws(() => fashionMnist.files('/nonexistent/fashion'), /apt-get install dataset-fashion-mnist|Pass the folder/);
  });

  it('a folder missing one file names that file; the default folder suggests apt-get', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-fashion-'));
    try {
      fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), '');
      assert.throws(() => fashionMnist.files(dir), /train-labels-idx1-ubyte\.gz \(or train-labels-idx1-ubyte\) is missing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (!present) {
      assert.throws(() => fashionMnist.files(), /apt-get install dataset-fashion-mnist/);
    }
  });
});
