// flow() batches a caller keeps without dispose() must not pile up in the wasm backend's memory:
// that memory is invisible to the JS engine's GC heuristics, so it would grow by a batch per step.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { ImageDataGenerator } from '../../src/preprocessing/image_data_generator';
import type { WasmBackend } from '../../src/backend/wasm/index';
import { wasmBackend, withBackend } from '../helpers/backends';

test('flow on the wasm backend: kept batches live in plain arrays, the backend memory stays flat', () => {
  const be = wasmBackend() as WasmBackend;
  withBackend(be, () => {
    const x = Tensor.fromArray(Float32Array.from({ length: 40 * 8 * 8 * 3 }, (_, i) => i % 251), [40, 8, 8, 3]);
    const it = new ImageDataGenerator({ widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true }).flow(x, null, { batchSize: 16, seed: 2 });
    it.next();
    const before = be.liveBytes();
    const kept: Tensor[] = [];
    for (let i = 0; i < 6; i++) kept.push(it.next().value);
    assert.equal(be.liveBytes(), before, 'no backend memory held by the kept batches');
    assert.ok(kept.every((t) => t.shape.join() === '16,8,8,3' || t.shape.join() === '8,8,8,3'));
    assert.ok(kept.some((t) => t.values.some((v) => v !== 0)), 'the batches hold images');
  });
});
