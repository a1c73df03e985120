import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import { backend, setBackend } from '../../src/backend/registry';
import { createJsBackend } from '../../src/backend/js/index';
import type { Tensor } from '../../src/tensor/tensor';
import { BatchNormalization, layers } from '../../src/layers/index';
import { assertClose } from '../helpers/assert';
import { gradCheck, randomTensor } from '../helpers/gradcheck';
import { checkGolden, checkRoundTrip, layerGradCheck, loadFixture, toTensor } from './layer_checks';

const fixture = loadFixture('batchnorm.json');

describe('batchNorm ops', () => {
  it('inference form: gradients for x, mean, variance, offset, scale (channels last and axis 1)', () => {
    const c = () => randomTensor([3], 2);
    const v = () => randomTensor([3], 3, 0.5, 1.5);
    gradCheck((x, m, s, b, g) => ops.batchNorm(x, m, s, b, g, 1e-3), [randomTensor([2, 4, 3], 1), c(), v(), c(), c()]);
    gradCheck((x, m, s) => ops.batchNorm(x, m, s, null, null, 1e-3, 1), [randomTensor([2, 3, 5], 1), c(), v()]);
  });
  it('training form: gradients flow through the batch statistics', () => {
    const c = (seed: number) => randomTensor([4], seed, 0.5, 1.5);
    gradCheck((x, b, g) => ops.batchNormTraining(x, b, g, 1e-3).y, [randomTensor([3, 2, 2, 4], 1), c(2), c(3)], { eps: 1e-3 });
    gradCheck((x) => ops.batchNormTraining(x, null, null, 1e-3, 1).y, [randomTensor([3, 4, 2], 5)], { eps: 1e-3 });
  });
  it('the channels-last kernel path agrees with the JS reference loops', () => {
    const run = () => {
      const x = randomTensor([8, 16, 25, 6], 1, -2, 3);   // 19200 elements: above the wasm kernels' small-size cutoff
      const b = randomTensor([6], 2);
      const g = randomTensor([6], 3, 0.5, 1.5);
      for (const t of [x, b, g]) t.requiresGrad = true;
      const dy = randomTensor([8, 16, 25, 6], 4);
      const { y, mean, variance } = ops.batchNormTraining(x, b, g);
      const yi = ops.batchNorm(x, mean, variance, b, g);
      const grads = gradients(ops.add(ops.sum(ops.mul(y, dy)), ops.sum(ops.mul(yi, dy))), [x, b, g]) as Tensor[];
      return [y, yi, mean, variance, ...grads].map((t) => Array.from(t.values));
    };
    const active = backend();
    const here = run();
    setBackend(createJsBackend());
    let reference: number[][];
    try {
      reference = run();
    } finally {
      setBackend(active);
    }
    here.forEach((v, i) => assertClose(v, reference[i], 1e-5, `result ${i}`));
  });
  it('training form returns the biased batch statistics', () => {
    const x = ops.tensor([[1, 10], [3, 20], [5, 60]]);
    const { mean, variance } = ops.batchNormTraining(x, null, null);
    assertClose(mean.values, [3, 30]);
    assertClose(variance.values, [8 / 3, 1400 / 3]);
  });
});

describe('BatchNormalization layer', () => {
  for (const c of fixture.cases) {
    const weights = () => [toTensor(c.gamma), toTensor(c.beta), toTensor(c.moving_mean), toTensor(c.moving_variance)];
    const make = () => {
      const layer = layers.batchNormalization({ axis: c.axis, momentum: c.momentum, epsilon: c.epsilon });
      layer.build([null, ...c.x.shape.slice(1)]);
      layer.setWeights(weights());
      return layer;
    };
    it(`training matches the golden values: ${c.name}`, () => {
      const layer = make();
      const t = c.training;
      checkGolden(layer, toTensor(c.x), toTensor(c.dy), { y: t.y, grads: [t.dx, t.dgamma, t.dbeta] }, true);
      assertClose(layer.movingMean!.values, t.moving_mean_after.data, 1e-5, 'moving_mean');
      assertClose(layer.movingVariance!.values, t.moving_variance_after.data, 1e-5, 'moving_variance');
      const stats = ops.batchNormTraining(toTensor(c.x), null, null, c.epsilon);
      assertClose(stats.mean.values, t.batch_mean.data, 1e-5, 'batch_mean');
      assertClose(stats.variance.values, t.batch_variance.data, 1e-5, 'batch_variance');
    });
    it(`inference matches the golden values and leaves the moving statistics alone: ${c.name}`, () => {
      const layer = make();
      const i = c.inference;
      checkGolden(layer, toTensor(c.x), toTensor(c.dy), { y: i.y, grads: [i.dx, i.dgamma, i.dbeta] }, false);
      assert.deepEqual(Array.from(layer.movingMean!.values), c.moving_mean.data.map(Math.fround));
      assert.deepEqual(Array.from(layer.movingVariance!.values), c.moving_variance.data.map(Math.fround));
    });
  }

  it('a frozen layer runs in inference mode even when training (Keras 3)', () => {
    const c = fixture.cases[0];
    const layer = layers.batchNormalization();
    layer.build([null, ...c.x.shape.slice(1)]);
    layer.setWeights([toTensor(c.gamma), toTensor(c.beta), toTensor(c.moving_mean), toTensor(c.moving_variance)]);
    layer.trainable = false;
    const y = layer.invoke(toTensor(c.x), true);
    assertClose(y.values, c.inference.y.data, 1e-4, 'y');
    assert.deepEqual(Array.from(layer.movingMean!.values), c.moving_mean.data.map(Math.fround));
  });

  it('weights in Keras order, moving statistics non-trainable; center/scale drop beta/gamma', () => {
    const layer = layers.batchNormalization();
    layer.build([null, 5, 5, 3]);
    assert.deepEqual(layer.weights.map((w) => w.name.split('/').pop()), ['gamma', 'beta', 'moving_mean', 'moving_variance']);
    assert.deepEqual(layer.trainableWeights.map((w) => w.name.split('/').pop()), ['gamma', 'beta']);
    assert.deepEqual(layer.nonTrainableWeights.map((w) => w.name.split('/').pop()), ['moving_mean', 'moving_variance']);
    assert.deepEqual(Array.from(layer.weights[0].values), [1, 1, 1]);
    assert.deepEqual(Array.from(layer.weights[3].values), [1, 1, 1]);
    assert.equal(layer.countParams(), 12);
    const bare = layers.batchNormalization({ center: false, scale: false });
    bare.build([null, 4]);
    assert.deepEqual(bare.weights.map((w) => w.name.split('/').pop()), ['moving_mean', 'moving_variance']);
  });

  it('gradient check through the layer (training and inference, axis 1)', () => {
    const layer = layers.batchNormalization({ gammaInitializer: 'randomUniform', betaInitializer: 'randomUniform' });
    layerGradCheck(layer, randomTensor([3, 2, 2, 3], 4), { training: true, eps: 1e-3 });
    layerGradCheck(layer, randomTensor([3, 2, 2, 3], 4), { training: false });
    const axis1 = layers.batchNormalization({ axis: 1, center: false });
    layerGradCheck(axis1, randomTensor([4, 3, 2], 6), { training: true, eps: 1e-3 });
  });

  it('config round trip', () => {
    const layer = layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, center: false, gammaInitializer: 'randomNormal' });
    const copy = checkRoundTrip(layer, randomTensor([2, 3, 3, 2], 1));
    assert.ok(copy instanceof BatchNormalization);
    const cfg = layer.getConfig();
    assert.equal(cfg.axis, -1);
    assert.equal(cfg.momentum, 0.9);
    assert.equal(cfg.center, false);
    assert.deepEqual(cfg.movingVarianceInitializer, { className: 'Ones', config: {} });
  });

  it('bad input gets a clear error', () => {
    assert.throws(() => layers.batchNormalization({ momentum: 2 }), /momentum must be in \[0, 1\]/);
    assert.throws(() => layers.batchNormalization({ axis: 1.5 }), /axis must be an integer/);
    assert.throws(() => layers.batchNormalization({ epsilon: 1e-3, foo: 1 } as never), /unknown option 'foo'/);
    const layer = layers.batchNormalization();
    layer.invoke(randomTensor([2, 3], 1));
    assert.throws(() => layer.invoke(randomTensor([2, 4], 1)), /3 channels on axis -1, got \(2, 4\)/);
    assert.throws(() => layers.batchNormalization({ axis: 3 }).invoke(randomTensor([2, 3], 1)), /axis 3 is out of range/);
  });
});
