import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_LAYERS, Dense, canonicalLayerName, deserializeLayer, kerasLayout, layerClass, layerDefinition, layers, registeredLayers,
  type Layer,
} from '../../src/layers/index';
import { ValueError } from '../../src/util/errors';
import { layerConfigFromKeras, layerConfigToKeras, toSnake, type KerasStyle } from '../../src/saving/keras_config';
import { pyJson, type JsonObject } from '../../src/saving/pyjson';

// The registry against the list in src/layers/index.ts: every layer there has a factory, Keras
// layouts that cover its options, and a config round trip through Keras's JSON in both styles.

/** Options away from the defaults for every registered layer; a new layer must add a line here. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  InputLayer: { batchInputShape: [null, 5, 3] },
  Dense: { units: 7, activation: 'softmax', useBias: false, kernelInitializer: 'heNormal' },
  Conv2D: { filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'leakyRelu', dilationRate: 1, biasInitializer: 'ones' },
  MaxPooling2D: { poolSize: 3, strides: 1, padding: 'same' },
  AveragePooling2D: { poolSize: [2, 3] },
  Dropout: { rate: 0.3 },
  Flatten: {},
  Reshape: { targetShape: [4, -1] },
  Activation: { activation: 'logSoftmax' },
  BatchNormalization: { momentum: 0.9, epsilon: 1e-5, center: false, movingVarianceInitializer: 'zeros' },
  GlobalAveragePooling2D: { keepdims: true },
  GlobalMaxPooling2D: {},
  ZeroPadding2D: { padding: [[1, 2], [3, 4]] },
  UpSampling2D: { size: [2, 3] },
  Rescaling: { scale: 1 / 255, offset: -1 },
  Add: {},
  Concatenate: { axis: 1 },
  DepthwiseConv2D: { kernelSize: 3, depthMultiplier: 2, strides: 2, useBias: false, depthwiseInitializer: 'heUniform' },
  SeparableConv2D: { filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', pointwiseInitializer: 'zeros' },
  Conv2DTranspose: { filters: 3, kernelSize: 3, strides: 2, outputPadding: 1, activation: 'relu' },
  RandomFlip: { mode: 'horizontal', seed: 3 },
  RandomRotation: { factor: [-0.2, 0.1], fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest' },
  RandomTranslation: { heightFactor: 0.1, widthFactor: [-0.2, 0.3], fillMode: 'wrap', seed: 7 },
  RandomZoom: { heightFactor: [-0.3, 0.2], fillMode: 'nearest' },
  RandomContrast: { factor: 0.3, valueRange: [0, 1] },
  RandomCrop: { height: 5, width: 4, seed: 11 },
  Resizing: { height: 6, width: 5, interpolation: 'nearest', cropToAspectRatio: true },
  CenterCrop: { height: 3, width: 7 },
  ReLU: { maxValue: 6, negativeSlope: 0.1, threshold: 0.5 },
};

function sample(className: string): Layer {
  const args = SAMPLES[className];
  assert.ok(args, `add sample options for ${className} to SAMPLES in test/layers/registry.test.ts`);
  return deserializeLayer({ className, config: { ...args } });
}

const names = ALL_LAYERS.map((d) => d.cls.className);

describe('layer registry', () => {
  it('registers exactly the listed layers, each under its static className', () => {
    assert.deepEqual(registeredLayers(), names);
    assert.equal(new Set(names).size, names.length, 'no two layers share a name');
    for (const def of ALL_LAYERS) {
      assert.equal(layerClass(def.cls.className), def.cls);
      assert.equal(layerDefinition(def.cls.className), def);
      assert.ok(Object.prototype.hasOwnProperty.call(def.cls, 'className'), `${def.cls.className} declares its own static className`);
    }
  });

  it('tt.layers holds exactly the listed factories, and each builds its own layer', () => {
    const listed = ALL_LAYERS.flatMap((d) => Object.keys(d.factories));
    assert.deepEqual(Object.keys(layers).sort(), [...listed].sort());
    for (const def of ALL_LAYERS) {
      const factories = Object.entries(def.factories);
      assert.ok(factories.length > 0, `${def.cls.className} has a factory`);
      for (const [name, make] of factories) {
        assert.match(name, /^[a-z][A-Za-z0-9]*$/, `${name} is a tfjs-style camelCase name`);
        const layer = make({ ...SAMPLES[def.cls.className] });
        assert.ok(layer instanceof def.cls, `layers.${name} builds a ${def.cls.className}`);
        assert.equal(layer.className, def.cls.className);
        assert.equal((layers as Record<string, unknown>)[name], make);
      }
    }
  });

  it('resolves Keras aliases to the registered names', () => {
    const expected: Record<string, string> = {
      MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D', Convolution2D: 'Conv2D', GlobalAvgPool2D: 'GlobalAveragePooling2D',
      GlobalMaxPool2D: 'GlobalMaxPooling2D', Convolution2DTranspose: 'Conv2DTranspose', SeparableConvolution2D: 'SeparableConv2D',
    };
    for (const [alias, name] of Object.entries(expected)) {
      assert.equal(canonicalLayerName(alias), name);
      assert.equal(layerClass(alias), layerClass(name));
    }
    assert.equal(canonicalLayerName('Dense'), 'Dense');
    assert.equal(canonicalLayerName('LSTM'), 'LSTM', 'unknown names pass through');
    assert.throws(() => layerClass('LSTM'), (e: Error) => e instanceof ValueError && /unknown layer class 'LSTM'.*Conv2DTranspose/.test(e.message));
  });

  for (const style of ['keras3', 'keras2'] as KerasStyle[]) {
    it(`${style} layouts list every option of every layer once, in snake_case`, () => {
      for (const name of names) {
        const layout = kerasLayout(name, style);
        const keys = layout.map(([k]) => k);
        assert.equal(new Set(keys).size, keys.length, `${name}: a key appears twice`);
        for (const k of keys) assert.match(k, /^[a-z][a-z0-9_]*$/, `${name}: ${k}`);
        for (const k of Object.keys(sample(name).getConfig())) {
          if (k === 'name' || k === 'trainable' || (k === 'batchInputShape' && name !== 'InputLayer')) continue;
          const snake = k === 'batchInputShape' ? (style === 'keras3' ? 'batch_shape' : 'batch_input_shape') : toSnake(k);
          assert.ok(keys.includes(snake), `${name} (${style}): option ${k} is missing from the layout`);
        }
      }
    });

    it(`every layer survives tatami -> ${style} JSON -> tatami, with Keras's key order`, () => {
      for (const name of names) {
        const layer = sample(name);
        const before = layer.getConfig();
        const json = JSON.parse(pyJson(layerConfigToKeras(name, before, style))) as JsonObject;
        const keys = Object.keys(json);
        assert.deepEqual(keys.slice(0, 3), ['name', 'trainable', 'dtype'], name);
        const layoutKeys = kerasLayout(name, style).map(([k]) => k);
        assert.deepEqual(keys.filter((k) => layoutKeys.includes(k)), layoutKeys, `${name} (${style}): every layout key, in order`);
        const back = deserializeLayer({ className: name, config: layerConfigFromKeras(name, json, `test ${name}`) });
        assert.equal(back.constructor, layer.constructor);
        if (style === 'keras3' && name !== 'InputLayer') delete before.batchInputShape; // Keras 3 keeps it in the InputLayer only
        assert.deepEqual(back.getConfig(), before, `${name} (${style})`);
      }
    });
  }

  it('names the layer by its Keras class name in option errors', () => {
    for (const def of ALL_LAYERS) {
      const make = Object.values(def.factories)[0];
      assert.throws(() => make({ ...SAMPLES[def.cls.className], bogusOption: 1 }),
        (e: Error) => e instanceof ValueError && e.message.startsWith(`${def.cls.className}: unknown option 'bogusOption'`), def.cls.className);
    }
  });

  it('does not depend on the JS class names, which minifiers rename', () => {
    const original = Object.getOwnPropertyDescriptor(Dense, 'name')!;
    Object.defineProperty(Dense, 'name', { value: 'a' });
    try {
      assert.equal(Dense.name, 'a');
      const d = layers.dense({ units: 2 });
      assert.equal(d.className, 'Dense');
      assert.match(d.name, /^dense(_\d+)?$/);
      assert.throws(() => layers.dense({ units: 2, unit: 3 } as never), /^ValueError: Dense: unknown option 'unit'/);
      assert.equal(layerConfigToKeras(d.className, d.getConfig(), 'keras3').units, 2);
      assert.ok(deserializeLayer({ className: 'Dense', config: d.getConfig() }) instanceof Dense);
    } finally {
      Object.defineProperty(Dense, 'name', original);
    }
  });
});
