/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import { assertClose } from '../helpers/assert';

// model.fitDataset / evaluateDataset and custom loss and metric functions, run the same way on
// @tensorflow/tfjs and tatami/tfjs from identical weights: histories, batch logs and Scalars agree.

type TF = any;

const N = 10;
const X = Array.from({ length: N * 3 }, (_, i) => Math.sin(i * 1.7));
const Y = Array.from({ length: N }, (_, i) => i % 2);

/** A small classifier with fixed weights (the same on both sides). */
function classifier(tf: TF, compile: Record<string, unknown> = {}) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  m.setWeights(m.getWeights().map((w: any, i: number) => tf.tensor(Array.from({ length: w.size }, (_, k) => Math.cos(k + i * 3) * 0.5), w.shape)));
  m.compile({ optimizer: tf.train.sgd(0.3), loss: 'categoricalCrossentropy', metrics: ['accuracy'], ...compile });
  return m;
}

/** { xs, ys } elements, batched by 4 (batches of 4, 4, 2). */
function dataset(tf: TF) {
  const rows = Array.from({ length: N }, (_, i) => ({ xs: X.slice(i * 3, i * 3 + 3), ys: [1 - Y[i], Y[i]] }));
  return tf.data.array(rows).batch(4);
}

async function run(tf: TF, fitArgs: (tf: TF) => Record<string, unknown>, compile?: Record<string, unknown>, repeat = false) {
  const m = classifier(tf, compile);
  const batchLogs: any[] = [];
  const epochLogs: any[] = [];
  const h = await m.fitDataset(repeat ? dataset(tf).repeat() : dataset(tf), {
    verbose: 0, ...fitArgs(tf),
    callbacks: { onBatchEnd: async (b: number, l: any) => batchLogs.push({ b, ...l }), onEpochEnd: async (e: number, l: any) => epochLogs.push({ e, ...l }) },
  });
  const evaluated = await m.evaluateDataset(dataset(tf), {});
  const values = (Array.isArray(evaluated) ? evaluated : [evaluated]).map((s: any) => s.dataSync()[0]);
  return { history: h.history, epochs: h.epoch, batchLogs, epochLogs, evaluated: values, weights: m.getWeights().map((w: any) => Array.from(w.dataSync())) };
}

function compare(got: any, want: any, label: string): void {
  assert.deepEqual(Object.keys(got.history), Object.keys(want.history), `${label}: history keys`);
  for (const k of Object.keys(want.history)) assertClose(got.history[k], want.history[k], 1e-5, `${label}: history ${k}`);
  assert.deepEqual(got.epochs, want.epochs);
  assert.deepEqual(got.batchLogs.map((l: any) => Object.keys(l)), want.batchLogs.map((l: any) => Object.keys(l)), `${label}: batch log keys`);
  assert.deepEqual(got.batchLogs.map((l: any) => [l.b, l.batch, l.size]), want.batchLogs.map((l: any) => [l.b, l.batch, l.size]), `${label}: batch, size`);
  assertClose(got.batchLogs.map((l: any) => l.loss), want.batchLogs.map((l: any) => l.loss), 1e-5, `${label}: batch losses`);
  assert.deepEqual(got.epochLogs.map((l: any) => Object.keys(l).sort()), want.epochLogs.map((l: any) => Object.keys(l).sort()), `${label}: epoch log keys`);
  assertClose(got.evaluated, want.evaluated, 1e-5, `${label}: evaluateDataset`);
  got.weights.forEach((w: number[], i: number) => assertClose(w, want.weights[i], 1e-5, `${label}: weight ${i}`));
}

const cases: Record<string, (tf: TF) => Record<string, unknown>> = {
  'one pass per epoch': () => ({ epochs: 3 }),
  'batchesPerEpoch over a repeated dataset': () => ({ epochs: 2, batchesPerEpoch: 4 }),
  'validationData as a dataset': (tf) => ({ epochs: 2, validationData: dataset(tf) }),
  'validationData as tensors': (tf) => ({ epochs: 2, validationData: [tf.tensor2d(X, [N, 3]), tf.oneHot(tf.tensor1d(Y, 'int32'), 2)] }),
};

for (const [label, args] of Object.entries(cases)) {
  test(`fitDataset (${label}) gives tfjs's history, batch logs, weights and evaluateDataset`, async () => {
    const repeat = label.startsWith('batchesPerEpoch');
    const want = await run(tfjs, args, undefined, repeat);
    const got = await run(tt, args, undefined, repeat);
    compare(got, want, label);
    assert.ok(got.history.acc, 'accuracy is logged as acc');
  });
}

test('fitDataset with batchesPerEpoch runs one iterator on across epochs, and stops when it runs out', async () => {
  const m = classifier(tt);
  const seen: number[] = [];
  const ds = tt.data.array(Array.from({ length: 6 }, (_, i) => i)).map((i) => {
    seen.push(i);
    return { xs: tt.tensor2d([X.slice(0, 3)]), ys: tt.tensor2d([[1, 0]]) };
  });
  const h = await m.fitDataset(ds, { epochs: 5, batchesPerEpoch: 2, verbose: 0 });
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5], 'the epochs continue the same pass');
  assert.equal(h.epoch.length, 3, 'training ends when the iterator runs out');
});

test('fitDataset refuses what tfjs refuses, with its messages', async () => {
  for (const tf of [tfjs, tt] as TF[]) {
    const m = classifier(tf);
    await assert.rejects(m.fitDataset(dataset(tf), { epochs: 0 }), /config.epochs is expected to be a positive integer/);
    await assert.rejects(m.fitDataset(dataset(tf), { epochs: 1, batchesPerEpoch: 1.5 }), /batchesPerEpoch is expected to be a positive integer/);
    await assert.rejects(m.fitDataset(dataset(tf), { epochs: 1, validationSplit: 0.2 }), /`validationSplit` is not supported by `fitDataset\(\)`/);
    await assert.rejects(m.fitDataset(tf.data.array([[tf.ones([1, 3]), tf.ones([1, 2])]]), { epochs: 1, verbose: 0 }), /expected to generate objects of the form `\{xs: xVal, ys: yVal\}`/);
    await assert.rejects(m.evaluateDataset(dataset(tf), { batches: 0 }), /`batches` to be a positive integer/);
  }
});

test('evaluateDataset with batches takes the first batches, as tfjs', async () => {
  for (const batches of [1, 2]) {
    const want = (await classifier(tfjs).evaluateDataset(dataset(tfjs), { batches })).map((s: any) => s.dataSync()[0]);
    const got = (await classifier(tt).evaluateDataset(dataset(tt), { batches }) as tt.Tensor[]).map((s) => s.dataSync()[0]);
    assertClose(got, want, 1e-6, `batches ${batches}`);
  }
});

/** A custom loss and metric written with tf ops, as a tfjs user writes them. */
function custom(tf: TF) {
  const huberish = (yTrue: any, yPred: any) => tf.tidy(() => yTrue.sub(yPred).abs().add(1).log().mul(2).add(yTrue.sub(yPred).square()));
  const meanPred = (_yTrue: any, yPred: any) => yPred.max(-1);
  return { loss: huberish, metrics: [meanPred, 'accuracy'] };
}

test('custom loss and metric functions in compile train as tfjs trains them (gradients through the autograd)', async () => {
  const want = await run(tfjs, () => ({ epochs: 3 }), custom(tfjs));
  const got = await run(tt, () => ({ epochs: 3 }), custom(tt));
  compare(got, want, 'custom loss');
  assert.deepEqual(Object.keys(got.history), ['loss', 'meanPred', 'acc']);
  // and with fit on tensors
  const fitWith = async (tf: TF) => {
    const m = classifier(tf, custom(tf));
    const h = await m.fit(tf.tensor2d(X, [N, 3]), tf.oneHot(tf.tensor1d(Y, 'int32'), 2), { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const ev = (m.evaluate(tf.tensor2d(X, [N, 3]), tf.oneHot(tf.tensor1d(Y, 'int32'), 2)) as any[]).map((s) => s.dataSync()[0]);
    return { h: h.history, ev };
  };
  const a = await fitWith(tfjs);
  const b = await fitWith(tt);
  for (const k of Object.keys(a.h)) assertClose(b.h[k], a.h[k], 1e-5, `fit ${k}`);
  assertClose(b.ev, a.ev, 1e-5, 'evaluate with a custom loss and metric');
  const bad = classifier(tt, { loss: () => 3 });
  await assert.rejects(bad.fit(tt.ones([2, 3]), tt.ones([2, 2]), { verbose: 0 }), /custom loss 'loss' must return a Tensor/);
});

test("a tf.data Dataset is a data source for tatami's own fit and evaluate (one pass per epoch)", async () => {
  const a = classifier(tt);
  const b = classifier(tt);
  const viaTfjs = await a.fitDataset(dataset(tt), { epochs: 2, verbose: 0 });
  const own = await b.core.fit(dataset(tt) as any, { epochs: 2, verbose: 0 });
  assertClose(own.history.loss, viaTfjs.history.loss, 1e-6, "tatami's fit on the dataset");
  const [loss] = await b.core.evaluate(dataset(tt) as any, { verbose: 0 }) as number[];
  assertClose([loss], [(await a.evaluateDataset(dataset(tt)) as tt.Tensor[])[0].dataSync()[0]], 1e-6, 'evaluate');
});
