import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as apps from '../../src/applications/index';
import { obtainInputShape, sourceInputs } from '../../src/applications/common';
import { correctPad, makeDivisible } from '../../src/applications/mobilenet_v2';
import { input } from '../../src/models/input';
import { layers } from '../../src/layers/index';
import { ValueError } from '../../src/util/errors';
import { randomUniform, zeros } from '../../src/ops/index';
import type { Tensor } from '../../src/tensor/tensor';

// The options every application takes, checked as Keras checks them; built on MobileNetV2 and VGG16
// at small sizes (the errors come before any weight is allocated).

describe("Keras's obtain_input_shape", () => {
  it('defaults, minimum sizes, and the shape the top needs', () => {
    assert.deepEqual(obtainInputShape('m', undefined, 224, 32, true, false), [224, 224, 3]);
    assert.deepEqual(obtainInputShape('m', undefined, 299, 75, false, false), [null, null, 3]);
    assert.deepEqual(obtainInputShape('m', [75, 80, 3], 299, 75, false, true), [75, 80, 3]);
    assert.deepEqual(obtainInputShape('m', [64, 64, 1], 224, 32, false, false), [64, 64, 1], 'any channel count without ImageNet weights');
    assert.deepEqual(obtainInputShape('m', [40, 40, 3], 224, 32, true, false), [40, 40, 3], 'the top at another size without weights');
    assert.deepEqual(obtainInputShape('m', undefined, 224, 32, true, true), [224, 224, 3]);
    assert.throws(() => obtainInputShape('inception_v3', [74, 80, 3], 299, 75, false, false), /inception_v3: input size must be at least 75x75; got inputShape \[74, 80, 3\]/);
    assert.throws(() => obtainInputShape('vgg16', [100, 100, 3], 224, 32, true, true), /with includeTop true and 'imagenet' weights, inputShape should be \[224, 224, 3\]; got \[100, 100, 3\]/);
    assert.throws(() => obtainInputShape('vgg16', [64, 64, 1], 224, 32, false, true), /the input must have 3 channels/);
    assert.throws(() => obtainInputShape('vgg16', [64, 64], 224, 32, false, false), /inputShape must be \[height, width, channels\]/);
    assert.throws(() => obtainInputShape('vgg16', [null, null, 3], 224, 32, true, false), /with includeTop true, give a static inputShape; got \[null, null, 3\]/);
  });

  it("MobileNetV2's helpers: _make_divisible and correct_pad", () => {
    assert.deepEqual([makeDivisible(32, 8), makeDivisible(16, 8), makeDivisible(11.2, 8), makeDivisible(12, 8), makeDivisible(1280 * 1.4, 8)], [32, 16, 16, 16, 1792]);
    assert.deepEqual(correctPad([null, 112, 112, 16], 3), [[0, 1], [0, 1]]);
    assert.deepEqual(correctPad([null, 17, 16, 16], 3), [[1, 1], [0, 1]]);
    assert.deepEqual(correctPad([null, null, null, 16], 3), [[0, 1], [0, 1]]);
  });
});

describe('application options', () => {
  it('weights: null builds at once; imagenet or a file path return a Promise rejected with a clear error when the file is missing or not weights; anything else is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tatami-apps-'));
    const file = join(dir, 'w.h5');
    writeFileSync(file, 'not read');
    const saved = { KERAS_HOME: process.env.KERAS_HOME, TATAMI_WEIGHTS_DIR: process.env.TATAMI_WEIGHTS_DIR, TMPDIR: process.env.TMPDIR };
    Object.assign(process.env, { KERAS_HOME: join(dir, 'keras'), TMPDIR: dir });
    delete process.env.TATAMI_WEIGHTS_DIR;
    try {
      await assert.rejects(apps.vgg16({ weights: 'imagenet' }), (e: Error) => e instanceof apps.WeightsNotAvailableError &&
        /vgg16: the ImageNet weight file 'vgg16_weights_tf_dim_ordering_tf_kernels\.h5' was not found in .*keras\/models.*tatami downloads nothing: get it from https:\/\/storage\.googleapis\.com\/tensorflow\/keras-applications\/vgg16\/vgg16_weights_tf_dim_ordering_tf_kernels\.h5/.test(e.message));
      await assert.rejects(apps.resNet50({ weights: 'imagenet', includeTop: false }), /keras-applications\/resnet\/resnet50_weights_tf_dim_ordering_tf_kernels_notop\.h5/);
      await assert.rejects(apps.inceptionV3({ weights: 'imagenet', includeTop: false }), /inception_v3\/inception_v3_weights_tf_dim_ordering_tf_kernels_notop\.h5/);
      await assert.rejects(apps.mobileNetV2({ weights: 'imagenet', includeTop: false }), /mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224_no_top\.h5/);
      await assert.rejects(apps.mobileNetV2({ weights: 'imagenet', inputShape: [160, 160, 3], includeTop: false, alpha: 0.35 }), /kernels_0\.35_160_no_top\.h5/);
      await assert.rejects(apps.vgg19({ weights: 'imagenet', weightsDir: join(dir, 'mine') }), new RegExp(`not found in ${join(dir, 'mine')}, `));
      await assert.rejects(apps.vgg19({ weights: file, includeTop: false }), (e: Error) => e.name === 'ModelFileError' && e.message.includes(file) && /not an HDF5 file/.test(e.message));
      await assert.rejects(apps.vgg16({ weights: join(dir, 'missing.h5') }),
        (e: Error) => e instanceof ValueError && /vgg16: the weights option should be null \(random initialization\), 'imagenet'/.test(e.message));
      await assert.rejects(apps.vgg16({ weights: 3 as unknown as string }), /got 3/);
      await assert.rejects(apps.vgg16({ weights: 'imagenet', weightsDir: 5 as never }), /weightsDir must be the path of a folder; got 5/);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    assert.ok(!(apps.vgg16({ weights: null, includeTop: false, inputShape: [32, 32, 3] }) instanceof Promise), 'without weights the model comes at once');
  });

  it("Keras's checks of classes, classifierActivation, pooling, alpha and unknown options", async () => {
    // with weights the call returns a Promise: option errors reject it
    await assert.rejects(apps.vgg16({ weights: 'imagenet', classes: 10 }), /vgg16: with weights 'imagenet' and includeTop true, classes should be 1000; got 10/);
    await assert.rejects(apps.resNet50({ weights: 'imagenet', classifierActivation: 'relu' }), /classifierActivation can only be null or 'softmax'/);
    await assert.rejects(apps.mobileNetV2({ weights: 'imagenet', alpha: 0.6 }), /alpha must be one of 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4; got 0.6/);
    assert.throws(() => apps.vgg16({ weights: null, classes: 0 }), /vgg16: classes must be a positive integer; got 0/);
    assert.throws(() => apps.mobileNetV2({ includeTop: false, pooling: 'mean' as never }), /mobilenetv2: pooling must be 'avg', 'max' or undefined; got "mean"/);
    assert.throws(() => apps.mobileNetV2({ classes: 0 }), /classes must be a positive integer/);
    assert.throws(() => apps.vgg16({ include_top: false } as never), /vgg16: unknown option 'include_top'/);
    assert.throws(() => apps.vgg16({ alpha: 1 } as never), /vgg16: unknown option 'alpha'/);
    assert.throws(() => apps.inceptionV3({ includeTop: false, inputShape: [64, 64, 3] }), /at least 75x75/);
    assert.throws(() => apps.mobileNetV2({ inputTensor: zeros([1, 32, 32, 3]) as never }), /inputTensor must be a symbolic tensor.*got Tensor/);
  });

  it('inputTensor: the network is built on it, and the model starts from its sources', () => {
    const raw = input({ shape: [40, 40, 3], name: 'pixels' });
    const scaled = layers.rescaling({ scale: 1 / 127.5, offset: -1, name: 'to_unit' }).apply(raw);
    const m = apps.mobileNetV2({ includeTop: false, inputTensor: scaled, pooling: 'avg' });
    assert.deepEqual(sourceInputs(scaled), [raw]);
    assert.equal(m.inputs[0], raw);
    assert.deepEqual(m.layers.slice(0, 3).map((l) => l.name), ['pixels', 'to_unit', 'Conv1']);
    assert.deepEqual(m.outputs[0].shape, [null, 1280]);
    const y = m.predict(zeros([1, 40, 40, 3])) as Tensor;
    assert.deepEqual(y.shape, [1, 1280]);
    // Keras's MobileNetV2 check: inputShape and inputTensor must agree on the width
    assert.throws(() => apps.mobileNetV2({ includeTop: false, inputTensor: scaled, inputShape: [40, 48, 3] }), /inputTensor's width must equal inputShape's/);
  });

  it('a VGG16 forward pass at 32x32 without the top, average pooled', () => {
    const x = apps.vgg16.preprocessInput(randomUniform([2, 32, 32, 3], 0, 255));
    const m = apps.vgg16({ includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
    const y = m.predict(x) as Tensor;
    assert.deepEqual(y.shape, [2, 512]);
    const v = Array.from(y.values);
    assert.ok(v.every((e) => Number.isFinite(e) && e >= 0) && v.some((e) => e > 0), 'pooled ReLU features');
  });

  it('the Keras names are the same objects as the tfjs-style ones', () => {
    assert.equal(apps.VGG16, apps.vgg16);
    assert.equal(apps.VGG19, apps.vgg19);
    assert.equal(apps.ResNet50, apps.resNet50);
    assert.equal(apps.InceptionV3, apps.inceptionV3);
    assert.equal(apps.MobileNetV2, apps.mobileNetV2);
    assert.deepEqual([apps.vgg16, apps.vgg19, apps.resNet50, apps.inceptionV3, apps.mobileNetV2].map((a) => a.preprocessMode),
      ['caffe', 'caffe', 'caffe', 'tf', 'tf']);
  });
});
