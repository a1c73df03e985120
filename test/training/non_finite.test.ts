import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { capture, tinyProblem } from '../callbacks/fakes';

// Non-finite values. Keras 3 trains on through a NaN loss (only TerminateOnNaN stops, printing
// "Batch N: Invalid loss, terminating training"); it checks no input for NaN, but its labels
// must be class indices (sparse crossentropy, to_categorical). tatami does the same and warns
// once per fit where the loss went non-finite and whether the batch's data explains it.
// Crossentropy clips probabilities to [1e-7, 1 - 1e-7] as Keras does.

const WARN = /UserWarning: fit: the loss is NaN at batch 5 \(counted from 0, as callbacks see it\) of epoch 1\/3: its inputs hold 1 NaN value \(the first in sample 0 of the batch\)\. Training goes on, as in Keras; tt\.callbacks\.terminateOnNaN\(\) stops at the first such batch\./;

/**
 * Row 40 of x is NaN in its third feature: with batches of 8, unshuffled, batch 5's first sample.
 * The hidden layer is tanh: tatami's relu maps NaN to 0 (PyTorch's and TensorFlow's keep it).
 */
function poisonedInputs() {
  const p = tinyProblem();
  const model = tt.sequential([tt.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tt.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  p.x.values[40 * 4 + 2] = NaN;
  return { ...p, model };
}

describe('a NaN or infinite loss in fit', () => {
  it('is reported once with its batch and epoch and what in the batch is not finite; training goes on as in Keras', async () => {
    const { model, x, y } = poisonedInputs();
    const { warnings, result: history } = await capture(() => model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 }));
    assert.equal(warnings.length, 1, warnings.join(''));
    assert.match(warnings[0], WARN);
    assert.equal(history.history.loss.length, 3);
    assert.ok(history.history.loss.every((l) => Number.isNaN(l)));
  });

  it('TerminateOnNaN stops after that batch with Keras\'s line, and onTrainEnd runs', async () => {
    const { model, x, y } = poisonedInputs();
    let ended = 0;
    const end = tt.callbacks.lambdaCallback({ onTrainEnd: () => void ended++ });
    const { lines, warnings, result: history } = await capture(() =>
      model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, callbacks: [tt.callbacks.terminateOnNaN(), end] }));
    assert.deepEqual(lines, ['Batch 5: Invalid loss, terminating training']);
    assert.match(warnings.join(''), WARN);
    assert.equal(history.history.loss.length, 1);
    assert.equal(ended, 1);
  });

  it('with finite data, the warning blames the weights (a diverging learning rate)', async () => {
    const { model, x, y } = tinyProblem(7, 1e30);
    const { warnings } = await capture(() => model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 }));
    assert.equal(warnings.length, 1, warnings.join(''));
    assert.match(warnings[0], /fit: the loss is (NaN|Infinity) at batch \d+ .* of epoch \d\/4: its inputs and targets are finite, so the weights or activations overflowed \(a learning rate too high\?\)/);
  });

  it('names infinite targets', async () => {
    const { model, x, y } = tinyProblem();
    const yf = y.cast('float32');
    yf.values[9 * 3] = Infinity;
    const { warnings } = await capture(() => model.fit(x, yf, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 }));
    assert.match(warnings.join(''), /the loss is (NaN|-?Infinity) at batch 1 .* its targets hold 1 infinite value \(the first in sample 1 of the batch\)/);
  });

  it('finite training warns nothing', async () => {
    const { model, x, y } = tinyProblem();
    const { warnings } = await capture(() => model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 }));
    assert.deepEqual(warnings, []);
  });
});

describe('NaN where Keras refuses it', () => {
  it('class-index labels: sparse crossentropy and toCategorical name the NaN', () => {
    assert.throws(() => tt.losses.sparseCategoricalCrossentropy()(tt.tensor([1, NaN]), tt.tensor([[0.2, 0.8], [0.5, 0.5]])),
      /sparseCategoricalCrossentropy: label NaN at index 1 is not an integer in \[0, 2\)/);
    assert.throws(() => tt.utils.toCategorical([0, NaN, 2], 3), /toCategorical: label NaN at index 1 is not a class index/);
  });
});

describe('softmax and crossentropy with huge logits stay finite', () => {
  const loss = (l: tt.Tensor) => l.dataSync()[0];
  for (const big of [1e4, 1e30]) {
    it(`logits of ±${big}`, () => {
      const logits = tt.tensor([[big, 0, -big]]);
      assert.deepEqual(Array.from(tt.softmax(logits).dataSync()), [1, 0, 0]);
      // probabilities 0 and 1, clipped to [1e-7, 1 - 1e-7]: -log(1e-7) (Keras gives 16.118095)
      const cce = loss(tt.losses.categoricalCrossentropy()(tt.tensor([[0, 0, 1]]), tt.softmax(logits)));
      assert.ok(Math.abs(cce - 16.118095) < 1e-4, `${cce}`);
      // (-log(1e-7) - log(1 - (1 - 1e-7 in float32))) / 2, as Keras computes it
      const bce = loss(tt.losses.binaryCrossentropy()(tt.tensor([[1, 0]]), tt.sigmoid(tt.tensor([[-big, big]]))));
      assert.ok(Math.abs(bce - 16.030239) < 1e-4, `${bce}`);
      // from logits: the stable forms give the exact loss, 2·big and big
      const fromLogits = { fromLogits: true };
      assert.equal(loss(tt.losses.categoricalCrossentropy(fromLogits)(tt.tensor([[0, 0, 1]]), logits)), Math.fround(2 * big));
      assert.equal(loss(tt.losses.sparseCategoricalCrossentropy(fromLogits)(tt.tensor([2]), logits)), Math.fround(2 * big));
      assert.equal(loss(tt.losses.binaryCrossentropy(fromLogits)(tt.tensor([[1, 0]]), tt.tensor([[-big, big]]))), Math.fround(big));
      const g = tt.grad((z: tt.Tensor) => tt.losses.categoricalCrossentropy(fromLogits)(tt.tensor([[0, 0, 1]]), z))(logits);
      assert.deepEqual(Array.from(g.dataSync()), [1, 0, -1]);
    });
  }

  it('logits that differ by more than float32 holds: a finite loss, not NaN (0 × -Infinity)', () => {
    const logits = tt.tensor([[3e38, -3e38, 0]]);
    for (const l of [tt.losses.sparseCategoricalCrossentropy({ fromLogits: true })(tt.tensor([2]), logits),
      tt.losses.categoricalCrossentropy({ fromLogits: true })(tt.tensor([[0, 0, 1]]), logits)]) {
      assert.equal(l.dataSync()[0], Math.fround(3e38));
    }
  });
});
