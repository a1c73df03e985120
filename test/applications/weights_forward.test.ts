import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as apps from '../../src/applications/index';
import type { Tensor } from '../../src/tensor/tensor';
import type { LayersModel } from '../../src/models/functional';
import { assertScaledClose } from '../helpers/assert';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';
import { oracleMissing } from '../helpers/oracles';
import { writeWeights, writerMissing } from './weights_helpers';

// Keras's application weight files, made with random weights by test/crosscheck/application_weights.py
// (the layer graphs of keras_application_nets.py, written from Keras's sources), loaded with
// weights: path; the forward pass is compared with PyTorch's (VGG16, ResNet50) or NumPy's
// (MobileNetV2, InceptionV3) on the same weights, recorded in test/fixtures/applications/
// (make_application_fixtures.sh). The files are regenerated here from the same seed; the checksum
// proves they hold the weights the oracle used.

interface Fixture {
  net: string;
  size: number;
  alpha: number;
  seed: number;
  oracle: string;
  checksum: number;
  layers: string[];
  input: FixtureArray;
  output: FixtureArray;
}

const CASES: { net: string; build: (f: Fixture, file: string) => Promise<unknown> }[] = [
  { net: 'vgg16', build: (f, file) => apps.vgg16({ includeTop: false, inputShape: [f.size, f.size, 3], weights: file }) },
  { net: 'resnet50', build: (f, file) => apps.resNet50({ includeTop: false, inputShape: [f.size, f.size, 3], weights: file }) },
  { net: 'mobilenet_v2', build: (f, file) => apps.mobileNetV2({ includeTop: false, inputShape: [f.size, f.size, 3], alpha: f.alpha, weights: file }) },
  { net: 'inception_v3', build: (f, file) => apps.inceptionV3({ includeTop: false, inputShape: [f.size, f.size, 3], weights: file }) },
];

describe("applications with Keras's weight files: outputs against PyTorch and NumPy", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-app-weights-'));
  for (const c of CASES) {
    const f = loadFixture<Fixture>(`applications/${c.net}`);
    it(`${c.net} (no top, ${f.size}x${f.size}${c.net === 'mobilenet_v2' ? `, alpha ${f.alpha}` : ''}) matches ${f.oracle === 'torch' ? 'PyTorch' : 'NumPy'} within 1e-4 of the output scale`, async (t) => {
      const missing = writerMissing();
      if (missing) return oracleMissing(t, missing);
      const file = join(dir, `${c.net}.h5`);
      try {
        const written = writeWeights(c.net, f.size, f.alpha, f.seed, file);
        assert.ok(Math.abs(written.checksum - f.checksum) <= 1e-9 * f.checksum,
          `the regenerated file holds other weights than the fixture's (checksum ${written.checksum} vs ${f.checksum}): NumPy's RandomState changed?`);
        const model = (await c.build(f, file)) as LayersModel;
        assert.equal(model.layers.length, f.layers.length, 'as many layers as Keras lists');
        const y = model.predict(toTensor(f.input, 'input')) as Tensor;
        assert.deepEqual(y.shape, f.output.shape);
        assertScaledClose(y.values, f.output.data, `${c.net} output`, 1e-4);
      } finally {
        rmSync(file, { force: true });
      }
    });
  }
  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
