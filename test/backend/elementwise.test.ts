// Elementwise, reduction and softmax spec on every wasm build against the JS reference,
// including the kernels the wasm backend delegates to JS.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../../src/backend/backend';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

const sizes = [1, 7, 64, 1001, 70000];

const unaryOps: UnaryOp[] = ['relu', 'exp', 'neg', 'sigmoid', 'tanh', 'abs', 'square'];
const gradOps: UnaryGradOp[] = ['relu', 'sigmoid', 'tanh', 'elu'];

test('unary and unaryGrad', () => {
  for (const n of sizes) {
    const x = rand(n, -3, 3);
    const dy = rand(n);
    for (const op of unaryOps) {
      const want = new Float32Array(n);
      js.unary(op, x, want);
      for (const [label, be] of wasmBackends) {
        const out = be.alloc(n);
        be.unary(op, on(be, x), out);
        assertClose(out, want, `${label} unary ${op} n=${n}`);
        const plain = new Float32Array(n);
        be.unary(op, x, plain);
        assertClose(plain, want, `${label} unary ${op} n=${n} plain`);
      }
    }
    for (const op of gradOps) {
      const y = new Float32Array(n);
      js.unary(op, x, y);
      const want = new Float32Array(n);
      js.unaryGrad(op, dy, x, y, want);
      for (const [label, be] of wasmBackends) {
        const dx = be.alloc(n);
        be.unaryGrad(op, on(be, dy), on(be, x), on(be, y), dx);
        assertClose(dx, want, `${label} unaryGrad ${op} n=${n}`);
      }
    }
  }
});

const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'greater', 'equal'];
const shapeCases: [number[], number[], number[]][] = [
  [[3, 5], [3, 5], [3, 5]],
  [[300, 257], [300, 257], [300, 257]],
  [[4, 6, 10], [10], [4, 6, 10]],
  [[2000, 64], [64], [2000, 64]],
  [[2000, 37], [37], [2000, 37]],
  [[64], [2000, 64], [2000, 64]],
  [[1000, 33], [1], [1000, 33]],
  [[1], [1000, 33], [1000, 33]],
  [[7, 1], [1, 5], [7, 5]],
  [[300, 1, 8], [300, 20, 8], [300, 20, 8]],
  [[50, 20, 8], [20, 8], [50, 20, 8]],
];

test('binary with broadcasting', () => {
  for (const [aShape, bShape, outShape] of shapeCases) {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const a = rand(size(aShape), 0.5, 2);
    const b = rand(size(bShape), 0.5, 2);
    for (const op of binaryOps) {
      const want = new Float32Array(size(outShape));
      js.binary(op, a, aShape, b, bShape, want, outShape);
      for (const [label, be] of wasmBackends) {
        const out = be.alloc(want.length);
        be.binary(op, on(be, a), aShape, on(be, b), bShape, out, outShape);
        assertClose(out, want, `${label} binary ${op} ${JSON.stringify([aShape, bShape])}`);
        const plain = new Float32Array(want.length);
        be.binary(op, a, aShape, b, bShape, plain, outShape);
        assertClose(plain, want, `${label} binary ${op} ${JSON.stringify([aShape, bShape])} plain`);
      }
    }
  }
});

test('affine, biasAdd, biasGrad', () => {
  for (const [rows, C] of [[1, 1], [5, 3], [100, 10], [4000, 64], [3000, 37], [2, 130]]) {
    const x = rand(rows * C);
    const bias = rand(C);
    const want = new Float32Array(rows * C);
    js.biasAdd(x, bias, want, C);
    const aff = new Float32Array(rows * C);
    js.affine(x, 0.5, -2, aff);
    const db0 = new Float32Array(C);
    js.biasGrad(x, db0, C);
    const grads: Float32Array[] = [];
    for (const [label, be] of wasmBackends) {
      const out = be.alloc(rows * C);
      be.biasAdd(on(be, x), on(be, bias), out, C);
      assertClose(out, want, `${label} biasAdd ${rows}x${C}`);
      const inPlace = on(be, x);
      be.biasAdd(inPlace, on(be, bias), inPlace, C);
      assertClose(inPlace, want, `${label} biasAdd in place ${rows}x${C}`);
      const af = be.alloc(rows * C);
      be.affine(on(be, x), 0.5, -2, af);
      assertClose(af, aff, `${label} affine`);
      const db = be.alloc(C).fill(9);
      be.biasGrad(on(be, x), db, C);
      assertClose(db, db0, `${label} biasGrad ${rows}x${C}`, 1e-3);
      grads.push(db);
    }
    if (wasm1 && wasm2) assertIdentical(grads[0], grads[1], 'biasGrad');
  }
});

test('biasAdd with relu and biasGrad through a relu: the unfused kernels composed, on every backend', () => {
  for (const [rows, C] of [[1, 1], [5, 3], [100, 10], [4000, 64], [3000, 37], [2, 130], [600, 32]]) {
    const x = rand(rows * C);
    const bias = rand(C);
    const dy = rand(rows * C);
    // the definition: biasAdd then relu; relu's gradient (mask y > 0) then biasGrad
    const wantY = new Float32Array(rows * C);
    js.biasAdd(x, bias, wantY, C);
    js.unary('relu', wantY, wantY);
    const wantDx = new Float32Array(rows * C);
    js.unaryGrad('relu', dy, wantY, wantY, wantDx);
    const wantDb = new Float32Array(C);
    js.biasGrad(wantDx, wantDb, C);
    const dbs: Float32Array[] = [];
    for (const [label, be] of [['js', js] as const, ...wasmBackends]) {
      const y = on(be, x);
      be.biasAdd(y, on(be, bias), y, C, true);
      assertIdentical(y, wantY, `${label} biasAdd relu ${rows}x${C}`);
      const dx = be.alloc(rows * C).fill(7);
      const db = be.alloc(C).fill(9);
      be.biasGrad(on(be, dy), db, C, on(be, y), dx);
      assertIdentical(dx, wantDx, `${label} biasGrad relu dx ${rows}x${C}`);
      assertClose(db, wantDb, `${label} biasGrad relu db ${rows}x${C}`, 1e-3);
      if (label !== 'js') dbs.push(db);
    }
    if (wasm1 && wasm2) assertIdentical(dbs[0], dbs[1], 'biasGrad relu: thread count');
  }
  const y = new Float32Array([1, -1]);
  assert.throws(() => js.biasGrad(y, new Float32Array(2), 2, y), /reluY and dx go together/);
});

test('reduce, argMax, softmax, logSoftmax, transpose', () => {
  for (const [outer, n, inner] of [[1, 1, 1], [3, 5, 1], [4, 7, 6], [2, 1000, 1], [50, 30, 64], [1, 300, 300], [700, 10, 1]]) {
    const x = rand(outer * n * inner);
    for (const op of ['sum', 'max', 'min', 'prod'] as const) {
      const want = new Float32Array(outer * inner);
      js.reduce(op, x, outer, n, inner, want);
      for (const [label, be] of wasmBackends) {
        const out = be.alloc(outer * inner).fill(5);
        be.reduce(op, on(be, x), outer, n, inner, out);
        assertClose(out, want, `${label} reduce ${op} ${[outer, n, inner]}`, op === 'prod' ? 1e-3 : 1e-4);
      }
    }
    const am0 = new Int32Array(outer * inner);
    js.argMax(x, outer, n, inner, am0);
    for (const [label, be] of wasmBackends) {
      const am = new Int32Array(outer * inner);
      be.argMax(on(be, x), outer, n, inner, am);
      assert.deepEqual(Array.from(am), Array.from(am0), `${label} argMax`);
    }
  }
  for (const [rows, n] of [[1, 1], [3, 10], [128, 10], [600, 10], [50, 300]]) {
    const x = rand(rows * n, -20, 20);
    const s0 = new Float32Array(rows * n);
    const l0 = new Float32Array(rows * n);
    js.softmax(x, s0, rows, n);
    js.logSoftmax(x, l0, rows, n);
    for (const [label, be] of wasmBackends) {
      const s = be.alloc(rows * n);
      const l = be.alloc(rows * n);
      be.softmax(on(be, x), s, rows, n);
      be.logSoftmax(on(be, x), l, rows, n);
      assertClose(s, s0, `${label} softmax ${rows}x${n}`);
      assertClose(l, l0, `${label} logSoftmax ${rows}x${n}`);
    }
  }
  const x = rand(2 * 3 * 4);
  const t0 = new Float32Array(24);
  js.transpose(x, [2, 3, 4], [2, 0, 1], t0);
  for (const [label, be] of wasmBackends) {
    const t = be.alloc(24);
    be.transpose(on(be, x), [2, 3, 4], [2, 0, 1], t);
    assertClose(t, t0, `${label} transpose`);
  }
});
