import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, Variable } from '../../src/tensor/tensor';
import { getOptimizer, optimizers } from '../../src/optimizers/index';
import { optimizerFromKeras, optimizerToKeras } from '../../src/saving/training_config';
import type { KerasStyle } from '../../src/saving/keras_config';
import { pyJson } from '../../src/saving/pyjson';
import type { Optimizer } from '../../src/optimizers/optimizer';
import { assertAllClose } from '../helpers/assert';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// 10-step trajectories with Keras 3's update rules (optimizers.json): each step applies the
// recorded gradients with applyGradients and compares the parameters after it.

interface Step { grads: { w: FixtureArray; b: FixtureArray }; params: { w: FixtureArray; b: FixtureArray } }
interface OptCase { name: string; optimizer: string; config: Record<string, number | boolean>; rule: string; steps: Step[] }
interface Fixture { problem: { w0: FixtureArray; b0: FixtureArray }; optimizers: OptCase[] }

const fixture = loadFixture<Fixture>('optimizers');
const { w0, b0 } = fixture.problem;

/** Keras constructor arguments → tfjs-style camelCase (learning_rate → learningRate, beta_1 → beta1). */
function camelConfig(config: Record<string, number | boolean>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(config)) out[k.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase())] = v;
  return out;
}

/** Spacing of float32 values near |v| (one unit in the last place). */
function ulp32(v: number): number {
  const e = Math.floor(Math.log2(Math.max(Math.abs(v), 2 ** -126)));
  return 2 ** (e - 23);
}

/**
 * The change from the start, params − p0, is what an optimizer computes; with small learning
 * rates (Adadelta's default 1e-3 moves a parameter ~1e-5 in 10 steps) comparing the params
 * themselves would pass even with no update at all. The float32 parameter buffer rounds each
 * step's result by up to half an ulp (measured: at most ~0.5 ulp per step over these cases), so
 * after k steps the change may be off by k/2 ulps; k ulps leaves a 2x margin. For Adadelta at
 * lr 1e-3 that resolves the change to about 4%; adadelta_lr1 checks the same rule tightly.
 */
function assertDeltaClose(actual: ArrayLike<number>, p0: FixtureArray, expected: FixtureArray, steps: number, what: string): void {
  const maxAbs = Math.max(...expected.data.map(Math.abs), ...p0.data.map(Math.abs));
  const got = Array.from(actual, (v, i) => v - Math.fround(p0.data[i]));
  const want = expected.data.map((v, i) => v - Math.fround(p0.data[i]));
  assertAllClose(got, want, `${what} (params − initial)`, { rtol: 1e-4, atol: steps * ulp32(maxAbs) });
}

describe('golden optimizer trajectories (10 steps)', () => {
  for (const c of fixture.optimizers) {
    it(`${c.name}: ${c.rule.split(';')[0]}…`, () => {
      const factory = (optimizers as Record<string, (a: object) => Optimizer>)[c.optimizer];
      assert.ok(factory, `tt.optimizers.${c.optimizer} is missing`);
      const opt = factory(camelConfig(c.config));
      const w = new Variable(toTensor(w0, 'w0'), 'w');
      const b = new Variable(toTensor(b0, 'b0'), 'b');
      c.steps.forEach((step, k) => {
        const grads: Tensor[] = [toTensor(step.grads.w, 'grad w'), toTensor(step.grads.b, 'grad b')];
        opt.applyGradients(grads, [w, b]);
        const what = `${c.name} step ${k + 1}`;
        assertAllClose(w, step.params.w, `${what} w`);
        assertAllClose(b, step.params.b, `${what} b`);
        assertDeltaClose(w.values, w0, step.params.w, k + 1, `${what} w`);
        assertDeltaClose(b.values, b0, step.params.b, k + 1, `${what} b`);
      });
    });
  }
});

describe('optimizer names and configs', () => {
  const made = [
    optimizers.adamax({ learningRate: 0.002, beta1: 0.85, beta2: 0.95, epsilon: 1e-6, clipValue: 0.5 }),
    optimizers.nadam({ learningRate: 0.002, beta1: 0.5, beta2: 0.67, epsilon: 1e-5, clipNorm: 1 }),
  ];
  it('every factory is reachable by its string name and Keras class name', () => {
    for (const [key, factory] of Object.entries(optimizers) as [string, () => Optimizer][]) {
      const opt = factory();
      assert.equal(getOptimizer(key).className, opt.className, key);
      assert.equal(getOptimizer(opt.className).className, opt.className, opt.className);
    }
  });
  it('Adamax and Nadam configs round-trip through getOptimizer and Keras 3 / tf.keras 2 JSON', () => {
    for (const opt of made) {
      assert.deepEqual(getOptimizer({ className: opt.className, config: opt.getConfig() }).getConfig(), opt.getConfig());
      for (const style of ['keras3', 'keras2'] as KerasStyle[]) {
        const json = JSON.parse(pyJson(optimizerToKeras(opt, style)));
        assert.equal(json.class_name, opt.className);
        assert.equal(json.config.beta_1, (opt as unknown as { beta1: number }).beta1);
        const back = optimizerFromKeras(json, 'test');
        assert.equal(back.className, opt.className);
        assert.deepEqual(back.getConfig(), opt.getConfig(), `${opt.className} (${style})`);
      }
    }
  });
});
