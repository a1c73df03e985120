import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { sequential } from '../../src/models/sequential';
import { layers } from '../../src/layers/index';
import { optimizers } from '../../src/optimizers/index';
import { setSeed } from '../../src/util/rng';
import { toCategorical } from '../../src/data/index';
import { ImageSet } from '../../src/cli/image_set';
import { SetBatches, splitAt } from '../../src/cli/set_batches';
import { ShapeError, ValueError } from '../../src/util/errors';

// The main job keeps MNIST as its uint8 pixels and scales each batch as it is taken: the values
// must be those of the whole float32 set it replaces, and training on them must give the same
// weights and history as fit(x, y, { validationSplit }) on that set.

/** n uint8 images (n, h, w) with every pixel value 0..255 present. */
function pixels(n: number, h: number, w: number): Tensor {
  const v = new Uint8Array(n * h * w);
  for (let i = 0; i < v.length; i++) v[i] = (i * 37 + (i >> 3)) & 255;
  return Tensor.fromArray(v, [n, h, w], 'uint8');
}

/** The float32 set the CLI used to make: v / 255 for every pixel of the given rows. */
function floatSet(x: Tensor, rows: number[], shape: number[]): Float32Array {
  const per = x.size / x.shape[0];
  const out = new Float32Array(rows.length * per);
  rows.forEach((r, i) => { for (let j = 0; j < per; j++) out[i * per + j] = x.values[r * per + j] / 255; });
  assert.equal(out.length, shape.reduce((a, b) => a * b, 1));
  return out;
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('ImageSet', () => {
  const x = pixels(12, 4, 5);

  it('scales batches, picks and the whole set to the same float32 bits as v / 255', () => {
    const set = ImageSet.scaled(x, 'image', { count: 10 });
    assert.deepEqual(set.shape, [10, 4, 5, 1]);
    assert.equal(set.count, 10);
    const whole = set.tensor();
    assert.deepEqual(whole.shape, [10, 4, 5, 1]);
    assert.deepEqual(bits(whole.values as Float32Array), bits(floatSet(x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 20])));
    const b = set.take(null, 3, 7);
    assert.deepEqual(b.shape, [4, 4, 5, 1]);
    assert.deepEqual(bits(b.values as Float32Array), bits(floatSet(x, [3, 4, 5, 6], [4, 20])));
    const order = Int32Array.from([9, 0, 4, 2]);
    assert.deepEqual(bits(set.take(order, 1, 3).values as Float32Array), bits(floatSet(x, [0, 4], [2, 20])));
    assert.deepEqual(bits(set.pick([7, 1]).values as Float32Array), bits(floatSet(x, [7, 1], [2, 20])));
  });

  it('takes selected rows in their order, flat when asked', () => {
    const set = ImageSet.scaled(x, 'flat', { rows: Int32Array.from([11, 2, 5]) });
    assert.deepEqual(set.shape, [3, 20]);
    assert.deepEqual(bits(set.tensor().values as Float32Array), bits(floatSet(x, [11, 2, 5], [3, 20])));
    assert.deepEqual(bits(set.take(null, 1, 3).values as Float32Array), bits(floatSet(x, [2, 5], [2, 20])));
  });

  it('wraps float32 images as they are and refuses the wrong dtypes and rows', () => {
    const f = Tensor.fromArray(Float32Array.from({ length: 12 }, (_, i) => i / 10), [3, 4]);
    const set = ImageSet.of(f);
    assert.equal(set.tensor().values, f.values);
    assert.deepEqual(Array.from(set.take(null, 1, 2).values), Array.from(f.values.subarray(4, 8)));
    assert.throws(() => ImageSet.of(x), ValueError);
    assert.throws(() => ImageSet.scaled(f, 'image', {}), /expected uint8 images, got float32/);
    assert.throws(() => ImageSet.scaled(x, 'image', { count: 3 }).pick([3]), /image 3 out of range for 3 images/);
  });
});

describe('SetBatches', () => {
  it('gives the batches, splits and errors of fit on tensors', () => {
    assert.equal(splitAt(100, 0.1), 90);
    assert.throws(() => splitAt(1, 0.5), ShapeError);
    assert.throws(() => splitAt(5, 0), /leaves no training or no validation samples out of 5/);
    const x = pixels(10, 2, 2);
    const y = Tensor.fromArray(Float32Array.from({ length: 10 }, (_, i) => i), [10, 1]);
    const set = ImageSet.scaled(x, 'flat', {});
    const val = new SetBatches(set, y, 7, 10, 2, false);
    assert.equal(val.length, 2);
    const got = Array.from(val, ([, yb]) => Array.from(yb.values));
    assert.deepEqual(got, [[7, 8], [9]]);
    setSeed(3);
    const train = new SetBatches(set, y, 0, 7, 3, true);
    const pass1 = Array.from(train, ([xb, yb]) => {
      // each image's pixels are those of the row its target names
      const r = yb.values[0];
      assert.deepEqual(bits(xb.values.subarray(0, 4) as Float32Array), bits(floatSet(x, [r], [1, 4])));
      return Array.from(yb.values);
    }).flat();
    assert.deepEqual(pass1.slice().sort(), [0, 1, 2, 3, 4, 5, 6]);
    const pass2 = Array.from(train, ([, yb]) => Array.from(yb.values)).flat();
    assert.notDeepEqual(pass2, pass1, 'each pass draws a new order');
  });

  it('trains to the weights and history of fit(x, y, { validationSplit }) on the float32 set', async () => {
    const n = 90;
    const x = pixels(n, 6, 6);
    const labels = Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const y = toCategorical(labels, 3);
    const build = () => {
      setSeed(11);
      const m = sequential([
        layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
        layers.flatten(), layers.dropout({ rate: 0.3 }), layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      m.compile({ optimizer: optimizers.adadelta({ learningRate: 1.0 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const a = build();
    const xf = Tensor.fromArray(floatSet(x, Array.from({ length: n }, (_, i) => i), [n, 36]), [n, 6, 6, 1]);
    const ha = await a.fit(xf, y, { batchSize: 16, epochs: 3, validationSplit: 0.2, verbose: 0 });
    const b = build();
    const set = ImageSet.scaled(x, 'image', {});
    const at = splitAt(n, 0.2);
    const fitSource = b.fit as unknown as (s: SetBatches, args: object) => ReturnType<typeof b.fit>;
    const hb = await fitSource.call(b, new SetBatches(set, y, 0, at, 16, true), {
      epochs: 3, verbose: 0, validationData: new SetBatches(set, y, at, n, 16, false),
    });
    assert.deepEqual(hb.history, ha.history);
    const wa = a.getWeights().map((t) => bits(t.values as Float32Array));
    const wb = b.getWeights().map((t) => bits(t.values as Float32Array));
    assert.deepEqual(wb, wa);
  });
});
