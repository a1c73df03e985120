import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as apps from '../../src/applications/index';
import { fromValues, zeros } from '../../src/ops/index';
import type { Tensor } from '../../src/tensor/tensor';
import { assertClose } from '../helpers/assert';

// Keras's imagenet_utils: preprocess_input in its three modes, decode_predictions with the
// class index shipped in src/applications/imagenet_classes.ts.

const { preprocessInput, decodePredictions, imagenetClass } = apps.imagenetUtils;

describe('preprocessInput', () => {
  // two RGB pixels: (10, 20, 30) and (255, 0, 128)
  const pixels = () => fromValues([10, 20, 30, 255, 0, 128], [1, 1, 2, 3]);

  it('caffe (VGG, ResNet): RGB -> BGR, minus the ImageNet means [103.939, 116.779, 123.68]', () => {
    const expected = [30 - 103.939, 20 - 116.779, 10 - 123.68, 128 - 103.939, 0 - 116.779, 255 - 123.68];
    for (const f of [apps.vgg16.preprocessInput, apps.vgg19.preprocessInput, apps.resNet50.preprocessInput, (x: Tensor) => preprocessInput(x)]) {
      const x = pixels();
      const y = f(x);
      assert.deepEqual(y.shape, [1, 1, 2, 3]);
      assertClose(y.values, expected, 1e-6);
      assert.deepEqual(Array.from(x.values), [10, 20, 30, 255, 0, 128], 'the input is left as it is');
    }
    // one image (H, W, 3) and uint8 pixels
    const u8 = fromValues([10, 20, 30], [1, 1, 3], 'uint8');
    assertClose(apps.vgg16.preprocessInput(u8).values, [30 - 103.939, 20 - 116.779, 10 - 123.68], 1e-6);
  });

  it('tf (InceptionV3, MobileNetV2): x / 127.5 - 1', () => {
    for (const f of [apps.inceptionV3.preprocessInput, apps.mobileNetV2.preprocessInput, (x: Tensor) => preprocessInput(x, { mode: 'tf' })]) {
      assertClose(f(pixels()).values, [10, 20, 30, 255, 0, 128].map((v) => v / 127.5 - 1), 1e-6);
    }
    assertClose(apps.mobileNetV2.preprocessInput(fromValues([0, 127.5, 255], [3])).values, [-1, 0, 1], 1e-7);
  });

  it('torch: x / 255, minus [0.485, 0.456, 0.406], over [0.229, 0.224, 0.225]', () => {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const expected = [10, 20, 30, 255, 0, 128].map((v, i) => (v / 255 - mean[i % 3]) / std[i % 3]);
    assertClose(preprocessInput(pixels(), { mode: 'torch' }).values, expected, 1e-6);
  });

  it('bad modes and shapes get clear errors', () => {
    assert.throws(() => preprocessInput(pixels(), { mode: 'keras' as never }), /mode must be 'caffe', 'tf' or 'torch'; got "keras"/);
    assert.throws(() => preprocessInput(pixels(), { dataFormat: 'channelsFirst' as never }), /only dataFormat 'channelsLast'/);
    assert.throws(() => apps.vgg16.preprocessInput(zeros([2, 8, 8, 1])), /expects RGB images of shape \(N, H, W, 3\) or \(H, W, 3\); got \(2, 8, 8, 1\)/);
    assert.throws(() => apps.resNet50.preprocessInput([1, 2, 3] as never), /expects a Tensor/);
  });
});

describe('decodePredictions', () => {
  it('ships the 1,000 classes in Keras order, with WordNet ids in ascending order', () => {
    assert.equal(apps.IMAGENET_CLASSES.length, 1000);
    assert.deepEqual(imagenetClass(0), ['n01440764', 'tench']);
    assert.deepEqual(imagenetClass(820), ['n04310018', 'steam_locomotive']);
    assert.deepEqual(imagenetClass(999), ['n15075141', 'toilet_tissue']);
    assert.deepEqual([imagenetClass(134)[1], imagenetClass(517)[1]], ['crane', 'crane'], 'the bird and the machine');
    assert.deepEqual(imagenetClass(107), ['n01910747', 'jellyfish']);
    const ids = apps.IMAGENET_CLASSES.map(([id]) => id);
    assert.ok(ids.every((id, i) => /^n\d{8}$/.test(id) && (i === 0 || ids[i - 1] < id)));
    assert.throws(() => imagenetClass(1000), /index must be an integer in \[0, 999\]; got 1000/);
  });

  it('returns the top classes of each sample, best first, as [classId, name, score]', () => {
    const preds = new Float32Array(2000).fill(0.0001);
    preds[820] = 0.7; // steam_locomotive
    preds[466] = 0.2; // bullet_train
    preds[565] = 0.05; // freight_car
    preds[1000 + 1] = 0.9; // goldfish
    preds[1000 + 0] = 0.05; // tench
    const t = fromValues(Array.from(preds), [2, 1000]);
    const out = apps.vgg16.decodePredictions(t, 3);
    assert.equal(out.length, 2);
    assert.deepEqual(out[0].map(([id, name]) => [id, name]), [['n04310018', 'steam_locomotive'], ['n02917067', 'bullet_train'], ['n03393912', 'freight_car']]);
    assertClose(out[0].map((r) => r[2]), [0.7, 0.2, 0.05], 1e-6);
    assert.deepEqual(out[1].slice(0, 2).map(([, name]) => name), ['goldfish', 'tench']);
    assert.equal(decodePredictions(t)[0].length, 5, 'top defaults to 5');
    // nested arrays work too
    const rows = [Array.from(preds.subarray(0, 1000))];
    assert.equal(apps.inceptionV3.decodePredictions(rows, 1)[0][0][1], 'steam_locomotive');
  });

  it('refuses anything but (samples, 1000)', () => {
    assert.throws(() => decodePredictions(zeros([2, 10])), /expects a batch of predictions \(a 2-D array of shape \(samples, 1000\)\); got shape \(2, 10\)/);
    assert.throws(() => decodePredictions(zeros([1000])), /got shape \(1000,\)/);
    assert.throws(() => decodePredictions(zeros([1, 1000]), 0), /top must be a positive integer/);
  });
});
