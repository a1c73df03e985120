import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { layers } from '../../src/layers/index';
import type { Tensor } from '../../src/tensor/tensor';
import { gradCheck, randomTensor } from '../helpers/gradcheck';
import { layerGradCheck } from '../layers/layer_checks';
import { setSeed } from '../../src/util/rng';

// The layer settings the applications use that the layers' own tests do not: InceptionV3's batch
// norm without scale after a convolution without bias, MobileNetV2's asymmetric padding before a
// stride-2 'valid' depthwise convolution without bias, ReLU(6) after batch norm.

describe('building blocks of the applications', () => {
  it("InceptionV3's conv2d_bn: Conv2D without bias, BatchNormalization(scale: false), ReLU", () => {
    setSeed(3); // the initial weights, hence where the ReLU kinks fall
    const bn = layers.batchNormalization({ axis: 3, scale: false, betaInitializer: 'randomUniform' });
    layerGradCheck(bn, randomTensor([3, 2, 2, 3], 4), { training: true, eps: 1e-3 });
    layerGradCheck(bn, randomTensor([3, 2, 2, 3], 5), { training: false });
    assert.deepEqual(bn.weights.map((w) => w.name.split('/').pop()), ['beta', 'moving_mean', 'moving_variance']);
    assert.equal(bn.countParams(), 9);
    const conv = layers.conv2d({ filters: 3, kernelSize: [1, 3], padding: 'same', useBias: false });
    const relu = layers.activation({ activation: 'relu' });
    const f = (x: Tensor) => relu.invoke(bn.invoke(conv.invoke(x), true));
    gradCheck(f, [randomTensor([2, 3, 4, 2], 6)], { eps: 1e-3 });
    assert.equal(conv.weights.length, 1);
  });

  it("MobileNetV2's strided block: ZeroPadding2D [[0, 1], [0, 1]] -> DepthwiseConv2D(3, stride 2, valid, no bias) -> BN -> ReLU6", () => {
    setSeed(4);
    const pad = layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] });
    const dw = layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', useBias: false });
    const bn = layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, movingVarianceInitializer: 'ones' });
    const relu6 = layers.reLU({ maxValue: 6 });
    const x = randomTensor([2, 6, 6, 3], 8, -2, 2);
    const padded = pad.invoke(x);
    assert.deepEqual(padded.shape, [2, 7, 7, 3]);
    assert.deepEqual(dw.invoke(padded).shape, [2, 3, 3, 3], 'even sides halve exactly');
    assert.equal(dw.weights.length, 1);
    layerGradCheck(dw, padded);
    gradCheck((t: Tensor) => relu6.invoke(bn.invoke(dw.invoke(pad.invoke(t)), false)), [x], { eps: 1e-3 });
  });
});
