import { Tensor } from '../tensor/tensor';
import { ShapeError } from '../util/errors';
import { shapeToString, sizeOf } from '../util/shape';

/** Rows idx[start..end) of x (N, ...) copied into a new contiguous (end-start, ...) tensor. */
export function takeRows(x: Tensor, idx: Int32Array | null, start: number, end: number): Tensor {
  const row = sizeOf(x.shape.slice(1));
  const out = Tensor.empty([end - start, ...x.shape.slice(1)], x.dtype === 'bool' ? 'uint8' : x.dtype);
  const src = x.values;
  const dst = out.values;
  if (!idx) {
    dst.set(src.subarray(start * row, end * row));
    return out;
  }
  // short rows (an MNIST image, a one-hot label) by a loop: a subarray per row is a JS object
  // per sample, garbage that fit would make on every step
  if (row >= 4096) {
    for (let i = start; i < end; i++) dst.set(src.subarray(idx[i] * row, (idx[i] + 1) * row), (i - start) * row);
    return out;
  }
  for (let i = start, o = 0; i < end; i++) {
    const s = idx[i] * row;
    for (let j = 0; j < row; j++) dst[o++] = src[s + j];
  }
  return out;
}

export function checkSameLength(x: Tensor, y: Tensor, where: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(`${where}: inputs of shape ${shapeToString(x.shape)} and targets of shape ${shapeToString(y.shape)} have different numbers of samples (${x.shape[0]} vs ${y.shape[0]})`);
  }
}

/**
 * Splits off the last `fraction` of the samples (before any shuffling), as Keras does. Both parts
 * are views of the given tensors, so a 60,000-image set is not copied again.
 */
export function splitValidation(x: Tensor, y: Tensor, fraction: number): { x: Tensor; y: Tensor; vx: Tensor; vy: Tensor } {
  const n = x.shape[0];
  const at = splitAt(n, fraction);
  return { x: x.rowsView(0, at), y: y.rowsView(0, at), vx: x.rowsView(at, n), vy: y.rowsView(at, n) };
}

/** Keras's validationSplit: where the last `fraction` of n samples begins (before any shuffling). */
export function splitAt(n: number, fraction: number): number {
  const at = Math.floor(n * (1 - fraction));
  if (at <= 0 || at >= n) throw new ShapeError(`validationSplit ${fraction} leaves no training or no validation samples out of ${n}`);
  return at;
}
