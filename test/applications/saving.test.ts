import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tt from '../../src/index';
import * as apps from '../../src/applications/index';
import type { LayersModel } from '../../src/models/functional';
import type { Tensor } from '../../src/tensor/tensor';
import { assertClose } from '../helpers/assert';

// An application saved in Keras's formats loads back with the same layers (ReLU, DepthwiseConv2D,
// asymmetric ZeroPadding2D, Add, batch norms) and computes the same outputs.

describe('applications through .keras and .h5', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-apps-save-'));
  const m = apps.mobileNetV2({ inputShape: [32, 32, 3], classes: 5, alpha: 0.35 });
  const x = apps.mobileNetV2.preprocessInput(tt.randomUniform([2, 32, 32, 3], 0, 255));
  const y = m.predict(x) as Tensor;

  for (const ext of ['keras', 'h5']) {
    it(`MobileNetV2 (alpha 0.35, 32x32, 5 classes) round trip through .${ext}`, async () => {
      const path = join(dir, `mnv2.${ext}`);
      await m.save(path);
      const back = (await tt.loadModel(path)) as LayersModel;
      assert.deepEqual(back.layers.map((l) => `${l.name}:${l.className}`), m.layers.map((l) => `${l.name}:${l.className}`));
      assert.equal(back.countParams(), m.countParams());
      assert.equal(back.name, 'mobilenetv2_0.35_32');
      assert.deepEqual(back.getLayer('block_1_pad').getConfig().padding, [[0, 1], [0, 1]]);
      assert.deepEqual(back.getLayer('out_relu').getConfig(), m.getLayer('out_relu').getConfig());
      assertClose((back.predict(x) as Tensor).values, y.values, 1e-6, `.${ext} outputs`);
    });
  }

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
