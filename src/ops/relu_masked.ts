/**
 * A gradient that already carries a relu's mask, handed from max pooling to the convolution whose
 * fused relu produced the pooled tensor. Max pooling routes each window's gradient to its max; at
 * that position the relu output is the pooled value, so masking by pooled y > 0 (a quarter of the
 * map for 2x2 windows) is the relu's mask, and the per-channel sums of the masked pooled gradient
 * are the bias gradient. The convolution then skips its own pass over the whole activation (seed
 * 001: 19 MB read twice and written once per step). Accumulated gradients (several consumers) are
 * new tensors without the note, so they take the ordinary path.
 */
import type { Tensor } from '../tensor/tensor';

/** Outputs of ops whose relu is fused (y = relu(...) in place): conv2d notes them. */
const reluOutputs = new WeakSet<Tensor>();

/** Gradients known to be zero wherever `of` <= 0, with their per-channel sums. */
const masked = new WeakMap<Tensor, { of: Tensor; channelSums: Tensor }>();

export function noteReluOutput(y: Tensor): void {
  reluOutputs.add(y);
}

export function isReluOutput(x: Tensor): boolean {
  return reluOutputs.has(x);
}

/** Notes that gradient `dx` is already masked by `of` > 0 and that `channelSums` are its column sums. */
export function noteReluMasked(dx: Tensor, of: Tensor, channelSums: Tensor): void {
  masked.set(dx, { of, channelSums });
}

/** The channel sums of `dy` when it was noted as masked by `y` > 0 (taken once), else null. */
export function takeReluMasked(dy: Tensor, y: Tensor): Tensor | null {
  const m = masked.get(dy);
  if (!m || m.of !== y) return null;
  masked.delete(dy);
  return m.channelSums;
}
