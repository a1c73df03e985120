import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { deserializeLayer } from '../../src/layers/registry';
import { snakeCase } from '../../src/util/names';
import { layerConfigFromKeras, layerConfigToKeras, toCamel, toSnake, type KerasStyle } from '../../src/saving/keras_config';
import { pyFloat, pyJson, type JsonObject } from '../../src/saving/pyjson';
import { compileArgsFromKeras, metricsFromKeras, optimizerFromKeras, optimizerToKeras } from '../../src/saving/training_config';
import { ModelFileError } from '../../src/saving/files';
import { modelFromKeras } from '../../src/saving/model_architecture';

describe('Keras names', () => {
  it('H5 group names follow Keras naming.to_snake_case', () => {
    const cases: Record<string, string> = {
      Conv2D: 'conv2d', MaxPooling2D: 'max_pooling2d', Dense: 'dense', BatchNormalization: 'batch_normalization',
      Conv2DTranspose: 'conv2d_transpose', GlobalAveragePooling2D: 'global_average_pooling2d', UpSampling2D: 'up_sampling2d',
      ZeroPadding2D: 'zero_padding2d', InputLayer: 'input_layer', SeparableConv2D: 'separable_conv2d', DepthwiseConv2D: 'depthwise_conv2d',
    };
    for (const [cls, snake] of Object.entries(cases)) assert.equal(snakeCase(cls), snake, cls);
  });

  it('config keys go between camelCase and snake_case, with the optimizer exceptions', () => {
    for (const [camel, snake] of [['kernelSize', 'kernel_size'], ['useBias', 'use_bias'], ['dilationRate', 'dilation_rate'],
      ['movingMeanInitializer', 'moving_mean_initializer'], ['beta1', 'beta_1'], ['clipValue', 'clipvalue'], ['clipNorm', 'clipnorm'],
      ['initialAccumulatorValue', 'initial_accumulator_value']]) {
      assert.equal(toSnake(camel), snake);
      assert.equal(toCamel(snake), camel);
    }
  });
});

describe('Python-style JSON', () => {
  it('writes json.dumps separators, float reprs and ASCII escapes', () => {
    assert.equal(pyJson({ a: [1, 2], b: null, c: true, d: 'é' }), '{"a": [1, 2], "b": null, "c": true, "d": "\\u00e9"}');
    assert.equal(pyJson({ learning_rate: 1, epsilon: 1e-7, rate: 0.5, units: 10 }), '{"learning_rate": 1.0, "epsilon": 1e-07, "rate": 0.5, "units": 10}');
    assert.deepEqual([1e-5, 0.0001, 1e16, 123, 2.5e-8, -0.001].map(pyFloat), ['1e-05', '0.0001', '1e+16', '123.0', '2.5e-08', '-0.001']);
  });
});

/** A layer of every kind tatami has, with options away from the defaults. */
function sampleLayers(): tt.Layer[] {
  const l = tt.layers;
  return [
    l.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'leakyRelu', useBias: false, kernelInitializer: 'heNormal', inputShape: [9, 9, 3] }),
    l.dense({ units: 7, activation: 'softmax', kernelInitializer: { className: 'VarianceScaling', config: { scale: 2, mode: 'fanOut', distribution: 'untruncatedNormal' } } }),
    l.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }),
    l.averagePooling2d({ poolSize: [2, 3] }),
    l.dropout({ rate: 0.3 }),
    l.flatten(),
    l.reshape({ targetShape: [4, -1] }),
    l.activation({ activation: 'logSoftmax' }),
    l.batchNormalization({ momentum: 0.9, epsilon: 1e-5, center: false }),
    l.globalAveragePooling2d({ keepdims: true }),
    l.globalMaxPooling2d(),
    l.zeroPadding2d({ padding: [[1, 2], [3, 4]] }),
    l.upSampling2d({ size: [2, 3] }),
    l.rescaling({ scale: 1 / 255, offset: -1 }),
    l.concatenate({ axis: -1 }),
    l.add(),
    l.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
    l.separableConv2d({ filters: 4, kernelSize: 3 }),
    l.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
  ];
}

describe('layer configs', () => {
  for (const style of ['keras3', 'keras2'] as KerasStyle[]) {
    it(`every layer survives tatami -> ${style} JSON -> tatami`, () => {
      for (const layer of sampleLayers()) {
        const before = layer.getConfig();
        const json = JSON.parse(pyJson(layerConfigToKeras(layer.className, before, style))) as JsonObject;
        const back = deserializeLayer({ className: layer.className, config: layerConfigFromKeras(layer.className, json, 'test') });
        const after = back.getConfig();
        if (style === 'keras3') delete before.batchInputShape; // Keras 3 keeps the input shape in the InputLayer
        assert.deepEqual(after, before, `${layer.className} (${style})`);
      }
    });
  }

  it("writes Keras 3's fields and order for Conv2D and Dense", () => {
    const [conv, dense] = sampleLayers();
    const c = layerConfigToKeras('Conv2D', conv.getConfig(), 'keras3');
    assert.deepEqual(Object.keys(c), ['name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'data_format',
      'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
      'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']);
    assert.equal(c.activation, 'leaky_relu');
    assert.equal(c.data_format, 'channels_last');
    assert.deepEqual(c.kernel_initializer, { module: 'keras.initializers', class_name: 'HeNormal', config: { seed: null }, registered_name: null });
    assert.deepEqual(c.dtype, { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    const d = layerConfigToKeras('Dense', dense.getConfig(), 'keras2');
    assert.deepEqual(d.kernel_initializer, { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'untruncated_normal', seed: null } });
    assert.equal(d.dtype, 'float32');
    assert.ok('activity_regularizer' in d, 'tf.keras 2 Dense lists activity_regularizer');
  });

  it("writes Keras 3's get_config order for the transposed, depthwise and separable convolutions", () => {
    const l = tt.layers;
    const head = ['name', 'trainable', 'dtype'];
    const keys = (layer: tt.Layer, style: KerasStyle) => Object.keys(layerConfigToKeras(layer.className, layer.getConfig(), style));
    // keras/src/layers/convolutional/base_conv_transpose.py, base_depthwise_conv.py, base_separable_conv.py
    assert.deepEqual(keys(l.conv2dTranspose({ filters: 2, kernelSize: 3 }), 'keras3'), [...head, 'filters', 'kernel_size', 'strides',
      'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
      'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint', 'output_padding']);
    assert.deepEqual(keys(l.depthwiseConv2d({ kernelSize: 3 }), 'keras3'), [...head, 'depth_multiplier', 'kernel_size', 'strides', 'padding',
      'data_format', 'dilation_rate', 'activation', 'use_bias', 'depthwise_initializer', 'bias_initializer', 'depthwise_regularizer',
      'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'bias_constraint']);
    assert.deepEqual(keys(l.separableConv2d({ filters: 2, kernelSize: 3 }), 'keras3'), [...head, 'depth_multiplier', 'filters', 'kernel_size',
      'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'depthwise_initializer', 'pointwise_initializer',
      'bias_initializer', 'depthwise_regularizer', 'pointwise_regularizer', 'bias_regularizer', 'activity_regularizer',
      'depthwise_constraint', 'pointwise_constraint', 'bias_constraint']);
    // tf.keras 2 (tf_keras/layers/convolutional): depthwise drops Conv's filters/kernel_* and appends its own keys
    assert.deepEqual(keys(l.depthwiseConv2d({ kernelSize: 3 }), 'keras2'), [...head, 'kernel_size', 'strides', 'padding', 'data_format',
      'dilation_rate', 'groups', 'activation', 'use_bias', 'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint',
      'depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint']);
    assert.deepEqual(keys(l.conv2dTranspose({ filters: 2, kernelSize: 3 }), 'keras2').slice(-2), ['bias_constraint', 'output_padding']);
  });

  it("reads tf.keras 2's SeparableConv2D, whose config carries Conv's unused kernel_* keys", () => {
    const sep = tt.layers.separableConv2d({ filters: 4, kernelSize: 3 });
    const k2 = layerConfigToKeras('SeparableConv2D', sep.getConfig(), 'keras2');
    assert.deepEqual(k2.kernel_initializer, { class_name: 'GlorotUniform', config: { seed: null } });
    const cfg = layerConfigFromKeras('SeparableConv2D', { ...k2, kernel_initializer: { class_name: 'HeNormal', config: { seed: 3 } } }, 'x');
    assert.equal(cfg.kernelInitializer, undefined);
    assert.deepEqual(deserializeLayer({ className: 'SeparableConv2D', config: cfg }).getConfig(), sep.getConfig());
  });

  it('reads Keras class aliases through the layer registry', () => {
    const entry = (cls: string, config: JsonObject) => ({ class_name: cls, config: { name: cls.toLowerCase(), trainable: true, dtype: 'float32', ...config } });
    const spec = { class_name: 'Sequential', config: { name: 's', layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 1], dtype: 'float32', name: 'in' } },
      entry('Convolution2D', { filters: 2, kernel_size: [3, 3] }), entry('MaxPool2D', { pool_size: [2, 2] }),
      entry('GlobalAvgPool2D', {}),
    ] } };
    const model = modelFromKeras(spec, 'x');
    assert.deepEqual(model.layers.map((x) => x.className), ['Conv2D', 'MaxPooling2D', 'GlobalAveragePooling2D']);
  });

  it('refuses what would change the computation, naming the layer and key', () => {
    const base = { name: 'c', trainable: true, filters: 2, kernel_size: [3, 3] };
    assert.throws(() => layerConfigFromKeras('Conv2D', { ...base, groups: 2 }, "'f.keras' layer 'c'"), (e: Error) => e instanceof ModelFileError && /'c'.*groups/.test(e.message));
    assert.throws(() => layerConfigFromKeras('Conv2D', { ...base, data_format: 'channels_first' }, 'x'), /channels_first/);
    assert.throws(() => layerConfigFromKeras('Conv2D', { ...base, dtype: 'float16' }, 'x'), /float16/);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const cfg = layerConfigFromKeras('Conv2D', { ...base, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } } }, 'x');
    assert.equal(cfg.kernelRegularizer, undefined);
    return new Promise<void>((resolve) => setImmediate(() => {
      process.off('warning', onWarning);
      assert.ok(warnings.some((w) => /kernel_regularizer/.test(w)), 'a regularizer is dropped with a warning');
      resolve();
    }));
  });
});

describe('training configs', () => {
  it('optimizers survive tatami -> Keras 3 and tf.keras 2 JSON -> tatami', () => {
    const opts = [
      tt.optimizers.adam({ learningRate: 0.002, beta1: 0.8, amsgrad: true }),
      tt.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      tt.optimizers.rmsprop({ rho: 0.8, centered: true, clipNorm: 1 }),
      tt.optimizers.adagrad({ initialAccumulatorValue: 0.2 }),
      tt.optimizers.adadelta({ learningRate: 1, rho: 0.95 }),
    ];
    for (const style of ['keras3', 'keras2'] as KerasStyle[]) {
      for (const opt of opts) {
        const json = JSON.parse(pyJson(optimizerToKeras(opt, style)));
        assert.equal(typeof json.config.learning_rate, 'number');
        const back = optimizerFromKeras(json, 'test');
        assert.equal(back.className, opt.className);
        assert.deepEqual(back.getConfig(), opt.getConfig(), `${opt.className} (${style})`);
      }
    }
    // learning_rate is written as a float even when whole (Keras 3 rejects an int)
    assert.match(pyJson(optimizerToKeras(opts[4], 'keras3')), /"learning_rate": 1\.0/);
  });

  it("reads tf.keras 2's optimizer configs and refuses unsupported options", () => {
    const adam = optimizerFromKeras({ class_name: 'Custom>Adam', config: { name: 'Adam', learning_rate: 0.01, decay: 0, jit_compile: true, is_legacy_optimizer: false, beta_1: 0.9 } }, 'x');
    assert.equal(adam.className, 'Adam');
    assert.equal(adam.learningRate, 0.01);
    assert.equal(optimizerFromKeras({ class_name: 'SGD', config: { lr: 0.5, momentum: 0.0, decay: 0.0, nesterov: false } }, 'x').learningRate, 0.5);
    assert.throws(() => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: 0.01, weight_decay: 0.004 } }, "'f.h5'"), /'f.h5'.*weight_decay/);
    assert.throws(() => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: { class_name: 'ExponentialDecay', config: {} } } }, 'x'), /schedules/);
  });

  it('reads losses and metrics as Keras 2 and 3 store them', () => {
    assert.deepEqual(metricsFromKeras([[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'categorical_accuracy' } }]], 'x'), ['accuracy']);
    assert.deepEqual(metricsFromKeras(['acc', { module: 'keras.metrics', class_name: 'CategoricalAccuracy', config: { name: 'categorical_accuracy' } }], 'x'), ['acc', 'categorical_accuracy']);
    const args = compileArgsFromKeras({
      optimizer: 'adam',
      loss: { module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: { name: 'categorical_crossentropy', from_logits: true, label_smoothing: 0.1 } },
      metrics: null,
    }, 'x');
    const loss = args.loss as { name: string; options: { fromLogits?: boolean; labelSmoothing?: number } };
    assert.equal(loss.name, 'categoricalCrossentropy');
    assert.deepEqual(loss.options, { fromLogits: true, labelSmoothing: 0.1 });
  });
});
