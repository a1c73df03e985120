/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import { loadData } from '../../src/data/mnist';
import { assertClose } from '../helpers/assert';
import { customLoopProgram, mnistProgram, tensorProgram, type InitWeights } from './programs';

// The same TensorFlow.js programs run on @tensorflow/tfjs (the reference) and on tatami/tfjs;
// shapes, dtypes, log keys and printed text must be equal and the numbers close.

test('tensor manipulation program gives the same values on tfjs and tatami/tfjs', async () => {
  const want = await tensorProgram(tfjs);
  const got = await tensorProgram(tt);
  for (const key of Object.keys(want)) {
    if (key === 'softmax' || key === 'linspace') assertClose(got[key] as number[], want[key] as number[], 1e-6, key);
    else assert.deepEqual(got[key], want[key], key);
  }
  assert.equal(got.tidyLeak, 1, 'tidy frees what it does not return or keep');
});

for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adam', 'adamEpsilon', 'adamax', 'rmsprop', 'centered', 'adagrad', 'adadelta']) {
  test(`custom training loop with tf.train.${optimizer} follows tfjs's trajectory`, () => {
    const want = customLoopProgram(tfjs, optimizer);
    const got = customLoopProgram(tt, optimizer);
    assertClose(got.costs as number[], want.costs as number[], 1e-4, `${optimizer} costs`);
    assertClose([got.m as number, got.b as number], [want.m as number, want.b as number], 1e-4, `${optimizer} m, b`);
    // the gradient at the end of the trajectory, in float32 on both sides
    assertClose([got.gm as number], [want.gm as number], 1e-3, `${optimizer} dm`);
    assert.deepEqual(got.gradNames, want.gradNames);
    assertClose(got.grad as number[], want.grad as number[], 1e-6, 'tf.grad');
  });
}

test('the tfjs MNIST tutorial loop runs unchanged on tatami/tfjs with the same logs and numbers', async () => {
  const [[x, y]] = await loadData();
  const n = 128;
  const images = new Float32Array(n * 784);
  for (let i = 0; i < images.length; i++) images[i] = x.values[i] / 255;
  const labels = Int32Array.from(y.values.subarray(0, n) as ArrayLike<number>);
  // the same starting weights in both: tatami's initial ones, copied into tfjs's model
  const first = await mnistProgram(tt, images, labels, null);
  assert.ok(first.loss > 0);
  const probe = tt.sequential();
  probe.add(tt.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: 'relu' }));
  probe.add(tt.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  probe.add(tt.layers.conv2d({ kernelSize: 5, filters: 16, activation: 'relu' }));
  probe.add(tt.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  probe.add(tt.layers.flatten());
  probe.add(tt.layers.dense({ units: 10, activation: 'softmax' }));
  const init: InitWeights[] = probe.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array }));

  const want = await mnistProgram(tfjs, images, labels, init);
  const got = await mnistProgram(tt, images, labels, init);
  assert.deepEqual(got.historyKeys, ['val_loss', 'val_acc', 'loss', 'acc']);
  assert.deepEqual(got.historyKeys, want.historyKeys);
  assert.deepEqual(got.epochs, want.epochs);
  assert.equal(got.batchLogs.length, want.batchLogs.length);
  got.batchLogs.forEach((l, i) => {
    assert.deepEqual(Object.keys(l), Object.keys(want.batchLogs[i]), `batch ${i} log keys`);
    assert.equal(l.size, want.batchLogs[i].size);
    assertClose([l.loss, l.acc], [want.batchLogs[i].loss, want.batchLogs[i].acc], 1e-3, `batch ${i} loss, acc`);
  });
  got.epochLogs.forEach((l, i) => assert.deepEqual(Object.keys(l), Object.keys(want.epochLogs[i])));
  for (const k of want.historyKeys) assertClose(got.history[k], want.history[k], 1e-3, `history ${k}`);
  assert.ok(got.evalIsScalar && want.evalIsScalar, 'evaluate returns [loss, acc] Scalars');
  assertClose([got.loss, got.accuracy], [want.loss, want.accuracy], 1e-3, 'evaluate');
  assert.deepEqual(got.preds, want.preds);
  // the summary is tfjs's table; only the generated layer names differ
  const unname = (lines: string[]) => lines.map((l) => (/^[_=]+$/.test(l) ? l : l.slice(28)));
  assert.deepEqual(unname(got.summaryLines), unname(want.summaryLines));
});

test('what tatami/tfjs does not support fails with a clear error', async () => {
  const m = tt.sequential({ layers: [tt.layers.dense({ units: 1, inputShape: [1] })] });
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 42 }), /loss must be a loss name or a function \(yTrue, yPred\) => Tensor, got number/);
  assert.throws(() => m.compile({ optimizer: 'nope', loss: 'meanSquaredError' }), /Unknown Optimizer nope/);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await assert.rejects(m.fit(tt.ones([2, 1]), tt.ones([2, 1]), { classWeight: {} }), /'classWeight' is not supported/);
});
