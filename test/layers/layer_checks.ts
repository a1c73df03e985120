import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor';
import { gradients } from '../../src/autograd/tape';
import { fromValues, mul, sum } from '../../src/ops/index';
import { deserializeLayer, serializeLayer } from '../../src/layers/index';
import type { Layer } from '../../src/layers/layer';
import { Rng } from '../../src/util/rng';
import { assertClose } from '../helpers/assert';

export { layerGradCheck } from '../helpers/gradcheck';

// Checks shared by the layer tests: golden fixtures, config round trips, gradient checks that
// include the layer's own weights.

export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** A fixture file from test/fixtures (the tests run from dist/test/layers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', name), 'utf8'));
}

export function toTensor(a: FixtureArray): Tensor {
  return fromValues(a.data, a.shape.slice());
}

function asList(x: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(x) ? x : [x];
}

function sourcesOf(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
  const srcs = asList(inputs).map((t) => {
    const v = t.view(t.shape.slice());
    v.requiresGrad = true;
    return v;
  });
  return Array.isArray(inputs) ? srcs : srcs[0];
}

/**
 * Runs the layer on inputs with cotangent dy and returns y and d(sum(y*dy)) for each input and
 * each trainable weight, in that order.
 */
export function forwardBackward(layer: Layer, inputs: Tensor | Tensor[], dy: Tensor, training = false): { y: Tensor; grads: Tensor[] } {
  const srcs = sourcesOf(inputs);
  const y = layer.invoke(srcs, training);
  const g = gradients(sum(mul(y, dy)), [...asList(srcs), ...layer.trainableWeights]);
  return { y, grads: g.map((t, i) => { assert.ok(t, `no gradient for source ${i}`); return t!; }) };
}

/** Compares a layer's output and gradients with golden values (rtol/atol ~1e-4). */
export function checkGolden(layer: Layer, inputs: Tensor | Tensor[], dy: Tensor, expected: { y: FixtureArray; grads: FixtureArray[] },
  training = false, tol = 1e-4): void {
  const { y, grads } = forwardBackward(layer, inputs, dy, training);
  assert.deepEqual(y.shape, expected.y.shape, 'output shape');
  assertClose(y.values, expected.y.data, tol, 'y');
  expected.grads.forEach((e, i) => {
    assert.deepEqual(grads[i].shape, e.shape, `gradient ${i} shape`);
    assertClose(grads[i].values, e.data, tol, `gradient ${i}`);
  });
}

/**
 * getConfig → JSON → deserializeLayer gives the same config, and with the same weights the copy
 * computes the same outputs.
 */
export function checkRoundTrip(layer: Layer, inputs: Tensor | Tensor[]): Layer {
  const y1 = layer.invoke(inputs, false);
  const spec = JSON.parse(JSON.stringify(serializeLayer(layer)));
  const copy = deserializeLayer(spec);
  assert.equal(copy.className, layer.className);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  copy.invoke(inputs, false);
  copy.setWeights(layer.getWeights());
  assert.deepEqual(copy.weights.map((w) => w.name.split('/').pop()), layer.weights.map((w) => w.name.split('/').pop()));
  const y2 = copy.invoke(inputs, false);
  assert.deepEqual(y2.shape, y1.shape);
  assertClose(y2.values, y1.values, 1e-6, 'round-trip output');
  return copy;
}
