import type { Tensor } from '../tensor/tensor';
import * as ops from '../ops/index';

// Activations built from other ops; autograd differentiates the composition.

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU's tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): Keras's
 * gelu(x, approximate=True), TensorFlow.js's 'gelu_new'.
 */
export function geluApproximate(x: Tensor): Tensor {
  const inner = ops.mul(ops.add(x, ops.mul(ops.mul(ops.square(x), x), 0.044715)), SQRT_2_OVER_PI);
  return ops.mul(ops.mul(x, 0.5), ops.add(ops.tanh(inner), 1));
}

/** x · relu6(x + 3) / 6 (Keras 3's hard_silu, alias hard_swish). */
export function hardSilu(x: Tensor): Tensor {
  return ops.mul(x, ops.hardSigmoid(x));
}

/** x · tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  return ops.mul(x, ops.tanh(ops.softplus(x)));
}
