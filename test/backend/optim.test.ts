// Fused optimizer updates: every backend bit-identical to the reference kernels of
// src/backend/js/optimizer.ts (themselves checked against Keras/PyTorch trajectories in
// test/golden/optimizers.test.ts), on every wasm build and thread count, in and out of the shared
// memory, above and below the size where the wasm backend hands the update to the reference.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AdadeltaStep, AdamStep, Backend } from '../../src/backend/backend';
import { assertIdentical } from '../helpers/assert';
import { allBackends, js, on, rand } from './helpers';

const SIZES = [10, 70001]; // 70001 is odd: exercises the scalar tail and uneven thread splits

/** A copy of src, in be's memory or as a plain array. */
function place(be: Backend, src: Float32Array, inMemory: boolean): Float32Array {
  return inMemory ? on(be, src) : src.slice();
}

for (const [label, be] of allBackends) {
  test(`adadelta optimizerStep ${label}`, () => {
    for (const n of SIZES) {
      for (const inMemory of [true, false]) {
        const w0 = rand(n), g = rand(n, -3, 3), ag0 = rand(n, 0, 1), ad0 = rand(n, 0, 0.1);
        const ref: AdadeltaStep = { rule: 'adadelta', w: w0.slice(), g, accumulatedGrad: ag0.slice(),
          accumulatedDeltaVar: ad0.slice(), learningRate: 1.0, rho: 0.95, epsilon: 1e-7 };
        const got: AdadeltaStep = { ...ref, w: place(be, w0, inMemory), g: place(be, g, inMemory),
          accumulatedGrad: place(be, ag0, inMemory), accumulatedDeltaVar: place(be, ad0, inMemory) };
        for (let step = 0; step < 3; step++) {
          js.optimizerStep(ref);
          be.optimizerStep(got);
        }
        assert.notDeepEqual(ref.w, w0, 'the update changed w');
        assertIdentical(got.w, ref.w, `w n=${n}`);
        assertIdentical(got.accumulatedGrad, ref.accumulatedGrad, 'accumulated_grad');
        assertIdentical(got.accumulatedDeltaVar, ref.accumulatedDeltaVar, 'accumulated_delta_var');
      }
    }
  });

  test(`adam optimizerStep ${label}`, () => {
    for (const n of SIZES) {
      for (const amsgrad of [false, true]) {
        const w0 = rand(n), g = rand(n, -3, 3), m0 = rand(n, -0.1, 0.1), v0 = rand(n, 0, 0.1), vh0 = rand(n, 0, 0.1);
        const base = { rule: 'adam' as const, g, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
        const ref: AdamStep = { ...base, alpha: 0, w: w0.slice(), momentum: m0.slice(), velocity: v0.slice(),
          velocityHat: amsgrad ? vh0.slice() : null };
        // velocityHat outside the shared memory: copied in and back
        const got: AdamStep = { ...base, alpha: 0, g: on(be, g), w: on(be, w0), momentum: on(be, m0), velocity: on(be, v0),
          velocityHat: amsgrad ? vh0.slice() : null };
        for (let t = 1; t <= 3; t++) {
          const alpha = (0.001 * Math.sqrt(1 - Math.pow(0.999, t))) / (1 - Math.pow(0.9, t));
          js.optimizerStep({ ...ref, alpha });
          be.optimizerStep({ ...got, alpha });
        }
        assert.notDeepEqual(ref.w, w0, 'the update changed w');
        assertIdentical(got.w, ref.w, `w n=${n} amsgrad=${amsgrad}`);
        assertIdentical(got.momentum, ref.momentum, 'momentum');
        assertIdentical(got.velocity, ref.velocity, 'velocity');
        if (amsgrad) assertIdentical(got.velocityHat!, ref.velocityHat!, 'velocity_hat');
      }
    }
  });
}

test('optimizerStep rejects an unknown rule by name', () => {
  for (const [, be] of allBackends) {
    const step = { rule: 'rmsprop', w: rand(8), g: rand(8) } as unknown as AdamStep;
    assert.throws(() => be.optimizerStep(step), /unknown rule 'rmsprop'/);
  }
});
