import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import { record } from '../autograd/tape';
import { ShapeError, ValueError } from '../util/errors';
import { normAxis, shapeToString } from '../util/shape';
import { requireFloat } from './helpers';
import { batchNorm, batchNormTraining, type BatchNormTrainingResult } from './batchnorm';

// Batch normalization on the backend's fused kernels: x (..., C) channels-last is viewed as
// (rows, C). Training takes two passes forward (statistics, then normalize + scale + offset) and
// two backward (the per-channel sums, then dx); inference is one affine pass. The same maths as
// ./batchnorm.ts, which remains the composition of generic kernels and serves any other axis.

function channelsLast(op: string, x: Tensor, axis: number, ...perChannel: (Tensor | null)[]): number | null {
  requireFloat(op, x, ...perChannel.filter((t): t is Tensor => t != null));
  if (x.rank < 1) throw new ShapeError(`${op}: input must have at least one dimension, got a scalar`);
  if (normAxis(axis, x.rank) !== x.rank - 1 || x.size === 0) return null;
  const C = x.shape[x.rank - 1];
  for (const t of perChannel) {
    if (t && (t.rank !== 1 || t.shape[0] !== C)) {
      throw new ShapeError(`${op}: per-channel tensors must have shape [${C}] (the last axis of ${shapeToString(x.shape)}), got ${shapeToString(t.shape)}`);
    }
  }
  return C;
}

function invStd(variance: ArrayLike<number>, epsilon: number): Float64Array {
  if (!(epsilon >= 0)) throw new ValueError(`batchNorm: epsilon must be >= 0, got ${epsilon}`);
  return Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
}

function fromNumbers(v: ArrayLike<number>): Tensor {
  const t = Tensor.empty([v.length]);
  t.f32.set(v);
  return t;
}

const gammaOf = (scale: Tensor | null, C: number) => (scale ? scale.f32 : new Float32Array(C).fill(1));
const betaOf = (offset: Tensor | null, C: number) => (offset ? offset.f32 : new Float32Array(C));

/**
 * Inference batch norm with given statistics: y = (x − mean)/sqrt(variance + ε)·scale + offset per
 * channel. Gradients flow to x, offset and scale (mean and variance are state, not trained).
 */
export function fusedBatchNorm(x: Tensor, mean: Tensor, variance: Tensor, offset: Tensor | null, scale: Tensor | null,
  epsilon = 1e-3, axis = -1): Tensor {
  const C = channelsLast('batchNorm', x, axis, mean, variance, offset, scale);
  if (C === null) return batchNorm(x, mean, variance, offset, scale, epsilon, axis);
  const be = backend();
  const inv = invStd(variance.f32, epsilon);
  const gam = gammaOf(scale, C);
  const k = Float32Array.from(inv, (v, c) => v * gam[c]);
  const m = Float32Array.from(mean.f32);
  const y = Tensor.output(x.shape.slice());
  be.batchNormApply(x.f32, m, k, betaOf(offset, C), y.f32, C);
  const inputs = [x, ...(offset ? [offset] : []), ...(scale ? [scale] : [])];
  return record(y, inputs, (dyT) => {
    const dy = dyT.f32;
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = Tensor.output(x.shape.slice());
      be.batchNormApply(dy, new Float32Array(C), k, new Float32Array(C), dx.f32, C);
    }
    const sDy = new Float64Array(C);
    const sDyX = new Float64Array(C);
    if (offset?.requiresGrad || scale?.requiresGrad) be.batchNormGradSums(dy, x.f32, m, sDy, sDyX, C);
    const grads: (Tensor | null)[] = [dx];
    if (offset) grads.push(offset.requiresGrad ? fromNumbers(sDy) : null);
    if (scale) grads.push(scale.requiresGrad ? fromNumbers(sDyX.map((s, c) => s * inv[c])) : null);
    return grads;
  });
}

/**
 * Training batch norm: normalizes with the batch's mean and biased variance over every axis but
 * the last, the gradient flowing through both (Keras semantics); returns the statistics too.
 */
export function fusedBatchNormTraining(x: Tensor, offset: Tensor | null, scale: Tensor | null, epsilon = 1e-3,
  axis = -1): BatchNormTrainingResult {
  const C = channelsLast('batchNormTraining', x, axis, offset, scale);
  if (C === null) return batchNormTraining(x, offset, scale, epsilon, axis);
  const be = backend();
  const n = x.size / C;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  be.batchNormStats(x.f32, C, mean, variance);
  const inv = invStd(variance, epsilon);
  const gam = gammaOf(scale, C);
  const k = Float32Array.from(inv, (v, c) => v * gam[c]);
  const m = Float32Array.from(mean);
  const y = Tensor.output(x.shape.slice());
  be.batchNormApply(x.f32, m, k, betaOf(offset, C), y.f32, C);
  const inputs = [x, ...(offset ? [offset] : []), ...(scale ? [scale] : [])];
  const out = record(y, inputs, (dyT) => {
    const dy = dyT.f32;
    const sDy = new Float64Array(C);
    const sDyX = new Float64Array(C);
    be.batchNormGradSums(dy, x.f32, m, sDy, sDyX, C);
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      // dx = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂)) = k·dy − k/n·Σdy − (x − mean)·k·inv²/n·Σ(dy·(x − mean))
      dx = Tensor.output(x.shape.slice());
      const a = Float32Array.from(k, (kc, c) => (kc / n) * sDy[c]);
      const b = Float32Array.from(k, (kc, c) => ((kc * inv[c] * inv[c]) / n) * sDyX[c]);
      be.batchNormGradInput(dy, x.f32, m, k, a, b, dx.f32, C);
    }
    const grads: (Tensor | null)[] = [dx];
    if (offset) grads.push(fromNumbers(sDy));
    if (scale) grads.push(fromNumbers(sDyX.map((s, c) => s * inv[c])));
    return grads;
  });
  return { y: out, mean: fromNumbers(mean), variance: fromNumbers(variance) };
}
