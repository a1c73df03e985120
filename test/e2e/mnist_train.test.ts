import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';

// Real data: the seed 004 CNN trained one epoch (Adam, Keras defaults, batch 32, shuffled) on the
// first 10,000 MNIST training images, evaluated on the first 2,000 test images. This check only
// asks "does training work at all"; exactness is the job of trajectory.test.ts.
//
// Measured spread of this exact setup (tatami, wasm backend, setSeed 1..24), test accuracy in %:
//   1: 94.40   2: 92.75   3: 95.45   4: 95.70   5: 94.60   6: 94.00   7: 94.75   8: 94.35
//   9: 94.65  10: 88.75  11: 93.90  12: 95.10  13: 94.40  14: 95.00  15: 95.15  16: 94.80
//  17: 95.05  18: 93.15  19: 93.75  20: 93.60  21: 92.05  22: 94.70  23: 95.05  24: 93.40
// mean 94.10, standard deviation 1.44, min 88.75 (seed 10), max 95.70; mean - 5 sd = 86.9.
// Test loss: mean 0.192, max 0.367 (seed 10). (PyTorch with the same model, Glorot init and Adam
// eps 1e-7: 93.3-95.0% over seeds 0-3.) The tail is long (seed 10 sits 3.7 sd under the mean), so
// the bar is 85%, under mean - 5 sd and 3.75 points under the worst seed seen; a trainer that does
// not learn stays near chance: with learningRate 0 this test fails at 11.9% accuracy, loss 2.303
// (tried by hand; with learningRate 1e-5, 100x too small, it fails at 39.1%, loss 2.21).
// The loss bar, 0.6, likewise sits far above the worst seed (0.367) and far under chance (2.30).
// The seed is fixed (4) so a run is repeatable; the bars do not rely on it being a lucky one.
const MIN_ACCURACY = 0.85;
const MAX_LOSS = 0.6;

describe('training on real MNIST', () => {
  it(`seed 004 CNN: one epoch on 10k images reaches >= ${MIN_ACCURACY * 100}% on 2k test images`, async () => {
    tt.setSeed(4);
    const [[xTrain, yTrain], [xTest, yTest]] = await tt.datasets.mnist.loadData();
    const x = xTrain.slice([0], [10000]).reshape([-1, 28, 28, 1]).cast('float32').div(255);
    const y = yTrain.slice([0], [10000]);
    const model = tt.sequential();
    model.add(tt.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }));
    model.add(tt.layers.maxPooling2d({ poolSize: [2, 2] }));
    model.add(tt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
    model.add(tt.layers.maxPooling2d({ poolSize: [2, 2] }));
    model.add(tt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
    model.add(tt.layers.flatten());
    model.add(tt.layers.dense({ units: 64, activation: 'relu' }));
    model.add(tt.layers.dense({ units: 10, activation: 'softmax' }));
    assert.equal(model.countParams(), 93322);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { batchSize: 32, epochs: 1, verbose: 0 });
    assert.equal(history.history.loss.length, 1);
    const xt = xTest.slice([0], [2000]).reshape([-1, 28, 28, 1]).cast('float32').div(255);
    const [loss, acc] = (await model.evaluate(xt, yTest.slice([0], [2000]), { verbose: 0 })) as number[];
    assert.ok(acc >= MIN_ACCURACY, `test accuracy ${acc} < ${MIN_ACCURACY} (loss ${loss}): training is broken`);
    assert.ok(loss <= MAX_LOSS, `test loss ${loss} > ${MAX_LOSS} (accuracy ${acc}): training is broken`);
    // predict agrees with evaluate: the accuracy recomputed from predict's argmax is the same
    const probs = model.predict(xt);
    assert.deepEqual(probs.shape, [2000, 10]);
    const predicted = probs.argMax(-1).values;
    const truth = yTest.values;
    let right = 0;
    for (let i = 0; i < 2000; i++) if (predicted[i] === truth[i]) right++;
    assert.ok(Math.abs(right / 2000 - acc) < 1e-9, `predict's accuracy ${right / 2000} != evaluate's ${acc}`);
  });
});
