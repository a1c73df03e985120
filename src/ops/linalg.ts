import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import { record } from '../autograd/tape';
import { ShapeError } from '../util/errors';
import { broadcastShapes, shapeToString, sizeOf } from '../util/shape';
import { requireFloat, sumTo } from './helpers';
import { reluAndBiasGrad } from './conv';

// Matrix products. A (..., M, K)·B (..., K, N) with NumPy/tfjs broadcasting of the batch dimensions
// (everything before the last two); gradients are products with the other operand transposed,
// summed over the batch dimensions that were broadcast.

/** out[o] = op(x[xOff[o]])·op(y[yOff[o]]) for each batch o; matrices are (rows, inner)·(inner, cols). */
function gemmBatched(x: Float32Array, xOff: number[], xSize: number, y: Float32Array, yOff: number[], ySize: number,
  out: Float32Array, rows: number, inner: number, cols: number, tx: boolean, ty: boolean): void {
  const be = backend();
  const oSize = rows * cols;
  for (let o = 0; o < xOff.length; o++) {
    const xs = xOff.length === 1 ? x : x.subarray(xOff[o], xOff[o] + xSize);
    const ys = yOff.length === 1 ? y : y.subarray(yOff[o], yOff[o] + ySize);
    const os = xOff.length === 1 ? out : out.subarray(o * oSize, (o + 1) * oSize);
    be.matMul(xs, ys, os, rows, inner, cols, tx, ty);
  }
}

/** Flat element offset of each output batch's matrix in an operand with batch shape `batch`. */
function batchOffsets(batch: readonly number[], outBatch: readonly number[], matSize: number): number[] {
  const n = sizeOf(outBatch);
  const lead = outBatch.length - batch.length;
  // stride of each output batch axis in the operand (0 where the operand broadcasts)
  const strides = new Array<number>(outBatch.length).fill(0);
  let acc = matSize;
  for (let i = batch.length - 1; i >= 0; i--) {
    if (batch[i] !== 1) strides[lead + i] = acc;
    acc *= batch[i];
  }
  const offs = new Array<number>(n);
  const idx = new Array<number>(outBatch.length).fill(0);
  let off = 0;
  for (let o = 0; o < n; o++) {
    offs[o] = off;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < outBatch[d]) break;
      off -= strides[d] * outBatch[d];
      idx[d] = 0;
    }
  }
  return offs;
}

export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  requireFloat('matMul', a, b);
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(`matMul needs tensors of rank >= 2, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const M = transposeA ? a1 : a0;
  const K = transposeA ? a0 : a1;
  const K2 = transposeB ? b1 : b0;
  const N = transposeB ? b0 : b1;
  if (K !== K2) {
    throw new ShapeError(`matMul: inner dimensions differ: ${shapeToString(a.shape)}${transposeA ? 'ᵀ' : ''} · ${shapeToString(b.shape)}${transposeB ? 'ᵀ' : ''}`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  let outBatch: number[];
  try {
    outBatch = broadcastShapes(aBatch, bBatch);
  } catch {
    throw new ShapeError(`matMul: batch dimensions ${shapeToString(aBatch)} and ${shapeToString(bBatch)} of ${shapeToString(a.shape)} and ${shapeToString(b.shape)} cannot be broadcast together`);
  }
  const aOff = batchOffsets(aBatch, outBatch, M * K);
  const bOff = batchOffsets(bBatch, outBatch, K * N);
  const y = Tensor.output([...outBatch, M, N]);
  gemmBatched(a.f32, aOff, M * K, b.f32, bOff, K * N, y.f32, M, K, N, transposeA, transposeB);
  return record(y, [a, b], (dy) => {
    const dyOff = aOff.map((_, o) => o * M * N);
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // dA = dY·Bᵀ (or its transpose when A was transposed), per output batch, then summed over
      // the batch axes along which A was broadcast
      const full = Tensor.output([...outBatch, a0, a1]);
      if (!transposeA) gemmBatched(dy.f32, dyOff, M * N, b.f32, bOff, K * N, full.f32, M, N, K, false, !transposeB);
      else gemmBatched(b.f32, bOff, K * N, dy.f32, dyOff, M * N, full.f32, K, N, M, transposeB, true);
      da = sumTo(full, a.shape);
      if (da !== full) full.dispose();
    }
    if (b.requiresGrad) {
      const full = Tensor.output([...outBatch, b0, b1]);
      if (!transposeB) gemmBatched(a.f32, aOff, M * K, dy.f32, dyOff, M * N, full.f32, K, M, N, !transposeA, false);
      else gemmBatched(dy.f32, dyOff, M * N, a.f32, aOff, M * K, full.f32, N, M, K, true, transposeA);
      db = sumTo(full, b.shape);
      if (db !== full) full.dispose();
    }
    return [da, db];
  });
}

/**
 * y (..., units) = x (..., in) · kernel (in, units) + bias (units): the Dense layer's op, with the
 * bias add fused into the same output buffer.
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, fuseRelu = false): Tensor {
  requireFloat('dense', x, kernel);
  const inDim = kernel.shape[0];
  const units = kernel.shape[1];
  if (x.shape[x.rank - 1] !== inDim) {
    throw new ShapeError(`dense: input shape ${shapeToString(x.shape)} does not match kernel ${shapeToString(kernel.shape)}`);
  }
  const M = x.size / inDim;
  const y = Tensor.output([...x.shape.slice(0, -1), units]);
  const be = backend();
  be.matMul(x.f32, kernel.f32, y.f32, M, inDim, units, false, false);
  if (bias) be.biasAdd(y.f32, bias.f32, y.f32, units, fuseRelu);
  else if (fuseRelu) be.unary('relu', y.f32, y.f32);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  return record(y, inputs, (dyIn) => {
    const [dy, dbFused] = reluAndBiasGrad(dyIn, y, bias !== null, fuseRelu, units);
    const dx = x.requiresGrad ? Tensor.output(x.shape.slice()) : null;
    if (dx) be.matMul(dy.f32, kernel.f32, dx.f32, M, units, inDim, false, true);
    const dk = kernel.requiresGrad ? Tensor.output(kernel.shape.slice()) : null;
    if (dk) be.matMul(x.f32, dy.f32, dk.f32, inDim, M, units, true, false);
    const grads: (Tensor | null)[] = [dx, dk];
    if (bias) {
      if (dbFused) grads.push(dbFused);
      else {
        const db = Tensor.output([units]);
        be.biasGrad(dy.f32, db.f32, units);
        grads.push(db);
      }
    }
    if (dy !== dyIn) dy.dispose();
    return grads;
  });
}
