import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/ops/index';
import { scope, unwatched, watchTensors } from '../../src/tensor/engine';
import type { Tensor } from '../../src/tensor/tensor';
import { TensorAdapter } from '../../src/training/data_adapter';

// unwatched(): tensors a caller frees itself (fit's batches) stay out of the collector's registry;
// whatever else the function made is handled as anywhere else.

const watched = (t: Tensor) => (t as unknown as { storage: { watched: boolean } }).storage.watched;

describe('unwatched', () => {
  it('leaves the returned tensors unwatched and watches the others', () => {
    let temp: Tensor | null = null;
    const r = unwatched(() => {
      temp = ops.fill([4], 1);
      return { x: ops.fill([3], 2), y: [ops.fill([2], 3)] };
    });
    assert.equal(watched(r.x), false);
    assert.equal(watched(r.y[0]), false);
    assert.equal(watched(temp!), true);
    watchTensors(r);
    assert.equal(watched(r.x), true);
    assert.equal(watched(r.y[0]), true);
  });

  it('inside a scope, the others join it and are disposed at its end', () => {
    let temp: Tensor | null = null;
    let kept: Tensor | null = null;
    scope(() => {
      kept = unwatched(() => {
        temp = ops.fill([4], 1);
        return ops.fill([3], 2);
      });
    });
    assert.equal(temp!.isDisposed, true);
    assert.equal(kept!.isDisposed, false);
    kept!.dispose();
  });

  it('watches everything it made when the function throws', () => {
    let temp: Tensor | null = null;
    assert.throws(() => unwatched(() => {
      temp = ops.fill([4], 1);
      throw new Error('boom');
    }), /boom/);
    assert.equal(watched(temp!), true);
  });

  it("fit's tensor batches are unwatched and freed by release()", () => {
    const x = ops.fill([10, 3], 1);
    const y = ops.fill([10, 2], 0);
    const a = new TensorAdapter(x, y, 4, true);
    a.beginRun();
    a.beginEpoch();
    const b = a.next()!;
    assert.equal(watched(b.x), false);
    assert.equal(watched(b.y!), false);
    a.release(b);
    assert.equal(b.x.isDisposed, true);
    assert.equal(b.y!.isDisposed, true);
  });
});
