import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { assertClose } from '../helpers/assert';
import { randomTensor } from '../helpers/gradcheck';

/** A small separable problem: class = argmax of the first 3 features. */
function toyData(n: number): { x: tt.Tensor; y: tt.Tensor } {
  tt.setSeed(7);
  const x = randomTensor([n, 4], 1);
  const y = tt.zeros([n, 3]);
  for (let i = 0; i < n; i++) {
    const row = [0, 1, 2].map((j) => x.values[i * 4 + j]);
    y.values[i * 3 + row.indexOf(Math.max(...row))] = 1;
  }
  return { x, y };
}

function functionalMlp(): tt.LayersModel {
  const x = tt.input({ shape: [4] });
  const h = tt.layers.dense({ units: 8, activation: 'relu' }).apply(x);
  const y = tt.layers.dense({ units: 3, activation: 'softmax' }).apply(h);
  return tt.model({ inputs: x, outputs: y });
}

describe('functional API', () => {
  it('tt.input and layer.apply build symbolic tensors with shapes, names and producers', () => {
    const x = tt.input({ shape: [28, 28, 1], name: 'pixels' });
    assert.ok(x instanceof tt.SymbolicTensor);
    assert.deepEqual(x.shape, [null, 28, 28, 1]);
    assert.equal(x.dtype, 'float32');
    assert.equal(x.name, 'pixels');
    assert.equal(x.sourceLayer.className, 'InputLayer');
    const conv = tt.layers.conv2d({ filters: 4, kernelSize: 3 });
    const y = conv.apply(x);
    assert.deepEqual(y.shape, [null, 26, 26, 4]);
    assert.equal(y.sourceLayer, conv);
    assert.deepEqual(y.node.inboundLayers, [x.sourceLayer]);
    assert.equal(conv.output, y);
    assert.equal(conv.input, x);
    assert.deepEqual(conv.outputShape, [null, 26, 26, 4]);
    assert.equal(x.sourceLayer.output, x);
    assert.deepEqual(tt.input({ shape: [3], batchSize: 8 }).shape, [8, 3]);
  });

  it('layer.apply on a real tensor computes eagerly', () => {
    const d = tt.layers.dense({ units: 2, kernelInitializer: 'ones' });
    const y = d.apply(tt.tensor([[1, 2, 3]]));
    assert.ok(y instanceof tt.Tensor);
    assert.deepEqual(Array.from(y.values), [6, 6]);
    assert.equal(d.inboundNodes.length, 0, 'eager calls record no node');
  });

  it('a functional MLP trains and matches a Sequential with the same weights', async () => {
    const { x, y } = toyData(64);
    const f = functionalMlp();
    assert.deepEqual(f.layers.map((l) => l.className), ['InputLayer', 'Dense', 'Dense']);
    const s = tt.sequential([tt.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), tt.layers.dense({ units: 3, activation: 'softmax' })]);
    s.setWeights(f.getWeights());
    assertClose(f.predict(x) as tt.Tensor, s.predict(x), 1e-6, 'predict before fit');
    for (const m of [f, s]) m.compile({ optimizer: tt.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const hf = await f.fit(x, y, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
    const hs = await s.fit(x, y, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
    assert.ok(hf.history.loss[4] < hf.history.loss[0], `loss falls: ${hf.history.loss}`);
    hf.history.loss.forEach((l, i) => assert.ok(Math.abs(l - hs.history.loss[i]) < 1e-5, `epoch ${i}: ${l} vs ${hs.history.loss[i]}`));
    f.getWeights().forEach((w, i) => assertClose(w, s.getWeights()[i], 1e-5, `weight ${i}`));
    const ev = await f.evaluate(x, y, { verbose: 0 }) as number[];
    assert.equal(ev.length, 2);
  });

  it('several outputs: predict returns one tensor per output, computed with shared layers', () => {
    const x = tt.input({ shape: [4] });
    const trunk = tt.layers.dense({ units: 6, activation: 'relu' });
    const h = trunk.apply(x);
    const a = tt.layers.dense({ units: 3, name: 'head_a' }).apply(h);
    const b = tt.layers.dense({ units: 2, name: 'head_b' }).apply(h);
    const m = tt.model({ inputs: x, outputs: [a, b] });
    const data = randomTensor([5, 4], 1);
    const out = m.predict(data, { batchSize: 2 }) as tt.Tensor[];
    assert.equal(out.length, 2);
    assert.deepEqual(out.map((t) => t.shape), [[5, 3], [5, 2]]);
    const hEager = trunk.apply(data);
    assertClose(out[0], m.getLayer('head_a').apply(hEager), 1e-6, 'head_a');
    assertClose(out[1], m.getLayer('head_b').apply(hEager), 1e-6, 'head_b');
    assert.equal((m.output as tt.SymbolicTensor[]).length, 2);
    assert.deepEqual(m.outputNames, ['head_a', 'head_b']);
    assert.throws(() => m.forward(data, false), /fit and evaluate support one/);
  });

  it('several inputs: concatenate receives an array, predict takes an array', () => {
    const a = tt.input({ shape: [3], name: 'left' });
    const b = tt.input({ shape: [2], name: 'right' });
    const cat = tt.layers.concatenate().apply([a, b]);
    assert.deepEqual(cat.shape, [null, 5]);
    const out = tt.layers.dense({ units: 1, kernelInitializer: 'ones' }).apply(cat);
    const m = tt.model({ inputs: [a, b], outputs: out });
    assert.deepEqual(m.inputNames, ['left', 'right']);
    const y = m.predict([tt.tensor([[1, 2, 3]]), tt.tensor([[10, 20]])]) as tt.Tensor;
    assert.deepEqual(Array.from(y.values), [36]);
    assert.throws(() => m.predict(tt.tensor([[1, 2, 3]])), /has 2 inputs, predict got 1/);
  });

  it('getLayer by name and index, layers in Keras order, weights and counts', () => {
    const m = functionalMlp();
    assert.equal(m.getLayer(0).className, 'InputLayer');
    assert.equal(m.getLayer(m.layers[2].name), m.layers[2]);
    assert.equal(m.getLayer(undefined, 1), m.layers[1]);
    assert.throws(() => m.getLayer('nope'), /no layer named 'nope'/);
    assert.throws(() => m.getLayer(9), /no layer at index 9 \(the model has 3 layers\)/);
    assert.equal(m.countParams(), 4 * 8 + 8 + 8 * 3 + 3);
    assert.equal(m.weights.length, 4);
    assert.equal(m.trainableWeights.length, 4);
    assert.equal(m.weights[0], m.layers[1].weights[0], 'the model holds the layers\' own Variables');
  });

  it('config round trip: same structure and, with the same weights, the same outputs', () => {
    const x = tt.input({ shape: [6, 6, 2], name: 'img' });
    const c = tt.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', name: 'c1' }).apply(x);
    const f = tt.layers.flatten({ name: 'flat' }).apply(c);
    const shared = tt.layers.dense({ units: 4, name: 'shared' });
    const s1 = shared.apply(f);
    const p = tt.layers.dense({ units: 4, name: 'proj' }).apply(s1);
    const s2 = shared.apply(tt.layers.dense({ units: 48, name: 'back' }).apply(p));
    const m = tt.model({ inputs: x, outputs: [s1, s2], name: 'round_trip' });
    const cfg = JSON.parse(JSON.stringify(m.getConfig()));
    assert.deepEqual(cfg.inputLayers, [['img', 0, 0]]);
    assert.deepEqual(cfg.outputLayers, [['shared', 0, 0], ['shared', 1, 0]]);
    const sharedCfg = cfg.layers.find((l: { name: string }) => l.name === 'shared');
    assert.deepEqual(sharedCfg.inboundNodes, [[['flat', 0, 0, {}]], [['back', 0, 0, {}]]]);
    const m2 = tt.Model.fromConfig(cfg);
    assert.deepEqual(m2.getConfig(), m.getConfig());
    m2.setWeights(m.getWeights());
    const data = randomTensor([2, 6, 6, 2], 1);
    const [a, b] = m.predict(data) as tt.Tensor[];
    const [a2, b2] = m2.predict(data) as tt.Tensor[];
    assertClose(a2, a, 1e-6, 'output 0');
    assertClose(b2, b, 1e-6, 'output 1');
    assert.equal(m2.summaryText(), m.summaryText());
  });

  it('layer.output is ambiguous after several calls, as in Keras', () => {
    const d = tt.layers.dense({ units: 2, name: 'twice' });
    assert.throws(() => d.output, /layer 'twice' has never been called and thus has no defined output/);
    const y1 = d.apply(tt.input({ shape: [3] }));
    d.apply(tt.input({ shape: [3] }));
    assert.throws(() => d.output, /layer 'twice' has multiple inbound nodes .* use getOutputAt\(nodeIndex\)/);
    assert.equal(d.getOutputAt(0), y1);
    assert.deepEqual(d.outputShape, [null, 2], 'the same output shape for every call');
  });

  it('clear errors: incompatible shapes name the layer and the shapes', () => {
    const d = tt.layers.dense({ units: 2, name: 'fc' });
    d.apply(tt.input({ shape: [8] }));
    assert.throws(() => d.apply(tt.input({ shape: [5] })),
      /Input 0 of layer 'fc' \(Dense\) is incompatible with the layer: expected axis -1 of input shape to have value 8, but received input with shape \(None, 5\)/);
    const pool = tt.layers.maxPooling2d({ poolSize: 2, name: 'pool' });
    assert.throws(() => pool.apply(tt.input({ shape: [1, 1, 3] })),
      /layer 'pool' \(MaxPooling2D\) cannot be applied to input of shape \(None, 1, 1, 3\): its output shape would be \(None, 0, 0, 3\)/);
    const conv = tt.layers.conv2d({ filters: 2, kernelSize: 3, name: 'cv' });
    assert.throws(() => conv.apply(tt.input({ shape: [10] })), /layer 'cv' \(Conv2D\) cannot be applied to input of shape \(None, 10\)/);
    assert.throws(() => d.apply([tt.input({ shape: [8] }), tt.tensor([[1]])] as never), /mix of symbolic and real tensors/);
  });

  it('clear errors: outputs not reachable from the inputs, bad inputs and outputs', () => {
    const a = tt.input({ shape: [3], name: 'a' });
    const b = tt.input({ shape: [3], name: 'b' });
    const y = tt.layers.dense({ units: 2, name: 'from_b' }).apply(b);
    assert.throws(() => tt.model({ inputs: a, outputs: y }),
      /Graph disconnected: cannot find parent for tensor b .* at layer 'from_b' \(Dense\): it comes from input layer 'b', which is not among the model's inputs \('a'\)/);
    assert.throws(() => tt.model({ inputs: y, outputs: y }), /inputs\[0\] is the output of layer 'from_b' \(Dense\); inputs must be made by tt.input\(\)/);
    assert.throws(() => tt.model({ inputs: a, outputs: tt.zeros([1, 2]) as never }), /outputs\[0\] must be a symbolic tensor/);
    const m = tt.model({ inputs: b, outputs: y });
    assert.throws(() => m.predict(tt.zeros([2, 4])), /model 'functional(_\d+)?' expects input 'b' of shape \(None, 3\), got \(2, 4\)/);
  });

  it('an input that no output uses still belongs to the model, as in Keras', () => {
    const a = tt.input({ shape: [2], name: 'unused' });
    const b = tt.input({ shape: [3], name: 'used' });
    const y = tt.layers.dense({ units: 1, name: 'd' }).apply(b);
    const m = tt.model({ inputs: [a, b], outputs: y });
    assert.deepEqual(m.layers.map((l) => l.name), ['used', 'unused', 'd'], 'Keras 3.15 lists the same order');
    const out = m.predict([tt.zeros([1, 2]), tt.ones([1, 3])]) as tt.Tensor;
    assert.deepEqual(out.shape, [1, 1]);
  });
});
