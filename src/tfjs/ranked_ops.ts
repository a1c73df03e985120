import type { Tensor } from '../tensor/tensor';
import { batchNorm, concat, pad, slice, type TensorLike } from '../ops/public';
import { toTensor } from '../ops/public_util';

// tfjs's rank-suffixed spellings of ops tatami has (concat2d, slice3d, pad1d, batchNorm4d, ...)
// and tf.print: the same ops under tfjs's names and signatures.

export const concat1d = (tensors: TensorLike[]): Tensor => concat(tensors, 0);
export const concat2d = (tensors: TensorLike[], axis = 0): Tensor => concat(tensors, axis);
export const concat3d = concat2d;
export const concat4d = concat2d;

export const slice1d = (x: TensorLike, begin: number, size: number): Tensor => slice(x, [begin], [size]);
export const slice2d = (x: TensorLike, begin: [number, number], size: [number, number]): Tensor => slice(x, begin, size);
export const slice3d = (x: TensorLike, begin: [number, number, number], size: [number, number, number]): Tensor => slice(x, begin, size);
export const slice4d = (x: TensorLike, begin: [number, number, number, number], size: [number, number, number, number]): Tensor => slice(x, begin, size);

export const pad1d = (x: TensorLike, paddings: [number, number], constantValue = 0): Tensor => pad(x, [paddings], constantValue);
export const pad2d = (x: TensorLike, paddings: [[number, number], [number, number]], constantValue = 0): Tensor => pad(x, paddings, constantValue);
export const pad3d = (x: TensorLike, paddings: [[number, number], [number, number], [number, number]], constantValue = 0): Tensor => pad(x, paddings, constantValue);
export const pad4d = (x: TensorLike, paddings: [[number, number], [number, number], [number, number], [number, number]], constantValue = 0): Tensor =>
  pad(x, paddings, constantValue);

export const batchNorm2d = batchNorm;
export const batchNorm3d = batchNorm;
export const batchNorm4d = batchNorm;

/** tf.print(x, verbose = false). */
export const print = (x: TensorLike, verbose = false): void => toTensor(x, 'x', 'print').print(verbose);
