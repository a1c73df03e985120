import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import type { WasmBackend } from '../../src/backend/wasm/index';
import { wasmBackend } from '../helpers/backends';

// fit/evaluate/predict free what each step made: backend memory in use stays flat across epochs.

describe('memory over a training run', () => {
  // on the wasm backend, which tracks live memory, whichever backend is active (the js one leaves
  // its arrays to the garbage collector)
  it('live backend memory does not grow from epoch to epoch', async () => {
    const be = wasmBackend() as WasmBackend;
    assert.equal(typeof be.liveBytes, 'function', 'the wasm backend reports its live bytes');
    const prev = tt.backend();
    tt.setBackend(be);
    try {
      await trainAndMeasure(be);
    } finally {
      tt.setBackend(prev);
    }
  });
});

async function trainAndMeasure(be: WasmBackend): Promise<void> {
  tt.setSeed(2);
  const model = tt.sequential([
    tt.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }),
    tt.layers.maxPooling2d({ poolSize: 2 }),
    tt.layers.dropout({ rate: 0.25 }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tt.randomUniform([256, 12, 12, 1]);
  const y = tt.utils.toCategorical(Array.from({ length: 256 }, (_, i) => i % 10), 10);
  const live: number[] = [];
  await model.fit(x, y, {
    epochs: 6, batchSize: 32, verbose: 0, validationSplit: 0.25,
    callbacks: [{ onEpochEnd: () => void live.push(be.liveBytes!()) }],
  });
  for (let i = 0; i < 3; i++) {
    await model.evaluate(x, y, { verbose: 0 });
    model.predict(x).dispose();
  }
  const after = be.liveBytes!();
  assert.ok(live[5] <= live[1], `live bytes grew across epochs: ${live.join(', ')}`);
  assert.ok(after <= live[5] + 64 * 1024, `evaluate/predict left ${after - live[5]} bytes behind`);
}
