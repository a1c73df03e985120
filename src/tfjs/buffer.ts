import { Tensor, type DType, type DataArray } from '../tensor/tensor';
import { arrayFor } from '../tensor/storage';
import { ValueError } from '../util/errors';

/** tfjs's TensorBuffer: a mutable array with a shape; set/get by coordinates, toTensor() to finish. */
export class TensorBuffer {
  readonly size: number;
  readonly strides: number[];
  readonly values: DataArray;

  constructor(readonly shape: number[], readonly dtype: DType = 'float32', values?: DataArray) {
    this.size = shape.reduce((a, b) => a * b, 1);
    this.values = values ?? arrayFor(dtype, this.size);
    if (this.values.length !== this.size) {
      throw new ValueError(`Length of values '${this.values.length}' does not match the size inferred by the shape '${this.size}'.`);
    }
    this.strides = [];
    let acc = 1;
    for (let i = shape.length - 1; i > 0; i--) {
      acc *= shape[i];
      this.strides.unshift(acc);
    }
  }

  get rank(): number {
    return this.shape.length;
  }

  locToIndex(locs: number[]): number {
    if (this.rank === 0) return 0;
    let index = locs[locs.length - 1];
    for (let i = 0; i < locs.length - 1; i++) index += this.strides[i] * locs[i];
    return index;
  }

  indexToLoc(index: number): number[] {
    const locs: number[] = [];
    for (const s of this.strides) {
      locs.push(Math.floor(index / s));
      index -= locs[locs.length - 1] * s;
    }
    return this.rank === 0 ? [] : [...locs, index];
  }

  set(value: number | boolean, ...locs: number[]): void {
    if (locs.length === 0) locs = [0];
    if (locs.length !== Math.max(this.rank, 1)) {
      throw new ValueError(`The number of provided coordinates (${locs.length}) must match the rank (${this.rank})`);
    }
    this.values[this.locToIndex(locs)] = Number(value);
  }

  get(...locs: number[]): number {
    if (locs.length === 0) locs = [0];
    return this.values[this.locToIndex(locs)];
  }

  toTensor(): Tensor {
    return Tensor.fromArray(this.values.slice() as DataArray, this.shape.slice(), this.dtype);
  }
}

/** tf.buffer(shape, dtype = 'float32', values?). */
export const buffer = (shape: number[], dtype: DType = 'float32', values?: DataArray) => new TensorBuffer(shape, dtype, values);
