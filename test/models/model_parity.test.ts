import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { randomTensor } from '../helpers/gradcheck';

// Sequential and the functional model share one base (src/models/model.ts): the same network
// built either way must train, predict, save and load to the same bits.

function data(): { x: tt.Tensor; y: tt.Tensor } {
  tt.setSeed(11);
  const x = randomTensor([40, 6], 1);
  const y = tt.zeros([40, 3]);
  for (let i = 0; i < 40; i++) y.values[i * 3 + (x.values[i * 6] > 0 ? (x.values[i * 6 + 1] > 0 ? 0 : 1) : 2)] = 1;
  return { x, y };
}

/** dense(relu) -> dropout -> batchNormalization -> dense(softmax): trainable, non-trainable and random parts. */
function layers(): tt.Layer[] {
  return [
    tt.layers.dense({ units: 10, activation: 'relu' }),
    tt.layers.dropout({ rate: 0.3 }),
    tt.layers.batchNormalization(),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ];
}

function twins(): { seq: tt.Sequential; fn: tt.LayersModel } {
  tt.setSeed(5);
  const seq = tt.sequential([tt.input({ shape: [6] }), ...layers()]);
  const x = tt.input({ shape: [6] });
  let h = x;
  for (const l of layers()) h = l.apply(h);
  const fn = tt.model({ inputs: x, outputs: h });
  fn.setWeights(seq.getWeights());
  for (const m of [seq, fn]) m.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return { seq, fn };
}

function bits(ws: tt.Tensor[]): number[][] {
  return ws.map((w) => Array.from(w.values));
}

function sameBits(a: tt.Tensor, b: tt.Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  assert.deepEqual(Array.from(a.values), Array.from(b.values), what);
}

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-parity-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('Sequential and functional models share one base', () => {
  it('the same training scenario gives bit-identical weights and history', async () => {
    const { x, y } = data();
    const { seq, fn } = twins();
    assert.deepEqual(bits(fn.getWeights()), bits(seq.getWeights()), 'same start');
    const fitArgs = { epochs: 3, batchSize: 8, shuffle: true, validationSplit: 0.2, verbose: 0 as const };
    tt.setSeed(42);
    const hs = await seq.fit(x, y, fitArgs);
    tt.setSeed(42);
    const hf = await fn.fit(x, y, fitArgs);
    assert.deepEqual(hf.history, hs.history);
    assert.deepEqual(hf.epoch, hs.epoch);
    const trained = bits(seq.getWeights());
    assert.deepEqual(bits(fn.getWeights()), trained);
    assert.notDeepEqual(trained, bits(twins().seq.getWeights()), 'training moved the weights');
    assert.deepEqual(fn.weights.map((w) => w.shape), seq.weights.map((w) => w.shape));
    assert.equal(fn.countParams(), seq.countParams());
    sameBits(fn.predict(x, { batchSize: 7 }) as tt.Tensor, seq.predict(x, { batchSize: 7 }), 'predict');
    sameBits(fn.apply(x) as tt.Tensor, seq.apply(x), 'apply');
    assert.deepEqual(await fn.evaluate(x, y, { verbose: 0 }), await seq.evaluate(x, y, { verbose: 0 }));
  });

  it('save and load give back the same model through both, in both formats', async () => {
    const { x, y } = data();
    const { seq, fn } = twins();
    for (const m of [seq, fn]) {
      tt.setSeed(1);
      await m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 });
    }
    const { dir, cleanup } = tempDir();
    try {
      for (const ext of ['keras', 'h5']) {
        await seq.save(join(dir, `seq.${ext}`));
        await fn.save(join(dir, `fn.${ext}`));
        const seq2 = await tt.loadModel(join(dir, `seq.${ext}`));
        const fn2 = await tt.loadModel(join(dir, `fn.${ext}`));
        assert.ok(seq2 instanceof tt.Sequential, `${ext}: a Sequential comes back`);
        assert.ok(fn2 instanceof tt.LayersModel, `${ext}: a functional model comes back`);
        const want = seq.predict(x) as tt.Tensor;
        sameBits(seq2.predict(x) as tt.Tensor, want, `${ext}: loaded Sequential`);
        sameBits(fn2.predict(x) as tt.Tensor, want, `${ext}: loaded functional`);
        // training resumes identically: the optimizer state came back with both
        tt.setSeed(2);
        await seq2.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 });
        tt.setSeed(2);
        await fn2.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 });
        assert.deepEqual(bits(fn2.getWeights()), bits(seq2.getWeights()), `${ext}: resumed training`);
      }
      await seq.saveWeights(join(dir, 'seq.weights.h5'));
      await fn.saveWeights(join(dir, 'fn.weights.h5'));
      const fresh = twins();
      await fresh.seq.loadWeights(join(dir, 'fn.weights.h5'));
      await fresh.fn.loadWeights(join(dir, 'seq.weights.h5'));
      assert.deepEqual(bits(fresh.seq.getWeights()), bits(seq.getWeights()), 'functional weights into a Sequential');
      assert.deepEqual(bits(fresh.fn.getWeights()), bits(fn.getWeights()), 'Sequential weights into a functional model');
    } finally {
      cleanup();
    }
  });

  it('model.trainable freezes every layer of either kind', async () => {
    const { x, y } = data();
    const { seq, fn } = twins();
    for (const m of [seq, fn]) {
      m.trainable = false;
      assert.equal(m.trainable, false);
      assert.equal(m.trainableWeights.length, 0, `${m.className}: no trainable weights`);
      assert.equal(m.nonTrainableWeights.length, m.weights.length);
      const before = bits(m.getWeights());
      await assert.rejects(m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 }), /has no trainable weights/);
      assert.deepEqual(bits(m.getWeights()), before, `${m.className}: weights unchanged`);
      m.trainable = true;
      assert.ok(m.layers.every((l) => l.trainable), `${m.className}: unfrozen`);
      assert.equal(m.trainableWeights.length, 6, `${m.className}: kernels, biases, gamma and beta train again`);
    }
  });

  it('getLayer and summary behave alike', () => {
    const { seq, fn } = twins();
    assert.equal(seq.getLayer(0).className, 'Dense');
    assert.equal(fn.getLayer(1).className, 'Dense', 'a functional model counts its InputLayer, as Keras');
    assert.throws(() => seq.getLayer(9), /no layer at index 9 \(the model has 4 layers\)/);
    assert.throws(() => fn.getLayer('nope'), /no layer named 'nope'/);
    const rows = (m: tt.Sequential | tt.LayersModel) => m.summaryText({ lineLength: 76 }).split('\n').filter((l) => l.startsWith(' Total'));
    assert.deepEqual(rows(fn), rows(seq));
  });

  it('model.save without the saving module loaded says what to import', () => {
    // a fresh process that loads models/ but not src/index.ts (and so not src/saving)
    const script = `
      const { sequential } = require(${JSON.stringify(join(__dirname, '../../src/models/sequential'))});
      const { layers } = require(${JSON.stringify(join(__dirname, '../../src/layers/index'))});
      const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
      m.save('never-written.keras').then(() => console.log('saved'), (e) => console.log(e.constructor.name + ': ' + e.message));`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: tmpdir() });
    assert.match(out, /^TatamiError: model\.save: no saving module is loaded; import tatami's main entry point/);
  });
});
