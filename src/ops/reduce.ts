import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import { record } from '../autograd/tape';
import { normAxis, sizeOf } from '../util/shape';
import { mul, div, equal } from './elementwise';

// Reductions over one or more axes, done one axis at a time with the (outer, n, inner) kernel.

function axesOf(x: Tensor, axis?: number | number[]): number[] {
  if (axis == null) return [...Array(x.rank).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => normAxis(a, x.rank)))].sort((a, b) => a - b);
}

function reduceRaw(op: 'sum' | 'max' | 'min' | 'prod', x: Tensor, axes: number[]): Tensor {
  let cur = x;
  for (let k = axes.length - 1; k >= 0; k--) {
    const ax = axes[k];
    const outer = sizeOf(cur.shape.slice(0, ax));
    const inner = sizeOf(cur.shape.slice(ax + 1));
    const shape = cur.shape.slice();
    shape[ax] = 1;
    const out = Tensor.empty(shape, cur.dtype === 'float32' ? 'float32' : cur.dtype === 'bool' ? 'int32' : cur.dtype);
    backend().reduce(op, cur.values, outer, cur.shape[ax], inner, out.values);
    cur = out;
  }
  return cur;
}

function keptShape(x: Tensor, axes: number[]): number[] {
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function finalShape(x: Tensor, axes: number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(x, axes) : x.shape.filter((_, i) => !axes.includes(i));
}

/** Broadcasts g (shape keptShape) back to x's shape. */
function expandTo(g: Tensor, shape: number[]): Tensor {
  const out = Tensor.empty(shape.slice());
  backend().binary('add', out.f32, shape, g.f32, g.shape, out.f32, shape);
  return out;
}

export function sum(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf(x, axis);
  const y = reduceRaw('sum', x, axes).view(finalShape(x, axes, keepDims));
  return record(y, [x], (dy) => [expandTo(dy.view(keptShape(x, axes)), x.shape)]);
}

export function mean(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf(x, axis);
  const n = axes.reduce((a, i) => a * x.shape[i], 1);
  return div(sum(x.dtype === 'float32' ? x : x.cast('float32'), axes, keepDims), n);
}

function extreme(op: 'max' | 'min', x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf(x, axis);
  const kept = reduceRaw(op, x, axes);
  const y = kept.view(finalShape(x, axes, keepDims));
  return record(y, [x], (dy) => {
    // the gradient goes to every position equal to the extreme, split evenly on ties
    const mask = equal(x, kept).cast('float32');
    const count = reduceRaw('sum', mask, axes);
    return [mul(mask, expandTo(div(dy.view(keptShape(x, axes)), count), x.shape))];
  });
}

export const max = (x: Tensor, axis?: number | number[], keepDims = false) => extreme('max', x, axis, keepDims);
export const min = (x: Tensor, axis?: number | number[], keepDims = false) => extreme('min', x, axis, keepDims);

export function argMax(x: Tensor, axis = 0): Tensor {
  const a = normAxis(axis, x.rank);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const y = Tensor.empty(x.shape.filter((_, i) => i !== a), 'int32');
  backend().argMax(x.values, outer, x.shape[a], inner, y.values as Int32Array);
  return y;
}

export function argMin(x: Tensor, axis = 0): Tensor {
  const negated = Float32Array.from(x.values, (v) => -v);
  return argMax(Tensor.fromArray(negated, x.shape.slice()), axis);
}
