import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as apps from '../../src/applications/index';
import { model as functionalModel, type LayersModel } from '../../src/models/functional';
import type { Layer } from '../../src/layers/layer';
import type { Tensor } from '../../src/tensor/tensor';
import { randomUniform } from '../../src/ops/index';

// Keras's figures for each network (keras.applications, weights=None): parameter counts, layer
// counts (model.layers, InputLayer included) and layer names at fixed indices. Each network is
// built at most twice (ResNet50 and InceptionV3 allocate ~100 MB); VGG's 4096-wide top is
// built on a 32x32 input, whose Flatten gives 512 features instead of 7*7*512.

const count = (layers: Layer[]) => layers.reduce((n, l) => n + l.countParams(), 0);
const nonTrainable = (m: LayersModel) => m.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
const names = (m: LayersModel) => m.layers.map((l) => l.name);
const shapeOf = (m: LayersModel, name: string) => m.layers.find((l) => l.name === name)!.outputShape;
/** Parameters of Dense(units) on `inputs` features. */
const dense = (inputs: number, units: number) => inputs * units + units;
const AUTO = (base: string) => new RegExp(`^${base}(_\\d+)?$`);

describe('VGG16 / VGG19', () => {
  it('VGG16 without the top at 224x224: 14,714,688 parameters, Keras names, (7, 7, 512) features', () => {
    const m = apps.vgg16({ includeTop: false, inputShape: [224, 224, 3] });
    assert.equal(m.countParams(), 14_714_688);
    assert.equal(m.name, 'vgg16');
    assert.equal(m.layers.length, 19);
    assert.deepEqual(names(m).slice(1, 5), ['block1_conv1', 'block1_conv2', 'block1_pool', 'block2_conv1']);
    assert.equal(names(m)[18], 'block5_pool');
    assert.deepEqual(m.outputs[0].shape, [null, 7, 7, 512]);
    assert.deepEqual(shapeOf(m, 'block3_conv3'), [null, 56, 56, 256]);
    // the top at 224x224 then has Keras's 138,357,544: Flatten 25,088 -> fc1 4096 -> fc2 4096 -> 1000
    assert.equal(14_714_688 + dense(7 * 7 * 512, 4096) + dense(4096, 4096) + dense(4096, 1000), 138_357_544);
  });

  it('VGG16 with the top (on 32x32): flatten, fc1, fc2, predictions as Keras builds them', () => {
    const m = apps.vgg16({ inputShape: [32, 32, 3], classes: 10, classifierActivation: null });
    assert.equal(m.layers.length, 23);
    assert.deepEqual(names(m).slice(19), ['flatten', 'fc1', 'fc2', 'predictions']);
    assert.equal(m.countParams(), 14_714_688 + dense(512, 4096) + dense(4096, 4096) + dense(4096, 10));
    assert.deepEqual(m.outputs[0].shape, [null, 10]);
    assert.equal(m.getLayer('predictions').getConfig().activation, 'linear');
    assert.equal(m.getLayer('fc1').getConfig().activation, 'relu');
  });

  it('VGG19: 20,024,384 parameters without the top, four convolutions in blocks 3-5', () => {
    const m = apps.VGG19({ includeTop: false, pooling: 'max' });
    assert.equal(m.countParams(), 20_024_384);
    assert.equal(m.name, 'vgg19');
    assert.equal(m.layers.length, 23);
    assert.deepEqual(names(m).slice(9, 15), ['block3_conv3', 'block3_conv4', 'block3_pool', 'block4_conv1', 'block4_conv2', 'block4_conv3']);
    assert.match(names(m)[22], AUTO('global_max_pooling2d'));
    assert.deepEqual(m.outputs[0].shape, [null, 512]);
    assert.equal(20_024_384 + dense(25_088, 4096) + dense(4096, 4096) + dense(4096, 1000), 143_667_240);
  });
});

describe('ResNet50', () => {
  it('with the top: 25,636,712 parameters (53,120 non-trainable), 177 layers, Keras names and order', () => {
    const m = apps.resNet50();
    assert.equal(m.countParams(), 25_636_712);
    assert.equal(nonTrainable(m), 53_120);
    assert.equal(m.name, 'resnet50');
    assert.equal(m.layers.length, 177);
    assert.deepEqual(names(m).slice(1, 19), [
      'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool',
      'conv2_block1_1_conv', 'conv2_block1_1_bn', 'conv2_block1_1_relu', 'conv2_block1_2_conv', 'conv2_block1_2_bn',
      'conv2_block1_2_relu', 'conv2_block1_0_conv', 'conv2_block1_3_conv', 'conv2_block1_0_bn', 'conv2_block1_3_bn',
      'conv2_block1_add', 'conv2_block1_out',
    ]);
    assert.deepEqual(names(m).slice(174), ['conv5_block3_out', 'avg_pool', 'predictions']);
    assert.deepEqual(shapeOf(m, 'conv1_conv'), [null, 112, 112, 64]);
    assert.deepEqual(shapeOf(m, 'pool1_pool'), [null, 56, 56, 64]);
    assert.deepEqual(shapeOf(m, 'conv5_block3_out'), [null, 7, 7, 2048]);
    assert.deepEqual(m.outputs[0].shape, [null, 1000]);
    assert.equal(m.getLayer('conv1_bn').getConfig().epsilon, 1.001e-5);
  });

  it('without the top: 23,587,712 parameters, 175 layers; pooling max names its layer max_pool', () => {
    const m = apps.ResNet50({ includeTop: false, inputShape: [64, 80, 3], pooling: 'max' });
    assert.equal(m.countParams(), 23_587_712);
    assert.equal(m.layers.length, 176);
    assert.equal(names(m)[175], 'max_pool');
    assert.deepEqual(shapeOf(m, 'conv5_block3_out'), [null, 2, 3, 2048]);
    assert.deepEqual(m.outputs[0].shape, [null, 2048]);
    const base = functionalModel({ inputs: m.inputs, outputs: m.getLayer('conv5_block3_out').output });
    assert.equal(base.layers.length, 175);
  });
});

describe('InceptionV3', () => {
  it('with the top: 23,851,784 parameters (34,432 non-trainable), 313 layers, default input 299x299', () => {
    const m = apps.inceptionV3();
    assert.equal(m.countParams(), 23_851_784);
    assert.equal(nonTrainable(m), 34_432);
    assert.equal(m.name, 'inception_v3');
    assert.equal(m.layers.length, 313);
    assert.deepEqual(m.inputs[0].shape, [null, 299, 299, 3]);
    assert.deepEqual(shapeOf(m, 'mixed2'), [null, 35, 35, 288]);
    assert.deepEqual(shapeOf(m, 'mixed7'), [null, 17, 17, 768]);
    assert.deepEqual(shapeOf(m, 'mixed8'), [null, 8, 8, 1280]);
    assert.deepEqual(shapeOf(m, 'mixed10'), [null, 8, 8, 2048]);
    assert.deepEqual(names(m).slice(311), ['avg_pool', 'predictions']);
  });

  it('without the top: 21,802,784 parameters, 311 layers, the mixed blocks where Keras has them (mixed8 at 248)', () => {
    const m = apps.InceptionV3({ includeTop: false, inputShape: [75, 75, 3] });
    assert.equal(m.countParams(), 21_802_784);
    assert.equal(m.layers.length, 311);
    const at: Record<string, number> = { mixed0: 40, mixed1: 63, mixed2: 86, mixed3: 100, mixed4: 132, mixed5: 164, mixed6: 196, mixed7: 228, mixed8: 248, mixed9: 279, mixed10: 310 };
    for (const [name, i] of Object.entries(at)) assert.equal(m.layers[i].name, name, `layers[${i}]`);
    // the unnamed layers take Keras's automatic names; conv + batch norm (no scale) + relu
    assert.equal(m.layers[0].className, 'InputLayer');
    assert.match(m.layers[1].name, AUTO('conv2d'));
    assert.match(m.layers[2].name, AUTO('batch_normalization'));
    assert.match(m.layers[3].name, AUTO('activation'));
    assert.match(m.layers[249].name, AUTO('conv2d'), 'the first layer after mixed8 starts mixed9');
    const bn = m.layers[2];
    assert.deepEqual(bn.weights.map((w) => w.name.split('/').pop()), ['beta', 'moving_mean', 'moving_variance']);
    assert.equal(bn.getConfig().scale, false);
    assert.equal(m.layers[1].weights.length, 1, 'convolutions without bias');
    assert.deepEqual(m.outputs[0].shape, [null, 1, 1, 2048]);
    // Keras's fine-tuning recipe: freeze layers[:249], train the rest
    m.layers.slice(0, 249).forEach((l) => (l.trainable = false));
    const size = (ws: { size: number }[]) => ws.reduce((n, w) => n + w.size, 0);
    assert.equal(size(m.trainableWeights), size(m.layers.slice(249).flatMap((l) => l.trainableWeights)));
    assert.equal(size(m.nonTrainableWeights), count(m.layers) - size(m.trainableWeights));
    assert.ok(m.trainableWeights.length > 0 && m.layers[248].trainableWeights.length === 0);
  });
});

describe('MobileNetV2', () => {
  it('with the top: 3,538,984 parameters (34,112 non-trainable), 156 layers, Keras names', () => {
    const m = apps.mobileNetV2();
    assert.equal(m.countParams(), 3_538_984);
    assert.equal(nonTrainable(m), 34_112);
    assert.equal(m.name, 'mobilenetv2_1.00_224');
    assert.equal(m.layers.length, 156);
    assert.deepEqual(names(m).slice(1, 13), [
      'Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_depthwise_BN', 'expanded_conv_depthwise_relu',
      'expanded_conv_project', 'expanded_conv_project_BN', 'block_1_expand', 'block_1_expand_BN', 'block_1_expand_relu', 'block_1_pad',
    ]);
    assert.deepEqual(names(m).slice(151, 154), ['Conv_1', 'Conv_1_bn', 'out_relu']);
    assert.match(names(m)[154], AUTO('global_average_pooling2d'));
    assert.equal(names(m)[155], 'predictions');
    assert.deepEqual(shapeOf(m, 'out_relu'), [null, 7, 7, 1280]);
    assert.deepEqual(shapeOf(m, 'block_1_pad'), [null, 113, 113, 96]);
    assert.deepEqual((m.getLayer('block_1_pad') as unknown as { padding: unknown }).padding, [[0, 1], [0, 1]]);
    assert.deepEqual(m.getLayer('Conv1_relu').getConfig(), { name: 'Conv1_relu', trainable: true, maxValue: 6, negativeSlope: 0, threshold: 0 });
    assert.equal(m.getLayer('bn_Conv1').getConfig().momentum, 0.999);
    assert.ok(names(m).includes('block_2_add') && !names(m).includes('block_1_add'));
  });

  it('without the top on 33x33 (odd sides pad evenly), 2,257,984 parameters, 154 layers; a forward pass', () => {
    const m = apps.MobileNetV2({ includeTop: false, inputShape: [33, 33, 3] });
    assert.equal(m.countParams(), 2_257_984);
    assert.equal(m.layers.length, 154);
    assert.equal(m.name, 'mobilenetv2_1.00_33');
    assert.deepEqual((m.getLayer('block_1_pad') as unknown as { padding: unknown }).padding, [[1, 1], [1, 1]]);
    assert.deepEqual(m.outputs[0].shape, [null, 2, 2, 1280]);
    const x = apps.mobileNetV2.preprocessInput(randomUniform([2, 33, 33, 3], 0, 255));
    const y = m.predict(x) as Tensor;
    assert.deepEqual(y.shape, [2, 2, 2, 1280]);
    const v = Array.from(y.values);
    assert.ok(v.every((e) => Number.isFinite(e) && e >= 0 && e <= 6), 'ReLU6 outputs lie in [0, 6]');
  });

  it('pooling avg / max and alpha', () => {
    const avg = apps.mobileNetV2({ includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
    assert.deepEqual(avg.outputs[0].shape, [null, 1280]);
    assert.match(names(avg)[154], AUTO('global_average_pooling2d'));
    const max = apps.mobileNetV2({ includeTop: false, inputShape: [32, 32, 3], pooling: 'max', alpha: 0.5 });
    assert.deepEqual(max.outputs[0].shape, [null, 1280]);
    assert.match(names(max)[154], AUTO('global_max_pooling2d'));
    assert.equal(max.getLayer('Conv1').getConfig().filters, 16);
    assert.equal(max.getLayer('block_16_project').getConfig().filters, 160);
    assert.equal(max.getLayer('Conv_1').getConfig().filters, 1280, 'the last convolution is never narrowed');
    assert.equal(max.name, 'mobilenetv2_0.50_32');
  });
});
