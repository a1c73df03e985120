import { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/storage';
import { backend } from '../backend/registry';
import type { BinaryOp, UnaryOp } from '../backend/backend';
import { record } from '../autograd/tape';
import { broadcastShapes } from '../util/shape';
import { asTensor, sumTo } from './helpers';

// Elementwise arithmetic with NumPy broadcasting; each forward beside its gradient.

const COMPARISONS = new Set<BinaryOp>(['equal', 'greater', 'greaterEqual', 'less', 'lessEqual']);

function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const outShape = broadcastShapes(a.shape, b.shape);
  const isCmp = COMPARISONS.has(op);
  const bothFloat = a.dtype === 'float32' && b.dtype === 'float32';
  const dtype: DType = isCmp ? 'bool' : a.dtype === 'float32' || b.dtype === 'float32' || op === 'div' ? 'float32' : 'int32';
  if (bothFloat && !isCmp) {
    const out = Tensor.output(outShape);
    backend().binary(op, a.f32, a.shape, b.f32, b.shape, out.f32, outShape);
    return out;
  }
  // mixed or integer dtypes, and comparisons (bool out): the kernel takes any typed arrays
  const out = Tensor.empty(outShape, dtype);
  backend().binary(op, a.values, a.shape, b.values, b.shape, out.values, outShape);
  return out;
}

function binaryOp(op: BinaryOp, aIn: Tensor | number, bIn: Tensor | number,
  grad?: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null]): Tensor {
  const a = asTensor(aIn, typeof bIn === 'number' ? undefined : bIn);
  const b = asTensor(bIn, a);
  const y = binaryRaw(op, a, b);
  if (!grad) return y;
  return record(y, [a, b], (dy) => {
    const [ga, gb] = grad(dy, a, b, y);
    return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
  });
}

export const add = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('add', a, b, (dy) => [dy, dy]);
export const sub = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('sub', a, b, (dy) => [dy, neg(dy)]);
export const mul = (a: Tensor | number, b: Tensor | number): Tensor =>
  binaryOp('mul', a, b, (dy, x, z) => [x.requiresGrad ? mul(dy, z) : null, z.requiresGrad ? mul(dy, x) : null]);
export const div = (a: Tensor | number, b: Tensor | number): Tensor =>
  binaryOp('div', a, b, (dy, x, z, y) => [
    x.requiresGrad ? div(dy, z) : null,
    z.requiresGrad ? neg(div(mul(dy, y), z)) : null,
  ]);
export const pow = (a: Tensor | number, b: Tensor | number): Tensor =>
  binaryOp('pow', a, b, (dy, x, z, y) => [
    x.requiresGrad ? mul(dy, mul(z, pow(x, sub(z, 1)))) : null,
    z.requiresGrad ? mul(dy, mul(y, log(x))) : null,
  ]);
export const maximum = (a: Tensor | number, b: Tensor | number): Tensor =>
  binaryOp('maximum', a, b, (dy, x, z) => {
    const m = binaryRaw('greaterEqual', x, z).cast('float32');
    return [mul(dy, m), mul(dy, sub(1, m))];
  });
export const minimum = (a: Tensor | number, b: Tensor | number): Tensor =>
  binaryOp('minimum', a, b, (dy, x, z) => {
    const m = binaryRaw('lessEqual', x, z).cast('float32');
    return [mul(dy, m), mul(dy, sub(1, m))];
  });
export const equal = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('equal', a, b);
export const greater = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('greater', a, b);
export const greaterEqual = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('greaterEqual', a, b);
export const less = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('less', a, b);
export const lessEqual = (a: Tensor | number, b: Tensor | number): Tensor => binaryOp('lessEqual', a, b);

export function unaryRaw(op: UnaryOp, x: Tensor): Tensor {
  const out = (x.dtype === 'float32' ? Tensor.output(x.shape.slice()) : null) ?? Tensor.empty(x.shape.slice(), x.dtype === 'float32' ? 'float32' : op === 'neg' || op === 'abs' || op === 'square' || op === 'sign' ? x.dtype : 'float32');
  backend().unary(op, x.values, out.values);
  return out;
}

function unaryOp(op: UnaryOp, x: Tensor, grad?: (dy: Tensor, x: Tensor, y: Tensor) => Tensor): Tensor {
  const y = unaryRaw(op, x);
  if (!grad) return y;
  return record(y, [x], (dy) => [grad(dy, x, y)]);
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x, (dy) => neg(dy));
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, (dy, _x, y) => mul(dy, y));
export const log = (x: Tensor): Tensor => unaryOp('log', x, (dy, x0) => div(dy, x0));
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, (dy, _x, y) => div(dy, mul(y, 2)));
export const square = (x: Tensor): Tensor => unaryOp('square', x, (dy, x0) => mul(dy, mul(x0, 2)));
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, (dy, x0) => mul(dy, unaryRaw('sign', x0)));
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x, (dy, _x, y) => neg(mul(dy, square(y))));
export const sign = (x: Tensor): Tensor => unaryRaw('sign', x);
export const floor = (x: Tensor): Tensor => unaryRaw('floor', x);
export const round = (x: Tensor): Tensor => unaryRaw('round', x);

/** clip(x, lo, hi); gradient passes where lo <= x <= hi. */
export function clipByValue(x: Tensor, lo: number, hi: number): Tensor {
  const y = Tensor.output(x.shape.slice());
  const xv = x.f32;
  const yv = y.f32;
  for (let i = 0; i < xv.length; i++) yv[i] = xv[i] < lo ? lo : xv[i] > hi ? hi : xv[i];
  return record(y, [x], (dy) => {
    const g = Tensor.empty(x.shape.slice());
    const gv = g.f32;
    const dv = dy.f32;
    for (let i = 0; i < xv.length; i++) gv[i] = xv[i] >= lo && xv[i] <= hi ? dv[i] : 0;
    return [g];
  });
}
