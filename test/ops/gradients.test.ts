import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { gradients, noGrad, record } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { getActivation } from '../../src/activations/index';
import { categoricalCrossentropyProbs } from '../../src/ops/crossentropy';
import { gradCheck, randomTensor } from '../helpers/gradcheck';

// A finite-difference gradient check for every differentiable op, with tolerances about 4x the
// worst error measured over these cases (gradCheck's defaults, used by the layer checks: rtol 5e-3,
// atol 5e-4, eps 1e-2). Any of them fails a gradient off by 5% or transposed.

/** Smooth ops: measured relative error <= 2.3e-4 (float32 forward noise and eps²·f''' truncation). */
const SMOOTH = { rtol: 1e-3, atol: 1e-4 };
/** Convolutions sum more float32 products per output (and wasm may use Winograd): measured <= 9e-4. */
const CONV = { rtol: 3e-3, atol: 3e-4 };
/** Piecewise-linear ops, with a small step (float32 noise grows as 1/eps, hence the floor). */
const KINKED = { eps: 1e-3, rtol: 1e-3, atol: 1e-3 };
/** A convolution with a relu fused in, with that small step: measured relative 4e-3, absolute 3e-4. */
const CONV_KINKED = { eps: 1e-3, rtol: 1e-2, atol: 1.5e-3 };

describe('gradCheck itself', () => {
  // y = x³ elementwise, with its derivative scaled by `factor`
  const cube = (factor: number) => (x: Tensor) => {
    const y = noGrad(() => ops.mul(ops.square(x), x));
    return record(y, [x], (dy) => [ops.mul(dy, ops.mul(ops.square(x), 3 * factor))]);
  };
  // a·b with dA computed as dY·B instead of dY·Bᵀ when `transposed` (B square, so shapes agree)
  const product = (transposed: boolean) => (a: Tensor, b: Tensor) => {
    const y = noGrad(() => ops.matMul(a, b));
    return record(y, [a, b], (dy) => [ops.matMul(dy, b, false, !transposed), ops.matMul(a, dy, true, false)]);
  };
  const x = () => randomTensor([3, 4], 21, -2, 2);
  const a = () => randomTensor([3, 4], 22);
  const b = () => randomTensor([4, 4], 23);

  it('passes the correct gradients', () => {
    gradCheck(cube(1), [x()], SMOOTH);
    gradCheck(product(false), [a(), b()], SMOOTH);
  });
  it('fails a gradient off by a factor of 1.05, with the defaults and the tight tolerances', () => {
    assert.throws(() => gradCheck(cube(1.05), [x()]), /input 0\[\d+\]: analytic .* vs numeric/);
    assert.throws(() => gradCheck(cube(1.05), [x()], SMOOTH), /input 0\[\d+\]/);
    assert.throws(() => gradCheck(cube(1 / 1.05), [x()], SMOOTH), /input 0\[\d+\]/);
  });
  it('fails a transposed gradient', () => {
    assert.throws(() => gradCheck(product(true), [a(), b()]), /input 0\[\d+\]: analytic/);
    assert.throws(() => gradCheck(product(true), [a(), b()], SMOOTH), /input 0\[\d+\]/);
  });
  it('fails a missing gradient', () => {
    const detached = (x0: Tensor) => noGrad(() => ops.mul(x0, 2));
    assert.throws(() => gradCheck((x0, y0) => ops.add(detached(x0), y0), [x(), x()]), /no gradient for input 0/);
  });
});

describe('op gradients', () => {
  const a = () => randomTensor([2, 3, 4], 1);
  const b4 = () => randomTensor([4], 2, 0.5, 1.5);
  const pos = () => randomTensor([2, 3], 3, 0.5, 2);
  it('add/sub/mul/div with broadcasting', () => {
    gradCheck((x, y) => ops.add(x, y), [a(), b4()], SMOOTH);
    gradCheck((x, y) => ops.sub(x, y), [a(), randomTensor([3, 1], 4)], SMOOTH);
    gradCheck((x, y) => ops.mul(x, y), [a(), b4()], SMOOTH);
    gradCheck((x, y) => ops.div(x, y), [a(), b4()], SMOOTH);
  });
  it('pow, maximum, minimum', () => {
    gradCheck((x, y) => ops.pow(x, y), [pos(), randomTensor([2, 3], 5, 0.5, 2)], SMOOTH);
    gradCheck((x, y) => ops.maximum(x, y), [randomTensor([5], 6), randomTensor([5], 7)], KINKED);
    gradCheck((x, y) => ops.minimum(x, y), [randomTensor([5], 6), randomTensor([5], 7)], KINKED);
  });
  it('unary math', () => {
    for (const f of [ops.neg, ops.exp, ops.square]) gradCheck((x) => f(x), [a()], SMOOTH);
    gradCheck((x) => ops.abs(x), [a()], KINKED);
    for (const f of [ops.log, ops.sqrt, ops.reciprocal]) gradCheck((x) => f(x), [pos()], SMOOTH);
  });
  it('activations', () => {
    const x = () => randomTensor([3, 7], 9, -3, 3);
    for (const f of [ops.sigmoid, ops.tanh, ops.selu, ops.softplus, ops.softsign, ops.swish, ops.gelu, ops.exponential]) {
      gradCheck((t) => f(t), [x()], SMOOTH);
    }
    // elu is smooth except for a kink in the second derivative at 0
    gradCheck((t) => ops.elu(t), [x()], KINKED);
    for (const f of [ops.relu, (t: Tensor) => ops.leakyRelu(t), ops.relu6, ops.hardSigmoid]) gradCheck((t) => f(t), [x()], KINKED);
    gradCheck((t) => ops.softmax(t), [a()], SMOOTH);
    gradCheck((t) => ops.softmax(t, 1), [a()], SMOOTH);
    gradCheck((t) => ops.logSoftmax(t), [a()], SMOOTH);
  });
  it('activations composed of other ops: gelu_new, hard_silu, mish', () => {
    const x = () => randomTensor([3, 7], 9, -3, 3);
    gradCheck(getActivation('gelu_new'), [x()], SMOOTH);
    gradCheck(getActivation('mish'), [x()], SMOOTH);
    gradCheck(getActivation('hard_silu'), [x()], KINKED);
  });
  it('categorical crossentropy on probabilities (one op), for the predictions and the labels', () => {
    // rows of positive "probabilities" not summing to 1, labels soft; away from the clip's bounds
    const p = () => randomTensor([4, 5], 21, 0.2, 1.5);
    const y = () => randomTensor([4, 5], 22, 0, 1);
    gradCheck((yt, yp) => categoricalCrossentropyProbs(yt, yp, 1e-7), [y(), p()], SMOOTH);
    // clipped entries (q below epsilon or above 1 - epsilon): the op against the formula term by term
    const pv = [0.3, 1e-9, 0.7, 1, 1e-9, 1e-10, 0.2, 0.5, 0.3];
    const yv = [0.2, 0.5, 0.3, 1, 0, 0, 0, 1, 0];
    const pt = ops.tensor(pv, [3, 3]), yt = ops.tensor(yv, [3, 3]);
    pt.requiresGrad = true;
    yt.requiresGrad = true;
    const G = ops.tensor([0.5, -1, 2], [3]);
    const fused = categoricalCrossentropyProbs(yt, pt, 1e-7);
    const composite = ops.neg(ops.sum(ops.mul(yt, ops.log(ops.clipByValue(ops.div(pt, ops.sum(pt, -1, true)), 1e-7, 1 - 1e-7))), -1));
    const close = (u: Tensor, v: Tensor, what: string) => {
      for (let i = 0; i < u.size; i++) {
        assert.ok(Math.abs(u.values[i] - v.values[i]) <= 1e-5 * (1 + Math.abs(v.values[i])), `${what}[${i}]: ${u.values[i]} vs ${v.values[i]}`);
      }
    };
    close(fused, composite, 'loss');
    const [fy, fp] = gradients(ops.sum(ops.mul(fused, G)), [yt, pt]);
    const [cy, cp] = gradients(ops.sum(ops.mul(composite, G)), [yt, pt]);
    close(fp!, cp!, 'dL/dp');
    close(fy!, cy!, 'dL/dy');
  });
  it('reductions', () => {
    gradCheck((x) => ops.sum(x), [a()], SMOOTH);
    gradCheck((x) => ops.sum(x, [0, 2], true), [a()], SMOOTH);
    gradCheck((x) => ops.mean(x, 1), [a()], SMOOTH);
    gradCheck((x) => ops.max(x, -1), [a()], KINKED);
    gradCheck((x) => ops.min(x, 0), [a()], KINKED);
  });
  it('shape ops', () => {
    gradCheck((x) => ops.reshape(x, [6, -1]), [a()], SMOOTH);
    gradCheck((x) => ops.transpose(x, [2, 0, 1]), [a()], SMOOTH);
    gradCheck((x) => ops.slice(x, [0, 1, 1], [2, 2, -1]), [a()], SMOOTH);
    gradCheck((x, y) => ops.concat([x, y], 1), [a(), randomTensor([2, 2, 4], 8)], SMOOTH);
    gradCheck((x) => ops.gather(x, [2, 0, 2], 1), [a()], SMOOTH);
    gradCheck((x) => ops.pad(x, [[0, 0], [1, 2], [0, 1]]), [a()], SMOOTH);
    gradCheck((x) => ops.clipByValue(x, -0.5, 0.5), [randomTensor([7], 11)], KINKED);
  });
  it('matMul and dense', () => {
    gradCheck((x, y) => ops.matMul(x, y), [randomTensor([3, 4], 1), randomTensor([4, 5], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y, true, false), [randomTensor([4, 3], 1), randomTensor([4, 5], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y, false, true), [randomTensor([3, 4], 1), randomTensor([5, 4], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y, true, true), [randomTensor([4, 3], 1), randomTensor([5, 4], 2)], SMOOTH);
    gradCheck((x, k, b) => ops.dense(x, k, b), [randomTensor([3, 4], 1), randomTensor([4, 2], 2), randomTensor([2], 3)], SMOOTH);
  });
  it('matMul with broadcast batch dimensions (gradients summed over them)', () => {
    gradCheck((x, y) => ops.matMul(x, y), [randomTensor([2, 3, 4], 1), randomTensor([2, 4, 5], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y), [randomTensor([2, 3, 4], 1), randomTensor([4, 5], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y), [randomTensor([3, 4], 1), randomTensor([2, 4, 5], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y), [randomTensor([2, 1, 3, 4], 1), randomTensor([3, 4, 2], 2)], SMOOTH);
    gradCheck((x, y) => ops.matMul(x, y, true, true), [randomTensor([1, 2, 4, 3], 1), randomTensor([3, 1, 5, 4], 2)], SMOOTH);
  });
  it('conv2d (valid, same, strides, dilation, depthwise)', () => {
    const x = () => randomTensor([2, 6, 5, 3], 1);
    gradCheck((x0, k, b) => ops.conv2d(x0, k, b), [x(), randomTensor([3, 3, 3, 4], 2), randomTensor([4], 3)], CONV);
    gradCheck((x0, k) => ops.conv2d(x0, k, null, [2, 2], 'same'), [x(), randomTensor([3, 2, 3, 2], 2)], CONV);
    gradCheck((x0, k) => ops.conv2d(x0, k, null, [1, 1], 'same', [2, 2]), [x(), randomTensor([2, 2, 3, 2], 2)], CONV);
    gradCheck((x0, k) => ops.conv2d(x0, k, null, [2, 1], 'valid', [1, 1], true), [x(), randomTensor([2, 2, 3, 2], 2)], CONV);
    // relu fused into the convolution and the dense layer equals relu applied after them
    gradCheck((x0, k, b) => ops.conv2d(x0, k, b, [1, 1], 'same', [1, 1], false, true), [x(), randomTensor([3, 3, 3, 4], 2), randomTensor([4], 3)], CONV_KINKED);
    gradCheck((x0, k, b) => ops.dense(x0, k, b, true), [randomTensor([3, 4], 1), randomTensor([4, 5], 2), randomTensor([5], 3)], KINKED);
    const [xc, kc, bc] = [x(), randomTensor([3, 3, 3, 4], 2), randomTensor([4], 3)];
    const fused = ops.conv2d(xc, kc, bc, [1, 1], 'same', [1, 1], false, true).dataSync();
    const plain = ops.relu(ops.conv2d(xc, kc, bc, [1, 1], 'same')).dataSync();
    assert.deepEqual(Array.from(fused), Array.from(plain));
  });
  it('pooling', () => {
    const x = () => randomTensor([2, 5, 6, 3], 1);
    gradCheck((x0) => ops.maxPool(x0, [2, 2], [2, 2], 'valid'), [x()], KINKED);
    gradCheck((x0) => ops.maxPool(x0, [3, 3], [2, 2], 'same'), [x()], KINKED);
    gradCheck((x0) => ops.avgPool(x0, [2, 2], [2, 2], 'same'), [x()], SMOOTH);
    gradCheck((x0) => ops.avgPool(x0, [3, 2], [1, 2], 'valid'), [x()], SMOOTH);
  });
  it('max pooling over a fused relu masks and sums the gradient for the convolution (relu_masked.ts)', () => {
    const x = () => randomTensor([2, 7, 6, 3], 12);
    const k = () => randomTensor([3, 3, 3, 4], 2);
    const b = () => randomTensor([4], 3, -0.5, 0.5);
    const fused = (x0: Tensor, k0: Tensor, b0: Tensor) => ops.conv2d(x0, k0, b0, [1, 1], 'same', [1, 1], false, true);
    gradCheck((x0, k0, b0) => ops.maxPool(fused(x0, k0, b0), [2, 2], [2, 2], 'valid'), [x(), k(), b()], CONV_KINKED);
    gradCheck((x0, k0, b0) => ops.maxPool(fused(x0, k0, b0), [3, 3], [2, 2], 'same'), [x(), k(), b()], CONV_KINKED);
    // the same gradients as relu applied as its own op, also when the relu output has a second
    // consumer (the accumulated gradient then carries no note)
    const run = (fuse: boolean, second: boolean) => {
      const srcs = [x(), k(), b()].map((t) => { const v = t.view(t.shape.slice()); v.requiresGrad = true; return v; });
      const h = fuse ? fused(srcs[0], srcs[1], srcs[2]) : ops.relu(ops.conv2d(srcs[0], srcs[1], srcs[2], [1, 1], 'same'));
      const y = ops.maxPool(h, [2, 2], [2, 2], 'valid');
      let loss = ops.sum(ops.mul(y, randomTensor(y.shape, 9)));
      if (second) loss = ops.add(loss, ops.sum(ops.mul(h, randomTensor(h.shape, 8))));
      return gradients(loss, srcs).map((g) => Array.from(g!.dataSync()));
    };
    for (const second of [false, true]) {
      const [f, p] = [run(true, second), run(false, second)];
      for (let i = 0; i < 3; i++) {
        f[i].forEach((v, j) => assert.ok(Math.abs(v - p[i][j]) <= 1e-5 * (1 + Math.abs(p[i][j])), `input ${i}[${j}]: ${v} vs ${p[i][j]}`));
      }
    }
  });
});
