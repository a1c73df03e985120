import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/saving/index';
import * as apps from '../../src/applications/index';
import { loadWeightFile } from '../../src/saving/application_weights';
import { ModelFileError } from '../../src/saving/files';
import type { LayersModel } from '../../src/models/functional';
import { oracleMissing } from '../helpers/oracles';
import { writeWeights, writerMissing } from './weights_helpers';

// Where Keras's weight files are found, the layouts they come in (names split past 64 KB, a whole
// model's model_weights group, layers matched by name), and the clear errors for missing,
// truncated and mismatched files, which leave the model as it was. On MobileNetV2 alpha 0.35
// without the top (410,208 weights), written by test/crosscheck/application_weights.py.

const KERAS_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5';
const small = (weights: string, alpha = 0.35) => apps.mobileNetV2({ includeTop: false, inputShape: [96, 96, 3], alpha, weights });
const smallRandom = () => apps.mobileNetV2({ includeTop: false, inputShape: [96, 96, 3], alpha: 0.35 });

const snapshot = (m: LayersModel) => m.weights.map((w) => Float32Array.from(w.values));
function assertSameWeights(m: LayersModel, expected: Float32Array[], what: string): void {
  assert.equal(m.weights.length, expected.length, what);
  m.weights.forEach((w, i) => assert.ok(Buffer.compare(Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength),
    Buffer.from(expected[i].buffer)) === 0, `${what}: ${w.name} differs`));
}

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) if (x === undefined) delete process.env[k]; else process.env[k] = x;
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

describe("Keras's application weight files: where, which layouts, which errors", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-app-wfiles-'));
  const file = join(dir, 'plain.h5');
  let reference: Float32Array[] = [];
  const ready = (t: TestContext) => {
    const missing = writerMissing();
    if (missing) oracleMissing(t, missing);
    return !missing;
  };

  it('weights: path loads every weight of the file, in order (the file checksum is the model\'s)', async (t) => {
    if (!ready(t)) return;
    const { checksum } = writeWeights('mobilenet_v2', 96, 0.35, 5, file);
    const m = await small(file);
    let sum = 0;
    for (const w of m.weights) for (const v of w.values) sum += Math.abs(v);
    assert.ok(Math.abs(sum - checksum) < 1e-6 * checksum, `sum |w| ${sum} vs the file's ${checksum}`);
    reference = snapshot(m);
    assert.ok(reference.some((a) => a.some((v) => v !== 0)));
  });

  it("weights 'imagenet' finds Keras's file in weightsDir, $TATAMI_WEIGHTS_DIR, $KERAS_HOME/models, in that order", async (t) => {
    if (!ready(t)) return;
    const [a, b, home] = ['a', 'b', 'home'].map((n) => join(dir, n));
    for (const d of [a, b, join(home, 'models')]) mkdirSync(d, { recursive: true });
    copyFileSync(file, join(home, 'models', KERAS_FILE));
    writeWeights('mobilenet_v2', 96, 0.35, 6, join(b, KERAS_FILE));
    writeWeights('mobilenet_v2', 96, 0.35, 7, join(a, KERAS_FILE));
    const other = snapshot(await small(join(b, KERAS_FILE)));
    const third = snapshot(await small(join(a, KERAS_FILE)));
    await withEnv({ KERAS_HOME: home, TATAMI_WEIGHTS_DIR: undefined }, async () => {
      assertSameWeights(await small('imagenet'), reference, "Keras's cache");
      assertSameWeights(await apps.mobileNetV2({ includeTop: false, inputShape: [96, 96, 3], alpha: 0.35, weights: 'imagenet', weightsDir: a }),
        third, 'the weightsDir option first');
    });
    await withEnv({ KERAS_HOME: home, TATAMI_WEIGHTS_DIR: b }, async () => {
      assertSameWeights(await small('imagenet'), other, '$TATAMI_WEIGHTS_DIR before the cache');
    });
  });

  it('reads layer_names0, layer_names1, ... and weight_names0, ... (lists split as Keras splits them past 64 KB)', async (t) => {
    if (!ready(t)) return;
    const split = join(dir, 'split.h5');
    writeWeights('mobilenet_v2', 96, 0.35, 5, split, '--split', '2');
    assertSameWeights(await small(split), reference, 'split name lists');
  });

  it('reads datasets in slices of any size, float32 or float64, into the same values', async (t) => {
    if (!ready(t)) return;
    for (const sliceValues of [1, 1000, 123457]) {
      const m = smallRandom();
      await loadWeightFile(m, file, { sliceValues });
      assertSameWeights(m, reference, `slices of ${sliceValues} values`);
    }
    const f64 = join(dir, 'float64.h5');
    writeWeights('mobilenet_v2', 96, 0.35, 5, f64, '--float64');
    assertSameWeights(await small(f64), reference, 'float64 datasets');
    await assert.rejects(loadWeightFile(smallRandom(), file, { sliceValues: 0 }), /sliceValues must be a positive integer; got 0/);
  });

  it("reads a whole model's .h5 (weights under model_weights/)", async (t) => {
    if (!ready(t)) return;
    const whole = join(dir, 'model.h5');
    const m = await small(file);
    await m.save(whole);
    assertSameWeights(await small(whole), reference, 'model_weights');
  });

  it('matches layers by name when asked (byName), by position otherwise', async (t) => {
    if (!ready(t)) return;
    const reversed = join(dir, 'reversed.h5');
    writeWeights('mobilenet_v2', 96, 0.35, 5, reversed, '--reverse');
    const m = smallRandom();
    const before = snapshot(m);
    await assert.rejects(loadWeightFile(m, reversed), /layer 'Conv_1_bn' \(for the model's layer 'Conv1', Conv2D\) holds 4 weights, the layer has 1 \(Conv1\/kernel\)/);
    assertSameWeights(m, before, 'unchanged after the refused positional match');
    const summary = await loadWeightFile(m, reversed, { byName: true });
    assert.deepEqual(summary, { layers: 104, weights: 260, values: 410208 });
    assertSameWeights(m, reference, 'by name');
  });

  it('a missing, truncated, damaged or mismatched file is refused with a clear error, leaving the model unchanged', async (t) => {
    if (!ready(t)) return;
    const m = smallRandom();
    const before = snapshot(m);
    const refuse = async (f: string, re: RegExp, model: LayersModel = m) => {
      await assert.rejects(loadWeightFile(model, f), (e: Error) => e instanceof ModelFileError && re.test(e.message));
      if (model === m) assertSameWeights(m, before, `after ${f}`);
    };
    await refuse(join(dir, 'nope.h5'), /cannot read weights file '.*nope\.h5': no such file/);
    await refuse(dir, /it is a directory/);
    const truncated = join(dir, 'truncated.h5');
    writeFileSync(truncated, readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2)));
    await refuse(truncated, new RegExp(`'${truncated}' is truncated: the HDF5 file should be ${statSync(file).size} bytes long but has ${Math.floor(statSync(file).size / 2)}`));
    const text = join(dir, 'text.h5');
    writeFileSync(text, 'hello');
    await refuse(text, /is not an HDF5 file/);
    const dropped = join(dir, 'dropped.h5');
    writeWeights('mobilenet_v2', 96, 0.35, 5, dropped, '--drop', 'block_16_project');
    await refuse(dropped, /lists layer 'block_16_project' in layer_names but has no group for it/);
    const wider = join(dir, 'wider.h5');
    writeWeights('mobilenet_v2', 96, 0.5, 5, wider);
    await refuse(wider, /layer 'block_1_project' \(for the model's layer 'block_1_project', Conv2D\): weight 'block_1_project\/kernel:0' has shape \[1,1,48,16\], the model's 'block_1_project\/kernel' needs \[1,1,48,8\]/);
    const withTop = apps.mobileNetV2({ inputShape: [96, 96, 3], alpha: 0.35, classes: 4 });
    const topBefore = snapshot(withTop);
    await refuse(file, /does not fit model 'mobilenetv2_0.35_96': the model has 105 layers with weights \(Conv1, bn_Conv1, .*predictions\), the file has 104 \(Conv1, .*Conv_1_bn\)/, withTop);
    assertSameWeights(withTop, topBefore, 'the model with a top');
    // through the application, the error also says which file it was
    await assert.rejects(small(wider), /mobilenetv2_0.35_96: cannot load the weights file: '.*wider\.h5': layer 'block_1_project'/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
