// The dtype-generic kernels (unary, binary, reduce, argMax, transpose) on int32 and bool arrays, on
// every backend: large enough that the wasm backend would take its float32 path if it did not
// check the array types.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { allBackends } from './helpers';

const N = 70000;

function ints(n: number, f: (i: number) => number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => f(i));
}

for (const [label, be] of allBackends) {
  test(`int32 and mixed binary ${label}`, () => {
    const a = ints(N, (i) => i - 35000);
    const b = ints(N, (i) => (i % 7) - 3);
    const sum = new Int32Array(N);
    be.binary('add', a, [N], b, [N], sum, [N]);
    for (let i = 0; i < N; i++) assert.equal(sum[i], a[i] + b[i], `add at ${i}`);
    // int32 overflow wraps as int32 does
    const big = new Int32Array([2147483647, -2147483648]);
    const wrap = new Int32Array(2);
    be.binary('add', big, [2], new Int32Array([1, -1]), [2], wrap, [2]);
    assert.deepEqual([...wrap], [-2147483648, 2147483647]);
    // int32 / int32 into float32
    const q = new Float32Array(N);
    be.binary('div', a, [N], ints(N, () => 3), [N], q, [N]);
    assert.equal(q[1], Math.fround(-34999 / 3));
    // int32 row + float32 bias broadcast into float32
    const rows = N / 10;
    const bias = Float32Array.from({ length: 10 }, (_, i) => i + 0.5);
    const mixed = new Float32Array(N);
    be.binary('mul', a, [rows, 10], bias, [10], mixed, [rows, 10]);
    for (let i = 0; i < N; i += 997) assert.equal(mixed[i], Math.fround(a[i] * bias[i % 10]), `mul at ${i}`);
    // comparison of float32 inputs into bool
    const x = Float32Array.from({ length: N }, (_, i) => Math.sin(i));
    const y = Float32Array.from({ length: N }, (_, i) => Math.cos(i));
    const gt = new Uint8Array(N);
    be.binary('greater', x, [N], y, [N], gt, [N]);
    for (let i = 0; i < N; i += 101) assert.equal(gt[i], x[i] > y[i] ? 1 : 0, `greater at ${i}`);
  });

  test(`int32 unary, transpose, reduce and argMax ${label}`, () => {
    const a = ints(N, (i) => (i % 11) - 5);
    const r = new Int32Array(N);
    be.unary('relu', a, r);
    be.unary('abs', r, r);
    for (let i = 0; i < N; i += 13) assert.equal(r[i], Math.max(a[i], 0), `relu at ${i}`);
    const e = new Float32Array(N);
    be.unary('exp', a, e);
    assert.equal(e[0], Math.fround(Math.exp(-5)));

    const t = new Int32Array(N);
    be.transpose(a, [700, 100], [1, 0], t);
    assert.equal(t[1], a[100]);
    assert.equal(t[700], a[1]);

    // sums beyond float32's exact integers stay exact in int32
    const big = ints(N, (i) => (i % 2 === 0 ? 16777217 : 3));
    const s = new Int32Array(1);
    be.reduce('sum', big, 1, 100, 1, s);
    assert.equal(s[0], 50 * 16777217 + 50 * 3);
    const bools = Uint8Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const counts = new Int32Array(10);
    be.reduce('sum', bools, 10, N / 10, 1, counts);
    assert.equal(counts.reduce((p, v) => p + v, 0), Math.ceil(N / 3));

    const am = new Int32Array(1);
    be.argMax(ints(5, (i) => [16777217, 16777218, 3, 16777218, 0][i]), 1, 5, 1, am);
    assert.equal(am[0], 1, 'argMax tells int32 values apart that float32 would merge');
  });
}
