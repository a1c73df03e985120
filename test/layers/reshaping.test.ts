import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { layers } from '../../src/layers/index';
import { assertClose } from '../helpers/assert';
import { randomTensor } from '../helpers/gradcheck';
import { checkRoundTrip, layerGradCheck } from './layer_checks';

// ZeroPadding2D, UpSampling2D and Rescaling: shape and value layers without weights.

describe('ZeroPadding2D layer', () => {
  it('pads rows and columns with zeros', () => {
    const x = ops.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }).invoke(x);
    assert.deepEqual(y.shape, [1, 3, 4, 1]);
    assert.deepEqual(Array.from(y.values), [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0]);
  });
  it('accepts n, [rows, cols] and [[top, bottom], [left, right]]; output shapes', () => {
    assert.deepEqual(layers.zeroPadding2d().padding, [[1, 1], [1, 1]]);
    assert.deepEqual(layers.zeroPadding2d({ padding: 2 }).padding, [[2, 2], [2, 2]]);
    assert.deepEqual(layers.zeroPadding2d({ padding: [1, 3] }).padding, [[1, 1], [3, 3]]);
    const layer = layers.zeroPadding2d({ padding: [[1, 2], [3, 4]] });
    assert.deepEqual(layer.computeOutputShape([null, 5, null, 3]), [null, 8, null, 3]);
    assert.deepEqual(layer.invoke(randomTensor([2, 5, 6, 3], 1)).shape, [2, 8, 13, 3]);
  });
  it('gradient check and config round trip', () => {
    const layer = layers.zeroPadding2d({ padding: [[0, 1], [2, 1]] });
    layerGradCheck(layer, randomTensor([2, 2, 3, 2], 2));
    checkRoundTrip(layer, randomTensor([2, 2, 3, 2], 2));
    assert.deepEqual(layer.getConfig().padding, [[0, 1], [2, 1]]);
  });
  it('bad input gets a clear error', () => {
    assert.throws(() => layers.zeroPadding2d({ padding: -1 }), /padding must be n, \[rows, cols\] or \[\[top, bottom\], \[left, right\]\]/);
    assert.throws(() => layers.zeroPadding2d({ padding: [1, 2, 3] }), /padding must be/);
    assert.throws(() => layers.zeroPadding2d().invoke(randomTensor([2, 3], 1)), /expects inputs of shape \(batch, height, width, channels\)/);
  });
});

describe('UpSampling2D layer', () => {
  it('repeats each pixel (nearest)', () => {
    const x = ops.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = layers.upSampling2d({ size: [2, 3] }).invoke(x);
    assert.deepEqual(y.shape, [1, 4, 6, 1]);
    assert.deepEqual(Array.from(y.values), [
      1, 1, 1, 2, 2, 2,
      1, 1, 1, 2, 2, 2,
      3, 3, 3, 4, 4, 4,
      3, 3, 3, 4, 4, 4,
    ]);
    assert.deepEqual(layers.upSampling2d().computeOutputShape([null, 3, null, 2]), [null, 6, null, 2]);
  });
  it('keeps channels apart', () => {
    const x = ops.tensor([1, 10, 2, 20], [1, 1, 2, 2]);
    assert.deepEqual(Array.from(layers.upSampling2d({ size: [1, 2] }).invoke(x).values), [1, 10, 1, 10, 2, 20, 2, 20]);
  });
  it('gradient check and config round trip', () => {
    const layer = layers.upSampling2d({ size: [2, 3] });
    layerGradCheck(layer, randomTensor([2, 2, 2, 3], 3));
    checkRoundTrip(layer, randomTensor([2, 2, 2, 3], 3));
    assert.deepEqual(layer.getConfig().interpolation, 'nearest');
  });
  it('bad input gets a clear error', () => {
    assert.throws(() => layers.upSampling2d({ interpolation: 'bilinear' as never }), /interpolation 'bilinear' is not supported/);
    assert.throws(() => layers.upSampling2d({ size: 0 }), /size must be positive integers/);
  });
});

describe('Rescaling layer', () => {
  it('y = x * scale + offset, casting integer images to float32', () => {
    const img = ops.tensor([0, 51, 255], [1, 3], 'int32');
    const y = layers.rescaling({ scale: 1 / 255 }).invoke(img);
    assert.equal(y.dtype, 'float32');
    assertClose(y.values, [0, 0.2, 1], 1e-7);
    const z = layers.rescaling({ scale: 1 / 127.5, offset: -1 }).invoke(ops.tensor([0, 127.5, 255]));
    assert.deepEqual(Array.from(z.values), [-1, 0, 1]);
  });
  it('per-channel scale and offset broadcast against the last axis', () => {
    const y = layers.rescaling({ scale: [1, 10], offset: [0, 1] }).invoke(ops.tensor([1, 2, 3, 4], [2, 2]));
    assert.deepEqual(Array.from(y.values), [1, 21, 3, 41]);
  });
  it('gradient check and config round trip', () => {
    const layer = layers.rescaling({ scale: 0.5, offset: [1, 2, 3] });
    layerGradCheck(layer, randomTensor([2, 2, 3], 1));
    checkRoundTrip(layer, randomTensor([2, 2, 3], 1));
    assert.deepEqual(layer.getConfig().offset, [1, 2, 3]);
  });
  it('bad input gets a clear error', () => {
    assert.throws(() => layers.rescaling({} as never), /scale is required/);
    assert.throws(() => layers.rescaling({ scale: Number.NaN }), /scale must be a finite number/);
  });
});
