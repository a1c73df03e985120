import { ValueError } from '../util/errors';
import { sizeOf, shapeToString } from '../util/shape';
import { track } from './engine';
import { allocData, allocOutput, Storage, wrapData, type DataArray, type DType } from './storage';
import { formatTensor } from './format';

export type { DType, DataArray } from './storage';

/** How an op that produced a tensor propagates a gradient back to its inputs (set by autograd). */
export interface GradNode {
  inputs: Tensor[];
  /** Given d(loss)/d(output), returns d(loss)/d(input) per input (null where not needed). */
  backward(dy: Tensor): (Tensor | null)[];
}

export type NestedArray = number | boolean | NestedArray[];

/**
 * The chainable methods (t.add(u), t.reshape(...)) are installed by ops/ at load time, so that
 * tensor/ imports no op. Their signatures are declared here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const methodTable: Record<string, (...args: any[]) => Tensor> = {};

let nextId = 0;

export class Tensor {
  readonly isTensor = true;
  readonly id = nextId++;
  readonly shape: number[];
  readonly size: number;
  /** Set by autograd when this tensor came from a recorded op. */
  node: GradNode | null = null;
  /** True when gradients flow to or through this tensor. */
  requiresGrad = false;
  /** Variables and other long-lived tensors are never disposed by a scope. */
  isKept = false;
  protected storage: Storage;
  private disposed = false;

  constructor(storage: Storage, shape: number[], readonly dtype: DType) {
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'uint8' && dtype !== 'bool') {
      throw new ValueError(`dtype '${dtype}' is not supported; tatami computes in float32 (int32, uint8 and bool hold labels and masks)`);
    }
    this.shape = shape;
    this.size = sizeOf(shape);
    if (storage.data.length !== this.size) {
      throw new ValueError(`tensor of shape ${shapeToString(shape)} needs ${this.size} values, got ${storage.data.length}`);
    }
    this.storage = storage;
    storage.retain();
    track(this);
  }

  /** A new tensor with fresh zeroed storage. */
  static empty(shape: number[], dtype: DType = 'float32'): Tensor {
    return new Tensor(allocData(dtype, sizeOf(shape)), shape, dtype);
  }

  /** A float32 tensor with unspecified contents, for a kernel output that overwrites every value. */
  static output(shape: number[]): Tensor {
    return new Tensor(allocOutput(sizeOf(shape)), shape, 'float32');
  }

  /** Wraps an existing typed array (not copied). */
  static fromArray(data: DataArray, shape: number[], dtype?: DType): Tensor {
    const dt = dtype ?? (data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'uint8');
    return new Tensor(wrapData(data), shape, dt);
  }

  /**
   * Rows [start, end) along the first axis, sharing this tensor's memory (no copy). The view
   * keeps this tensor reachable, so the shared memory is not reclaimed while the view lives.
   */
  rowsView(start: number, end: number): Tensor {
    const row = this.shape.length > 1 ? sizeOf(this.shape.slice(1)) : 1;
    const data = this.values.subarray(start * row, end * row) as DataArray;
    const v = new Tensor(wrapData(data), [end - start, ...this.shape.slice(1)], this.dtype);
    v.base = this;
    return v;
  }

  /** The tensor whose memory a rowsView shares. */
  private base: Tensor | null = null;

  /** A tensor sharing this one's storage under another shape. */
  view(shape: number[]): Tensor {
    return new Tensor(this.storage, shape, this.dtype);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The backing buffer, read in place by kernels. Do not keep it past the tensor's life. */
  get values(): DataArray {
    if (this.disposed) throw new ValueError(`tensor ${this.id} of shape ${shapeToString(this.shape)} was disposed`);
    return this.storage.data;
  }

  get f32(): Float32Array {
    const v = this.values;
    if (!(v instanceof Float32Array)) throw new ValueError(`expected a float32 tensor, got ${this.dtype}`);
    return v;
  }

  /** A copy of the values. */
  dataSync(): DataArray {
    return this.values.slice();
  }

  async data(): Promise<DataArray> {
    return this.dataSync();
  }

  arraySync(): NestedArray {
    const v = this.values;
    const toNum = this.dtype === 'bool' ? (x: number) => x !== 0 : (x: number) => x;
    if (this.rank === 0) return toNum(v[0]);
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const out: NestedArray[] = new Array(n);
      if (dim === this.rank - 1) {
        for (let i = 0; i < n; i++) out[i] = toNum(v[offset + i]);
        return out;
      }
      const step = sizeOf(this.shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * step);
      return out;
    };
    return build(0, 0);
  }

  async array(): Promise<NestedArray> {
    return this.arraySync();
  }

  toString(verbose = false): string {
    return formatTensor(this, verbose);
  }

  print(verbose = false): void {
    // eslint-disable-next-line no-console
    console.log(this.toString(verbose));
  }

  /** Lets the collector free the values once unreachable (for tensors that outlive their scope). */
  watch(): void {
    if (!this.disposed) this.storage.watch();
  }

  /** Frees the storage now (tatami does this for you; calling it is optional). */
  dispose(): void {
    if (this.disposed || this.isKept) return;
    this.disposed = true;
    this.storage.release();
  }

  /** Releases storage even for kept tensors (used when a Variable is replaced). */
  protected forceDispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.release();
  }

  // ---- chainable methods, installed by ops/ ----
  reshape(shape: number[]): Tensor { return methodTable.reshape(this, shape); }
  cast(dtype: DType): Tensor { return methodTable.cast(this, dtype); }
  add(b: Tensor | number): Tensor { return methodTable.add(this, b); }
  sub(b: Tensor | number): Tensor { return methodTable.sub(this, b); }
  mul(b: Tensor | number): Tensor { return methodTable.mul(this, b); }
  div(b: Tensor | number): Tensor { return methodTable.div(this, b); }
  pow(b: Tensor | number): Tensor { return methodTable.pow(this, b); }
  maximum(b: Tensor | number): Tensor { return methodTable.maximum(this, b); }
  minimum(b: Tensor | number): Tensor { return methodTable.minimum(this, b); }
  equal(b: Tensor | number): Tensor { return methodTable.equal(this, b); }
  greater(b: Tensor | number): Tensor { return methodTable.greater(this, b); }
  less(b: Tensor | number): Tensor { return methodTable.less(this, b); }
  neg(): Tensor { return methodTable.neg(this); }
  exp(): Tensor { return methodTable.exp(this); }
  log(): Tensor { return methodTable.log(this); }
  sqrt(): Tensor { return methodTable.sqrt(this); }
  square(): Tensor { return methodTable.square(this); }
  abs(): Tensor { return methodTable.abs(this); }
  relu(): Tensor { return methodTable.relu(this); }
  sigmoid(): Tensor { return methodTable.sigmoid(this); }
  tanh(): Tensor { return methodTable.tanh(this); }
  softmax(axis = -1): Tensor { return methodTable.softmax(this, axis); }
  matMul(b: Tensor, transposeA = false, transposeB = false): Tensor { return methodTable.matMul(this, b, transposeA, transposeB); }
  transpose(perm?: number[]): Tensor { return methodTable.transpose(this, perm); }
  slice(begin: number[] | number, size?: number[] | number): Tensor { return methodTable.slice(this, begin, size); }
  gather(indices: Tensor | number[], axis = 0): Tensor { return methodTable.gather(this, indices, axis); }
  concat(others: Tensor | Tensor[], axis = 0): Tensor { return methodTable.concat([this, ...(Array.isArray(others) ? others : [others])], axis); }
  argMax(axis = 0): Tensor { return methodTable.argMax(this, axis); }
  argMin(axis = 0): Tensor { return methodTable.argMin(this, axis); }
  sum(axis?: number | number[], keepDims = false): Tensor { return methodTable.sum(this, axis, keepDims); }
  mean(axis?: number | number[], keepDims = false): Tensor { return methodTable.mean(this, axis, keepDims); }
  max(axis?: number | number[], keepDims = false): Tensor { return methodTable.max(this, axis, keepDims); }
  min(axis?: number | number[], keepDims = false): Tensor { return methodTable.min(this, axis, keepDims); }
  oneHot(depth: number): Tensor { return methodTable.oneHot(this, depth); }
  flatten(): Tensor { return methodTable.reshape(this, [this.size]); }
  expandDims(axis = 0): Tensor { return methodTable.expandDims(this, axis); }
  squeeze(axis?: number[]): Tensor { return methodTable.squeeze(this, axis); }
  clone(): Tensor { return methodTable.clone(this); }
}

/**
 * A trainable (or frozen) value that layers and optimizers update in place. Never disposed by
 * scopes; `assign` copies new values into its storage.
 */
export class Variable extends Tensor {
  trainable: boolean;
  constructor(initial: Tensor, readonly name: string, trainable = true) {
    const st = allocData(initial.dtype, initial.size);
    st.data.set(initial.values);
    super(st, initial.shape.slice(), initial.dtype);
    this.isKept = true;
    this.trainable = trainable;
    this.requiresGrad = trainable;
  }

  assign(value: Tensor | DataArray): void {
    const src = (value as Tensor).isTensor ? (value as Tensor).values : (value as DataArray);
    if (src.length !== this.size) {
      throw new ValueError(`cannot assign ${src.length} values to variable '${this.name}' of shape ${shapeToString(this.shape)}`);
    }
    this.values.set(src);
  }

  /** Frees the variable's storage (when its layer is discarded). */
  release(): void {
    this.forceDispose();
  }
}
