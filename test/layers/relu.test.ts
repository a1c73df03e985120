import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromValues } from '../../src/ops/index';
import { layers } from '../../src/layers/index';
import { assertClose } from '../helpers/assert';
import { checkRoundTrip, layerGradCheck } from './layer_checks';

/** Values spread over [lo, hi] that keep `gap` away from each kink, so finite differences are smooth there. */
function awayFrom(kinks: number[], lo: number, hi: number, n: number, gap = 0.05): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = lo + ((hi - lo) * (i * 7 % n + 0.5)) / n;
    for (const k of kinks) if (Math.abs(v - k) < gap) v = k + (v < k ? -gap : gap);
    out.push(v);
  }
  return out;
}

describe('ReLU layer', () => {
  it("matches Keras's formula (its docstring example and a thresholded case)", () => {
    const keras = layers.reLU({ maxValue: 10, negativeSlope: 0.5, threshold: 0 });
    assertClose(keras.invoke(fromValues([-10, -5, 0, 5, 10], [5])).values, [-5, -2.5, 0, 5, 10], 1e-7);
    // x <= threshold: slope*(x - threshold) (0 at the threshold itself, as Keras computes it); above: x, clipped
    const t = layers.reLU({ maxValue: 4, negativeSlope: 0.1, threshold: 1 });
    assertClose(t.invoke(fromValues([-1, 0.5, 1, 2, 5], [5])).values, [-0.2, -0.05, 0, 2, 4], 1e-6);
    const plain = layers.reLU();
    assertClose(plain.invoke(fromValues([-3, 0, 2.5, 700], [4])).values, [0, 0, 2.5, 700], 1e-7);
    const six = layers.reLU({ maxValue: 6 });
    assertClose(six.invoke(fromValues([-3, 0.5, 5.9, 6.1, 100], [5])).values, [0, 0.5, 5.9, 6, 6], 1e-6);
    const capped = layers.reLU({ maxValue: 2.5 });
    assertClose(capped.invoke(fromValues([-3, 0.5, 2.4, 3], [4])).values, [0, 0.5, 2.4, 2.5], 1e-6);
    const leaky = layers.reLU({ negativeSlope: 0.3 });
    assertClose(leaky.invoke(fromValues([-2, 3], [2])).values, [-0.6, 3], 1e-6);
  });

  it('gradient check for each branch', () => {
    const cases: [Parameters<typeof layers.reLU>[0], number[]][] = [
      [{}, [0]],
      [{ maxValue: 6 }, [0, 6]],
      [{ maxValue: 2 }, [0, 2]],
      [{ negativeSlope: 0.2 }, [0]],
      [{ maxValue: 3, negativeSlope: 0.25, threshold: 1 }, [1, 3]],
    ];
    for (const [args, kinks] of cases) {
      const x = fromValues(awayFrom(kinks, -4, 8, 24), [2, 3, 4]);
      layerGradCheck(layers.reLU(args), x);
    }
  });

  it('output shape and config round trip', () => {
    const layer = layers.reLU({ maxValue: 6, name: 'Conv1_relu' });
    assert.deepEqual(layer.computeOutputShape([null, 7, 7, 3]), [null, 7, 7, 3]);
    assert.deepEqual(layer.getConfig(), { name: 'Conv1_relu', trainable: true, maxValue: 6, negativeSlope: 0, threshold: 0 });
    checkRoundTrip(layer, fromValues(awayFrom([0, 6], -3, 9, 12), [1, 2, 2, 3]));
    checkRoundTrip(layers.reLU({ negativeSlope: 0.1, threshold: 0.5 }), fromValues([-1, 0, 1, 2], [2, 2]));
    assert.equal(layers.reLU().getConfig().maxValue, null);
  });

  it('rejects negative or missing bounds as Keras does', () => {
    assert.throws(() => layers.reLU({ maxValue: -1 }), /reLU: maxValue must be a number >= 0, got -1/);
    assert.throws(() => layers.reLU({ negativeSlope: -0.1 }), /reLU: negativeSlope must be a number >= 0/);
    assert.throws(() => layers.reLU({ threshold: null as never }), /reLU: threshold must be a number >= 0, got null/);
    assert.throws(() => layers.reLU({ max_value: 6 } as never), /ReLU: unknown option 'max_value'/);
  });
});
