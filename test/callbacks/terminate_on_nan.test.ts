import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { capture, tinyProblem } from './fakes';

// Keras 3's keras/src/callbacks/terminate_on_nan.py: checks logs['loss'] after each batch.

/** The tiny problem with a NaN label in row 40, so (unshuffled, batches of 8) batch 5 has a NaN loss. */
function poisoned() {
  const p = tinyProblem();
  // a NaN needs float labels: tt.oneHot gives int32, as tf.oneHot does
  const y = p.y.cast('float32');
  y.values[40 * 3] = NaN;
  return { ...p, y };
}

describe('terminateOnNaN', () => {
  it('prints Keras\'s message and stops right after the bad batch', async () => {
    const { model, x, y } = poisoned();
    let batches = 0;
    const counter = tt.callbacks.lambdaCallback({ onBatchEnd: () => void batches++ });
    const { lines, result: history } = await capture(() =>
      model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, callbacks: [tt.callbacks.terminateOnNaN(), counter] }));
    assert.deepEqual(lines, ['Batch 5: Invalid loss, terminating training']);
    assert.equal(batches, 6);
    assert.equal(history.history.loss.length, 1);
    assert.ok(Number.isNaN(history.history.loss[0]));
  });

  it('raiseError throws instead', async () => {
    const { model, x, y } = poisoned();
    await assert.rejects(model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks: [tt.callbacks.terminateOnNaN({ raiseError: true })] }),
      /NaN or Inf loss encountered at batch 5\. Loss value: NaN\. Terminating training immediately\./);
  });

  it('leaves finite training alone', async () => {
    const { model, x, y } = tinyProblem();
    const { lines, result } = await capture(() => model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [tt.callbacks.terminateOnNaN()] }));
    assert.deepEqual(lines, []);
    assert.equal(result.history.loss.length, 2);
  });
});
