import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { unpackKeras } from '../../src/saving/keras_zip';
import { snapshot, tempDir } from './io_helpers';

// Bad files give errors that name the file and what is wrong; a failed loadWeights changes nothing.

function mlp(units = [5, 3]): tt.Sequential {
  resetNames();
  tt.setSeed(3);
  return tt.sequential([
    tt.layers.dense({ units: units[0], activation: 'relu', inputShape: [4] }),
    tt.layers.dropout({ rate: 0.1 }),
    tt.layers.dense({ units: units[1], activation: 'softmax' }),
  ]);
}

const isFileError = (file: string, what: RegExp) => (e: Error) => {
  assert.equal(e.name, 'ModelFileError', e.message);
  assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
  assert.match(e.message, what);
  return true;
};

describe('bad model files', () => {
  let dir = '';
  let cleanup = () => {};
  before(async () => {
    ({ dir, cleanup } = tempDir('bad'));
    const m = mlp();
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await m.save(join(dir, 'good.keras'));
    await m.save(join(dir, 'good.h5'));
    await m.saveWeights(join(dir, 'good.weights.h5'));
  });
  after(() => cleanup());

  it('a missing file', async () => {
    const f = join(dir, 'nope.keras');
    await assert.rejects(tt.loadModel(f), isFileError(f, /no such file/));
  });

  it('a file of another kind', async () => {
    const f = join(dir, 'notes.keras');
    writeFileSync(f, 'these are my notes, not a model');
    await assert.rejects(tt.loadModel(f), isFileError(f, /neither a \.keras zip archive nor an HDF5 file/));
    writeFileSync(join(dir, 'empty.h5'), '');
    await assert.rejects(tt.loadModel(join(dir, 'empty.h5')), /is empty/);
  });

  it('truncated .keras and .h5 files', async () => {
    for (const [name, what] of [['good.keras', /truncated or damaged zip/], ['good.h5', /is truncated/], ['good.weights.h5', /is truncated/]] as const) {
      const bytes = readFileSync(join(dir, name));
      const f = join(dir, `cut-${name}`);
      writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await assert.rejects(tt.loadModel(f), isFileError(f, what));
    }
    const damaged = Buffer.from(readFileSync(join(dir, 'good.h5')));
    damaged.fill(0, 800, 2400); // same length, metadata wiped
    writeFileSync(join(dir, 'damaged.h5'), damaged);
    await assert.rejects(tt.loadModel(join(dir, 'damaged.h5')), isFileError(join(dir, 'damaged.h5'), /is damaged|cannot open/));
    const stub = join(dir, 'stub.h5');
    writeFileSync(stub, readFileSync(join(dir, 'good.h5')).subarray(0, 20));
    await assert.rejects(tt.loadModel(stub), isFileError(stub, /truncated/));
  });

  it('a zip that is not a .keras model', async () => {
    const f = join(dir, 'photos.keras');
    writeFileSync(f, zipSync({ 'cat.jpg': new Uint8Array([1, 2, 3]) }));
    await assert.rejects(tt.loadModel(f), isFileError(f, /no config\.json or model\.weights\.h5.*cat\.jpg/));
  });

  it('a layer class tatami does not have, and broken JSON', async () => {
    const good = unpackKeras(readFileSync(join(dir, 'good.keras')), 'good.keras');
    const cfg = JSON.parse(JSON.stringify(good.config));
    cfg.config.layers[1].class_name = 'LSTM';
    const f = join(dir, 'lstm.keras');
    const enc = new TextEncoder();
    writeFileSync(f, zipSync({ 'config.json': enc.encode(JSON.stringify(cfg)), 'model.weights.h5': good.weights }));
    await assert.rejects(tt.loadModel(f), isFileError(f, /tatami has no layer class 'LSTM'/));
    const g = join(dir, 'json.keras');
    writeFileSync(g, zipSync({ 'config.json': enc.encode('{"module": '), 'model.weights.h5': good.weights }));
    await assert.rejects(tt.loadModel(g), isFileError(g, /config\.json is not valid JSON/));
  });

  it('a training configuration tatami cannot follow names the file and the way around it', async () => {
    const good = unpackKeras(readFileSync(join(dir, 'good.keras')), 'good.keras');
    const cfg = JSON.parse(JSON.stringify(good.config));
    cfg.compile_config.optimizer.config.weight_decay = 0.004;
    const f = join(dir, 'wd.keras');
    writeFileSync(f, zipSync({ 'config.json': new TextEncoder().encode(JSON.stringify(cfg)), 'model.weights.h5': good.weights }));
    await assert.rejects(tt.loadModel(f), isFileError(f, /weight_decay=0.004 is not supported.*compile: false/));
    assert.equal((await tt.loadModel(f, { compile: false })).compiled, null);
  });

  it('a weights-only file given to loadModel', async () => {
    const f = join(dir, 'good.weights.h5');
    await assert.rejects(tt.loadModel(f), isFileError(f, /holds weights only/));
  });

  it('wrong extensions and unbuilt models', async () => {
    const m = mlp();
    await assert.rejects(m.save(join(dir, 'm.txt')), /must end in \.keras .* or \.h5/);
    await assert.rejects(m.save(join(dir, 'm.weights.h5')), /use saveWeights/);
    await assert.rejects(m.saveWeights(join(dir, 'm.keras')), /must end in \.weights\.h5/);
    await assert.rejects(m.save(join(dir, 'm.keras'), { includeOptimiser: true } as never), /unknown option 'includeOptimiser'/);
    const unbuilt = tt.sequential([tt.layers.dense({ units: 2 })]);
    await assert.rejects(unbuilt.save(join(dir, 'u.keras')), /not built/);
  });
});

describe('a failed loadWeights leaves the weights unchanged', () => {
  let dir = '';
  let cleanup = () => {};
  before(() => ({ dir, cleanup } = tempDir('lw')));
  after(() => cleanup());

  for (const name of ['w.weights.h5', 'w.h5', 'm.keras']) {
    it(`${name} from a model whose last layer differs`, async () => {
      const saved = mlp([5, 3]);
      const file = join(dir, name);
      if (name.endsWith('.keras')) await saved.save(file);
      else await saved.saveWeights(file);
      const target = mlp([5, 4]); // same first layer: it would load, then the last one fails
      const before = snapshot(target);
      await assert.rejects(target.loadWeights(file), (e: Error) => {
        assert.equal(e.name, 'ModelFileError');
        assert.match(e.message, /dense_1/);
        assert.match(e.message, /\[5,4\]|4 weights|\[5,3\]/);
        return true;
      });
      snapshot(target).forEach((v, i) => assert.deepEqual(v, before[i], `weight ${i} untouched`));
    });
  }

  it('a file with fewer layers', async () => {
    resetNames();
    const small = tt.sequential([tt.layers.dense({ units: 5, inputShape: [4] })]);
    await small.saveWeights(join(dir, 'small.h5'));
    await small.saveWeights(join(dir, 'small.weights.h5'));
    const target = mlp();
    const before = snapshot(target);
    await assert.rejects(target.loadWeights(join(dir, 'small.h5')), /2 layers with weights .* the file has 1/);
    await assert.rejects(target.loadWeights(join(dir, 'small.weights.h5')), /layers\/dense_1 .* no weights for this layer/);
    snapshot(target).forEach((v, i) => assert.deepEqual(v, before[i]));
  });
});
