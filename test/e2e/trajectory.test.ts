import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import type { Backend } from '../../src/backend/backend';
import { backend, setBackend } from '../../src/backend/registry';
import { createJsBackend } from '../../src/backend/js/index';
import { createWasmBackend } from '../../src/backend/wasm/index';
import { Rng } from '../../src/util/rng';
import { loadFixture } from '../helpers/fixtures';
import { backendLabel, kernelBackends, type BackendKind } from '../helpers/backends';

// Whole-model trajectories (test/fixtures/trajectories.json, made by make_trajectories.py with
// PyTorch in float64 and Keras 3's loss and optimizer rules): the seed 001 model (two convs,
// max-pool, two dropouts, Adadelta lr 1.0, categorical crossentropy) and the seed 004 model
// (three convs, Adam, sparse categorical crossentropy) and LeNet, seed 003 (two 5x5 'same' convs:
// Winograd F(2x2, 5x5) and the one-channel kernels on the wasm backend; Adam) take 3 fit steps of 16 real MNIST images
// from the same initial weights; tatami's losses, its predictions on 4 test images after each
// step and the change of every weight array must follow the reference. The dropout masks are
// tatami's own xoshiro128** stream, which the script reproduces, so dropout is covered too.
//
// Tolerances. tatami computes in float32 and sums in other orders than PyTorch, so it cannot match
// float64 exactly; PyTorch's own float32 run lands ~1e-7 (relative) from float64 on the losses and
// ~5e-7 on the weight checksums (the fixture's float32_spread). Measured worst errors of tatami over
// the 3 steps of both models, on both the wasm and the js backend: losses 1.3e-7 relative, probe
// probabilities 4e-8 absolute, weight changes 7e-6 of their scale (a single sample of a conv bias
// change; the checksums are closer). The bars below are 7-12x those figures. What they catch, tried
// by hand: Adam's epsilon at PyTorch's 1e-8 instead of Keras's 1e-7 moves a weight change by 12% of
// its scale and the step-3 loss by 2e-4; dropout masks from the wrong seed move the first loss by 2%.

interface Spec { type: string; filters?: number; kernel?: number; padding?: 'same' | 'valid'; units?: number; rate?: number; activation?: string; in?: number }
interface WeightSummary { sum: number; sum_abs: number; max_abs: number; proj: number; proj_scale: number; sample_idx: number[]; sample: number[] }
interface Step { loss: number; kept: number[]; probe_predictions: number[]; weights: WeightSummary[] }
interface ModelCase {
  name: string; layers: Spec[]; optimizer: Record<string, number | string>; loss: string;
  weights: { name: string; shape: number[]; fan_in: number | null; fan_out: number | null }[];
  steps: Step[];
}
interface Fixture { batch_size: number; steps: number; probes: number; init_seed: number; dropout_seed: number; models: ModelCase[] }

const fx = loadFixture<Fixture>('trajectories');

/** Bars, as fractions of each quantity's scale (see the header). */
const TOL = {
  loss: 1e-6, // relative, per-step batch loss (training mode, with dropout)
  probe: 5e-7, // absolute, on the probabilities predicted for the probe images after each step
  weights: 5e-5, // relative to the weight's own scale: sum_abs, max_abs; proj/sum vs proj_scale/sum_abs; samples vs max_abs
};

/** The model of a fixture case, built the way the seed programs build it. */
function buildModel(c: ModelCase): tt.Sequential {
  const m = tt.sequential();
  let first = true;
  for (const l of c.layers) {
    const input = first ? { inputShape: [28, 28, 1] } : {};
    if (l.type === 'conv2d') {
      m.add(tt.layers.conv2d({ filters: l.filters!, kernelSize: [l.kernel!, l.kernel!], padding: l.padding ?? 'valid', activation: 'relu', ...input }));
    }
    else if (l.type === 'maxpool') m.add(tt.layers.maxPooling2d({ poolSize: [2, 2] }));
    else if (l.type === 'dropout') m.add(tt.layers.dropout({ rate: l.rate! }));
    else if (l.type === 'flatten') m.add(tt.layers.flatten());
    else if (l.type === 'dense') m.add(tt.layers.dense({ units: l.units!, activation: l.activation as 'relu' | 'softmax' }));
    else throw new Error(`trajectories.json: unknown layer type '${l.type}'`);
    first = false;
  }
  return m;
}

function buildOptimizer(o: Record<string, number | string>): tt.Optimizer {
  if (o.name === 'adadelta') return tt.optimizers.adadelta({ learningRate: o.learning_rate as number, rho: o.rho as number, epsilon: o.epsilon as number });
  if (o.name === 'adam') {
    return tt.optimizers.adam({ learningRate: o.learning_rate as number, beta1: o.beta_1 as number, beta2: o.beta_2 as number, epsilon: o.epsilon as number });
  }
  throw new Error(`trajectories.json: unknown optimizer '${o.name}'`);
}

/** Weight array k: float32((2u - 1) * sqrt(6 / (fan_in + fan_out))) from xoshiro128** seeded init_seed + k; biases 0. */
function initialWeights(c: ModelCase): Float32Array[] {
  return c.weights.map((w, k) => {
    const a = new Float32Array(w.shape.reduce((x, y) => x * y, 1));
    if (w.fan_in == null || w.fan_out == null) return a;
    const rng = new Rng(fx.init_seed + k);
    const limit = Math.sqrt(6 / (w.fan_in + w.fan_out));
    for (let i = 0; i < a.length; i++) a[i] = (2 * rng.uniform() - 1) * limit;
    return a;
  });
}

/** ((i * 2654435761) mod 2^32) / 2^32 - 0.5, as the script's proj_coeffs. */
function projCoeff(i: number): number {
  return (Math.imul(i, 2654435761 | 0) >>> 0) / 4294967296 - 0.5;
}

/** Largest error / (tol-free) scale seen per quantity, for the report and the assertions. */
class Worst {
  readonly seen: Record<string, { ratio: number; where: string }> = {};
  note(kind: string, got: number, want: number, scale: number, where: string): void {
    const ratio = Math.abs(got - want) / Math.max(scale, 1e-30);
    const cur = this.seen[kind];
    if (!cur || !(ratio <= cur.ratio)) this.seen[kind] = { ratio: Number.isNaN(ratio) ? Infinity : ratio, where: `${where}: ${got} vs ${want}` };
  }
}

function compareWeights(w: Worst, delta: Float64Array, want: WeightSummary, where: string): void {
  let sum = 0, sumAbs = 0, maxAbs = 0, proj = 0;
  for (let i = 0; i < delta.length; i++) {
    const d = delta[i];
    sum += d;
    sumAbs += Math.abs(d);
    maxAbs = Math.max(maxAbs, Math.abs(d));
    proj += projCoeff(i) * d;
  }
  w.note('weights', sumAbs, want.sum_abs, want.sum_abs, `${where} sum|Δ|`);
  w.note('weights', maxAbs, want.max_abs, want.max_abs, `${where} max|Δ|`);
  w.note('weights', sum, want.sum, want.sum_abs, `${where} ΣΔ`);
  w.note('weights', proj, want.proj, want.proj_scale, `${where} Σc·Δ`);
  want.sample_idx.forEach((idx, j) => w.note('weights', delta[idx], want.sample[j], want.max_abs, `${where} Δ[${idx}]`));
}

/** Runs the 3 steps on the active backend and returns the worst ratios. */
async function follow(c: ModelCase, xTrain: tt.Tensor, yTrain: tt.Tensor, probes: tt.Tensor): Promise<Worst> {
  const worst = new Worst();
  const model = buildModel(c);
  assert.deepEqual(model.weights.map((v) => v.shape), c.weights.map((w) => w.shape), `${c.name}: weight shapes`);
  const w0 = initialWeights(c);
  model.setWeights(w0.map((a, k) => tt.tensor(a, c.weights[k].shape)));
  model.compile({ optimizer: buildOptimizer(c.optimizer), loss: c.loss === 'categorical_crossentropy' ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy' });
  // the dropout layers draw their mask seeds from the global generator, from here on
  tt.setSeed(fx.dropout_seed);
  const B = fx.batch_size;
  for (let s = 0; s < fx.steps; s++) {
    const want = c.steps[s];
    const where = `${c.name} step ${s + 1}`;
    const x = xTrain.slice([s * B], [B]);
    const labels = yTrain.slice([s * B], [B]);
    const y = c.loss === 'categorical_crossentropy' ? tt.utils.toCategorical(labels, 10) : labels;
    const h = await model.fit(x, y, { batchSize: B, epochs: 1, shuffle: false, verbose: 0 });
    worst.note('loss', h.history.loss[0], want.loss, want.loss, `${where} loss`);
    const pred = model.predict(probes).values;
    want.probe_predictions.forEach((p, i) => worst.note('probe', pred[i], p, 1, `${where} prediction [${Math.floor(i / 10)}, ${i % 10}]`));
    model.weights.forEach((v, k) => {
      const cur = v.values;
      const delta = new Float64Array(cur.length);
      for (let i = 0; i < cur.length; i++) delta[i] = cur[i] - w0[k][i];
      compareWeights(worst, delta, want.weights[k], `${where} ${c.weights[k].name}`);
    });
  }
  return worst;
}

async function withBackendAsync<T>(b: Backend, fn: () => Promise<T>): Promise<T> {
  const prev = backend();
  setBackend(b);
  try {
    return await fn();
  } finally {
    setBackend(prev);
  }
}

let extraWasm: Backend | null = null;

function backendOf(kind: BackendKind): Backend {
  if (kind === 'default') return backend();
  if (kind === 'js') return createJsBackend();
  // kernelBackends() lists wasm only when it loads and is not already the active backend
  extraWasm ??= createWasmBackend();
  if (!extraWasm) throw new Error('the wasm backend was listed as available but does not load');
  return extraWasm;
}

describe('whole-model trajectories against PyTorch (3 steps, real MNIST)', () => {
  let xTrain: Float32Array;
  let yTrain: Int32Array;
  let probes: Float32Array;
  const B = fx.batch_size;
  before(async () => {
    const [[xt, yt], [xs]] = await tt.datasets.mnist.loadData();
    const n = B * fx.steps;
    xTrain = xt.slice([0], [n]).reshape([-1, 28, 28, 1]).cast('float32').div(255).values.slice() as Float32Array;
    yTrain = Int32Array.from(yt.values.subarray(0, n));
    probes = xs.slice([0], [fx.probes]).reshape([-1, 28, 28, 1]).cast('float32').div(255).values.slice() as Float32Array;
  });

  for (const kind of kernelBackends()) {
    for (const c of fx.models) {
      it(`${c.name} on the ${backendLabel(kind)}`, async () => {
        const worst = await withBackendAsync(backendOf(kind), () =>
          follow(c, tt.tensor(xTrain, [B * fx.steps, 28, 28, 1]), tt.tensor(yTrain, [B * fx.steps], 'int32'), tt.tensor(probes, [fx.probes, 28, 28, 1])));
        if (process.env.TRAJECTORY_REPORT) console.log(c.name, backendLabel(kind), JSON.stringify(worst.seen));
        for (const [kind2, tol] of Object.entries(TOL)) {
          const w = worst.seen[kind2];
          assert.ok(w, `${c.name}: nothing compared for ${kind2}`);
          assert.ok(w.ratio <= tol, `${c.name}: ${kind2} off by ${w.ratio.toExponential(2)} of its scale (bar ${tol}) at ${w.where}`);
        }
      });
    }
  }
});
