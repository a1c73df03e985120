import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { kerasOptimizerState } from '../../src/saving/optimizer_state';

// Keras 3 lists optimizer variables as iteration, learning_rate, then the slots in the order
// build() creates them (keras/src/optimizers/nadam.py, adamax.py).
function trainedModel(optimizer: tt.Optimizer) {
  const model = tt.sequential({ layers: [tt.layers.dense({ units: 3, inputShape: [4] }), tt.layers.dense({ units: 2 })] });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

describe('Keras optimizer variable layout', () => {
  it('Nadam: every momentum, then every velocity, then u_product = μ(1)…μ(t)', async () => {
    const model = trainedModel(tt.optimizers.nadam({ learningRate: 0.01, beta1: 0.8 }));
    await model.fit(tt.randomNormal([6, 4], 0, 1, 'float32', 1), tt.randomNormal([6, 2], 0, 1, 'float32', 2),
      { epochs: 3, batchSize: 6, verbose: 0 });
    const vars = model.trainableWeights;
    const state = kerasOptimizerState(model.optimizer!, vars, true);
    assert.equal(state.length, 2 + 2 * vars.length + 1);
    assert.deepEqual(state.slice(2, 2 + vars.length).map((s) => s.name.endsWith('_momentum')), vars.map(() => true));
    assert.deepEqual(state.slice(2 + vars.length, 2 + 2 * vars.length).map((s) => s.name.endsWith('_velocity')), vars.map(() => true));
    const last = state[state.length - 1];
    const mu = (i: number) => 0.8 * (1 - 0.5 * Math.pow(0.96, i));
    assert.equal(last.name, 'u_product');
    assert.ok(Math.abs(last.values[0] - mu(1) * mu(2) * mu(3)) < 1e-7);
  });

  it('Adamax: momentum and norm interleaved per variable', () => {
    const model = trainedModel(tt.optimizers.adamax());
    const vars = model.trainableWeights;
    const names = kerasOptimizerState(model.optimizer!, vars, false).slice(1).map((s) => s.name.replace(/^.*_/, ''));
    assert.deepEqual(names, vars.flatMap(() => ['momentum', 'norm']));
  });
});
