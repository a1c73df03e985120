import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { gradCheck } from '../helpers/gradcheck';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';
import { assertAllClose } from '../helpers/assert';

// tatami's public ops against TensorFlow.js itself (pure-JS CPU backend), called the same way:
// each case is one function run once with `tt` and once with `tf`, on the same small inputs.
// Values must agree within 1e-5, and so must the gradients of a random weighting of the output.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require('@tensorflow/tfjs');

/* eslint-disable @typescript-eslint/no-explicit-any */
type Lib = any;
type Case = (lib: Lib, ...xs: any[]) => any;

/** Deterministic values in [lo, hi) (mulberry32), the same for both libraries. */
function values(n: number, seed: number, lo = -1, hi = 1): number[] {
  let a = seed * 0x9e3779b9;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296));
  }
  return out;
}

type Input = { shape: number[]; lo?: number; hi?: number };
const inp = (shape: number[], lo = -1, hi = 1): Input => ({ shape, lo, hi });

function make(lib: Lib, ins: Input[]): any[] {
  return ins.map((s, i) => lib.tensor(values(s.shape.reduce((a, b) => a * b, 1), i + 1, s.lo, s.hi), s.shape));
}

function assertClose(actual: tt.Tensor, expected: any, what: string, tol = 1e-5): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = Array.from(actual.dataSync());
  const e = Array.from(expected.dataSync() as ArrayLike<number>);
  for (let i = 0; i < e.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= tol * Math.max(1, Math.abs(e[i])) || (Number.isNaN(a[i]) && Number.isNaN(e[i]));
    assert.ok(ok, `${what}: element ${i} is ${a[i]}, tfjs gives ${e[i]}`);
  }
}

/**
 * Forward values and dtype, and the gradients of sum(f(...) * w) against tfjs's; with grad 'fd'
 * against finite differences instead, where tfjs has no gradient or a wrong one.
 */
function same(what: string, f: Case, ins: Input[], opts: { grad?: boolean | 'fd'; dtype?: boolean } = {}): void {
  const got = f(tt, ...make(tt, ins));
  const want = f(tf, ...make(tf, ins));
  assertClose(got, want, what);
  if (opts.dtype !== false) assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  if (opts.grad === false) return;
  if (opts.grad === 'fd') {
    gradCheck((...xs) => f(tt, ...xs), make(tt, ins), { eps: 1e-3 });
    return;
  }
  const w = values(want.size, 99);
  const loss = (lib: Lib) => (...xs: any[]) => lib.sum(lib.mul(f(lib, ...xs), lib.tensor(w, want.shape)));
  const gGot = tt.grads(loss(tt))(make(tt, ins));
  const gWant = tf.grads(loss(tf))(make(tf, ins));
  gWant.forEach((g: any, i: number) => assertClose(gGot[i], g, `${what}: gradient of input ${i}`, 1e-4));
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('public ops match TensorFlow.js: convolutions and pooling', () => {
  const x = inp([2, 6, 5, 3]);
  it('conv2d: valid, same, strides, dilations, rank 3, dataFormat', () => {
    const k = inp([3, 3, 3, 4]);
    same('conv2d valid', (l, a, b) => l.conv2d(a, b, 1, 'valid'), [x, k]);
    same('conv2d same strides [2, 1]', (l, a, b) => l.conv2d(a, b, [2, 1], 'same'), [x, k]);
    same('conv2d same stride 2', (l, a, b) => l.conv2d(a, b, 2, 'same', 'NHWC'), [x, k]);
    // tfjs has no gradient for dilated convolutions
    same('conv2d dilations 2', (l, a, b) => l.conv2d(a, b, 1, 'same', 'NHWC', 2), [x, k], { grad: 'fd' });
    same('conv2d dilations [2, 1] valid', (l, a, b) => l.conv2d(a, b, [1, 1], 'valid', 'NHWC', [2, 1]), [x, k], { grad: 'fd' });
    same('conv2d rank 3', (l, a, b) => l.conv2d(a, b, 1, 'same'), [inp([5, 4, 3]), k]);
    same('conv2d 1x1 stride 2 valid', (l, a, b) => l.conv2d(a, b, 2, 'valid'), [x, inp([1, 1, 3, 2])]);
  });
  it('conv2d: numeric and explicit padding, dimRoundingMode', () => {
    const k = inp([3, 3, 3, 2]);
    same('conv2d pad 1', (l, a, b) => l.conv2d(a, b, 1, 1), [x, k]);
    same('conv2d pad 1 stride 2', (l, a, b) => l.conv2d(a, b, 2, 1), [x, k]);
    // tfjs's input gradient ignores the rounding mode (the extra output row is lost)
    same('conv2d pad 1 stride 2 ceil', (l, a, b) => l.conv2d(a, b, 2, 1, 'NHWC', 1, 'ceil'), [x, k], { grad: 'fd' });
    same('conv2d pad 1 stride 2 round', (l, a, b) => l.conv2d(a, b, 2, 1, 'NHWC', 1, 'round'), [x, k], { grad: 'fd' });
    same('conv2d explicit pad', (l, a, b) => l.conv2d(a, b, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]), [x, k]);
  });
  it('depthwiseConv2d', () => {
    const k = inp([3, 3, 3, 2]);
    same('depthwise same', (l, a, b) => l.depthwiseConv2d(a, b, 1, 'same'), [x, k]);
    same('depthwise valid stride 2', (l, a, b) => l.depthwiseConv2d(a, b, 2, 'valid'), [x, k]);
    same('depthwise dilations 2', (l, a, b) => l.depthwiseConv2d(a, b, 1, 'valid', 'NHWC', [2, 2]), [x, k], { grad: 'fd' });
    same('depthwise pad 1', (l, a, b) => l.depthwiseConv2d(a, b, 1, 1), [x, inp([2, 2, 3, 1])]);
  });
  it('separableConv2d', () => {
    same('separable same', (l, a, d, p) => l.separableConv2d(a, d, p, 1, 'same'), [x, inp([3, 3, 3, 2]), inp([1, 1, 6, 4])]);
    same('separable valid stride 2', (l, a, d, p) => l.separableConv2d(a, d, p, 2, 'valid'), [x, inp([2, 2, 3, 1]), inp([1, 1, 3, 5])]);
    assert.throws(() => tt.separableConv2d(tt.zeros([1, 4, 4, 3]), tt.zeros([3, 3, 3, 2]), tt.zeros([1, 1, 5, 4]), 1, 'same'),
      /the third dimension of pointwise filter must be 6, but got 5/);
  });
  it('conv2dTranspose: same, valid, numeric pad, rank 3', () => {
    const y = inp([2, 3, 3, 4]);
    same('conv2dTranspose same 3x3 s2', (l, a, b) => l.conv2dTranspose(a, b, [2, 6, 6, 2], 2, 'same'), [y, inp([3, 3, 2, 4])]);
    same('conv2dTranspose same 3x3 s2 odd', (l, a, b) => l.conv2dTranspose(a, b, [2, 5, 5, 2], 2, 'same'), [y, inp([3, 3, 2, 4])]);
    same('conv2dTranspose same 2x2 s2', (l, a, b) => l.conv2dTranspose(a, b, [2, 6, 6, 2], 2, 'same'), [y, inp([2, 2, 2, 4])]);
    same('conv2dTranspose valid', (l, a, b) => l.conv2dTranspose(a, b, [2, 7, 8, 2], [2, 2], 'valid'), [y, inp([3, 3, 2, 4])]);
    same('conv2dTranspose valid s1', (l, a, b) => l.conv2dTranspose(a, b, [2, 5, 5, 3], 1, 'valid'), [y, inp([3, 3, 3, 4])]);
    same('conv2dTranspose pad 1', (l, a, b) => l.conv2dTranspose(a, b, [2, 5, 5, 2], 2, 1), [y, inp([3, 3, 2, 4])]);
    same('conv2dTranspose rank 3', (l, a, b) => l.conv2dTranspose(a, b, [6, 6, 2], 2, 'same'), [inp([3, 3, 4]), inp([3, 3, 2, 4])]);
  });
  it('maxPool and avgPool', () => {
    for (const op of ['maxPool', 'avgPool']) {
      same(`${op} 2 valid`, (l, a) => l[op](a, 2, 2, 'valid'), [x]);
      // tfjs's avgPool gradient divides by the whole window, also where the forward left the padding out
      const grad = op === 'avgPool' ? 'fd' : true;
      same(`${op} 3 same stride 2`, (l, a) => l[op](a, 3, 2, 'same'), [x], { grad });
      same(`${op} [3, 2] same strides [1, 2]`, (l, a) => l[op](a, [3, 2], [1, 2], 'same'), [x], { grad });
      same(`${op} rank 3`, (l, a) => l[op](a, 2, 1, 'valid'), [inp([4, 5, 2])]);
    }
  });
});

describe('public ops match TensorFlow.js: math', () => {
  const a = inp([2, 3, 4]);
  const pos = inp([2, 3, 4], 0.5, 2);
  it('binary ops with broadcasting and numbers', () => {
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum']) {
      // tfjs's maximum/minimum gradients fail on broadcast operands
      same(`${op} broadcast`, (l, p, q) => l[op](p, q), [a, inp([4])], { grad: /imum/.test(op) ? 'fd' : true });
      same(`${op} same shape`, (l, p, q) => l[op](p, q), [a, a]);
      same(`${op} number`, (l, p) => l[op](p, 0.5), [a]);
    }
    same('pow', (l, p, q) => l.pow(p, q), [pos, inp([3, 1], 0.5, 2)]);
    for (const op of ['equal', 'greater', 'greaterEqual', 'less', 'lessEqual']) same(op, (l, p, q) => l[op](p, q), [a, inp([4])], { grad: false });
    const ints = (l: Lib) => [l.tensor([7, -7, 9], [3], 'int32'), l.tensor([2, 2, 4], [3], 'int32')];
    for (const op of ['div', 'add', 'mul']) {
      const [p, q] = ints(tt);
      const [r, s] = ints(tf);
      const got = tt[op as 'div'](p, q);
      const want = tf[op](r, s);
      assertClose(got, want, `${op} int32`);
      assert.equal(got.dtype, want.dtype, `${op} int32 dtype`);
    }
    assertClose(tt.add([1, 2], [[3], [4]]), tf.add([1, 2], [[3], [4]]), 'add of arrays');
  });
  it('unary math and activations', () => {
    for (const op of ['neg', 'exp', 'square', 'abs', 'relu', 'relu6', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus']) {
      same(op, (l, p) => l[op](p), [inp([3, 5], -3, 7)]);
    }
    for (const op of ['log', 'sqrt', 'reciprocal']) same(op, (l, p) => l[op](p), [pos]);
    for (const op of ['sign', 'floor', 'round']) same(op, (l, p) => l[op](p), [inp([3, 5], -3, 3)], { grad: false });
    same('leakyRelu default alpha', (l, p) => l.leakyRelu(p), [a]);
    same('leakyRelu alpha 0.1', (l, p) => l.leakyRelu(p, 0.1), [a]);
    same('clipByValue', (l, p) => l.clipByValue(p, -0.3, 0.4), [a]);
    same('softmax', (l, p) => l.softmax(p), [a]);
    same('softmax last dim', (l, p) => l.softmax(p, 2), [a]);
    same('logSoftmax', (l, p) => l.logSoftmax(p), [a]);
    same('logSoftmax axis -1', (l, p) => l.logSoftmax(p, -1), [a]);
  });
  it('reductions and argMax/argMin', () => {
    for (const op of ['sum', 'mean', 'max', 'min']) {
      same(`${op} all`, (l, p) => l[op](p), [a]);
      same(`${op} axis 1`, (l, p) => l[op](p, 1), [a]);
      same(`${op} axis -1 keepDims`, (l, p) => l[op](p, -1, true), [a]);
      same(`${op} axes [0, 2] keepDims`, (l, p) => l[op](p, [0, 2], true), [a]);
      same(`${op} axis null keepDims`, (l, p) => l[op](p, null, true), [a]);
    }
    for (const op of ['argMax', 'argMin']) {
      same(`${op} default axis`, (l, p) => l[op](p), [a], { grad: false });
      same(`${op} axis 2`, (l, p) => l[op](p, 2), [a], { grad: false });
    }
  });
  it('matMul: transposes and batches', () => {
    same('matMul', (l, p, q) => l.matMul(p, q), [inp([3, 4]), inp([4, 5])]);
    same('matMul transposeA', (l, p, q) => l.matMul(p, q, true), [inp([4, 3]), inp([4, 5])]);
    same('matMul transposeB', (l, p, q) => l.matMul(p, q, false, true), [inp([3, 4]), inp([5, 4])]);
    same('matMul both', (l, p, q) => l.matMul(p, q, true, true), [inp([4, 3]), inp([5, 4])]);
    same('matMul batch', (l, p, q) => l.matMul(p, q), [inp([2, 3, 4]), inp([2, 4, 5])]);
    // tfjs's gradient does not sum a broadcast batch back
    same('matMul batch of one', (l, p, q) => l.matMul(p, q, false, true), [inp([2, 3, 4]), inp([1, 5, 4])], { grad: 'fd' });
    same('matMul rank 3 by 2', (l, p, q) => l.matMul(p, q), [inp([2, 3, 4]), inp([4, 5])], { grad: 'fd' });
    same('matMul rank 4 by 3', (l, p, q) => l.matMul(p, q), [inp([2, 2, 3, 4]), inp([2, 4, 5])], { grad: 'fd' });
    // int32 x int32 stays int32, as in tfjs
    const ints = (lib: Lib) => lib.matMul(lib.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), lib.tensor2d([[5], [-6]], [2, 1], 'int32'));
    assert.equal(ints(tt).dtype, ints(tf).dtype);
    assert.deepEqual(ints(tt).arraySync(), ints(tf).arraySync());
    // both batches broadcast (tfjs's CPU kernel gets this one wrong): per-batch products
    const [p, q] = make(tt, [inp([2, 1, 3, 4]), inp([1, 3, 5, 4])]);
    const y = tt.matMul(p, q, false, true);
    assert.deepEqual(y.shape, [2, 3, 3, 5]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const want = tt.matMul(tt.reshape(tt.slice(p, [i, 0], [1, 1]), [3, 4]), tt.reshape(tt.slice(q, [0, j], [1, 1]), [5, 4]), false, true);
        assert.deepEqual(tt.reshape(tt.slice(y, [i, j], [1, 1]), [3, 5]).arraySync(), want.arraySync());
      }
    }
    gradCheck((s, t) => tt.matMul(s, t, false, true), [p, q]);
  });
  it('matMul against PyTorch torch.matmul, broadcast batches included', () => {
    type MatMulCase = { name: string } & Record<'a' | 'b' | 'dy' | 'y' | 'da' | 'db', FixtureArray>;
    const { cases } = loadFixture<{ cases: MatMulCase[] }>('matmul');
    assert.ok(cases.some((c) => c.a.shape.length !== c.b.shape.length), 'the fixture has broadcast cases');
    for (const c of cases) {
      const [da, db] = tt.grads((p, q) => tt.sum(tt.mul(tt.matMul(p, q), toTensor(c.dy))))([toTensor(c.a), toTensor(c.b)]);
      assertAllClose(tt.matMul(toTensor(c.a), toTensor(c.b)), c.y, `${c.name} y`);
      assertAllClose(da, c.da, `${c.name} da`);
      assertAllClose(db, c.db, `${c.name} db`);
    }
  });
  it('batchNorm', () => {
    same('batchNorm', (l, p, m, v, o, s) => l.batchNorm(p, m, v, o, s, 0.01),
      [a, inp([4]), inp([4], 0.5, 2), inp([4]), inp([4])]);
    // tfjs's batchNorm gradient needs an offset and a scale
    same('batchNorm no offset, scale', (l, p, m, v) => l.batchNorm(p, m, v), [a, inp([4]), inp([4], 0.5, 2)], { grad: 'fd' });
  });
});

describe('public ops match TensorFlow.js: shapes and creation', () => {
  const a = inp([2, 3, 4]);
  it('reshape, transpose, slice, pad, expandDims, squeeze, clone, cast', () => {
    same('reshape', (l, p) => l.reshape(p, [4, -1]), [a]);
    same('transpose reversed', (l, p) => l.transpose(p), [a]);
    same('transpose perm', (l, p) => l.transpose(p, [1, 2, 0]), [a]);
    same('slice number', (l, p) => l.slice(p, 1), [a]);
    same('slice arrays', (l, p) => l.slice(p, [0, 1, 1], [2, -1, 2]), [a]);
    same('slice partial begin', (l, p) => l.slice(p, [1, 1]), [a]);
    same('pad', (l, p) => l.pad(p, [[0, 1], [2, 0], [1, 1]]), [a]);
    same('pad constant', (l, p) => l.pad(p, [[1, 0], [0, 0], [0, 2]], 2.5), [a]);
    same('expandDims', (l, p) => l.expandDims(p, 1), [a]);
    same('expandDims end', (l, p) => l.expandDims(p, 3), [a]);
    same('squeeze', (l, p) => l.squeeze(p), [inp([2, 1, 3, 1])]);
    same('squeeze axis', (l, p) => l.squeeze(p, [3]), [inp([2, 1, 3, 1])]);
    same('clone', (l, p) => l.clone(p), [a]);
    same('cast int32', (l, p) => l.cast(l.mul(p, 5), 'int32'), [a], { grad: false });
  });
  it('concat, stack, gather, oneHot', () => {
    same('concat axis 0', (l, p, q) => l.concat([p, q]), [a, inp([1, 3, 4])]);
    same('concat axis -1', (l, p, q) => l.concat([p, q], -1), [a, inp([2, 3, 2])]);
    same('concat one', (l, p) => l.concat([p], 1), [a]);
    same('stack', (l, p, q) => l.stack([p, q]), [a, a]);
    same('stack axis 2', (l, p, q) => l.stack([p, q], 2), [a, a]);
    same('stack axis 3', (l, p, q) => l.stack([p, q], 3), [a, a]);
    same('gather', (l, p) => l.gather(p, [2, 0, 2], 1), [a]);
    same('gather tensor indices', (l, p) => l.gather(p, l.tensor([1, 0], [2], 'int32')), [a]);
    const hot = (l: Lib, ...args: any[]) => l.oneHot(l.tensor([0, 3, 1, 2, 5], [5], 'int32'), ...args);
    assertClose(hot(tt, 4), hot(tf, 4), 'oneHot');
    assert.equal(hot(tt, 4).dtype, hot(tf, 4).dtype);
    assertClose(hot(tt, 4, 5, -1), hot(tf, 4, 5, -1), 'oneHot on/off');
    assert.equal(hot(tt, 4, 1, 0, 'float32').dtype, 'float32');
    assertClose(tt.oneHot([[1, 0], [2, 2]], 3), tf.oneHot(tf.tensor2d([[1, 0], [2, 2]], [2, 2], 'int32'), 3), 'oneHot of arrays');
  });
  it('creation', () => {
    const pairs: Array<[string, (l: Lib) => any]> = [
      ['tensor', (l) => l.tensor([[1, 2], [3, 4]])],
      ['tensor shape dtype', (l) => l.tensor([1, 2, 3, 4], [2, 2], 'int32')],
      ['tensor1d', (l) => l.tensor1d([1, 2, 3])],
      ['tensor2d', (l) => l.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])],
      ['tensor3d', (l) => l.tensor3d([[[1], [2]]])],
      ['tensor4d', (l) => l.tensor4d([1, 2], [1, 1, 1, 2])],
      ['scalar', (l) => l.scalar(3.5)],
      ['zeros', (l) => l.zeros([2, 3])],
      ['ones int32', (l) => l.ones([2], 'int32')],
      ['fill', (l) => l.fill([2, 2], 7)],
      ['zerosLike', (l) => l.zerosLike(l.tensor([1, 2]))],
      ['onesLike', (l) => l.onesLike([[1, 2]])],
      ['range', (l) => l.range(0, 5)],
      ['range down', (l) => l.range(5, 0)],
      ['range step', (l) => l.range(0, 10, 3)],
      ['range fractional', (l) => l.range(0, 1, 0.25)],
      ['range negative step', (l) => l.range(5, 0, -2)],
      ['range empty', (l) => l.range(0, 5, -1)],
      ['range int32', (l) => l.range(1, 4, 1, 'int32')],
      ['linspace', (l) => l.linspace(0, 1, 5)],
      ['eye', (l) => l.eye(3)],
      ['eye rectangular batch', (l) => l.eye(2, 3, [2])],
    ];
    for (const [what, f] of pairs) {
      const got = f(tt);
      const want = f(tf);
      assertClose(got, want, what);
      assert.equal(got.dtype, want.dtype, `${what}: dtype`);
    }
  });
});

describe('tt.fused matches tf.fused', () => {
  const x = inp([2, 5, 5, 3]);
  const k = inp([3, 3, 3, 4]);
  it('conv2d: bias and relu in the fused kernel, other activations composed', () => {
    same('fused conv2d relu', (l, a, f, b) => l.fused.conv2d({ x: a, filter: f, strides: 1, pad: 'same', bias: b, activation: 'relu' }), [x, k, inp([4])]);
    same('fused conv2d linear no bias', (l, a, f) => l.fused.conv2d({ x: a, filter: f, strides: 2, pad: 'valid' }), [x, k]);
    same('fused conv2d pad 1 relu', (l, a, f, b) => l.fused.conv2d({ x: a, filter: f, strides: 1, pad: 1, bias: b, activation: 'relu' }), [x, k, inp([4])]);
    for (const activation of ['elu', 'relu6', 'sigmoid', 'leakyrelu']) {
      same(`fused conv2d ${activation}`, (l, a, f, b) => l.fused.conv2d({ x: a, filter: f, strides: 1, pad: 'same', bias: b, activation, leakyreluAlpha: 0.3 }),
        [x, k, inp([4])]);
    }
    same('fused conv2d prelu', (l, a, f, b, w) => l.fused.conv2d({ x: a, filter: f, strides: 1, pad: 'valid', bias: b, activation: 'prelu', preluActivationWeights: w }),
      [x, k, inp([4]), inp([4])]);
    same('fused depthwiseConv2d relu', (l, a, f, b) => l.fused.depthwiseConv2d({ x: a, filter: f, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
      [x, inp([3, 3, 3, 2]), inp([6])]);
  });
  it('matMul: bias and activation', () => {
    same('fused matMul relu', (l, a, b, c) => l.fused.matMul({ a, b, bias: c, activation: 'relu' }), [inp([3, 4]), inp([4, 5]), inp([5])]);
    same('fused matMul transposeB', (l, a, b, c) => l.fused.matMul({ a, b, transposeB: true, bias: c }), [inp([3, 4]), inp([5, 4]), inp([5])]);
    same('fused matMul batch', (l, a, b) => l.fused.matMul({ a, b, activation: 'relu' }), [inp([2, 3, 4]), inp([2, 4, 5])]);
  });
});

describe('public ops: randomness', () => {
  it('randomNormal/randomUniform/truncatedNormal take tfjs arguments; a seed repeats', () => {
    const n = tt.randomNormal([4000], 2, 0.5, 'float32', 7);
    const vals = Array.from(n.dataSync());
    const m = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - m) ** 2, 0) / vals.length);
    assert.ok(Math.abs(m - 2) < 0.05 && Math.abs(sd - 0.5) < 0.05, `mean ${m}, std ${sd}`);
    assert.deepEqual(Array.from(tt.randomNormal([5], 2, 0.5, 'float32', 7).dataSync()), vals.slice(0, 5));
    const u = tt.randomUniform([2000], -3, -1, 'float32', 3);
    assert.ok(Array.from(u.dataSync()).every((v) => v >= -3 && v < -1));
    const ui = tt.randomUniform([500], 0, 10, 'int32', 3);
    assert.equal(ui.dtype, 'int32');
    assert.ok(Array.from(ui.dataSync()).every((v) => Number.isInteger(v) && v >= 0 && v <= 10));
    const t = tt.truncatedNormal([2000], 0, 2, undefined, 5);
    assert.ok(Array.from(t.dataSync()).every((v) => Math.abs(v) <= 4));
    assert.throws(() => tt.randomNormal([2], 0, 1, 'bool'), /unsupported data type bool/);
  });

  it('dropout(x, rate, noiseShape?, seed?) zeroes or scales, with tfjs checks', () => {
    const x = tt.ones([40, 50]);
    const y = Array.from(tt.dropout(x, 0.25, undefined, 11).dataSync());
    assert.ok(y.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6));
    const kept = y.filter((v) => v !== 0).length / y.length;
    assert.ok(Math.abs(kept - 0.75) < 0.05, `kept ${kept}`);
    assert.deepEqual(Array.from(tt.dropout(x, 0.25, undefined, 11).dataSync()), y);
    // one mask value per row, broadcast over the columns
    const rows = tt.dropout(x, 0.5, [40, 1], 2).arraySync() as number[][];
    for (const r of rows) assert.ok(r.every((v) => v === r[0]));
    assert.ok(rows.some((r) => r[0] === 0) && rows.some((r) => r[0] === 2));
    const fast = tt.dropout(x, 0.5);
    assert.ok(Array.from(fast.dataSync()).every((v) => v === 0 || v === 2));
    assertClose(tt.dropout(x, 0), tf.dropout(tf.ones([40, 50]), 0), 'dropout rate 0');
    // the gradient is the mask
    const g = tt.grad((t) => tt.sum(tt.dropout(t, 0.5, [40, 1], 2)))(x);
    assert.deepEqual(g.arraySync(), rows);
    assert.throws(() => tt.dropout(x, 1), /rate must be a float in the range \[0, 1\), but got 1/);
    assert.throws(() => tt.dropout(tt.ones([2], 'int32'), 0.5), /x has to be a floating point tensor/);
  });
});

describe('public ops: argument checks', () => {
  const x = tt.zeros([1, 5, 5, 3]);
  it('NHWC only, with the way to get it', () => {
    assert.throws(() => tt.conv2d(x, tt.zeros([3, 3, 3, 2]), 1, 'same', 'NCHW'), /dataFormat 'NCHW' is not supported.*NHWC.*tt.transpose/);
    assert.throws(() => tt.depthwiseConv2d(x, tt.zeros([3, 3, 3, 1]), 1, 'same', 'NCHW'), /dataFormat 'NCHW' is not supported/);
  });
  it("tfjs's messages", () => {
    assert.throws(() => tt.conv2d(x, tt.zeros([3, 3, 2, 2]), 1, 'same'), /Error in conv2d: depth of input \(3\) must match input depth for filter 2/);
    assert.throws(() => tt.conv2d(tt.zeros([5, 3]), tt.zeros([3, 3, 3, 2]), 1, 'same'), /Error in conv2d: input must be rank 4, but got rank 2/);
    assert.throws(() => tt.conv2d(x, tt.zeros([3, 3, 3]), 1, 'same'), /Error in conv2d: filter must be rank 4, but got rank 3/);
    assert.throws(() => tt.depthwiseConv2d(x, tt.zeros([3, 3, 2, 1]), 1, 'same'), /number of input channels \(3\) must match the inChannels dimension in filter 2/);
    assert.throws(() => tt.conv2d(x, tt.zeros([3, 3, 3, 2]), 1, 'full' as never), /Unknown padding parameter: full/);
    assert.throws(() => tt.conv2d(x, tt.zeros([3, 3, 3, 2]), 1, 'same', 'NHWC', 1, 'ceil'), /pad must be an integer when using dimRoundingMode ceil/);
    assert.throws(() => tt.maxPool(tt.zeros([5, 3]), 2, 2, 'valid'), /Error in maxPool: input must be rank 4 but got rank 2/);
    assert.throws(() => tt.matMul(tt.zeros([2, 3]), tt.zeros([4, 2])), /Error in matMul: inner shapes \(3\) and \(4\)/);
    assert.throws(() => tt.concat([]), /Pass at least one tensor to concat/);
    assert.throws(() => tt.stack([]), /Pass at least one tensor to tf.stack/);
    assert.throws(() => tt.stack([tt.zeros([2]), tt.zeros([3])]), /All tensors passed to stack must have matching shapes/);
    assert.throws(() => tt.clipByValue(x, 1, 0), /Error in clip: min \(1\) must be less than or equal to max \(0\)/);
    assert.throws(() => tt.oneHot([0, 1], 1), /Error in oneHot: depth must be >=2, but it is 1/);
    assert.throws(() => tt.transpose(x, [0, 1]), /Error in transpose: rank of input 4 must match length of perm 0,1/);
    assert.throws(() => tt.slice(tt.scalar(1), 0), /Slicing scalar is not possible/);
    assert.throws(() => tt.pad(tt.scalar(1), []), /pad\(scalar\) is not defined/);
    assert.throws(() => tt.squeeze(tt.zeros([2, 1]), [0]), /Can't squeeze axis 0 since its dim '2' is not 1/);
    assert.throws(() => tt.range(0, 3, 0), /Cannot have a step of zero/);
  });
  it('what tatami does not support says so', () => {
    assert.throws(() => tt.maxPool(x, 2, 2, 1), /maxPool: pad 1 is not supported; tatami pools with pad 'same' or 'valid'/);
    assert.throws(() => tt.gather(x, [0], 0, 1), /batchDims 1 is not supported/);
    assert.throws(() => tt.conv2dTranspose(tt.zeros([1, 3, 3, 2]), tt.zeros([3, 3, 1, 2]), [1, 9, 9, 1], 2, 'same'),
      /outputShape \[1,9,9,1\] does not match the input 3x3/);
  });
  it('tt.ops is the same public surface', () => {
    assert.equal(tt.ops.conv2d, tt.conv2d);
    assert.equal(tt.ops.dropout, tt.dropout);
    assert.equal((tt.ops as Record<string, unknown>).convInfo, undefined, 'internal helpers stay internal');
  });
});
