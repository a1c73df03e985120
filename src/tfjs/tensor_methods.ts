import { Tensor, type DType } from '../tensor/tensor';
import * as ops from '../ops/public';
import { ValueError } from '../util/errors';
import { TensorBuffer } from './buffer';

// The Tensor methods TensorFlow.js has and tatami's Tensor lacks, added to Tensor.prototype when
// tatami/tfjs is loaded. Methods tatami's Tensor already has are left as they are.

type Method = (this: Tensor, ...args: never[]) => unknown;

function reshapeRank(rank: number) {
  return function (this: Tensor, ...dims: number[]): Tensor {
    const shape = rank === 1 ? [this.size] : dims;
    if (shape.length !== rank) throw new ValueError(`as${rank}D needs ${rank} dimensions, got [${dims}]`);
    return ops.reshape(this, shape);
  };
}

const methods: Record<string, Method> = {
  toFloat(this: Tensor) { return ops.cast(this, 'float32'); },
  toInt(this: Tensor) { return ops.cast(this, 'int32'); },
  toBool(this: Tensor) { return ops.cast(this, 'bool'); },
  asType(this: Tensor, dtype: DType) { return ops.cast(this, dtype); },
  asScalar(this: Tensor) {
    if (this.size !== 1) throw new ValueError('The array must have only 1 element.');
    return ops.reshape(this, []);
  },
  as1D: reshapeRank(1), as2D: reshapeRank(2), as3D: reshapeRank(3), as4D: reshapeRank(4), as5D: reshapeRank(5),
  bufferSync(this: Tensor) { return new TensorBuffer(this.shape, this.dtype, this.dataSync()); },
  async buffer(this: Tensor) { return new TensorBuffer(this.shape, this.dtype, this.dataSync()); },
  greaterEqual(this: Tensor, b: Tensor | number) { return ops.greaterEqual(this, b); },
  lessEqual(this: Tensor, b: Tensor | number) { return ops.lessEqual(this, b); },
  sign(this: Tensor) { return ops.sign(this); },
  floor(this: Tensor) { return ops.floor(this); },
  round(this: Tensor) { return ops.round(this); },
  reciprocal(this: Tensor) { return ops.reciprocal(this); },
  clipByValue(this: Tensor, lo: number, hi: number) { return ops.clipByValue(this, lo, hi); },
  elu(this: Tensor) { return ops.elu(this); },
  selu(this: Tensor) { return ops.selu(this); },
  relu6(this: Tensor) { return ops.relu6(this); },
  leakyRelu(this: Tensor, alpha?: number) { return ops.leakyRelu(this, alpha); },
  softplus(this: Tensor) { return ops.softplus(this); },
  logSoftmax(this: Tensor, axis?: number) { return ops.logSoftmax(this, axis); },
  pad(this: Tensor, paddings: Array<[number, number]>, value?: number) { return ops.pad(this, paddings, value); },
  squaredDifference(this: Tensor, b: Tensor | number) { return ops.square(ops.sub(this, b)); },
  dot(this: Tensor, b: Tensor) { return ops.matMul(this, b); },
  stack(this: Tensor, others: Tensor | Tensor[], axis?: number) { return ops.stack([this, ...(Array.isArray(others) ? others : [others])], axis); },
};

let installed = false;

export function installTensorMethods(): void {
  if (installed) return;
  installed = true;
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(methods)) {
    if (!(name in proto)) Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  }
}

/** The added methods, for TypeScript users of tatami/tfjs. */
declare module '../tensor/tensor' {
  interface Tensor {
    toFloat(): Tensor;
    toInt(): Tensor;
    toBool(): Tensor;
    asType(dtype: DType): Tensor;
    asScalar(): Tensor;
    as1D(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(rows: number, columns: number, depth: number): Tensor;
    as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
    as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor;
    bufferSync(): TensorBuffer;
    buffer(): Promise<TensorBuffer>;
    greaterEqual(b: Tensor | number): Tensor;
    lessEqual(b: Tensor | number): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    round(): Tensor;
    reciprocal(): Tensor;
    clipByValue(lo: number, hi: number): Tensor;
    elu(): Tensor;
    selu(): Tensor;
    relu6(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    softplus(): Tensor;
    logSoftmax(axis?: number): Tensor;
    pad(paddings: Array<[number, number]>, value?: number): Tensor;
    squaredDifference(b: Tensor | number): Tensor;
    dot(b: Tensor): Tensor;
    stack(others: Tensor | Tensor[], axis?: number): Tensor;
  }
}
