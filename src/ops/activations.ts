import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import type { UnaryGradOp } from '../backend/backend';
import { record } from '../autograd/tape';
import { normAxis } from '../util/shape';
import { requireFloat } from './helpers';
import { transpose } from './shape';

// Activation functions: forward through the backend's unary kernel, backward through unaryGrad.

function activation(op: UnaryGradOp, x: Tensor): Tensor {
  requireFloat(op, x);
  const y = Tensor.output(x.shape.slice());
  backend().unary(op, x.f32, y.f32);
  return record(y, [x], (dy) => {
    const dx = Tensor.output(x.shape.slice());
    backend().unaryGrad(op, dy.f32, x.f32, y.f32, dx.f32);
    return [dx];
  });
}

export const relu = (x: Tensor) => activation('relu', x);
export const sigmoid = (x: Tensor) => activation('sigmoid', x);
export const tanh = (x: Tensor) => activation('tanh', x);
export const elu = (x: Tensor) => activation('elu', x);
export const selu = (x: Tensor) => activation('selu', x);
export const softplus = (x: Tensor) => activation('softplus', x);
export const softsign = (x: Tensor) => activation('softsign', x);
export const swish = (x: Tensor) => activation('swish', x);
export const gelu = (x: Tensor) => activation('gelu', x);

/** Pointwise activation with a closed-form derivative, computed in place here. */
function pointwise(x: Tensor, f: (v: number) => number, df: (v: number) => number): Tensor {
  requireFloat('activation', x);
  const y = Tensor.output(x.shape.slice());
  const xv = x.f32;
  const yv = y.f32;
  for (let i = 0; i < xv.length; i++) yv[i] = f(xv[i]);
  return record(y, [x], (dy) => {
    const dx = Tensor.output(x.shape.slice());
    const dv = dy.f32;
    const gv = dx.f32;
    for (let i = 0; i < xv.length; i++) gv[i] = dv[i] * df(xv[i]);
    return [dx];
  });
}

export const leakyRelu = (x: Tensor, alpha = 0.2) => pointwise(x, (v) => (v > 0 ? v : alpha * v), (v) => (v > 0 ? 1 : alpha));
export const relu6 = (x: Tensor) => activation('relu6', x);
export const hardSigmoid = (x: Tensor) =>
  pointwise(x, (v) => Math.min(Math.max(v + 3, 0), 6) / 6, (v) => (v > -3 && v < 3 ? 1 / 6 : 0));
export const exponential = (x: Tensor) => pointwise(x, Math.exp, Math.exp);
export const linear = (x: Tensor) => x;

/** Moves `axis` last so the row kernels apply; returns the permutation (or null). */
function lastAxisPerm(rank: number, axis: number): number[] | null {
  const a = normAxis(axis, rank);
  if (a === rank - 1) return null;
  const perm = [...Array(rank).keys()].filter((i) => i !== a);
  perm.push(a);
  return perm;
}

function invert(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export function softmax(x: Tensor, axis = -1): Tensor {
  requireFloat('softmax', x);
  const perm = lastAxisPerm(x.rank, axis);
  if (perm) return transpose(softmax(transpose(x, perm), -1), invert(perm));
  const n = x.shape[x.rank - 1];
  const rows = x.size / n;
  const y = Tensor.output(x.shape.slice());
  backend().softmax(x.f32, y.f32, rows, n);
  return record(y, [x], (dy) => {
    // dx = y * (dy - sum(dy * y))
    const dx = Tensor.output(x.shape.slice());
    const yv = y.f32;
    const dv = dy.f32;
    const gv = dx.f32;
    for (let r = 0; r < rows; r++) {
      const b = r * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += dv[b + k] * yv[b + k];
      for (let k = 0; k < n; k++) gv[b + k] = yv[b + k] * (dv[b + k] - s);
    }
    return [dx];
  });
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  requireFloat('logSoftmax', x);
  const perm = lastAxisPerm(x.rank, axis);
  if (perm) return transpose(logSoftmax(transpose(x, perm), -1), invert(perm));
  const n = x.shape[x.rank - 1];
  const rows = x.size / n;
  const y = Tensor.output(x.shape.slice());
  backend().logSoftmax(x.f32, y.f32, rows, n);
  return record(y, [x], (dy) => {
    // dx = dy - softmax * sum(dy)
    const dx = Tensor.output(x.shape.slice());
    const yv = y.f32;
    const dv = dy.f32;
    const gv = dx.f32;
    for (let r = 0; r < rows; r++) {
      const b = r * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += dv[b + k];
      for (let k = 0; k < n; k++) gv[b + k] = dv[b + k] - Math.exp(yv[b + k]) * s;
    }
    return [dx];
  });
}
