// Inference through a functional model without gradients frees each intermediate after its last
// consumer ran (what lets ResNet50 predict at batch 32 within the wasm backend's 4 GiB).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { noGrad } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { layers } from '../../src/layers/index';
import { input } from '../../src/models/input';
import { model } from '../../src/models/functional';
import { assertClose } from '../helpers/assert';
import { randomTensor } from '../helpers/gradcheck';

function network() {
  const x = input({ shape: [6, 6, 4] });
  const a = layers.batchNormalization().apply(x);
  const b = layers.reLU({ maxValue: 6 }).apply(a);
  const c = layers.add().apply([a, b]);
  const m = model({ inputs: x, outputs: c });
  const seen: Tensor[] = [];
  const bn = m.layers[1];
  const invoke = bn.invoke.bind(bn);
  bn.invoke = (inp, training) => {
    const y = invoke(inp, training);
    seen.push(y);
    return y;
  };
  return { m, seen };
}

it('an intermediate read by two layers is freed after the second, and the result is unchanged', () => {
  const { m, seen } = network();
  const data = randomTensor([2, 6, 6, 4], 3, -8, 8);
  const y = noGrad(() => m.forward(data, false));
  assert.equal(seen.length, 1);
  assert.ok(seen[0].isDisposed, 'the batch-norm output was freed');
  assert.ok(!data.isDisposed && !y.isDisposed, 'the model input and output stay');
  const k = 1 / Math.sqrt(1 + 1e-3);
  const bnOut = ops.mul(data, ops.scalar(k));
  assertClose(y.values, ops.add(bnOut, ops.relu6(bnOut)).values, 1e-5);
});

it('with gradients recorded, or in training, nothing is freed', () => {
  const { m, seen } = network();
  const data = randomTensor([2, 6, 6, 4], 3, -8, 8);
  m.forward(data, false);
  noGrad(() => m.forward(data, true));
  assert.equal(seen.length, 2);
  assert.ok(seen.every((t) => !t.isDisposed));
});

it('model.predict gives the same values as a recorded forward pass', () => {
  const { m } = network();
  const data = randomTensor([5, 6, 6, 4], 4, -8, 8);
  const p = m.predict(data, { batchSize: 2 }) as Tensor;
  assertClose(p.values, m.forward(data, false).values, 0);
});
