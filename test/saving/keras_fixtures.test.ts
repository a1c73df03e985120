import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { assertClose } from '../helpers/assert';
import { predict1, repoRoot } from './io_helpers';

// Files laid out exactly as Keras 3 and tf.keras 2.15 write them (made with h5py by
// test/fixtures/keras_files/make_keras_files.py, following Keras's saving code) load in tatami
// with the predictions NumPy computed from their weights, and with their optimizer state.

const DIR = join(repoRoot(), 'test', 'fixtures', 'keras_files');

interface Expected {
  input: { shape: number[]; data: number[] };
  files: Record<string, { prediction: { shape: number[]; data: number[] } }>;
  optimizer: { class_name: string; iterations: number; learning_rate: number; slots: Record<string, number[]> };
}

const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;
const x = tt.tensor(Float32Array.from(expected.input.data), expected.input.shape);

function checkPrediction(model: tt.Sequential | tt.LayersModel, file: string): void {
  const want = expected.files[file].prediction;
  const got = predict1(model, x);
  assert.deepEqual(got.shape, want.shape);
  assertClose(got.values, want.data, 1e-5, `${file} predictions`);
}

function checkOptimizer(opt: tt.Optimizer | null, file: string): void {
  const e = expected.optimizer;
  assert.ok(opt, `${file}: compiled from its training config`);
  assert.equal(opt.className, e.class_name);
  assert.equal(opt.iterations, e.iterations);
  assert.equal(opt.learningRate, e.learning_rate);
  const state = new Map(opt.getState().map((s) => [s.name, s.values]));
  for (const [name, values] of Object.entries(e.slots)) assertClose(state.get(name)!, values, 0, `${file} ${name}`);
}

describe('model files written by Keras', () => {
  for (const file of ['keras3_sequential.keras', 'keras2_sequential.h5', 'keras2_10_sequential.h5']) {
    it(`${file}: predictions and optimizer state`, async () => {
      const model = await tt.loadModel(join(DIR, file));
      assert.deepEqual(model.layers.map((l) => l.name), ['conv2d', 'max_pooling2d', 'dropout', 'conv2d_1', 'flatten', 'dense', 'dense_1']);
      checkPrediction(model, file);
      checkOptimizer(model.optimizer, file);
      assert.deepEqual(model.compiled!.metricIds, ['accuracy']);
      // and training continues from there
      const y = tt.oneHot(tt.tensor([0, 1, 2, 0, 1], [5], 'int32'), 3);
      await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
      assert.equal(model.optimizer!.iterations, expected.optimizer.iterations + 1);
    });
  }

  it('keras3_functional.keras: a graph with BatchNormalization and an Add branch', async () => {
    const model = await tt.loadModel(join(DIR, 'keras3_functional.keras'));
    assert.equal(model.className, 'Functional');
    assert.equal(model.compiled, null, 'saved without compile_config');
    assert.deepEqual(model.layers.map((l) => l.className),
      ['InputLayer', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense', 'Add', 'Dense']);
    checkPrediction(model, 'keras3_functional.keras');
  });

  for (const file of ['keras3_sequential.weights.h5', 'keras2_sequential_weights.h5']) {
    it(`${file}: loadWeights into the same architecture`, async () => {
      const model = await tt.loadModel(join(DIR, 'keras3_sequential.keras'), { compile: false });
      model.setWeights(model.getWeights().map((w) => tt.zerosLike(w)));
      await model.loadWeights(join(DIR, file));
      checkPrediction(model, file);
    });
  }

  it('keras3_sequential.weights.h5 restores the optimizer of a compiled model, as Keras 3 does', async () => {
    const model = await tt.loadModel(join(DIR, 'keras2_sequential.h5'), { compile: false });
    model.compile({ optimizer: tt.optimizers.adam({ learningRate: expected.optimizer.learning_rate }), loss: 'categoricalCrossentropy' });
    await model.loadWeights(join(DIR, 'keras3_sequential.weights.h5'));
    checkOptimizer(model.optimizer, 'keras3_sequential.weights.h5');
  });
});
