import { Tensor, type DType, type DataArray, type NestedArray } from '../tensor/tensor';
import { ShapeError, ValueError } from '../util/errors';
import { tensor } from './creation';

// What the public ops (TensorFlow.js's signatures) share: TensorLike arguments, [h, w] pairs,
// the NHWC-only data format, and tfjs's assertion style.

/** What a tfjs op accepts where a tensor goes: a Tensor, a number, or (nested) arrays of them. */
export type TensorLike = Tensor | number | boolean | NestedArray | DataArray | number[];

/** A tfjs option that is one number for both spatial axes or a [height, width] pair. */
export type Pair = number | [number, number];

/** Explicit padding, tfjs-style: [[0, 0], [top, bottom], [left, right], [0, 0]] for NHWC. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export type DataFormat = 'NHWC' | 'NCHW';
export type RoundingMode = 'floor' | 'round' | 'ceil';

/** tfjs's util.assert: the message is built only when the check fails. */
export function assert(cond: boolean, msg: () => string, kind: 'shape' | 'value' = 'value'): asserts cond {
  if (!cond) throw kind === 'shape' ? new ShapeError(msg()) : new ValueError(msg());
}

/** tfjs's convertToTensor: a Tensor as it is, anything else through tt.tensor. */
export function toTensor(x: TensorLike, name: string, op: string, dtype?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (x == null) throw new ValueError(`Argument '${name}' passed to '${op}' must be a Tensor or TensorLike, but got '${x}'`);
  if (typeof x === 'number' || typeof x === 'boolean') return tensor([x as number], [], dtype ?? (typeof x === 'boolean' ? 'bool' : 'float32'));
  if (!ArrayBuffer.isView(x) && !Array.isArray(x)) {
    throw new ValueError(`Argument '${name}' passed to '${op}' must be a Tensor or TensorLike, but got '${typeof x}'`);
  }
  return tensor(x as NestedArray, undefined, dtype);
}

/** A float view for ops that compute in float32 (tfjs parses their input as 'float32'). */
export function toFloat(x: TensorLike, name: string, op: string): Tensor {
  const t = toTensor(x, name, op);
  return t.dtype === 'float32' ? t : t.cast('float32');
}

export function pair(v: Pair, name: string, op: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  assert(p.every((d) => Number.isInteger(d) && d > 0), () => `Error in ${op}: ${name} should be positive integers, got [${p}].`);
  return p;
}

/** tatami computes channels-last only: NCHW is refused with the way to get NHWC. */
export function checkDataFormat(op: string, dataFormat: string | undefined): void {
  if (dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast') return;
  if (dataFormat === 'NCHW' || dataFormat === 'channelsFirst') {
    throw new ValueError(`${op}: dataFormat '${dataFormat}' is not supported; tatami computes channels-last (NHWC) only. ` +
      `Transpose the input with tt.transpose(x, [0, 2, 3, 1]) and the result back with [0, 3, 1, 2]`);
  }
  throw new ValueError(`${op}: dataFormat must be 'NHWC' or 'NCHW', got '${dataFormat}'`);
}

/** A rank-3 image (H, W, C) as a batch of one (1, H, W, C), as tfjs's 4-D ops take it. */
export function as4D(x: Tensor, op: string, what = 'input'): { x4: Tensor; batched: boolean } {
  assert(x.rank === 4 || x.rank === 3, () => `Error in ${op}: ${what} must be rank 4, but got rank ${x.rank}.`, 'shape');
  return x.rank === 4 ? { x4: x, batched: true } : { x4: x.reshape([1, ...x.shape]), batched: false };
}

/** Undoes as4D on the result. */
export function from4D(y: Tensor, batched: boolean): Tensor {
  return batched ? y : y.reshape(y.shape.slice(1));
}

/** tfjs's rounding of an output size under dimRoundingMode (no mode: truncation). */
export function roundDim(v: number, mode: RoundingMode | undefined): number {
  if (mode == null) return Math.trunc(v);
  if (mode === 'round') return Math.round(v);
  if (mode === 'ceil') return Math.ceil(v);
  if (mode === 'floor') return Math.floor(v);
  throw new ValueError(`Unknown roundingMode ${mode}`);
}

/** tfjs's checkPadOnDimRoundingMode: a rounding mode needs integer padding. */
export function checkRounding(op: string, pad: unknown, mode: RoundingMode | undefined): void {
  if (mode == null) return;
  const ints = typeof pad === 'number' ? [pad] : Array.isArray(pad) ? (pad as number[][]).flat() : null;
  if (!ints || !ints.every(Number.isInteger)) {
    throw new ValueError(`Error in ${op}: pad must be an integer when using dimRoundingMode ${mode} but got pad ${pad}.`);
  }
}
