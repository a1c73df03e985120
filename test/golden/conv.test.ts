import { describe, it } from 'node:test';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { layers } from '../../src/layers/index';
import type { Layer } from '../../src/layers/layer';
import { assertAllClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for Conv2D and DepthwiseConv2D (test/fixtures/conv2d.json, depthwise_conv2d.json,
// made with PyTorch in float64): forward y and the gradients of sum(y * dy).

interface ConvCase {
  name: string;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilation_rate?: [number, number];
  depth_multiplier?: number;
  use_bias: boolean;
  x: FixtureArray; kernel: FixtureArray; bias: FixtureArray | null;
  dy: FixtureArray; y: FixtureArray; dx: FixtureArray; dkernel: FixtureArray; dbias: FixtureArray | null;
}

const conv = loadFixture<{ cases: ConvCase[] }>('conv2d').cases;
const depthwise = loadFixture<{ cases: ConvCase[] }>('depthwise_conv2d').cases;

/** Inputs as gradient sources (fresh tensors on the active backend). */
function sources(c: ConvCase): { x: Tensor; k: Tensor; b: Tensor | null } {
  const x = toTensor(c.x, 'x');
  const k = toTensor(c.kernel, 'kernel');
  const b = c.bias ? toTensor(c.bias, 'bias') : null;
  for (const t of [x, k, b]) if (t) t.requiresGrad = true;
  return { x, k, b };
}

/** Checks y and d(sum(y*G))/d[x, kernel, bias] against the case. */
function check(c: ConvCase, y: Tensor, x: Tensor, k: Tensor, b: Tensor | null, label: string): void {
  assertAllClose(y, c.y, `${label} y`);
  const G = toTensor(c.dy, 'dy');
  const [dx, dk, db] = gradients(ops.sum(ops.mul(y, G)), b ? [x, k, b] : [x, k]);
  assertAllClose(dx, c.dx, `${label} dx`);
  assertAllClose(dk, c.dkernel, `${label} dkernel`);
  if (c.dbias) assertAllClose(db, c.dbias, `${label} dbias`);
}

function opCase(c: ConvCase, depthwiseConv: boolean): void {
  const { x, k, b } = sources(c);
  const y = ops.conv2d(x, k, b, c.strides, c.padding, c.dilation_rate ?? [1, 1], depthwiseConv);
  check(c, y, x, k, b, `${c.name} (ops.conv2d${depthwiseConv ? ', depthwise' : ''})`);
}

/** Builds the layer for x's shape, loads the fixture's weights, and checks it like the op. */
function layerCase(c: ConvCase, layer: Layer): void {
  const x = toTensor(c.x, 'x');
  x.requiresGrad = true;
  layer.build([null, ...x.shape.slice(1)]);
  layer.setWeights(c.bias ? [toTensor(c.kernel), toTensor(c.bias)] : [toTensor(c.kernel)]);
  const y = layer.invoke(x);
  const [k, b] = layer.weights;
  check(c, y, x, k, b ?? null, `${c.name} (${layer.className} layer)`);
}

for (const kind of kernelBackends()) {
  describe(`golden conv2d [${backendLabel(kind)}]`, () => {
    for (const c of conv) {
      it(`${c.name}: ops.conv2d`, () => onBackend(kind, () => opCase(c, false)));
      it(`${c.name}: Conv2D layer`, () => onBackend(kind, () => layerCase(c, layers.conv2d({
        filters: c.kernel.shape[3], kernelSize: c.kernel.shape.slice(0, 2), strides: c.strides, padding: c.padding,
        dilationRate: c.dilation_rate, useBias: c.use_bias,
      }))));
    }
  });

  describe(`golden depthwise conv2d [${backendLabel(kind)}]`, () => {
    for (const c of depthwise) {
      it(`${c.name}: ops.conv2d(depthwise)`, () => onBackend(kind, () => opCase(c, true)));
      it(`${c.name}: DepthwiseConv2D layer`, () => onBackend(kind, () => layerCase(c, layers.depthwiseConv2d({
        kernelSize: c.kernel.shape.slice(0, 2), depthMultiplier: c.depth_multiplier, strides: c.strides,
        padding: c.padding, useBias: c.use_bias,
      }))));
    }
  });
}
