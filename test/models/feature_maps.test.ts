import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { assertClose } from '../helpers/assert';
import { randomTensor } from '../helpers/gradcheck';

// Seed 001 looks inside its trained CNN with
//   Model(inputs=model.input, outputs=model.layers[i].output).predict(x_test)
// These tests do the same on the seed's model.

function seed001(): tt.Sequential {
  resetNames();
  return tt.sequential([
    tt.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }),
    tt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
    tt.layers.maxPooling2d({ poolSize: [2, 2] }),
    tt.layers.dropout({ rate: 0.25 }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 128, activation: 'relu' }),
    tt.layers.dropout({ rate: 0.5 }),
    tt.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

/** The first k layers of the Sequential applied eagerly, in inference mode. */
function eager(model: tt.Sequential, x: tt.Tensor, k: number): tt.Tensor {
  let h = x;
  for (const l of model.layers.slice(0, k)) h = l.apply(h);
  return h;
}

describe('feature maps from a Sequential (seed 001)', () => {
  it('a built Sequential exposes symbolic inputs, outputs and each layer\'s output', () => {
    const model = seed001();
    assert.equal(model.inputs.length, 1);
    assert.ok(model.input instanceof tt.SymbolicTensor);
    assert.equal(model.inputs[0], model.input);
    assert.deepEqual(model.input.shape, [null, 28, 28, 1]);
    assert.deepEqual(model.output.shape, [null, 10]);
    assert.deepEqual(model.layers.map((l) => l.output.shape), [
      [null, 26, 26, 32], [null, 24, 24, 64], [null, 12, 12, 64], [null, 12, 12, 64],
      [null, 9216], [null, 128], [null, 128], [null, 10],
    ]);
    assert.equal(model.layers[1].input, model.layers[0].output);
  });

  it('tt.model({ inputs: model.inputs, outputs: model.layers[i].output }).predict gives layers 1, 2 and the pooling layer', () => {
    const model = seed001();
    const x = randomTensor([3, 28, 28, 1], 1);
    const expectShapes = [[3, 26, 26, 32], [3, 24, 24, 64], [3, 12, 12, 64]];
    for (let i = 0; i < 3; i++) {
      const sub = tt.model({ inputs: model.inputs, outputs: model.layers[i].output });
      const maps = sub.predict(x) as tt.Tensor;
      assert.deepEqual(maps.shape, expectShapes[i]);
      assertClose(maps, eager(model, x, i + 1), 1e-5, `layer ${i}`);
    }
    // seed 001 writes model.input (singular)
    const first = tt.model({ inputs: model.input, outputs: model.layers[0].output });
    assert.deepEqual(first.layers.map((l) => l.name), ['input_layer', 'conv2d'], 'Keras 3 lists the same layers');
    const text = first.summaryText({ lineLength: 76 });
    assert.match(text, /│ input_layer \(InputLayer\)\s+│ \(None, 28, 28, 1\)\s+│\s+0 │/);
    assert.match(text, / Total params: 320 \(1\.25 KB\)/);
  });

  it('the sub-model shares the Sequential\'s weights: training one changes the other', async () => {
    const model = seed001();
    const sub = tt.model({ inputs: model.inputs, outputs: [model.layers[0].output, model.layers[2].output] });
    assert.equal(sub.weights[0], model.layers[0].weights[0], 'the same Variable, not a copy');
    const x = randomTensor([4, 28, 28, 1], 1);
    const before = (sub.predict(x) as tt.Tensor[])[1];
    const y = tt.utils.toCategorical(tt.tensor([0, 1, 2, 3]), 10);
    model.compile({ optimizer: tt.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const [conv1, pooled] = sub.predict(x) as tt.Tensor[];
    assertClose(conv1, eager(model, x, 1), 1e-5, 'conv after fit');
    assertClose(pooled, eager(model, x, 3), 1e-5, 'pooling after fit');
    let moved = 0;
    for (let i = 0; i < pooled.size; i++) moved = Math.max(moved, Math.abs(pooled.values[i] - before.values[i]));
    assert.ok(moved > 0, 'the feature maps follow the trained weights');
  });

  it('a Sequential without an input shape has no symbolic input until it is built', () => {
    const model = tt.sequential([tt.layers.dense({ units: 2 })]);
    assert.throws(() => model.inputs, /Sequential model '.*' has no defined inputs yet: give the first layer an inputShape/);
    assert.throws(() => model.layers[0].output, /has never been called/);
    model.predict(tt.zeros([1, 5]));
    assert.deepEqual(model.input.shape, [null, 5]);
    assert.deepEqual(model.layers[0].output.shape, [null, 2]);
  });

  it('a tt.input() tensor can start a Sequential, as keras.Input does', () => {
    const x = tt.input({ shape: [6], name: 'features' });
    const model = tt.sequential([x, tt.layers.dense({ units: 2 })]);
    assert.equal(model.input, x);
    assert.equal(model.layers.length, 1);
    assert.deepEqual(model.output.shape, [null, 2]);
    assert.throws(() => tt.sequential([model.output as never]), /expects a layer or a tt.input\(\) tensor, got the output of layer/);
  });

  it('pop and add keep one node per layer, so layer.output stays defined', () => {
    const model = tt.sequential([tt.layers.dense({ units: 4, inputShape: [3] }), tt.layers.dense({ units: 2 })]);
    const last = model.layers[1];
    model.pop();
    assert.equal(last.inboundNodes.length, 0);
    model.add(tt.layers.dense({ units: 5 }));
    assert.deepEqual(model.output.shape, [null, 5]);
    assert.equal(model.layers[0].inboundNodes.length, 1);
    assert.throws(() => model.add(tt.layers.conv2d({ filters: 1, kernelSize: 1 })), /cannot add layer 'conv2d(_\d+)?' \(Conv2D\) after output shape \(None, 5\)/);
    assert.equal(model.layers.length, 2, 'a layer that does not fit is not kept');
  });
});
