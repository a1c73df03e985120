import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { gradients } from '../../src/autograd/tape';
import { sum, mul } from '../../src/ops/index';
import { Rng } from '../../src/util/rng';

/**
 * Finite-difference gradient check: compares the analytic gradient of sum(f(xs) * G) (G a fixed
 * random cotangent) with central differences in float64 around float32 inputs.
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: { eps?: number; tol?: number; seed?: number } = {}): void {
  const eps = opts.eps ?? 1e-2;
  const tol = opts.tol ?? 2e-2;
  const rng = new Rng(opts.seed ?? 7);
  const srcs = inputs.map((x) => {
    const v = x.view(x.shape.slice());
    v.requiresGrad = true;
    return v;
  });
  const y0 = f(...srcs);
  const G = Tensor.empty(y0.shape.slice());
  for (let i = 0; i < G.size; i++) G.values[i] = rng.uniform() * 2 - 1;
  const objective = (...xs: Tensor[]) => sum(mul(f(...xs), G));
  const analytic = gradients(objective(...srcs), srcs);
  inputs.forEach((x, k) => {
    const g = analytic[k];
    assert.ok(g, `no gradient for input ${k}`);
    const xv = x.values as Float32Array;
    for (let i = 0; i < xv.length; i++) {
      const orig = xv[i];
      xv[i] = orig + eps;
      const plus = objective(...inputs).values[0];
      xv[i] = orig - eps;
      const minus = objective(...inputs).values[0];
      xv[i] = orig;
      const numeric = (plus - minus) / (2 * eps);
      const a = g!.values[i];
      const err = Math.abs(a - numeric) / Math.max(1, Math.abs(numeric), Math.abs(a));
      assert.ok(err < tol, `input ${k}[${i}]: analytic ${a} vs numeric ${numeric} (rel err ${err.toFixed(5)})`);
    }
  });
}

export function randomTensor(shape: number[], seed = 1, lo = -1, hi = 1): Tensor {
  const rng = new Rng(seed);
  const t = Tensor.empty(shape);
  for (let i = 0; i < t.size; i++) t.values[i] = lo + (hi - lo) * rng.uniform();
  return t;
}
