import { describe, it } from 'node:test';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import assert from 'node:assert/strict';
import { getActivation, kerasActivationName, normalizeActivationName } from '../../src/activations/index';
import { ValueError } from '../../src/util/errors';
import { assertAllClose } from '../helpers/assert';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for every activation by its Keras name (activations.json), looked up with
// getActivation as a layer's `activation` option is: y and d(sum(y*dy))/dx.

interface ActCase { name: string; note: string; x: FixtureArray; dy: FixtureArray; y: FixtureArray; dx: FixtureArray }

const cases = loadFixture<{ cases: ActCase[] }>('activations').cases;

describe('golden activations', () => {
  for (const c of cases) {
    it(c.note ? `${c.name} (${c.note})` : c.name, () => {
      const f = getActivation(c.name);
      const x = toTensor(c.x, 'x');
      x.requiresGrad = true;
      const y = f(x);
      assertAllClose(y, c.y, `${c.name} y`);
      const [dx] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [x]);
      assertAllClose(dx, c.dx, `${c.name} dx`);
    });
  }
});

describe('activation names', () => {
  it('aliases resolve to one canonical name, which Keras files get in snake_case', () => {
    for (const [name, canonical, keras] of [
      ['hard_swish', 'hardSilu', 'hard_silu'], ['hardSilu', 'hardSilu', 'hard_silu'], ['mish', 'mish', 'mish'],
      ['gelu_new', 'geluNew', 'gelu_new'], ['gelu_approximate', 'geluNew', 'gelu_new'], ['gelu', 'gelu', 'gelu'],
    ]) {
      assert.equal(normalizeActivationName(name), canonical, name);
      assert.equal(kerasActivationName(normalizeActivationName(name)), keras, name);
    }
    assert.equal(getActivation('hard_swish'), getActivation('hard_silu'));
    assert.equal(getActivation('gelu_approximate'), getActivation('gelu_new'));
    assert.notEqual(getActivation('gelu'), getActivation('gelu_new'));
  });
  it('an unknown name throws a ValueError listing the known ones', () => {
    assert.throws(() => getActivation('swishy'), (e: Error) => e instanceof ValueError && /unknown activation 'swishy'.*hardSilu/.test(e.message));
  });
});
