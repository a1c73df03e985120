import {
  AffineArgs, BiasGradArgs, BiasReluArgs, BinaryArgs, BinaryBcastArgs, ReduceSumArgs, ReluArgs, ReluBiasGradArgs,
  ReluGradArgs, SoftmaxArgs,
} from '../layout';
import { argF, argI, argP } from './common';
// Elementwise kernels over index ranges [i0, i1) so the pool can split them.
// Binary op codes: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum.

// @ts-ignore: decorator
@inline function opv(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 4: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

// @ts-ignore: decorator
@inline function ops(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return a != a || a >= b ? a : b;
    default: return a != a || a <= b ? a : b;
  }
}

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

export function relu(args: usize): void {
  const x = argP(args, ReluArgs.x);
  const y = argP(args, ReluArgs.y);
  const i0 = argI(args, ReluArgs.start);
  const i1 = argI(args, ReluArgs.end);
  const z = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const v = v128.load(at(x, i));
    // clear the lanes <= 0: a NaN lane fails the test and stays NaN (as in Keras and PyTorch)
    v128.store(at(y, i), v128.andnot(v, f32x4.le(v, z)));
  }
  for (; i < i1; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(y, i), v <= 0 ? 0 : v);
  }
}

/** dx = x > 0 ? dy : 0 */
export function relu_grad(args: usize): void {
  const dy = argP(args, ReluGradArgs.dy);
  const x = argP(args, ReluGradArgs.x);
  const dx = argP(args, ReluGradArgs.dx);
  const i0 = argI(args, ReluGradArgs.start);
  const i1 = argI(args, ReluGradArgs.end);
  const z = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    v128.store(at(dx, i), v128.and(v128.load(at(dy, i)), f32x4.gt(v128.load(at(x, i)), z)));
  }
  for (; i < i1; i++) store<f32>(at(dx, i), load<f32>(at(x, i)) > 0 ? load<f32>(at(dy, i)) : 0);
}

/** out = a op b, same shapes. */
export function binary(args: usize): void {
  const op = argI(args, BinaryArgs.op);
  const a = argP(args, BinaryArgs.a);
  const b = argP(args, BinaryArgs.b);
  const out = argP(args, BinaryArgs.out);
  const i0 = argI(args, BinaryArgs.start);
  const i1 = argI(args, BinaryArgs.end);
  let i = i0;
  switch (op) {
    case 0: for (; i + 4 <= i1; i += 4) v128.store(at(out, i), opv(0, v128.load(at(a, i)), v128.load(at(b, i)))); break;
    case 1: for (; i + 4 <= i1; i += 4) v128.store(at(out, i), opv(1, v128.load(at(a, i)), v128.load(at(b, i)))); break;
    case 2: for (; i + 4 <= i1; i += 4) v128.store(at(out, i), opv(2, v128.load(at(a, i)), v128.load(at(b, i)))); break;
    case 3: for (; i + 4 <= i1; i += 4) v128.store(at(out, i), opv(3, v128.load(at(a, i)), v128.load(at(b, i)))); break;
    default: break;
  }
  for (; i < i1; i++) store<f32>(at(out, i), ops(op, load<f32>(at(a, i)), load<f32>(at(b, i))));
}

/**
 * out[i] = a[i] op b[i % m] (or b[i % m] op a[i] when swap), i in [i0, i1); i0 is a multiple of m.
 */
export function binary_bcast(args: usize): void {
  const op = argI(args, BinaryBcastArgs.op);
  const a = argP(args, BinaryBcastArgs.full);
  const b = argP(args, BinaryBcastArgs.small);
  const m = argI(args, BinaryBcastArgs.smallLength);
  const swap = argI(args, BinaryBcastArgs.swap);
  const out = argP(args, BinaryBcastArgs.out);
  const i0 = argI(args, BinaryBcastArgs.start);
  const i1 = argI(args, BinaryBcastArgs.end);
  if (m == 1) {
    const s = load<f32>(b);
    const sv = f32x4.splat(s);
    let i = i0;
    if (op < 4) {
      for (; i + 4 <= i1; i += 4) {
        const v = v128.load(at(a, i));
        v128.store(at(out, i), swap ? opv(op, sv, v) : opv(op, v, sv));
      }
    }
    for (; i < i1; i++) {
      const v = load<f32>(at(a, i));
      store<f32>(at(out, i), swap ? ops(op, s, v) : ops(op, v, s));
    }
    return;
  }
  for (let r = i0; r < i1; r += m) {
    const e = min(m, i1 - r);
    let j = 0;
    if (op < 4) {
      for (; j + 4 <= e; j += 4) {
        const v = v128.load(at(a, r + j));
        const w = v128.load(at(b, j));
        v128.store(at(out, r + j), swap ? opv(op, w, v) : opv(op, v, w));
      }
    }
    for (; j < e; j++) {
      const v = load<f32>(at(a, r + j));
      const w = load<f32>(at(b, j));
      store<f32>(at(out, r + j), swap ? ops(op, w, v) : ops(op, v, w));
    }
  }
}

/** out = x * s + o */
export function affine(args: usize): void {
  const x = argP(args, AffineArgs.x);
  const s = <f32>argF(args, AffineArgs.scale);
  const o = <f32>argF(args, AffineArgs.offset);
  const out = argP(args, AffineArgs.out);
  const i0 = argI(args, AffineArgs.start);
  const i1 = argI(args, AffineArgs.end);
  const sv = f32x4.splat(s), ov = f32x4.splat(o);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(at(out, i), f32x4.add(f32x4.mul(v128.load(at(x, i)), sv), ov));
  for (; i < i1; i++) store<f32>(at(out, i), load<f32>(at(x, i)) * s + o);
}

/** db[c0:c1] = sum over rows of dy (rows, C)[:, c0:c1], each channel summed in row order. */
export function bias_grad(args: usize): void {
  const dy = argP(args, BiasGradArgs.dy);
  const db = argP(args, BiasGradArgs.db);
  const rows = argI(args, BiasGradArgs.rows);
  const C = argI(args, BiasGradArgs.channels);
  const c0 = argI(args, BiasGradArgs.channelStart);
  const c1 = argI(args, BiasGradArgs.channelEnd);
  let c = c0;
  for (; c + 16 <= c1; c += 16) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let r = 0; r < rows; r++) {
      const p = at(dy, r * C + c);
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
    }
    v128.store(at(db, c), s0); v128.store(at(db, c), s1, 16);
    v128.store(at(db, c), s2, 32); v128.store(at(db, c), s3, 48);
  }
  for (; c + 4 <= c1; c += 4) {
    let s = f32x4.splat(0);
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(at(dy, r * C + c)));
    v128.store(at(db, c), s);
  }
  for (; c < c1; c++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(at(dy, r * C + c));
    store<f32>(at(db, c), s);
  }
}

/** out (outer, inner) = sum over n of x (outer, n, inner), for outer rows [o0, o1). */
export function reduce_sum(args: usize): void {
  const x = argP(args, ReduceSumArgs.x);
  const n = argI(args, ReduceSumArgs.n);
  const inner = argI(args, ReduceSumArgs.inner);
  const out = argP(args, ReduceSumArgs.out);
  const o0 = argI(args, ReduceSumArgs.outerStart);
  const o1 = argI(args, ReduceSumArgs.outerEnd);
  for (let o = o0; o < o1; o++) {
    const base = o * n * inner;
    if (inner == 1) {
      let s: f32 = 0;
      for (let k = 0; k < n; k++) s += load<f32>(at(x, base + k));
      store<f32>(at(out, o), s);
      continue;
    }
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let s = f32x4.splat(0);
      for (let k = 0; k < n; k++) s = f32x4.add(s, v128.load(at(x, base + k * inner + i)));
      v128.store(at(out, o * inner + i), s);
    }
    for (; i < inner; i++) {
      let s: f32 = 0;
      for (let k = 0; k < n; k++) s += load<f32>(at(x, base + k * inner + i));
      store<f32>(at(out, o * inner + i), s);
    }
  }
}

/** y rows [r0, r1) = softmax over the last axis (length n) of x. */
export function softmax(args: usize): void {
  const x = argP(args, SoftmaxArgs.x);
  const y = argP(args, SoftmaxArgs.y);
  const n = argI(args, SoftmaxArgs.n);
  const r0 = argI(args, SoftmaxArgs.rowStart);
  const r1 = argI(args, SoftmaxArgs.rowEnd);
  for (let r = r0; r < r1; r++) {
    const b = r * n;
    let m: f32 = -Infinity;
    for (let k = 0; k < n; k++) m = max(m, load<f32>(at(x, b + k)));
    let s: f32 = 0;
    for (let k = 0; k < n; k++) {
      const e = Mathf.exp(load<f32>(at(x, b + k)) - m);
      store<f32>(at(y, b + k), e);
      s += e;
    }
    const inv: f32 = 1 / s;
    for (let k = 0; k < n; k++) store<f32>(at(y, b + k), load<f32>(at(y, b + k)) * inv);
  }
}

/**
 * out = max(x + bias, 0) over rows of `channels` (the bias add and relu a layer's output takes,
 * in one pass; each element rounds as biasAdd then relu would). [i0, i1) are whole rows.
 */
export function bias_relu(args: usize): void {
  const x = argP(args, BiasReluArgs.x);
  const b = argP(args, BiasReluArgs.bias);
  const out = argP(args, BiasReluArgs.out);
  const m = argI(args, BiasReluArgs.channels);
  const i0 = argI(args, BiasReluArgs.start);
  const i1 = argI(args, BiasReluArgs.end);
  const z = f32x4.splat(0);
  for (let r = i0; r < i1; r += m) {
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const v = f32x4.add(v128.load(at(x, r + j)), v128.load(at(b, j)));
      v128.store(at(out, r + j), v128.andnot(v, f32x4.le(v, z))); // NaN stays NaN, as in relu
    }
    for (; j < m; j++) {
      const v = load<f32>(at(x, r + j)) + load<f32>(at(b, j));
      store<f32>(at(out, r + j), v <= 0 ? 0 : v);
    }
  }
}

/**
 * The gradient through a relu fused into its producer, and the column sums for that producer's
 * bias gradient, in one streaming pass: dx = y > 0 ? dy : 0 over row slices [s0, s1) of S
 * (slice s = rows [rows*s/S, rows*(s+1)/S)); slice s's column sums of dx, in row order, go to
 * partials + s*C floats. The caller adds the slices in order, so the thread count never matters.
 */
export function relu_bias_grad(args: usize): void {
  const dy = argP(args, ReluBiasGradArgs.dy);
  const y = argP(args, ReluBiasGradArgs.y);
  const dx = argP(args, ReluBiasGradArgs.dx);
  const partials = argP(args, ReluBiasGradArgs.partials);
  const rows = argI(args, ReluBiasGradArgs.rows);
  const C = argI(args, ReluBiasGradArgs.channels);
  const s0 = argI(args, ReluBiasGradArgs.sliceStart);
  const s1 = argI(args, ReluBiasGradArgs.sliceEnd);
  const S = argI(args, ReluBiasGradArgs.slices);
  const z = f32x4.splat(0);
  const C4 = C & ~3;
  for (let sl = s0; sl < s1; sl++) {
    const db = partials + (<usize>(sl * C) << 2);
    memory.fill(db, 0, <usize>C << 2);
    const r1 = <i32>(<i64>rows * (sl + 1) / S);
    for (let r = <i32>(<i64>rows * sl / S); r < r1; r++) {
      const row = <usize>(r * C) << 2;
      let c = 0;
      for (; c < C4; c += 4) {
        const o = row + (<usize>c << 2);
        const g = v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), z));
        v128.store(dx + o, g);
        v128.store(at(db, c), f32x4.add(v128.load(at(db, c)), g));
      }
      for (; c < C; c++) {
        const o = row + (<usize>c << 2);
        const g: f32 = load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0;
        store<f32>(dx + o, g);
        store<f32>(at(db, c), load<f32>(at(db, c)) + g);
      }
    }
  }
}
