import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { randomTensor } from '../helpers/gradcheck';

// Every way of calling a layer first builds it through one function (layers/build.ts):
// same shapes recorded, same marks, same error for a shape the layer cannot take.

const conv = (name: string) => tt.layers.conv2d({ filters: 2, kernelSize: 3, name });

describe('one build path for layers', () => {
  it('invoke, eager apply, symbolic apply and Sequential.add record the same build shape', () => {
    const a = tt.layers.dense({ units: 2 });
    const b = tt.layers.dense({ units: 2 });
    const c = tt.layers.dense({ units: 2 });
    const d = tt.layers.dense({ units: 2 });
    a.invoke(randomTensor([5, 3], 1));
    b.apply(randomTensor([4, 3], 1));
    c.apply(tt.input({ shape: [3] }));
    tt.sequential([tt.input({ shape: [3] }), d]);
    for (const l of [a, b, c, d]) {
      assert.equal(l.built, true, l.name);
      assert.deepEqual(l.buildInputShape, [null, 3], l.name);
      assert.deepEqual(l.weights.map((w) => w.shape), [[3, 2], [2]], l.name);
    }
  });

  it('a multi-input layer called eagerly on a list is built for every input, as on symbolic tensors', () => {
    const eager = tt.layers.concatenate();
    eager.invoke([randomTensor([2, 3], 1), randomTensor([2, 5], 1)]);
    const symbolic = tt.layers.concatenate();
    symbolic.apply([tt.input({ shape: [3] }), tt.input({ shape: [5] })]);
    assert.deepEqual(eager.buildInputShape, [[null, 3], [null, 5]]);
    assert.deepEqual(symbolic.buildInputShape, eager.buildInputShape);
  });

  it('a shape the layer cannot take fails the same way on every path, and leaves it unbuilt', () => {
    const why = /layer 'c\d' \(Conv2D\) cannot be applied to input of shape \(None, 5\): .*expects inputs of shape \(batch, height, width, channels\)/;
    const c1 = conv('c1');
    assert.throws(() => c1.invoke(randomTensor([2, 5], 1)), (e: Error) => e instanceof tt.ShapeError && why.test(e.message));
    const c2 = conv('c2');
    assert.throws(() => c2.apply(randomTensor([2, 5], 1)), (e: Error) => e instanceof tt.ShapeError && why.test(e.message));
    const c3 = conv('c3');
    assert.throws(() => c3.apply(tt.input({ shape: [5] })), (e: Error) => e instanceof tt.ShapeError && why.test(e.message));
    const c4 = conv('c4');
    assert.throws(() => tt.sequential([tt.input({ shape: [5] }), c4]),
      (e: Error) => e instanceof tt.ShapeError && /^cannot add layer 'c4' \(Conv2D\) after output shape \(None, 5\): /.test(e.message) && why.test(e.message));
    for (const l of [c1, c2, c3, c4]) {
      assert.equal(l.built, false, l.name);
      assert.equal(l.buildInputShape, null, l.name);
    }
  });
});
