// The fused batch-norm ops (backend batchNorm* kernels) that the BatchNormalization layer runs:
// finite-difference gradients on every backend, and the same values as the composition of generic
// kernels (ops/batchnorm.ts) they replace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { layers } from '../../src/layers/index';
import { assertClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { gradCheck, randomTensor } from '../helpers/gradcheck';

for (const kind of kernelBackends()) {
  describe(`fused batch norm on the ${backendLabel(kind)}`, () => {
    it('training form: finite-difference gradients for x, offset and scale', () => {
      onBackend(kind, () => {
        const c = (seed: number) => randomTensor([5], seed, 0.5, 1.5);
        gradCheck((x, b, g) => ops.fusedBatchNormTraining(x, b, g, 1e-3).y, [randomTensor([3, 2, 3, 5], 1), c(2), c(3)], { eps: 1e-3 });
        gradCheck((x) => ops.fusedBatchNormTraining(x, null, null, 1e-3).y, [randomTensor([6, 4], 5)], { eps: 1e-3 });
      });
    });
    it('inference form: finite-difference gradients for x, offset and scale', () => {
      onBackend(kind, () => {
        const m = ops.tensor([0.2, -0.1, 0.3]);
        const v = ops.tensor([0.9, 1.3, 0.6]);
        gradCheck((x, b, g) => ops.fusedBatchNorm(x, m, v, b, g, 1e-3), [randomTensor([2, 4, 3], 1), randomTensor([3], 2), randomTensor([3], 3)]);
      });
    });
    it('matches the composition of generic kernels, forward and backward (large enough for the wasm kernels)', () => {
      onBackend(kind, () => {
        const shape = [8, 14, 15, 24];
        const x = randomTensor(shape, 1, 3, 6);
        const b = randomTensor([24], 2);
        const g = randomTensor([24], 3, 0.5, 1.5);
        const dy = randomTensor(shape, 4);
        const mv = randomTensor([24], 5, 0.5, 2);
        const run = (train: typeof ops.batchNormTraining, infer: typeof ops.batchNorm) => {
          for (const t of [x, b, g]) t.requiresGrad = true;
          const { y, mean, variance } = train(x, b, g, 1e-3, -1);
          const yi = infer(x, mean, mv, b, g, 1e-3, -1);
          const loss = ops.add(ops.sum(ops.mul(y, dy)), ops.sum(ops.mul(yi, dy)));
          const grads = gradients(loss, [x, b, g]) as Tensor[];
          return [y, yi, mean, variance, ...grads].map((t) => Array.from(t.values));
        };
        const fused = run(ops.fusedBatchNormTraining, ops.fusedBatchNorm);
        const composed = run(ops.batchNormTraining, ops.batchNorm);
        const names = ['y', 'inference y', 'mean', 'variance', 'dx', 'dbeta', 'dgamma'];
        // the composition sums dgamma in float32 over all 1,680 rows (about 2e-4 off here)
        fused.forEach((v, i) => assertClose(v, composed[i], i === 6 ? 3e-4 : 2e-5, names[i]));
        // the fused sums run in float32 over 256-row blocks added in float64
        const C = 24, X = x.values, D = dy.values, n = X.length / C;
        const mean = new Float64Array(C), vr = new Float64Array(C), sdx = new Float64Array(C);
        for (let i = 0; i < X.length; i++) mean[i % C] += X[i] / n;
        for (let i = 0; i < X.length; i++) {
          vr[i % C] += (X[i] - mean[i % C]) ** 2 / n;
          sdx[i % C] += D[i] * (X[i] - mean[i % C]);
        }
        // the loss has the training and the inference output: dgamma = Σdy·(x − mean)·(1/σ_batch + 1/σ_moving)
        const expected = Array.from(sdx, (s, c) => s / Math.sqrt(vr[c] + 1e-3) + s / Math.sqrt(mv.values[c] + 1e-3));
        assertClose(fused[6], expected, 5e-5, 'dgamma against float64');
      });
    });
    it('other axes take the composition', () => {
      onBackend(kind, () => {
        const x = randomTensor([2, 3, 5], 7);
        const a = ops.fusedBatchNormTraining(x, null, null, 1e-3, 1);
        const e = ops.batchNormTraining(x, null, null, 1e-3, 1);
        assert.deepEqual(Array.from(a.y.values), Array.from(e.y.values));
      });
    });
    it('a per-channel tensor of the wrong length is a clear error', () => {
      onBackend(kind, () => {
        assert.throws(() => ops.fusedBatchNormTraining(randomTensor([2, 4], 1), ops.tensor([1, 2, 3]), null),
          /per-channel tensors must have shape \[4\]/);
      });
    });
  });
}

it('the BatchNormalization layer trains on the fused kernels: moving statistics from the batch', () => {
  const layer = layers.batchNormalization({ momentum: 0.5 });
  const x = ops.tensor([[1, 10], [3, 20], [5, 60]]);
  const y = layer.apply(x, { training: true }) as Tensor;
  assertClose(layer.getWeights()[2].values, [1.5, 15]);
  assertClose(layer.getWeights()[3].values, [0.5 + 4 / 3, 0.5 + 700 / 3]);
  const x0 = (1 - 3) / Math.sqrt(8 / 3 + 1e-3);
  assertClose([y.values[0]], [x0], 1e-5);
});
