import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { assertClose } from '../helpers/assert';
import { predict1, tempDir } from './io_helpers';

// model.save / tt.loadModel / saveWeights / loadWeights round trips in both formats, and the
// promise of includeOptimizer: training resumes exactly where it stopped.

function cnn(seed: number): tt.Sequential {
  resetNames();
  tt.setSeed(seed);
  return tt.sequential([
    tt.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
    tt.layers.maxPooling2d({ poolSize: 2 }),
    tt.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'relu' }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 6, activation: 'relu' }),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

function data(n: number, seed: number): [tt.Tensor, tt.Tensor] {
  tt.setSeed(seed);
  const x = tt.randomUniform([n, 8, 8, 1]);
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
  return [x, tt.oneHot(tt.tensor(labels, [n], 'int32'), 3)];
}

function stateOf(opt: tt.Optimizer): Map<string, Float32Array> {
  return new Map(opt.getState().map((s) => [s.name, s.values]));
}

describe('model files', () => {
  for (const ext of ['keras', 'h5']) {
    it(`.${ext}: architecture, weights, training config and optimizer state come back`, async () => {
      const { dir, cleanup } = tempDir('io');
      try {
        const model = cnn(1);
        model.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
        const [x, y] = data(12, 2);
        await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
        const file = join(dir, `m.${ext}`);
        await model.save(file);
        assert.deepEqual(readdirSync(dir), [`m.${ext}`], 'no temporary file is left behind');
        const back = await tt.loadModel<tt.Sequential>(file);
        assert.deepEqual(back.layers.map((l) => l.name), model.layers.map((l) => l.name));
        // .keras keeps the input shape in its InputLayer entry, not in the first layer's config
        const configs = (m: tt.Sequential) => m.layers.map((l) => ({ ...l.getConfig(), batchInputShape: undefined }));
        assert.deepEqual(configs(back), configs(model));
        assert.deepEqual(back.inputs[0].shape, [null, 8, 8, 1]);
        assertClose(predict1(back, x).values, predict1(model, x).values, 0, 'predictions');
        assert.equal(back.compiled!.loss.name, 'categoricalCrossentropy');
        assert.deepEqual(back.compiled!.metricIds, ['accuracy']);
        const opt = back.optimizer!;
        assert.equal(opt.className, 'Adam');
        assert.equal(opt.learningRate, 0.003);
        assert.equal(opt.iterations, 3);
        const want = stateOf(model.optimizer!);
        for (const [name, values] of stateOf(opt)) assert.deepEqual(values, want.get(name), name);
        const uncompiled = await tt.loadModel(file, { compile: false });
        assert.equal(uncompiled.compiled, null);
      } finally {
        cleanup();
      }
    });
  }

  it('includeOptimizer: false leaves the optimizer state (and for .h5 the training config) out', async () => {
    const { dir, cleanup } = tempDir('io');
    try {
      const model = cnn(3);
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const [x, y] = data(8, 4);
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      await model.save(join(dir, 'a.h5'), { includeOptimizer: false });
      assert.equal((await tt.loadModel(join(dir, 'a.h5'))).compiled, null);
      await model.save(join(dir, 'a.keras'), { includeOptimizer: false });
      const k = await tt.loadModel(join(dir, 'a.keras'));
      assert.equal(k.optimizer!.iterations, 0, 'compiled from compile_config, with a fresh optimizer');
    } finally {
      cleanup();
    }
  });

  // Train 2 epochs, save, load, train 1 more == train 3 epochs straight (same seed, fixed order).
  for (const [ext, makeOpt] of [
    ['keras', () => tt.optimizers.adam({ learningRate: 0.01 })],
    ['h5', () => tt.optimizers.rmsprop({ learningRate: 0.005, momentum: 0.5, centered: true })],
    ['keras', () => tt.optimizers.nadam({ learningRate: 0.01 })],
    ['h5', () => tt.optimizers.adamax({ learningRate: 0.01 })],
  ] as [string, () => tt.Optimizer][]) {
    it(`.${ext} with the optimizer: training resumes exactly (${makeOpt().className})`, async () => {
      const { dir, cleanup } = tempDir('resume');
      try {
        const [x, y] = data(24, 5);
        const fitArgs = { batchSize: 8, shuffle: false, verbose: 0 as const };
        const straight = cnn(7);
        straight.compile({ optimizer: makeOpt(), loss: 'categoricalCrossentropy' });
        await straight.fit(x, y, { ...fitArgs, epochs: 3 });

        const first = cnn(7);
        first.compile({ optimizer: makeOpt(), loss: 'categoricalCrossentropy' });
        await first.fit(x, y, { ...fitArgs, epochs: 2 });
        await first.save(join(dir, `m.${ext}`));
        const resumed = await tt.loadModel(join(dir, `m.${ext}`));
        await resumed.fit(x, y, { ...fitArgs, epochs: 1 });

        assert.equal(resumed.optimizer!.iterations, straight.optimizer!.iterations);
        straight.weights.forEach((w, i) => assertClose(resumed.weights[i].values, w.values, 0, w.name));
      } finally {
        cleanup();
      }
    });
  }

  it('a frozen layer stays frozen, and the optimizer state covers the trainable weights only', async () => {
    const { dir, cleanup } = tempDir('frozen');
    try {
      const model = cnn(40);
      model.layers[0].trainable = false;
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      const [x, y] = data(8, 41);
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      for (const ext of ['keras', 'h5']) {
        await model.save(join(dir, `f.${ext}`));
        const back = await tt.loadModel(join(dir, `f.${ext}`));
        assert.equal(back.layers[0].trainable, false, ext);
        assert.equal(back.trainableWeights.length, model.trainableWeights.length);
        assert.equal(back.optimizer!.iterations, 1);
        const frozen = Float32Array.from(back.layers[0].weights[0].values as Float32Array);
        await back.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
        assert.deepEqual(back.layers[0].weights[0].values, frozen, 'fit leaves the frozen kernel alone');
      }
    } finally {
      cleanup();
    }
  });

  it('save makes missing folders and honours overwrite: false', async () => {
    const { dir, cleanup } = tempDir('io');
    try {
      const model = cnn(8);
      const file = join(dir, 'deep', 'er', 'm.keras');
      await model.save(file);
      const before = readFileSync(file);
      await assert.rejects(model.save(file, { overwrite: false }), /already exists/);
      assert.deepEqual(readFileSync(file), before);
    } finally {
      cleanup();
    }
  });
});

describe('weights files', () => {
  for (const name of ['w.weights.h5', 'w.h5']) {
    it(`${name}: saveWeights then loadWeights into a fresh model`, async () => {
      const { dir, cleanup } = tempDir('w');
      try {
        const model = cnn(11);
        await model.saveWeights(join(dir, name));
        const other = cnn(12);
        const [x] = data(4, 13);
        assert.ok(predict1(other, x).values.some((v, i) => v !== predict1(model, x).values[i]));
        await other.loadWeights(join(dir, name));
        assertClose(predict1(other, x).values, predict1(model, x).values, 0, 'predictions');
        await other.loadWeights(join(dir, name)); // twice is fine
      } finally {
        cleanup();
      }
    });
  }

  it('loads weights from a whole-model file too (.keras and .h5)', async () => {
    const { dir, cleanup } = tempDir('w');
    try {
      const model = cnn(14);
      await model.save(join(dir, 'm.keras'));
      await model.save(join(dir, 'm.h5'));
      const [x] = data(3, 15);
      for (const f of ['m.keras', 'm.h5']) {
        const other = cnn(16);
        await other.loadWeights(join(dir, f));
        assertClose(predict1(other, x).values, predict1(model, x).values, 0, f);
      }
    } finally {
      cleanup();
    }
  });

  it('byName (legacy .h5) matches layers by name and leaves the others alone', async () => {
    const { dir, cleanup } = tempDir('w');
    try {
      resetNames();
      const a = tt.sequential([tt.layers.dense({ units: 3, inputShape: [4], name: 'first' }), tt.layers.dense({ units: 2, name: 'head' })]);
      await a.saveWeights(join(dir, 'w.h5'));
      const b = tt.sequential([tt.layers.dense({ units: 3, inputShape: [4], name: 'other' }), tt.layers.dense({ units: 2, name: 'head' })]);
      const otherBefore = Float32Array.from(b.layers[0].weights[0].values as Float32Array);
      await b.loadWeights(join(dir, 'w.h5'), { byName: true });
      assert.deepEqual(b.layers[1].weights[0].values, a.layers[1].weights[0].values);
      assert.deepEqual(b.layers[0].weights[0].values, otherBefore);
      await b.saveWeights(join(dir, 'x.weights.h5'));
      await assert.rejects(b.loadWeights(join(dir, 'x.weights.h5'), { byName: true }), /byName works with legacy .h5 files only/);
    } finally {
      cleanup();
    }
  });
});

describe('functional models', () => {
  function branchy(): tt.LayersModel {
    resetNames();
    tt.setSeed(21);
    const inp = tt.input({ shape: [6, 6, 2] });
    const c = tt.layers.conv2d({ filters: 3, kernelSize: 3 }).apply(inp) as tt.SymbolicTensor;
    const bn = tt.layers.batchNormalization().apply(c) as tt.SymbolicTensor;
    const f = tt.layers.flatten().apply(tt.layers.activation({ activation: 'relu' }).apply(bn) as tt.SymbolicTensor) as tt.SymbolicTensor;
    const a = tt.layers.dense({ units: 4 }).apply(f) as tt.SymbolicTensor;
    const b = tt.layers.dense({ units: 4, activation: 'tanh' }).apply(f) as tt.SymbolicTensor;
    const s = tt.layers.add().apply([a, b]) as tt.SymbolicTensor;
    const out = tt.layers.dense({ units: 2, activation: 'softmax' }).apply(s) as tt.SymbolicTensor;
    return tt.model({ inputs: inp, outputs: out });
  }

  for (const ext of ['keras', 'h5']) {
    it(`.${ext}: a graph with a branch and BatchNormalization comes back`, async () => {
      const { dir, cleanup } = tempDir('fn');
      try {
        const model = branchy();
        model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
        tt.setSeed(22);
        const x = tt.randomNormal([5, 6, 6, 2]);
        await model.fit(x, tt.oneHot(tt.tensor([0, 1, 0, 1, 1], [5], 'int32'), 2), { epochs: 1, verbose: 0 });
        await model.save(join(dir, `f.${ext}`));
        const back = await tt.loadModel(join(dir, `f.${ext}`));
        assert.equal(back.className, 'Functional');
        assert.deepEqual(back.layers.map((l) => l.name), model.layers.map((l) => l.name));
        assertClose(predict1(back, x).values, predict1(model, x).values, 0, 'predictions');
        assert.equal(back.optimizer!.iterations, 1);
        await back.saveWeights(join(dir, 'fw.weights.h5'));
        await model.loadWeights(join(dir, 'fw.weights.h5'));
      } finally {
        cleanup();
      }
    });
  }

  it("writes Keras 3's inbound_nodes with __keras_tensor__ arguments", async () => {
    const { dir, cleanup } = tempDir('fn');
    try {
      await branchy().save(join(dir, 'f.keras'));
      const { unpackKeras } = await import('../../src/saving/keras_zip');
      const { config } = unpackKeras(readFileSync(join(dir, 'f.keras')), 'f.keras');
      assert.equal(config.class_name, 'Functional');
      assert.equal(config.module, 'keras.src.models.functional');
      const layers = (config.config as { layers: { class_name: string; inbound_nodes: { args: unknown[] }[] }[] }).layers;
      const add = layers.find((l) => l.class_name === 'Add')!;
      const args = add.inbound_nodes[0].args[0] as { class_name: string; config: { keras_history: unknown[] } }[];
      assert.equal(args.length, 2);
      assert.equal(args[0].class_name, '__keras_tensor__');
      assert.deepEqual(args.map((t) => t.config.keras_history), [['dense', 0, 0], ['dense_1', 0, 0]]);
    } finally {
      cleanup();
    }
  });
});

describe('written files are what Keras expects', () => {
  it('a .keras file is an uncompressed zip of metadata.json, config.json, model.weights.h5', async () => {
    const { dir, cleanup } = tempDir('zip');
    try {
      const file = join(dir, 'm.keras');
      await cnn(30).save(file);
      const bytes = readFileSync(file);
      // local file headers: signature PK\3\4, compression method at offset 8 (0 = stored), name at 30
      const names: string[] = [];
      for (let at = 0; bytes.readUInt32LE(at) === 0x04034b50;) {
        assert.equal(bytes.readUInt16LE(at + 8), 0, 'stored, as Keras writes');
        const nameLen = bytes.readUInt16LE(at + 26);
        const extra = bytes.readUInt16LE(at + 28);
        names.push(bytes.subarray(at + 30, at + 30 + nameLen).toString());
        at += 30 + nameLen + extra + bytes.readUInt32LE(at + 18);
      }
      assert.deepEqual(names, ['metadata.json', 'config.json', 'model.weights.h5']);
      writeFileSync(join(dir, 'copy.keras'), bytes);
      assert.ok(existsSync(join(dir, 'copy.keras')));
    } finally {
      cleanup();
    }
  });
});
