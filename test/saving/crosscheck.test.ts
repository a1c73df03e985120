import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import type { CompileArgs } from '../../src/models/compile';
import { resetNames } from '../../src/layers/layer';
import { assertClose } from '../helpers/assert';
import { predict1, repoRoot, tempDir } from './io_helpers';
import { oracleMissing } from '../helpers/oracles';

// The seed models are saved by tatami in both formats; test/crosscheck/recompute.py (NumPy and
// h5py, code the project did not derive from tatami) checks each file's layout against Keras's
// and recomputes the predictions from the stored weights. They must agree with tatami's.

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(repoRoot(), 'test', 'crosscheck', 'recompute.py');

function pythonMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `needs ${PYTHON} with python3-h5py and python3-numpy`;
}

type Seed = { name: string; build: () => tt.Sequential | tt.LayersModel; inputShape: number[]; compile: CompileArgs };

const L = tt.layers;
const SEEDS: Seed[] = [
  { name: 'seed000_cnn', inputShape: [28, 28, 1], compile: { optimizer: tt.optimizers.sgd({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    build: () => tt.sequential([L.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: [2, 2] }),
      L.dropout({ rate: 0.2 }), L.flatten(), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 10, activation: 'softmax' })]) },
  { name: 'seed001_mnist_cnn', inputShape: [28, 28, 1], compile: { optimizer: tt.optimizers.adadelta({ learningRate: 1.0, rho: 0.95 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    build: () => tt.sequential([L.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }),
      L.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }), L.maxPooling2d({ poolSize: [2, 2] }), L.dropout({ rate: 0.25 }), L.flatten(),
      L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.5 }), L.dense({ units: 10, activation: 'softmax' })]) },
  { name: 'seed002_mlp', inputShape: [784], compile: { optimizer: tt.optimizers.adam({ learningRate: 0.001 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    build: () => tt.sequential([L.dense({ units: 256, activation: 'relu', inputShape: [784] }), L.dropout({ rate: 0.2 }),
      L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.5 }), L.dense({ units: 10, activation: 'softmax' })]) },
  { name: 'seed003_cifar', inputShape: [32, 32, 3], compile: { optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
    build: () => tt.sequential([L.conv2d({ filters: 20, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
      L.maxPooling2d({ poolSize: 2, strides: 2 }), L.flatten(), L.dense({ units: 10, activation: 'softmax' })]) },
  { name: 'seed004_tf_cnn', inputShape: [28, 28, 1], compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    build: () => tt.sequential([L.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: [2, 2] }),
      L.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }), L.maxPooling2d({ poolSize: [2, 2] }),
      L.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }), L.flatten(), L.dense({ units: 64, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' })]) },
  { name: 'functional_branch', inputShape: [12, 12, 2], compile: { optimizer: tt.optimizers.sgd({ momentum: 0.9 }), loss: 'categoricalCrossentropy' },
    build: () => {
      const x = tt.input({ shape: [12, 12, 2] });
      const c = L.conv2d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(x) as tt.SymbolicTensor;
      const b = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(c) as tt.SymbolicTensor) as tt.SymbolicTensor;
      const p = L.averagePooling2d({ poolSize: 2 }).apply(b) as tt.SymbolicTensor;
      const g = L.globalAveragePooling2d().apply(p) as tt.SymbolicTensor;
      const f = L.flatten().apply(p) as tt.SymbolicTensor;
      const h = L.concatenate().apply([g, L.dense({ units: 8, activation: 'tanh' }).apply(f) as tt.SymbolicTensor]) as tt.SymbolicTensor;
      return tt.model({ inputs: x, outputs: L.dense({ units: 10, activation: 'softmax' }).apply(h) as tt.SymbolicTensor });
    } },
];

describe('files tatami writes, read back by an independent NumPy/h5py reader', () => {
  it('seed models in .keras and .h5: layout checks pass and predictions agree (max abs diff <= 1e-4)', async (t) => {
    const missing = pythonMissing();
    if (missing) {
      oracleMissing(t, missing);
      return;
    }
    const { dir, cleanup } = tempDir('xcheck');
    try {
      const cases: { file: string; input: { shape: number[]; data: number[] } }[] = [];
      const mine = new Map<string, Float32Array>();
      for (const seed of SEEDS) {
        resetNames();
        tt.setSeed(100);
        const model = seed.build();
        model.compile(seed.compile);
        const x = tt.randomUniform([3, ...seed.inputShape]);
        const sparse = seed.compile.loss === 'sparseCategoricalCrossentropy';
        const y = sparse ? tt.tensor([1, 2, 3], [3], 'int32') : tt.oneHot(tt.tensor([1, 2, 3], [3], 'int32'), 10);
        await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 }); // non-zero optimizer state
        const want = Float32Array.from(predict1(model, x).values); // a copy: the tensor may be freed
        for (const ext of ['keras', 'h5']) {
          const file = join(dir, `${seed.name}.${ext}`);
          await model.save(file);
          cases.push({ file, input: { shape: x.shape, data: Array.from(x.values) } });
          mine.set(file, want);
        }
      }
      const casesFile = join(dir, 'cases.json');
      writeFileSync(casesFile, JSON.stringify({ cases }));
      const r = spawnSync(PYTHON, [SCRIPT, casesFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, `recompute.py failed: ${r.stderr}`);
      const results = JSON.parse(r.stdout).results as { file: string; error?: string; checks: number; prediction: { data: number[] } }[];
      assert.equal(results.length, cases.length);
      for (const res of results) {
        assert.equal(res.error, undefined, `${res.file}: ${res.error}`);
        assert.ok(res.checks > 10, `${res.file}: only ${res.checks} layout checks ran`);
        assertClose(res.prediction.data, mine.get(res.file)!, 1e-4, res.file);
      }
    } finally {
      cleanup();
    }
  });
});
