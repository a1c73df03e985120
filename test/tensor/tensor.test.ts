import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';

describe('Tensor', () => {
  it('creation, dtypes and accessors', () => {
    const t = tt.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.arraySync(), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(Array.from(tt.tensor([1, 2, 3, 4], [2, 2], 'int32').dataSync()), [1, 2, 3, 4]);
    assert.ok(tt.tensor(new Int32Array([1, 2])).dtype === 'int32');
    assert.deepEqual(tt.zeros([2]).arraySync(), [0, 0]);
    assert.deepEqual(tt.ones([1, 2]).arraySync(), [[1, 1]]);
    assert.equal(tt.scalar(3).rank, 0);
    assert.throws(() => tt.tensor([1, 2, 3], [2, 2]), /3 values do not fill shape \(2, 2\)/);
  });

  it('tfjs-style chained methods', () => {
    const u8 = tt.tensor([0, 51, 255, 102], [2, 2], 'uint8');
    const f = u8.reshape([-1, 2, 1]).cast('float32').div(255);
    assert.deepEqual(f.shape, [2, 2, 1]);
    assert.ok(Math.abs((f.dataSync()[1] as number) - 0.2) < 1e-7);
    const a = tt.tensor([[1, 2], [3, 4]]);
    assert.deepEqual(a.add(tt.tensor([10, 20])).arraySync(), [[11, 22], [13, 24]]);
    assert.deepEqual(a.sub(1).mul(2).arraySync(), [[0, 2], [4, 6]]);
    assert.deepEqual(a.matMul(a).arraySync(), [[7, 10], [15, 22]]);
    assert.deepEqual(a.sum().arraySync(), 10);
    assert.deepEqual(a.mean(0).arraySync(), [2, 3]);
    assert.deepEqual(a.max(1).arraySync(), [2, 4]);
    assert.deepEqual(a.min().arraySync(), 1);
    assert.deepEqual(a.argMax(-1).arraySync(), [1, 1]);
    assert.deepEqual(a.slice([1, 0], [1, 2]).arraySync(), [[3, 4]]);
    assert.deepEqual(a.gather([1, 0]).arraySync(), [[3, 4], [1, 2]]);
    assert.deepEqual(a.concat(a, 1).shape, [2, 4]);
    assert.deepEqual(tt.tensor([2, 0], [2], 'int32').oneHot(3).arraySync(), [[0, 0, 1], [1, 0, 0]]);
    assert.deepEqual(a.transpose().arraySync(), [[1, 3], [2, 4]]);
  });

  it('toString as tfjs prints', () => {
    assert.equal(tt.tensor([[1, 2], [3, 4]]).toString(), 'Tensor\n    [[1, 2],\n     [3, 4]]');
    assert.match(tt.tensor([1.5]).toString(true), /dtype: float32\n {2}rank: 1\n {2}shape: \[1\]/);
  });

  it('broadcasting errors name the shapes', () => {
    assert.throws(() => tt.add(tt.zeros([2, 3]), tt.zeros([4])), /shapes \(2, 3\) and \(4,\) cannot be broadcast/);
    assert.throws(() => tt.matMul(tt.zeros([2, 3]), tt.zeros([4, 2])), /Error in matMul: inner shapes \(3\) and \(4\) of Tensors with shapes 2,3 and 4,2/);
  });

  it('grad and scopes', () => {
    const g = tt.grad((x) => x.square().sum())(tt.tensor([1, 2, 3]));
    assert.deepEqual(g.arraySync(), [2, 4, 6]);
    let inner: tt.Tensor | null = null;
    const kept = tt.tidy(() => {
      inner = tt.ones([3]).mul(2);
      return inner.add(1);
    });
    assert.ok(inner!.isDisposed);
    assert.deepEqual(kept.arraySync(), [3, 3, 3]);
  });
});
