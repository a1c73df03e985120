import { Tensor, type DType, type DataArray, type NestedArray } from '../tensor/tensor';
import { globalRng, Rng } from '../util/rng';
import * as creation from './creation';
import { assert, toTensor, type TensorLike } from './public_util';

// Tensor creation with TensorFlow.js's signatures. The random ops draw from the global generator
// (tt.setSeed) or, given a seed, from a generator of their own: repeatable, though not the same
// numbers as tfjs's (another generator).

type Values = NestedArray | DataArray | number[];

export const tensor = (values: Values, shape?: number[], dtype?: DType) => creation.tensor(values, shape, dtype);
export const scalar = (value: number | boolean, dtype?: DType) =>
  creation.tensor([value as number], [], dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));

function ranked(rank: number) {
  return (values: Values, shape?: number[], dtype?: DType): Tensor => {
    const t = creation.tensor(values, shape, dtype);
    assert(t.rank === rank, () => `tensor${rank}d() requires values of rank ${rank}, got shape [${t.shape}]`, 'shape');
    return t;
  };
}
export const tensor1d = (values: Values, dtype?: DType) => ranked(1)(values, undefined, dtype);
export const tensor2d = ranked(2);
export const tensor3d = ranked(3);
export const tensor4d = ranked(4);

export const zeros = (shape: number[], dtype: DType = 'float32') => creation.zeros(shape, dtype);
export const ones = (shape: number[], dtype: DType = 'float32') => creation.ones(shape, dtype);
/** tf.fill(shape, value, dtype?). */
export const fill = (shape: number[], value: number, dtype: DType = 'float32') => creation.fill(shape, value, dtype);
export const zerosLike = (x: TensorLike) => creation.zerosLike(toTensor(x, 'x', 'zerosLike'));
export const onesLike = (x: TensorLike) => creation.onesLike(toTensor(x, 'x', 'onesLike'));
/** Copies a typed array of any dtype into a new tensor (tatami's; tfjs has tensor(values, shape, dtype)). */
export const fromValues = creation.fromValues;

function randomTensor(op: string, shape: number[], dtype: DType | undefined, seed: number | undefined,
  draw: (rng: Rng) => number): Tensor {
  assert(dtype !== 'bool' && dtype !== 'uint8', () => `${op}: unsupported data type ${dtype}`);
  const rng = seed == null ? globalRng : new Rng(seed);
  const t = Tensor.empty(shape, dtype ?? 'float32');
  const v = t.values;
  // tfjs rounds draws for int32
  const int = t.dtype === 'int32';
  for (let i = 0; i < v.length; i++) v[i] = int ? Math.round(draw(rng)) : draw(rng);
  return t;
}

/** tf.randomNormal(shape, mean = 0, stdDev = 1, dtype?, seed?). */
export function randomNormal(shape: number[], mean = 0, stdDev = 1, dtype?: DType, seed?: number): Tensor {
  return randomTensor('randomNormal', shape, dtype, seed, (r) => mean + stdDev * r.normal());
}

/** tf.truncatedNormal(shape, mean = 0, stdDev = 1, dtype?, seed?): draws beyond 2 stdDev are redrawn. */
export function truncatedNormal(shape: number[], mean = 0, stdDev = 1, dtype?: DType, seed?: number): Tensor {
  return randomTensor('truncatedNormal', shape, dtype, seed, (r) => mean + stdDev * r.truncatedNormal());
}

/** tf.randomUniform(shape, minval = 0, maxval = 1, dtype = 'float32', seed?): [minval, maxval). */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return randomTensor('randomUniform', shape, dtype, seed, (r) => minval + (maxval - minval) * r.uniform());
}

/** tf.range(start, stop, step = 1, dtype = 'float32'); like tfjs, a default step counts down when stop < start. */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  assert(step !== 0, () => 'Cannot have a step of zero');
  if (start === stop || (start < stop && step < 0) || (stop < start && step > 1)) return creation.zeros([0], dtype);
  return creation.range(start, stop, stop < start && step === 1 ? -1 : step, dtype);
}

/** tf.linspace(start, stop, num): num evenly spaced values, both ends included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  assert(num > 0, () => 'The number of values should be positive.');
  const t = Tensor.empty([num]);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) t.values[i] = start + i * step;
  return t;
}

/** tf.eye(numRows, numColumns = numRows, batchShape?, dtype = 'float32'). */
export function eye(numRows: number, numColumns = numRows, batchShape?: number[], dtype: DType = 'float32'): Tensor {
  const batch = batchShape ?? [];
  const t = creation.zeros([...batch, numRows, numColumns], dtype);
  const per = numRows * numColumns;
  for (let b = 0; b < t.size / per; b++) for (let i = 0; i < Math.min(numRows, numColumns); i++) t.values[b * per + i * numColumns + i] = 1;
  return t;
}
