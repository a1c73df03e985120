import { describe, it as nodeIt } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';
import { adjustContrast, affineTransform, flipImages, resize, type FillMode, type Interpolation } from '../../src/ops/image';
import { rotationTransform, translationTransform, zoomTransform } from '../../src/layers/preprocessing/affine_matrices';
import { CenterCrop, RandomCrop, RandomRotation, RandomTranslation, RandomZoom, Resizing, type Layer } from '../../src/layers/index';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';
import { assertAllClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';

// Keras 3's image preprocessing arithmetic against test/fixtures/preprocessing_layers.json, made by
// make_preprocessing_fixtures.py from Keras's NumPy-backend formulas with SciPy's map_coordinates.

interface AffineCase {
  input: string; kind: 'rotation' | 'translation' | 'zoom'; params: number[][]; fill_mode: FillMode; interpolation: Interpolation;
  fill_value: number; transforms: FixtureArray; output: FixtureArray;
}
interface ResizeCase {
  input: string; height: number; width: number; interpolation: Interpolation; crop_to_aspect_ratio: boolean; pad_to_aspect_ratio: boolean;
  fill_value: number; output: FixtureArray;
}
interface Fixture {
  inputs: Record<string, FixtureArray>;
  affine: AffineCase[];
  resize: ResizeCase[];
  center_crop: { input: string; height: number; width: number; output: FixtureArray }[];
  flip: { input: string; mode: string; flips: boolean[]; output: FixtureArray }[];
  contrast: { input: string; factors: number[]; value_range: [number, number]; output: FixtureArray }[];
}

const fx = loadFixture<Fixture>('preprocessing_layers.json');
const TOL = { rtol: 0, atol: 1e-4 };
const input = (name: string) => toTensor(fx.inputs[name], name);

/** Every case below runs on every backend: the pixels come from the backend's resampleImages kernel. */
function it(name: string, fn: () => void): void {
  for (const kind of kernelBackends()) nodeIt(`${name} [${backendLabel(kind)}]`, () => onBackend(kind, fn));
}

/** Image b of a batch as a batch of one. */
function image(x: Tensor, b: number): Tensor {
  const per = x.size / x.shape[0];
  return Tensor.fromArray(x.f32.slice(b * per, (b + 1) * per), [1, ...x.shape.slice(1)]);
}

function rows(a: FixtureArray, b: number): number[] {
  const per = a.data.length / a.shape[0];
  return a.data.slice(b * per, (b + 1) * per);
}

/** The layer whose factor forces the fixture's draw for one image. */
function forcedLayer(c: AffineCase, p: number[]): Layer {
  const fill = { fillMode: c.fill_mode, interpolation: c.interpolation, fillValue: c.fill_value };
  if (c.kind === 'rotation') return new RandomRotation({ factor: [p[0], p[0]], ...fill });
  if (c.kind === 'translation') return new RandomTranslation({ widthFactor: [p[0], p[0]], heightFactor: [p[1], p[1]], ...fill });
  return new RandomZoom({ widthFactor: [p[0] - 1, p[0] - 1], heightFactor: [p[1] - 1, p[1] - 1], ...fill });
}

describe('image preprocessing against Keras 3 (NumPy backend formulas)', () => {
  it('covers every fill mode and interpolation for rotation, translation and zoom', () => {
    const seen = new Set(fx.affine.map((c) => `${c.kind}/${c.fill_mode}/${c.interpolation}`));
    assert.equal(seen.size, 3 * 4 * 2);
  });

  for (const c of fx.affine) {
    const what = `${c.kind} ${c.input} ${c.fill_mode} ${c.interpolation}`;
    it(`affine: ${what}`, () => {
      const x = input(c.input);
      const [, h, w] = x.shape;
      const transforms = c.params.flatMap((p) =>
        c.kind === 'rotation' ? rotationTransform(p[0] * 2 * Math.PI, h, w)
          : c.kind === 'translation' ? translationTransform(p[0] * w, p[1] * h) : zoomTransform(p[0], p[1], h, w));
      assertAllClose(transforms, c.transforms.data, `${what}: transform`, { rtol: 1e-7, atol: 1e-7 });
      const opts = { interpolation: c.interpolation, fillMode: c.fill_mode, fillValue: c.fill_value };
      assertAllClose(affineTransform(x, transforms, opts), c.output, `${what}: affineTransform`, TOL);
      // the layer itself, its range pinned to the fixture's draw, one image at a time
      c.params.forEach((p, b) => {
        const y = forcedLayer(c, p).apply(image(x, b), { training: true });
        assertAllClose(y.f32, rows(c.output, b), `${what}: layer, image ${b}`, TOL);
      });
    });
  }

  for (const c of fx.resize) {
    const what = `${c.input} -> ${c.height}x${c.width} ${c.interpolation}${c.crop_to_aspect_ratio ? ' crop' : ''}${c.pad_to_aspect_ratio ? ' pad' : ''}`;
    it(`resize: ${what}`, () => {
      const x = input(c.input);
      const args = { interpolation: c.interpolation, cropToAspectRatio: c.crop_to_aspect_ratio, padToAspectRatio: c.pad_to_aspect_ratio, fillValue: c.fill_value };
      assertAllClose(resize(x, [c.height, c.width], args), c.output, `${what}: resize`, TOL);
      const layer = new Resizing({ height: c.height, width: c.width, ...args });
      for (const training of [false, true]) assertAllClose(layer.apply(x, { training }), c.output, `${what}: Resizing`, TOL);
      if (c.crop_to_aspect_ratio && c.interpolation === 'bilinear') {
        // RandomCrop at inference: the largest centred window with the aspect ratio, resized
        const crop = new RandomCrop({ height: c.height, width: c.width, seed: 1 });
        assertAllClose(crop.apply(x), c.output, `${what}: RandomCrop at inference`, TOL);
      }
    });
  }

  it('CenterCrop: a slice, or the aspect-ratio crop resized when the image is smaller', () => {
    assert.ok(fx.center_crop.some((c) => c.height > fx.inputs[c.input].shape[1] || c.width > fx.inputs[c.input].shape[2]));
    for (const c of fx.center_crop) {
      const layer = new CenterCrop({ height: c.height, width: c.width });
      assertAllClose(layer.apply(input(c.input)), c.output, `CenterCrop ${c.input} -> ${c.height}x${c.width}`, TOL);
    }
  });

  it('flips are exact', () => {
    for (const c of fx.flip) {
      const y = flipImages(input(c.input), c.flips, { horizontal: c.mode !== 'vertical', vertical: c.mode !== 'horizontal' });
      assert.deepEqual(y.shape, c.output.shape);
      assert.deepEqual(y.f32, Float32Array.from(c.output.data), `flip ${c.mode}`);
    }
  });

  it('contrast: (x - mean) * factor + mean per image and channel, clipped', () => {
    for (const c of fx.contrast) {
      assertAllClose(adjustContrast(input(c.input), c.factors, c.value_range), c.output, `contrast ${c.factors}`, TOL);
    }
  });
});
