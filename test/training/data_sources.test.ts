import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tt from '../../src/index';
import { ImageDataGenerator, imageDatasetFromDirectory } from '../../src/preprocessing/index';
import { setCallbackWarnings } from '../../src/callbacks/monitor';
import type { Tensor } from '../../src/tensor/tensor';
import type { Sequential } from '../../src/models/sequential';
import { assertIdentical } from '../helpers/assert';
import { wasmBackend } from '../helpers/backends';
import type { WasmBackend } from '../../src/backend/wasm/index';
import type { TrainingParams } from '../../src/callbacks/callback';

// fit, evaluate and predict on data sources: ImageDataGenerator.flow, generators, iterables and
// imageDatasetFromDirectory, against the same data given as tensors.

const N = 40;

/** Images (N, 6, 6, 1) and one-hot labels of 3 classes that a small net can learn. */
function data(n = N, seed = 5): { x: Tensor; y: Tensor; labels: number[] } {
  tt.setSeed(seed);
  const labels = Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const x = tt.randomUniform([n, 6, 6, 1]).add(tt.tensor(labels).reshape([n, 1, 1, 1]).mul(0.5));
  return { x, y: tt.utils.toCategorical(labels, 3), labels };
}

function net(seed = 11): Sequential {
  tt.setSeed(seed);
  const m = tt.sequential([
    tt.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Counts batches per epoch and keeps the batch sizes seen. */
function recorder() {
  const perEpoch: number[] = [];
  let n = 0;
  return {
    perEpoch,
    cb: { onEpochBegin: () => void (n = 0), onBatchEnd: () => void n++, onEpochEnd: () => void perEpoch.push(n) },
  };
}

async function withWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const prev = setCallbackWarnings({ write: (s: string) => void warnings.push(s) });
  try {
    return { result: await fn(), warnings };
  } finally {
    setCallbackWarnings(prev);
  }
}

/** Batches of rows [i·b, (i+1)·b) of x and y, fresh tensors each time, as a user's generator makes them. */
function* slices(x: Tensor, y: Tensor, b: number, loop = true): Generator<[Tensor, Tensor]> {
  do {
    for (let i = 0; i < x.shape[0]; i += b) {
      const e = Math.min(i + b, x.shape[0]);
      yield [x.slice([i, 0, 0, 0], [e - i, -1, -1, -1]), y.slice([i, 0], [e - i, -1])];
    }
  } while (loop);
}

describe('fit on ImageDataGenerator.flow', () => {
  it('without augmentation equals fit on the same tensors without shuffling (identical weights and history)', async () => {
    const { x, y } = data();
    const a = net();
    const ha = await a.fit(x, y, { batchSize: 8, epochs: 3, shuffle: false, verbose: 0 });
    const b = net();
    const flow = new ImageDataGenerator().flow(x, y, { batchSize: 8, shuffle: false, seed: 1 });
    const rec = recorder();
    const hb = await b.fit(flow, { epochs: 3, verbose: 0, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, [5, 5, 5], 'one epoch is the flow length, ceil(40 / 8)');
    a.getWeights().forEach((w, i) => assertIdentical(b.getWeights()[i], w, `weight ${i}`));
    assert.deepEqual(hb.history, ha.history);
    assert.ok(ha.history.loss[2] < ha.history.loss[0], 'the model learns at all');
  });

  it('stepsPerEpoch takes that many batches per epoch from the running flow', async () => {
    const { x, y } = data();
    const flow = new ImageDataGenerator().flow(x, y, { batchSize: 8, shuffle: false, seed: 1 });
    const rec = recorder();
    let params: TrainingParams | null = null;
    await net().fit(flow, { stepsPerEpoch: 3, epochs: 3, verbose: 0, callbacks: [rec.cb, { setParams: (p: TrainingParams) => void (params = p) }] });
    assert.deepEqual(rec.perEpoch, [3, 3, 3]);
    assert.equal(params!.steps, 3);
    assert.equal(flow.totalBatchesSeen, 9, 'epochs continue the stream instead of restarting it');
    // 9 batches of a 5-batch flow: it is 4 batches into its second pass
    assert.equal(flow.batchIndex, 4);
  });

  it('refuses a fractional stepsPerEpoch, as Keras 3 does, naming the integer to give', async () => {
    const { x, y } = data();
    const flow = new ImageDataGenerator().flow(x, y, { batchSize: 16 });
    await assert.rejects(net().fit(flow, { stepsPerEpoch: N / 16, verbose: 0 }), /stepsPerEpoch must be a positive integer, got 2\.5.*Math\.floor\(n \/ batchSize\)/);
    await assert.rejects(net().fit(flow, { stepsPerEpoch: 0, verbose: 0 }), /stepsPerEpoch must be a positive integer, got 0/);
  });

  it('the seed\'s call: augmentation, stepsPerEpoch = floor(n / batch), tensors as validationData', async () => {
    const { x, y } = data();
    const gen = new ImageDataGenerator({ widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true });
    const [xt, yt, xv, yv] = [x.slice(0, 32), y.slice(0, 32), x.slice(32, 8), y.slice(32, 8)];
    const rec = recorder();
    const h = await net().fit(gen.flow(xt, yt, { batchSize: 8 }), { stepsPerEpoch: Math.floor(32 / 8), epochs: 2, validationData: [xv, yv], verbose: 0, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, [4, 4]);
    assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    assert.ok(h.history.val_loss.every(Number.isFinite));
  });
});

describe('fit on generators and iterables', () => {
  it('a generator needs stepsPerEpoch (it has no length), then continues across epochs', async () => {
    const { x, y } = data();
    await assert.rejects(net().fit(slices(x, y, 8), { verbose: 0 }), /iterator without a length.*give stepsPerEpoch/);
    const rec = recorder();
    const h = await net().fit(slices(x, y, 8), { stepsPerEpoch: 2, epochs: 5, verbose: 0, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, [2, 2, 2, 2, 2]);
    assert.equal(h.epoch.length, 5);
  });

  it('a finite generator that runs out ends training with a warning', async () => {
    const { x, y } = data();
    const rec = recorder();
    const { result: h, warnings } = await withWarnings(() =>
      net().fit(slices(x, y, 8, false), { stepsPerEpoch: 2, epochs: 10, verbose: 0, callbacks: [rec.cb] }));
    // 5 batches: 2 + 2 + 1, then nothing
    assert.deepEqual(rec.perEpoch, [2, 2, 1]);
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /ran out of data; interrupting/);
  });

  it('an iterable without a length is one whole pass per epoch; the bar learns the count after the first', async () => {
    const { x, y } = data();
    const passes = { n: 0 };
    const iterable = { [Symbol.iterator]: () => (passes.n++, slices(x, y, 16, false)) };
    const out: string[] = [];
    const stream = { write: (s: string) => void out.push(s), isTTY: true } as unknown as NodeJS.WritableStream;
    const rec = recorder();
    await net().fit(iterable, { epochs: 2, verbose: 1, stream, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, [3, 3]);
    assert.equal(passes.n, 2);
    const [first, second] = out.join('').replace(/\x1b\[[0-9;]*m/g, '').split('Epoch 2/2');
    assert.match(first, /^ +1\/Unknown/m, 'the first epoch does not know its length');
    assert.match(first, /3\/3 ━+ \d+s/, 'it is learnt at the end of the first epoch');
    assert.match(second, /1\/3 ━/, 'and shown from the second epoch on');
  });

  it('an iterable with stepsPerEpoch continues its pass; the epoch where the pass ends is cut short (Keras 3)', async () => {
    const { x, y } = data();
    const iterable = { [Symbol.iterator]: () => slices(x, y, 8, false) };
    const rec = recorder();
    const { warnings } = await withWarnings(() => net().fit(iterable, { stepsPerEpoch: 2, epochs: 4, verbose: 0, callbacks: [rec.cb] }));
    assert.deepEqual(rec.perEpoch, [2, 2, 1, 2]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /ran out of data before stepsPerEpoch batches; the epoch ends early/);
  });

  it('an iterable whose pass ends on an epoch boundary starts a new pass silently', async () => {
    const { x, y } = data();
    const rec = recorder();
    const { warnings } = await withWarnings(() =>
      net().fit({ [Symbol.iterator]: () => slices(x, y, 10, false) }, { stepsPerEpoch: 2, epochs: 3, verbose: 0, callbacks: [rec.cb] }));
    assert.deepEqual(rec.perEpoch, [2, 2, 2]);
    assert.deepEqual(warnings, []);
  });
});

describe('memory: what a source gives is freed after its step, what the user holds is not', () => {
  it('frees the fresh batches of a generator and of flow, never tensors that existed before', async () => {
    const { x, y } = data();
    const given: Tensor[] = [];
    function* tap(): Generator<[Tensor, Tensor]> {
      for (const b of slices(x, y, 8)) {
        given.push(...b);
        yield b;
      }
    }
    await net().fit(tap(), { stepsPerEpoch: 5, epochs: 2, verbose: 0 });
    assert.equal(given.length, 20);
    assert.ok(given.every((t) => t.isDisposed), 'every batch the generator made is freed');
    assert.ok(!x.isDisposed && !y.isDisposed);

    // the same user tensors given every step: left alone
    const [xb, yb] = [x.slice(0, 8), y.slice(0, 8)];
    function* same(): Generator<[Tensor, Tensor]> {
      for (;;) yield [xb, yb];
    }
    await net().fit(same(), { stepsPerEpoch: 3, epochs: 2, verbose: 0 });
    assert.ok(!xb.isDisposed && !yb.isDisposed);

    const flow = new ImageDataGenerator().flow(x, y, { batchSize: 8 });
    const peek = flow.next().value;
    await net().fit(flow, { epochs: 1, verbose: 0 });
    assert.ok(!peek[0].isDisposed, 'a batch taken before fit is the user\'s');
  });

  it('live wasm memory stays flat over epochs of fit on a flow', async () => {
    const be = wasmBackend() as WasmBackend;
    const prev = tt.backend();
    tt.setBackend(be);
    try {
      const { x, y } = data(96);
      const live: number[] = [];
      const flow = new ImageDataGenerator({ rotationRange: 20 }).flow(x, y, { batchSize: 16, seed: 2 });
      await net().fit(flow, { epochs: 5, verbose: 0, callbacks: [{ onEpochEnd: () => void live.push(be.liveBytes!()) }] });
      assert.ok(live[4] <= live[1], `live bytes grew across epochs: ${live.join(', ')}`);
    } finally {
      tt.setBackend(prev);
    }
  });

  it('a generator that creates its tensors once inside fit and gives them again gets a clear error', async () => {
    const { x, y } = data();
    function* lazy(): Generator<[Tensor, Tensor]> {
      const [xb, yb] = [x.slice(0, 8), y.slice(0, 8)];
      for (;;) yield [xb, yb];
    }
    await assert.rejects(net().fit(lazy(), { stepsPerEpoch: 2, verbose: 0 }), /batch 1 from the data source holds a disposed tensor.*create them before calling fit/);
  });
});

describe('validationData, evaluate and predict on sources', () => {
  it('validationData as a flow gives the same val_loss as evaluating the same tensors', async () => {
    const { x, y } = data();
    const [xv, yv] = [x.slice(0, 12), y.slice(0, 12)];
    const m = net();
    const h = await m.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0, validationData: new ImageDataGenerator().flow(xv, yv, { batchSize: 5, shuffle: false }) });
    const [loss, acc] = (await m.evaluate(xv, yv, { batchSize: 5, verbose: 0 })) as number[];
    assert.equal(h.history.val_loss[1], loss);
    assert.equal(h.history.val_accuracy[1], acc);
  });

  it('a generator as validationData needs validationSteps and is drawn from at each epoch end', async () => {
    const { x, y } = data();
    await assert.rejects(net().fit(x, y, { verbose: 0, validationData: slices(x, y, 8) }), /iterator without a length.*give validationSteps/);
    let drawn = 0;
    function* counting(): Generator<[Tensor, Tensor]> {
      for (const b of slices(x, y, 8)) {
        drawn++;
        yield b;
      }
    }
    const h = await net().fit(x, y, { batchSize: 8, epochs: 3, verbose: 0, validationData: counting(), validationSteps: 2 });
    assert.equal(drawn, 6);
    assert.equal(h.history.val_loss.length, 3);
    await assert.rejects(net().fit(x, y, { verbose: 0, validationData: [x, y], validationSteps: 2 }), /validationSteps is for a validationData source/);
    await assert.rejects(net().fit(x, y, { verbose: 0, validationData: slices(x, y, 8), validationSteps: 2, validationBatchSize: 4 }), /validationBatchSize must not be specified/);
  });

  it('evaluate and predict on a flow equal evaluate and predict on the tensors; predict stays sync', async () => {
    const { x, y } = data();
    const m = net();
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    const gen = new ImageDataGenerator();
    const fromTensors = await m.evaluate(x, y, { batchSize: 16, verbose: 0 });
    assert.deepEqual(await m.evaluate(gen.flow(x, y, { batchSize: 16, shuffle: false }), { verbose: 0 }), fromTensors);
    const p = m.predict(gen.flow(x, null, { batchSize: 16, shuffle: false }));
    assert.ok(!(p instanceof Promise));
    assertIdentical(p, m.predict(x), 'predict on a flow');
    // steps: the first 2 batches of a generator
    const p2 = m.predict(slices(x, y, 16), { steps: 2 });
    assert.deepEqual(p2.shape, [32, 3]);
    assertIdentical(p2, m.predict(x.slice(0, 32)), 'predict on 2 steps of a generator');
    await assert.rejects(m.evaluate(slices(x, y, 16), { verbose: 0 }), /give steps/);
    assert.throws(() => m.predict(gen.flow(x, null), { batchSize: 8 }), /batchSize must not be specified/);
    await assert.rejects(m.evaluate(gen.flow(x, y), { batchSize: 8, verbose: 0 }), /batchSize must not be specified/);
    await assert.rejects(m.evaluate(x, y, { steps: 2, verbose: 0 }), /steps is for a data source/);
    assert.throws(() => m.predict(x, { steps: 2 }), /steps is for a data source/);
  });

  it('evaluate with an unknown number of steps finalizes the bar at what it saw', async () => {
    const { x, y } = data();
    const out: string[] = [];
    const stream = { write: (s: string) => void out.push(s) } as unknown as NodeJS.WritableStream;
    await net().evaluate({ [Symbol.iterator]: () => slices(x, y, 16, false) }, { verbose: 1, stream });
    assert.match(out.join(''), /^3\/3 ━+ \d+s/m);
  });
});

describe('an async dataset from imageDatasetFromDirectory', () => {
  let root: string;
  // two classes of 10 PNGs each: reddish and bluish 8x8 images with a little noise
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-fitdir-'));
    for (const [k, cls] of ['blue', 'red'].entries()) {
      fs.mkdirSync(path.join(root, cls));
      for (let i = 0; i < 10; i++) {
        const px = Buffer.alloc(8 * 8 * 3);
        for (let j = 0; j < 64; j++) {
          const v = ((i * 64 + j) * 37) % 60;
          px[j * 3] = k ? 190 + v : v;
          px[j * 3 + 1] = 60 + v;
          px[j * 3 + 2] = k ? v : 190 + v;
        }
        await sharp(px, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(path.join(root, cls, `${i}.png`));
      }
    }
    fs.mkdirSync(path.join(root, 'unlabelled'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function colorNet(): Sequential {
    tt.setSeed(3);
    const m = tt.sequential([
      tt.layers.rescaling({ scale: 1 / 255, inputShape: [8, 8, 3] }),
      tt.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      tt.layers.globalAveragePooling2d(),
      tt.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    m.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  }

  it('trains a small model, one whole pass per epoch, and evaluates and predicts on it', async () => {
    const ds = await imageDatasetFromDirectory(root, { imageSize: [8, 8], batchSize: 6, seed: 4, classNames: ['blue', 'red'] });
    assert.equal(ds.length, 4);
    const m = colorNet();
    const rec = recorder();
    const h = await m.fit(ds, { epochs: 8, verbose: 0, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, Array(8).fill(4));
    assert.ok(h.history.loss[7] < h.history.loss[0] * 0.7, `loss went ${h.history.loss.join(', ')}`);
    const [, acc] = (await m.evaluate(ds, { verbose: 0 })) as number[];
    assert.ok(acc >= 0.9, `accuracy ${acc}`);
    const p = m.predict(ds);
    assert.ok(p instanceof Promise, 'predict on an async source gives a Promise');
    assert.deepEqual((await p).shape, [20, 2]);
    assert.deepEqual((await m.predict(ds, { steps: 2 })).shape, [12, 2]);
  });

  it('is accepted as validationData (with validationSteps) and frees its batches', async () => {
    const [train, val] = await imageDatasetFromDirectory(root, { imageSize: [8, 8], batchSize: 4, seed: 4, validationSplit: 0.4, subset: 'both', classNames: ['blue', 'red'] });
    const seen: Tensor[] = [];
    const tap = {
      async *[Symbol.asyncIterator]() {
        for await (const b of val) {
          seen.push(...b);
          yield b;
        }
      },
    };
    const m = colorNet();
    const h = await m.fit(train, { epochs: 2, verbose: 0, validationData: tap, validationSteps: 1 });
    assert.equal(h.history.val_loss.length, 2);
    assert.equal(seen.length, 4, 'one validation batch [x, y] per epoch');
    assert.ok(seen.every((t) => t.isDisposed));
    const h2 = await colorNet().fit(train, { epochs: 1, verbose: 0, validationData: val });
    assert.ok(Number.isFinite(h2.history.val_accuracy[0]));
  });

  it('without labels, fit says it needs targets and predict works', async () => {
    const ds = await imageDatasetFromDirectory(root, { imageSize: [8, 8], batchSize: 8, labelMode: null, shuffle: false });
    await assert.rejects(colorNet().fit(ds, { verbose: 0 }), /batch 0 from the data source has no targets; fit needs \[x, y\] batches/);
    assert.deepEqual((await colorNet().predict(ds)).shape, [20, 2]);
  });
});

describe("Keras's errors for combinations a data source does not take", () => {
  const { x, y } = data(16);
  const flow = () => new ImageDataGenerator().flow(x, y, { batchSize: 8 });
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['y beside a generator', () => net().fit(flow() as never, y, { verbose: 0 }), /when providing x as a data source.*y should not be passed/],
    ['validationSplit with a generator', () => net().fit(flow(), { validationSplit: 0.2, verbose: 0 }), /validationSplit is only supported for Tensors/],
    ['batchSize with a generator', () => net().fit(flow(), { batchSize: 8, verbose: 0 }), /batchSize must not be specified when x is a data source/],
    ['stepsPerEpoch with tensors', () => net().fit(x, y, { stepsPerEpoch: 2, verbose: 0 }), /stepsPerEpoch is for a data source/],
    ['x that is no source', () => net().fit('images' as never, { verbose: 0 }), /x must be a Tensor, an iterator or iterable of batches/],
    ['tensors without y', () => net().fit(x, undefined as never, { verbose: 0 }), /the targets y must be a Tensor too/],
    ['sample weights in a batch', () => net().fit((function* () { for (;;) yield [x, y, y] as never; })(), { stepsPerEpoch: 1, verbose: 0 }), /sample weights are not supported/],
    ['a batch that is not a batch', () => net().fit((function* () { for (;;) yield 3 as never; })(), { stepsPerEpoch: 1, verbose: 0 }), /batch 0 from the data source must be \[x, y\], \[x\], a Tensor or \{ xs, ys \}, got number/],
    ['an unknown option', () => net().fit(flow(), { steps: 2 } as never), /fit: unknown option 'steps'/],
  ];
  for (const [name, call, message] of cases) {
    it(name, async () => {
      await assert.rejects(call(), (e: Error) => e instanceof tt.ValueError && message.test(e.message));
    });
  }

  it('accepts TensorFlow.js-style { xs, ys } batches', async () => {
    const rec = recorder();
    await net().fit((function* () { for (;;) yield { xs: x, ys: y }; })(), { stepsPerEpoch: 2, verbose: 0, callbacks: [rec.cb] });
    assert.deepEqual(rec.perEpoch, [2]);
  });
});
