import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tt from '../../src/index';
import * as vizEntry from '../../src/viz/index';
import * as modelAware from '../../src/viz/model';
import { TITLE_COLOR, WRONG_COLOR, formatProbability } from '../../src/viz/index';
import { decode, decodeHref, gridImages, gridTexts, pixel } from './helpers';

// The model-aware tt.viz functions, on models whose outputs are known by construction.

/** N 2x2 one-channel images; image i lights pixel i % 4 with 1. */
function onePixelImages(n: number): tt.Tensor {
  const x = tt.Tensor.empty([n, 2, 2, 1]);
  for (let i = 0; i < n; i++) x.values[i * 4 + (i % 4)] = 1;
  return x;
}

/**
 * flatten → dense(3, softmax) with kernel[p][p % 3] = 2: an image lighting pixel p gets logits
 * (2 at class p % 3, 0 elsewhere), so probability e²/(e² + 2) for class p % 3.
 */
function knownClassifier(): tt.Sequential {
  const model = tt.sequential([tt.layers.flatten({ inputShape: [2, 2, 1] }), tt.layers.dense({ units: 3, activation: 'softmax' })]);
  const kernel = tt.Tensor.empty([4, 3]);
  for (let p = 0; p < 4; p++) kernel.values[p * 3 + (p % 3)] = 2;
  model.layers[1].setWeights([kernel, tt.Tensor.empty([3])]);
  return model;
}

const P_TOP = Math.exp(2) / (Math.exp(2) + 2);

describe('tt.viz with models', () => {
  it('is the public namespace, model-aware and still taking plain data', async () => {
    for (const f of ['plotFilters', 'plotFeatureMaps', 'plotPredictions', 'plotMisclassified', 'plotConfusionMatrix', 'plotSamples', 'plotHistory', 'buildReport', 'saveReport']) {
      assert.equal(typeof (tt.viz as Record<string, unknown>)[f], 'function', f);
    }
    // one entry point: src/viz/index is tt.viz, and its plot functions are the model-aware forms
    assert.equal(tt.viz, vizEntry);
    assert.equal(tt.viz.plotFilters, modelAware.plotFilters);
    const img = await tt.viz.plotFilters({ data: new Float32Array(9 * 4).map((_, i) => i), shape: [3, 3, 1, 4] });
    assert.equal(gridImages(img.svg!).length, 4);
  });

  it('titles a prediction grid with the model\'s class and probability, mistakes in red', async () => {
    const model = knownClassifier();
    const x = onePixelImages(8);
    const predicted = [0, 1, 2, 0, 0, 1, 2, 0];
    const labels = [0, 1, 2, 0, 1, 1, 0, 0]; // images 4 and 6 are wrong
    const img = await tt.viz.plotPredictions(model, x, labels, { classNames: ['cat', 'dog', 'owl'], count: 7 });
    decode(img);
    const texts = gridTexts(img.svg!);
    assert.equal(texts.length, 14, 'two lines for each of 7 images');
    const names = ['cat', 'dog', 'owl'];
    for (let i = 0; i < 7; i++) {
      const [head, truth] = [texts[2 * i], texts[2 * i + 1]];
      assert.equal(head.text, `${names[predicted[i]]} (${formatProbability(P_TOP)})`);
      assert.equal(truth.text, `true: ${names[labels[i]]}`);
      const color = predicted[i] === labels[i] ? TITLE_COLOR : WRONG_COLOR;
      assert.equal(head.fill, color, `image ${i}`);
      assert.equal(truth.fill, color);
    }
    const mis = await tt.viz.plotMisclassified(model, x, labels, { classNames: names });
    assert.deepEqual(gridTexts(mis.svg!).map((t) => t.text).slice(1), ['cat (78.7%)', 'true: dog', 'owl (78.7%)', 'true: cat']);
  });

  it('counts a confusion matrix from the model\'s predictions', async () => {
    const model = knownClassifier();
    const img = await tt.viz.plotConfusionMatrix(model, onePixelImages(8), [0, 1, 2, 0, 1, 1, 0, 0], { numClasses: 3 });
    decode(img);
    // the chart's cells carry the counts as text: 4 right as 0, one 1 → 0, ...
    const counts = tt.viz.confusionMatrix([0, 1, 2, 0, 1, 1, 0, 0], [0, 1, 2, 0, 0, 1, 2, 0], 3);
    assert.deepEqual(counts, [[3, 0, 1], [1, 2, 0], [0, 0, 1]]);
    for (const n of ['3', '2', '1']) assert.ok(img.svg!.includes(`>${n}</text>`), `count ${n} drawn`);
  });

  it('draws a conv layer\'s filters read from the model, by name or index', async () => {
    const model = tt.sequential([tt.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [5, 5, 2], name: 'edges' })]);
    const kernel = tt.Tensor.empty([3, 3, 2, 4]);
    for (let f = 0; f < 4; f++) kernel.values[((f % 3) * 3 * 2 + 1) * 4 + f] = 1 + f; // channel 1: weight at (row f%3, col 0)
    model.layers[0].setWeights([kernel, tt.Tensor.empty([4])]);
    const img = await tt.viz.plotFilters(model, 'edges', { channel: 1 });
    assert.equal(gridTexts(img.svg!)[0].text, 'edges: 4 filters 3x3, input channel 1');
    const tiles = gridImages(img.svg!).map((t) => decodeHref(t.href));
    assert.equal(tiles.length, 4);
    tiles.forEach((png, f) => {
      const k = png.width / 3;
      assert.deepEqual(pixel(png, 0, (f % 3) * k).slice(0, 3), [255, 255, 255], `filter ${f}: its one weight is white`);
      assert.deepEqual(pixel(png, png.width - 1, ((f + 1) % 3) * k).slice(0, 3), [0, 0, 0]);
    });
    const byIndex = await tt.viz.plotFilters(model, 0, { channel: 1 });
    assert.equal(byIndex.svg, img.svg);
    await assert.rejects(tt.viz.plotFilters(knownClassifier(), 1), /no conv kernel of shape \(kh, kw, in, out\)/);
    await assert.rejects(tt.viz.plotFilters(model, 'nope'), /no layer named 'nope'/);
  });

  it('draws feature maps through a sub-model from the model\'s inputs to the layer', async () => {
    // channel 0 copies the input, channel 1 negates it (ReLU leaves 0)
    const conv = tt.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', inputShape: [4, 4, 1] });
    const model = tt.sequential([conv, tt.layers.maxPooling2d({ poolSize: 2 }), tt.layers.flatten(), tt.layers.dense({ units: 2 })]);
    conv.setWeights([tt.Tensor.fromArray(new Float32Array([1, -1]), [1, 1, 1, 2]), tt.Tensor.empty([2])]);
    const x = tt.Tensor.empty([3, 16]); // flat images are reshaped to the model's (4, 4, 1)
    for (let i = 0; i < 3; i++) for (let p = 0; p < 16; p++) x.values[i * 16 + p] = ((p * (i + 1)) % 7) / 6; // 0..1, both ends present
    const img = await tt.viz.plotFeatureMaps(model, 0, x, { maxImages: 2 });
    decode(img);
    const tiles = gridImages(img.svg!).map((t) => decodeHref(t.href));
    assert.equal(tiles.length, 2 * 3, 'input + 2 maps per image, 2 images');
    for (let row = 0; row < 2; row++) {
      const [input, copy] = [tiles[row * 3], tiles[row * 3 + 1]];
      assert.deepEqual(copy.data, input.data, 'channel 0 is the input itself');
    }
    const pooled = await tt.viz.plotFeatureMaps(model, 1, x, { maxImages: 1, maxMaps: 1 });
    assert.match(gridTexts(pooled.svg!)[0].text, /^max_pooling2d\S* \(MaxPooling2D\): 1 of 2 maps, 2x2$/);
    await assert.rejects(tt.viz.plotFeatureMaps(model, 3, x), /outputs \(None, 2\), not feature maps/);
  });

  it('plots a History and a bare history record alike', async () => {
    const h = new tt.History();
    h.onEpochEnd(0, { loss: 1, val_loss: 1.2 });
    h.onEpochEnd(1, { loss: 0.5, val_loss: 0.9 });
    const a = await tt.viz.plotHistory(h);
    const b = await tt.viz.plotHistory(h.history);
    decode(a);
    assert.equal(a.svg, b.svg);
    assert.deepEqual((a.spec.data as { values: unknown[] }).values.map((r) => ({ ...(r as object) })).length, 4);
  });

  it('draws samples from a big tensor by copying only the images shown', async () => {
    const x = onePixelImages(1000);
    const img = await tt.viz.plotSamples(x, tt.Tensor.fromArray(Int32Array.from({ length: 1000 }, (_, i) => i % 4), [1000], 'int32'), { count: 5 });
    assert.deepEqual(gridTexts(img.svg!).map((t) => t.text), ['0', '1', '2', '3', '0']);
  });
});
