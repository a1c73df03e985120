import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { plotFeatureMaps, plotMisclassified, plotPredictions, plotSamples } from '../../src/viz/index';
import { Tensor } from '../../src/tensor/tensor';
import { decode, decodeHref, gridImages, gridTexts, pixel } from './helpers';

// CIFAR-10-like batches (N, 32, 32, 3), uint8 0..255 as loaded or float 0..1 as trained on:
// every tile keeps its colours, pixel for pixel, under titles with the class names.

const NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const COLORS: Array<[number, number, number]> = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]];

/** n images (n, 32, 32, 3): image i is colour i % 4 on its left half and black on its right. */
function cifarLike(n: number, scale: 1 | 255): Tensor {
  const v = new Float32Array(n * 32 * 32 * 3);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 16; x++) for (let c = 0; c < 3; c++) v[((i * 32 + y) * 32 + x) * 3 + c] = (COLORS[i % 4][c] / 255) * scale;
    }
  }
  return Tensor.fromArray(scale === 255 ? Uint8Array.from(v) : v, [n, 32, 32, 3], scale === 255 ? 'uint8' : 'float32');
}

/** Checks tile k of a grid against image i of cifarLike: colour on the left half, black on the right. */
function checkTile(href: string, i: number): void {
  const png = decodeHref(href);
  assert.ok(png.width >= 32 && png.width % 32 === 0, `tile ${png.width} px wide, a whole multiple of 32`);
  const f = png.width / 32;
  assert.deepEqual(pixel(png, 3 * f, 10 * f).slice(0, 3), COLORS[i % 4], `tile ${i}: left half in its colour`);
  assert.deepEqual(pixel(png, 20 * f, 10 * f).slice(0, 3), [0, 0, 0], `tile ${i}: right half black`);
}

describe('image grids of color images', () => {
  for (const scale of [1, 255] as const) {
    it(`prediction grids keep (N, 32, 32, 3) images in colour (values 0..${scale}) under class names`, async () => {
      const x = cifarLike(8, scale);
      const probs = Array.from({ length: 8 }, (_, i) => NAMES.map((_, k) => (k === (i === 5 ? 9 : i) ? 0.91 : 0.01)));
      const labels = Array.from({ length: 8 }, (_, i) => i);
      const img = await plotPredictions(x, probs, labels, { classNames: NAMES });
      decode(img);
      const tiles = gridImages(img.svg!);
      assert.equal(tiles.length, 8);
      tiles.forEach((t, i) => checkTile(t.href, i));
      const texts = gridTexts(img.svg!).map((t) => t.text);
      assert.ok(texts.includes('automobile (91.0%)') && texts.includes('true: automobile'), texts.join(' | '));
      assert.ok(texts.includes('truck (91.0%)') && texts.includes('true: dog'), 'the mistake names both classes');

      const wrong = await plotMisclassified(x, labels, probs, { classNames: NAMES });
      const wrongTiles = gridImages(wrong.svg!);
      assert.equal(wrongTiles.length, 1);
      checkTile(wrongTiles[0].href, 5);
      assert.deepEqual(gridTexts(wrong.svg!).map((t) => t.text), ['Misclassified: 1 of 8', 'truck (91.0%)', 'true: dog']);
    });
  }

  it('samples and feature maps draw the color input beside grey maps', async () => {
    const x = cifarLike(3, 255);
    const samples = await plotSamples(x, [0, 1, 2], { classNames: NAMES });
    assert.deepEqual(gridTexts(samples.svg!).map((t) => t.text), ['airplane', 'automobile', 'bird']);
    gridImages(samples.svg!).forEach((t, i) => checkTile(t.href, i));

    const acts = { data: new Float32Array(3 * 16 * 16 * 2).map((_, i) => i % 7), shape: [3, 16, 16, 2] };
    const fm = await plotFeatureMaps(acts, { images: cifarLike(3, 1), rowLabels: ['airplane', 'automobile', 'bird'] });
    const tiles = gridImages(fm.svg!);
    assert.equal(tiles.length, 3 * 3);
    [0, 1, 2].forEach((i) => checkTile(tiles[i * 3].href, i));
    assert.ok(gridTexts(fm.svg!).some((t) => t.text === 'automobile'));
  });
});
