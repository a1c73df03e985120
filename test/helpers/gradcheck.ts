import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { gradients, noGrad } from '../../src/autograd/tape';
import { sum, mul } from '../../src/ops/index';
import { Rng } from '../../src/util/rng';
import type { Layer } from '../../src/layers/layer';

/**
 * Finite-difference gradient checks. The objective is sum(f(xs) · G) for a fixed random cotangent
 * G; its analytic gradient comes from autograd, its numeric one from central differences
 * (L(x + h) − L(x − h)) / (2h). The ops run in float32 (tatami has no float64 tensors), but
 * everything around them is float64: the dot product with G is summed in float64, and h is the
 * step actually taken after the perturbed input was rounded to float32, not the nominal eps.
 *
 * An element passes when |analytic − numeric| <= rtol·max(|analytic|, |numeric|) + atol: relative,
 * with a small absolute floor for gradients near zero (where float32 rounding of the forward
 * pass, about 1e-7·|L|/h, dominates). A gradient off by a factor of 1.05, or transposed, fails
 * (see test/ops/gradients.test.ts).
 */

export interface GradCheckOptions {
  /** Nominal finite-difference step (default 1e-2; use 1e-3 near kinks such as relu or max). */
  eps?: number;
  /** Relative tolerance (default 5e-3: every layer check passes at 1.2e-3). */
  rtol?: number;
  /** Absolute floor for gradients near zero (default 5e-4). */
  atol?: number;
  /** Seed of the random cotangent G. */
  seed?: number;
}

export const GRADCHECK_DEFAULTS = { eps: 1e-2, rtol: 5e-3, atol: 5e-4 };

/** The cotangent G: uniform in [−1, 1), fixed by the seed. */
export function randomCotangent(shape: number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const g = new Float64Array(shape.reduce((a, b) => a * b, 1));
  // float32 values, so the float32 tensor autograd sees holds exactly the same G
  for (let i = 0; i < g.length; i++) g[i] = Math.fround(rng.uniform() * 2 - 1);
  return g;
}

/** sum(y · G) in float64. */
export function dot64(y: Tensor, G: Float64Array): number {
  const v = y.values;
  assert.equal(v.length, G.length, `output has ${v.length} values, the cotangent ${G.length}`);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * G[i];
  return s;
}

/**
 * Compares analytic gradients with central differences of `objective` (a float64 number) taken by
 * perturbing each element of each target buffer in place.
 */
export function compareWithDifferences(objective: () => number, targets: { name: string; values: Float32Array }[],
  analytic: (Tensor | null)[], opts: GradCheckOptions): void {
  const eps = opts.eps ?? GRADCHECK_DEFAULTS.eps;
  const rtol = opts.rtol ?? GRADCHECK_DEFAULTS.rtol;
  const atol = opts.atol ?? GRADCHECK_DEFAULTS.atol;
  targets.forEach(({ name, values: v }, k) => {
    const g = analytic[k];
    assert.ok(g, `no gradient for ${name}`);
    assert.equal(g.size, v.length, `gradient for ${name} has ${g.size} values, the source ${v.length}`);
    for (let i = 0; i < v.length; i++) {
      const orig = v[i];
      v[i] = orig + eps;
      const up = v[i];
      const plus = objective();
      v[i] = orig - eps;
      const down = v[i];
      const minus = objective();
      v[i] = orig;
      const numeric = (plus - minus) / (up - down);
      const a: number = g.values[i];
      const err = Math.abs(a - numeric);
      const allowed = rtol * Math.max(Math.abs(a), Math.abs(numeric)) + atol;
      if (!(err <= allowed)) {
        assert.fail(`${name}[${i}]: analytic ${a} vs numeric ${numeric} (|diff| ${err.toExponential(3)}, ` +
          `relative ${(err / Math.max(Math.abs(a), Math.abs(numeric))).toExponential(3)}; allowed rtol ${rtol}, atol ${atol})`);
      }
    }
  });
}

function cotangentTensor(G: Float64Array, shape: number[]): Tensor {
  const t = Tensor.empty(shape.slice());
  t.f32.set(G);
  return t;
}

/** Checks autograd's gradient of sum(f(inputs) · G) with respect to every input. */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradCheckOptions = {}): void {
  const srcs = inputs.map((x) => {
    const v = x.view(x.shape.slice());
    v.requiresGrad = true;
    return v;
  });
  const y0 = f(...srcs);
  const G = randomCotangent(y0.shape, opts.seed ?? 7);
  const analytic = gradients(sum(mul(y0, cotangentTensor(G, y0.shape))), srcs);
  const objective = () => noGrad(() => dot64(f(...inputs), G));
  const targets = inputs.map((x, k) => ({ name: `input ${k}`, values: x.values as Float32Array }));
  compareWithDifferences(objective, targets, analytic, opts);
}

/**
 * The same check for a layer: d(sum(layer(x) · G)) with respect to every input and every trainable
 * weight (weights are perturbed in place).
 */
export function layerGradCheck(layer: Layer, inputs: Tensor | Tensor[], opts: GradCheckOptions & { training?: boolean } = {}): void {
  const training = opts.training ?? false;
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const srcs = list.map((t) => {
    const v = t.view(t.shape.slice());
    v.requiresGrad = true;
    return v;
  });
  const y0 = layer.invoke(Array.isArray(inputs) ? srcs : srcs[0], training);
  const G = randomCotangent(y0.shape, opts.seed ?? 11);
  const analytic = gradients(sum(mul(y0, cotangentTensor(G, y0.shape))), [...srcs, ...layer.trainableWeights]);
  const objective = () => noGrad(() => dot64(layer.invoke(inputs, training), G));
  const targets = [
    ...list.map((x, k) => ({ name: `${layer.className} input ${k}`, values: x.values as Float32Array })),
    ...layer.trainableWeights.map((w) => ({ name: `${layer.className} weight ${w.name}`, values: w.values as Float32Array })),
  ];
  compareWithDifferences(objective, targets, analytic, opts);
}

export function randomTensor(shape: number[], seed = 1, lo = -1, hi = 1): Tensor {
  const rng = new Rng(seed);
  const t = Tensor.empty(shape);
  for (let i = 0; i < t.size; i++) t.values[i] = lo + (hi - lo) * rng.uniform();
  return t;
}
