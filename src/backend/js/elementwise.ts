import type { BinaryOp, NumericArray, UnaryGradOp, UnaryOp } from '../backend';
import { stridesOf } from '../../util/shape';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

function softplus(v: number): number {
  // log(1 + e^v) without overflow
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for gradient checks; use a series/continued fraction split.
  const t = Math.abs(x);
  if (t < 2.5) {
    // Maclaurin series, converges quickly for |x| < 2.5
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Keras's gelu default is the exact (erf) form. */
function gelu(v: number): number {
  return 0.5 * v * (1 + erf(v / Math.SQRT2));
}

export const unaryFns: Record<UnaryOp, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  square: (v) => v * v,
  abs: Math.abs,
  sign: Math.sign,
  reciprocal: (v) => 1 / v,
  relu: (v) => (v <= 0 ? 0 : v), // NaN stays NaN (Keras, PyTorch)
  sigmoid,
  tanh: Math.tanh,
  elu: (v) => (v > 0 ? v : Math.expm1(v)),
  selu: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
  softplus,
  softsign: (v) => v / (1 + Math.abs(v)),
  swish: (v) => v * sigmoid(v),
  gelu,
  floor: Math.floor,
  ceil: Math.ceil,
  round: (v) => {
    // round half to even, as NumPy and TensorFlow do
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  relu6: (v) => Math.min(Math.max(v, 0), 6),
};

/** f'(x) given x and y = f(x). */
const gradFns: Record<UnaryGradOp, (x: number, y: number) => number> = {
  relu: (x) => (x > 0 ? 1 : 0),
  sigmoid: (_x, y) => y * (1 - y),
  tanh: (_x, y) => 1 - y * y,
  elu: (x, y) => (x > 0 ? 1 : y + 1),
  selu: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
  softplus: (x) => sigmoid(x),
  softsign: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  swish: (x) => {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  },
  gelu: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  relu6: (x) => (x > 0 && x < 6 ? 1 : 0),
};
void SQRT_2_OVER_PI;

/*
 * The loops below keep the common ops' arithmetic inline: a call through a table of closures is
 * not inlined, and each float it returns is boxed (16 bytes of garbage per element, the bulk of
 * a small model's per-step allocation, which makes V8 grow its young generation over long runs).
 */

export function unary(op: UnaryOp, x: NumericArray, out: NumericArray): void {
  const n = x.length;
  switch (op) {
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] <= 0 ? 0 : x[i]; return;
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case 'rsqrt': for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]); return;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); return;
    case 'reciprocal': for (let i = 0; i < n; i++) out[i] = 1 / x[i]; return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    default: {
      const f = unaryFns[op];
      for (let i = 0; i < n; i++) out[i] = f(x[i]);
    }
  }
}

export function unaryGrad(op: UnaryGradOp, dy: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array): void {
  const n = dy.length;
  switch (op) {
    case 'relu': for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0; return;
    case 'sigmoid': for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); return;
    default: {
      const g = gradFns[op];
      for (let i = 0; i < n; i++) dx[i] = dy[i] * g(x[i], y[i]);
    }
  }
}

export const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  pow: Math.pow,
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

/**
 * out[o + i] = a[ai + i·as] op b[bi + i·bs] for i < len: one run along the last axis, a stride of
 * 0 repeating a broadcast value.
 */
function binaryRun(op: BinaryOp, a: NumericArray, ai: number, as: number, b: NumericArray, bi: number, bs: number,
  out: NumericArray, o: number, len: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < len; i++) out[o + i] = a[ai + i * as] + b[bi + i * bs]; return;
    case 'sub': for (let i = 0; i < len; i++) out[o + i] = a[ai + i * as] - b[bi + i * bs]; return;
    case 'mul': for (let i = 0; i < len; i++) out[o + i] = a[ai + i * as] * b[bi + i * bs]; return;
    case 'div': for (let i = 0; i < len; i++) out[o + i] = a[ai + i * as] / b[bi + i * bs]; return;
    case 'maximum':
      for (let i = 0; i < len; i++) {
        const u = a[ai + i * as], v = b[bi + i * bs];
        out[o + i] = u >= v || u !== u ? u : v; // NaN wins, as in Keras
      }
      return;
    case 'minimum':
      for (let i = 0; i < len; i++) {
        const u = a[ai + i * as], v = b[bi + i * bs];
        out[o + i] = u <= v || u !== u ? u : v;
      }
      return;
    default: {
      const f = binaryFns[op];
      for (let i = 0; i < len; i++) out[o + i] = f(a[ai + i * as], b[bi + i * bs]);
    }
  }
}

export function binary(op: BinaryOp, a: NumericArray, aShape: readonly number[], b: NumericArray, bShape: readonly number[],
  out: NumericArray, outShape: readonly number[]): void {
  const n = out.length;
  if (a.length === n && b.length === n) return binaryRun(op, a, 0, 1, b, 0, 1, out, 0, n);
  // a scalar side: the other one has the output's size
  if (b.length === 1) return binaryRun(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1) return binaryRun(op, a, 0, 0, b, 0, 1, out, 0, n);
  // b broadcast along leading axes (bias-like): b's shape is a suffix of outShape and a is full
  if (a.length === n && isSuffix(bShape, outShape)) {
    const m = b.length;
    for (let o = 0; o < n; o += m) binaryRun(op, a, o, 1, b, 0, 1, out, o, m);
    return;
  }
  if (b.length === n && isSuffix(aShape, outShape)) {
    const m = a.length;
    for (let o = 0; o < n; o += m) binaryRun(op, a, 0, 1, b, o, 1, out, o, m);
    return;
  }
  broadcastGeneral(op, a, aShape, b, bShape, out, outShape);
}

/** True when s (ignoring leading 1s) is a suffix of full: a bias-like broadcast. */
export function isSuffix(s: readonly number[], full: readonly number[]): boolean {
  let k = 0;
  while (k < s.length && s[k] === 1) k++;
  const off = full.length - (s.length - k);
  if (off < 0) return false;
  for (let i = k; i < s.length; i++) if (s[i] !== full[off + i - k]) return false;
  return true;
}

/** Any NumPy broadcast: walks the output's leading axes like an odometer, one binaryRun per last-axis row. */
function broadcastGeneral(op: BinaryOp, a: NumericArray, aShape: readonly number[],
  b: NumericArray, bShape: readonly number[], out: NumericArray, outShape: readonly number[]): void {
  const r = outShape.length;
  if (out.length === 0) return;
  if (r === 0) return binaryRun(op, a, 0, 0, b, 0, 0, out, 0, 1);
  const aStr = broadcastStrides(aShape, outShape);
  const bStr = broadcastStrides(bShape, outShape);
  const len = outShape[r - 1];
  const idx = new Array<number>(r).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < out.length; o += len) {
    binaryRun(op, a, ai, aStr[r - 1], b, bi, bStr[r - 1], out, o, len);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      ai += aStr[d];
      bi += bStr[d];
      if (idx[d] < outShape[d]) break;
      ai -= aStr[d] * outShape[d];
      bi -= bStr[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** Strides of `shape` aligned to `outShape`, 0 where the dimension is broadcast. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const r = outShape.length;
  const own = stridesOf(shape);
  const s = new Array<number>(r).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const d = r - shape.length + i;
    s[d] = shape[i] === 1 ? 0 : own[i];
  }
  return s;
}

export function affine(x: Float32Array, scale: number, offset: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale + offset;
}
