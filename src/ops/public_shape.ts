import { Tensor, type DType } from '../tensor/tensor';
import { shapesEqual } from '../util/shape';
import * as shape from './shape';
import { assert, toTensor, type TensorLike } from './public_util';

// Shape and indexing ops with TensorFlow.js's signatures and argument checks.

/** tf.reshape(x, shape): one entry may be -1. */
export const reshape = (x: TensorLike, newShape: number[]) => shape.reshape(toTensor(x, 'x', 'reshape'), newShape);

/** tf.cast(x, dtype). */
export const cast = (x: TensorLike, dtype: DType) => shape.cast(toTensor(x, 'x', 'cast'), dtype);

/** tf.clone(x): a copy that autograd sees as the identity. */
export const clone = (x: TensorLike) => shape.clone(toTensor(x, 'x', 'clone'));

/** tf.transpose(x, perm?): perm defaults to the reversed axes. */
export function transpose(x: TensorLike, perm?: number[]): Tensor {
  const t = toTensor(x, 'x', 'transpose');
  if (perm == null) return shape.transpose(t);
  assert(t.rank === perm.length, () => `Error in transpose: rank of input ${t.rank} must match length of perm ${perm}.`, 'shape');
  for (const axis of perm) {
    assert(axis >= 0 && axis < t.rank, () => `All entries in 'perm' must be between 0 and ${t.rank - 1} but got ${perm}`, 'shape');
  }
  return shape.transpose(t, perm);
}

/** tf.slice(x, begin, size?): a number begins (or sizes) the first axis; size -1 takes the rest. */
export function slice(x: TensorLike, begin: number | number[], size?: number | number[]): Tensor {
  const t = toTensor(x, 'x', 'slice');
  assert(t.rank !== 0, () => 'Slicing scalar is not possible', 'shape');
  return shape.slice(t, begin, size);
}

/** tf.concat(tensors, axis = 0). */
export function concat(tensors: TensorLike[], axis = 0): Tensor {
  assert(tensors.length >= 1, () => 'Pass at least one tensor to concat');
  const ts = tensors.map((t, i) => toTensor(t, `tensors${i}`, 'concat'));
  return ts.length === 1 ? shape.clone(ts[0]) : shape.concat(ts, axis);
}

/** tf.stack(tensors, axis = 0): tensors of one shape, joined along a new axis. */
export function stack(tensors: TensorLike[], axis = 0): Tensor {
  assert(tensors.length >= 1, () => 'Pass at least one tensor to tf.stack');
  const ts = tensors.map((t, i) => toTensor(t, `tensors${i}`, 'stack'));
  assert(axis <= ts[0].rank, () => 'Axis must be <= rank of the tensor', 'shape');
  for (const t of ts) {
    assert(shapesEqual(t.shape, ts[0].shape), () => 'All tensors passed to stack must have matching shapes', 'shape');
    assert(t.dtype === ts[0].dtype, () => 'All tensors passed to stack must have matching dtypes');
  }
  return shape.stack(ts, axis);
}

/** tf.expandDims(x, axis = 0). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'x', 'expandDims');
  assert(axis <= t.rank, () => 'Axis must be <= rank of the tensor', 'shape');
  return shape.expandDims(t, axis);
}

/** tf.squeeze(x, axis?): without axis every size-1 axis goes; a named axis must have size 1. */
export function squeeze(x: TensorLike, axis?: number[]): Tensor {
  const t = toTensor(x, 'x', 'squeeze');
  for (const a of axis ?? []) {
    const i = a < 0 ? a + t.rank : a;
    assert(t.shape[i] === 1, () => `Can't squeeze axis ${i} since its dim '${t.shape[i]}' is not 1`, 'shape');
  }
  return shape.squeeze(t, axis);
}

/** tf.gather(x, indices, axis = 0, batchDims = 0); tatami gathers with batchDims 0 only. */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  assert(batchDims === 0, () => `gather: batchDims ${batchDims} is not supported; tatami gathers with batchDims 0`);
  const idx = toTensor(indices, 'indices', 'gather', 'int32');
  return shape.gather(toTensor(x, 'x', 'gather'), idx.dtype === 'int32' ? idx : idx.cast('int32'), axis);
}

/** tf.oneHot(indices, depth, onValue = 1, offValue = 0, dtype = 'int32'). */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DType = 'int32'): Tensor {
  assert(depth >= 2, () => `Error in oneHot: depth must be >=2, but it is ${depth}`);
  const y = shape.oneHot(toTensor(indices, 'indices', 'oneHot', 'int32'), depth, onValue, offValue);
  return dtype === 'float32' ? y : y.cast(dtype);
}

/** tf.pad(x, paddings, constantValue = 0): paddings[i] = [before, after] for axis i. */
export function pad(x: TensorLike, paddings: Array<[number, number]>, constantValue = 0): Tensor {
  const t = toTensor(x, 'x', 'pad');
  assert(t.rank !== 0, () => 'pad(scalar) is not defined. Pass non-scalar to pad', 'shape');
  assert(paddings.length === t.rank, () => `pad: paddings has ${paddings.length} entries for a tensor of rank ${t.rank}`, 'shape');
  return shape.pad(t, paddings, constantValue);
}
