import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import * as tt from '../src/index';
import { ShapeError, TatamiError, ValueError } from '../src/util/errors';
import { ModelFileError } from '../src/saving/files';
import { layerConfigFromKeras } from '../src/saving/keras_config';
import { compileArgsFromKeras, optimizerFromKeras } from '../src/saving/training_config';
import { functionalFromKeras } from '../src/saving/functional_io';
import { unpackKeras } from '../src/saving/keras_zip';
import { deserializeLayer } from '../src/layers/registry';
import { getActivation } from '../src/activations/index';
import { getOptimizer } from '../src/optimizers/index';
import { pyFormat } from '../src/callbacks/py_format';
import type { Json, JsonObject } from '../src/saving/pyjson';

// Every feature tatami does not have, each asserted to throw its clear error (never to be
// silently ignored or skipped). When one is implemented, its row moves to a test of the feature.

type ErrorClass = new (...args: never[]) => Error;
interface Row {
  feature: string;
  call: () => unknown;
  error: ErrorClass;
  message: RegExp;
}

const L = tt.layers;

function twoHeads(): tt.LayersModel {
  const x = tt.input({ shape: [3] });
  const m = tt.model({ inputs: x, outputs: [L.dense({ units: 2 }).apply(x) as tt.SymbolicTensor, L.dense({ units: 2 }).apply(x) as tt.SymbolicTensor] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

function twoInputs(): tt.LayersModel {
  const a = tt.input({ shape: [3] });
  const b = tt.input({ shape: [3] });
  const m = tt.model({ inputs: [a, b], outputs: L.add().apply([a, b]) as tt.SymbolicTensor });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

function smallSequential(): tt.Sequential {
  const m = tt.sequential([L.dense({ units: 2, inputShape: [3] })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

/** A Keras 3 functional config whose Dense call got a tensor-free keyword argument or a tensor one. */
function functionalWithCall(history: Json[], kwargs: JsonObject = {}, className = 'Dense'): JsonObject {
  const tensor = { class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: history } };
  return {
    class_name: 'Functional',
    config: {
      name: 'f',
      layers: [
        { class_name: 'InputLayer', name: 'in', config: { batch_shape: [null, 3], dtype: 'float32', name: 'in' }, inbound_nodes: [] },
        { class_name: className, name: 'd', config: { name: 'd', units: 2 }, inbound_nodes: [{ args: [tensor], kwargs }] },
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['d', 0, 0]],
    },
  };
}

const channelsFirst: [string, () => unknown][] = [
  ['Conv2D', () => L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never })],
  ['DepthwiseConv2D', () => L.depthwiseConv2d({ kernelSize: 3, dataFormat: 'channelsFirst' as never })],
  ['SeparableConv2D', () => L.separableConv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never })],
  ['Conv2DTranspose', () => L.conv2dTranspose({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never })],
  ['MaxPooling2D', () => L.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' as never })],
  ['AveragePooling2D', () => L.averagePooling2d({ poolSize: 2, dataFormat: 'channelsFirst' as never })],
  ['GlobalAveragePooling2D', () => L.globalAveragePooling2d({ dataFormat: 'channelsFirst' as never })],
  ['GlobalMaxPooling2D', () => L.globalMaxPooling2d({ dataFormat: 'channelsFirst' as never })],
  ['ZeroPadding2D', () => L.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst' as never })],
  ['UpSampling2D', () => L.upSampling2d({ size: 2, dataFormat: 'channelsFirst' as never })],
  ['Flatten', () => L.flatten({ dataFormat: 'channelsFirst' } as never)],
];

const rows: Row[] = [
  // data layout
  ...channelsFirst.map(([name, call]): Row => ({ feature: `channels_first (NCHW) ${name}`, call, error: ValueError, message: new RegExp(`^${name}: dataFormat 'channelsFirst' is not supported; tatami is channels-last`) })),
  { feature: 'channels_first in a Keras layer config', call: () => layerConfigFromKeras('Conv2D', { data_format: 'channels_first' }, "'m.keras' conv2d"),
    error: ModelFileError, message: /'m\.keras' conv2d: data_format 'channels_first' is not supported \(tatami is channels-last\)/ },

  // layer options
  { feature: 'Conv2D groups != 1', call: () => L.conv2d({ filters: 4, kernelSize: 3, groups: 2 } as never), error: ValueError, message: /Conv2D: unknown option 'groups'/ },
  { feature: 'Conv2D groups != 1 in a Keras config', call: () => layerConfigFromKeras('Conv2D', { groups: 2 }, 'x'), error: ModelFileError, message: /groups=2 is not supported by tatami/ },
  { feature: 'UpSampling2D bilinear', call: () => L.upSampling2d({ size: 2, interpolation: 'bilinear' as never }),
    error: ValueError, message: /interpolation 'bilinear' is not supported; tatami implements 'nearest'/ },
  { feature: 'Dropout noiseShape', call: () => L.dropout({ rate: 0.5, noiseShape: [1, 3] }), error: ValueError, message: /noiseShape is not supported/ },
  { feature: 'regularizers as layer options', call: () => L.dense({ units: 2, kernelRegularizer: 'l2' } as never), error: ValueError, message: /Dense: unknown option 'kernelRegularizer'/ },
  { feature: 'BatchNormalization renorm in a Keras config', call: () => layerConfigFromKeras('BatchNormalization', { renorm: true }, 'x'),
    error: ModelFileError, message: /renorm=true is not supported by tatami/ },
  { feature: 'recurrent and other unregistered layers', call: () => deserializeLayer({ className: 'LSTM', config: { units: 3 } }),
    error: ValueError, message: /unknown layer class 'LSTM'/ },
  { feature: 'recurrent and other unregistered layers in a Keras file', call: () => functionalFromKeras(functionalWithCall(['in', 0, 0], {}, 'LSTM'), 'f.keras'),
    error: ModelFileError, message: /'f\.keras' layer 'd' \(LSTM\): tatami has no layer class 'LSTM'/ },

  // dtypes
  { feature: 'float16 tensors', call: () => tt.tensor([1.5, 2], [2], 'float16' as never), error: ValueError, message: /dtype 'float16' is not supported; tatami computes in float32/ },
  { feature: 'bfloat16 tensors', call: () => tt.zeros([2], 'bfloat16' as never), error: ValueError, message: /dtype 'bfloat16' is not supported/ },
  { feature: 'casting to float16', call: () => tt.tensor([1, 2]).cast('float16' as never), error: ValueError, message: /dtype 'float16' is not supported/ },
  { feature: 'float16 layer dtype', call: () => L.dense({ units: 2, dtype: 'float16' }), error: ValueError, message: /Dense: dtype 'float16' is not supported/ },
  { feature: 'float16 in a Keras config', call: () => layerConfigFromKeras('Dense', { dtype: 'float16' }, 'x'), error: ModelFileError, message: /dtype '"float16"' is not supported/ },
  { feature: 'mixed_bfloat16 dtype policy in a Keras config',
    call: () => layerConfigFromKeras('Dense', { dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_bfloat16' } } }, 'x'),
    error: ModelFileError, message: /dtype '"mixed_bfloat16"' is not supported/ },

  // ops
  { feature: 'matMul with a vector (NumPy rank-1 promotion)', call: () => tt.matMul(tt.tensor([1, 2]), tt.tensor([[1], [2]])), error: ShapeError, message: /matMul: inputs must have rank at least 2/ },

  // optimizers
  { feature: 'learning-rate schedules', call: () => tt.optimizers.adam({ learningRate: (() => 0.1) as never }), error: ValueError, message: /learning-rate schedules are not supported/ },
  { feature: 'learning-rate schedules in a Keras config',
    call: () => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: { class_name: 'ExponentialDecay', config: {} } } }, 'x'),
    error: ModelFileError, message: /learning-rate schedules are not supported/ },
  { feature: 'weight_decay', call: () => tt.optimizers.adam({ weightDecay: 0.01 } as never), error: ValueError, message: /adam: unknown option 'weightDecay'/ },
  { feature: 'weight_decay in a Keras config', call: () => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: 0.01, weight_decay: 0.004 } }, 'x'),
    error: ModelFileError, message: /optimizer option weight_decay=0\.004 is not supported by tatami/ },
  { feature: 'EMA of the weights', call: () => tt.optimizers.sgd({ useEma: true } as never), error: ValueError, message: /SGD: unknown option 'useEma'/ },
  { feature: 'EMA in a Keras config', call: () => optimizerFromKeras({ class_name: 'SGD', config: { learning_rate: 0.01, use_ema: true } }, 'x'),
    error: ModelFileError, message: /use_ema=true is not supported/ },
  { feature: 'global_clipnorm in a Keras config', call: () => optimizerFromKeras({ class_name: 'SGD', config: { learning_rate: 0.01, global_clipnorm: 1 } }, 'x'),
    error: ModelFileError, message: /global_clipnorm=1 is not supported/ },
  { feature: 'gradient accumulation in a Keras config',
    call: () => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: 0.01, gradient_accumulation_steps: 4 } }, 'x'),
    error: ModelFileError, message: /gradient_accumulation_steps=4 is not supported/ },
  { feature: 'optimizers tatami lacks (AdamW, Lion, Ftrl)', call: () => getOptimizer('AdamW'), error: ValueError, message: /unknown optimizer 'AdamW'; known: .*nadam/ },

  // activations
  { feature: 'activations tatami lacks (celu, glu, log_sigmoid, ...)', call: () => getActivation('log_sigmoid'), error: ValueError, message: /unknown activation 'log_sigmoid'/ },

  // models
  { feature: 'a Sequential nested in a Sequential', call: () => tt.sequential([smallSequential() as never]), error: ValueError, message: /Sequential\.add expects a layer/ },
  { feature: 'a functional model nested in a functional model', call: () => twoInputs().apply(tt.input({ shape: [3] }) as never),
    error: TatamiError, message: /nesting models as layers is not supported/ },
  { feature: 'a Sequential nested in a functional model', call: () => smallSequential().apply(tt.input({ shape: [3] }) as never),
    error: TatamiError, message: /nesting models as layers is not supported/ },
  { feature: 'fit with several outputs', call: () => twoHeads().fit(tt.zeros([4, 3]), tt.zeros([4, 2]), { verbose: 0 }),
    error: TatamiError, message: /has 1 inputs and 2 outputs; fit and evaluate support one of each/ },
  { feature: 'fit with several inputs', call: () => twoInputs().fit(tt.zeros([4, 3]), tt.zeros([4, 3]), { verbose: 0 }),
    error: TatamiError, message: /has 2 inputs and 1 outputs; fit and evaluate support one of each/ },
  { feature: 'evaluate with several outputs', call: () => twoHeads().evaluate(tt.zeros([4, 3]), tt.zeros([4, 2]), { verbose: 0 }),
    error: TatamiError, message: /fit and evaluate support one of each/ },
  { feature: 'per-output losses in a Keras training config', call: () => compileArgsFromKeras({ optimizer: 'sgd', loss: { a: 'mse', b: 'mse' } }, 'x'),
    error: ModelFileError, message: /per-output losses are not supported/ },
  { feature: 'compile lossWeights', call: () => smallSequential().compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: [1] } as never),
    error: ValueError, message: /compile: unknown option 'lossWeights'/ },
  { feature: 'fit sampleWeight', call: () => smallSequential().fit(tt.zeros([4, 3]), tt.zeros([4, 2]), { verbose: 0, sampleWeight: tt.ones([4]) } as never),
    error: ValueError, message: /fit: unknown option 'sampleWeight'/ },
  { feature: 'fit classWeight', call: () => smallSequential().fit(tt.zeros([4, 3]), tt.zeros([4, 2]), { verbose: 0, classWeight: { 0: 1 } } as never),
    error: ValueError, message: /fit: unknown option 'classWeight'/ },

  // files
  { feature: '.keras archives with npz weights', call: () => unpackKeras(zipSync({ 'config.json': new TextEncoder().encode('{}'), 'model.weights.npz': new Uint8Array(4) }), 'w.keras'),
    error: ModelFileError, message: /'w\.keras' is not a \.keras model: .*\(npz weights are not supported\)/ },
  { feature: 'call arguments in a functional config', call: () => functionalFromKeras(functionalWithCall(['in', 0, 0, { mask: null, scale: 2 }]), 'f.keras'),
    error: ModelFileError, message: /call arguments .* are not supported/ },
  { feature: 'tensors passed as keyword arguments in a functional config',
    call: () => functionalFromKeras(functionalWithCall(['in', 0, 0], { mask: { class_name: '__keras_tensor__', config: { keras_history: ['in', 0, 0] } } }), 'f.keras'),
    error: ModelFileError, message: /tensors passed as keyword arguments are not supported/ },

  // ModelCheckpoint file names (Python str.format)
  { feature: 'nested replacement fields in a checkpoint path', call: () => pyFormat('w{epoch:{width}}.h5', { epoch: 1, width: 3 }),
    error: ValueError, message: /nested replacement fields are not supported/ },
  { feature: 'attribute access in a checkpoint path', call: () => pyFormat('w{logs.loss}.h5', { loss: 1 }),
    error: ValueError, message: /attribute or index access '\{logs\.loss\}' is not supported/ },
];

describe('unsupported features throw their clear error', () => {
  for (const row of rows) {
    it(row.feature, async () => {
      // sync throws and rejected promises (fit, evaluate) alike
      await assert.rejects(async () => row.call(), (e: Error) => {
        assert.ok(e instanceof row.error, `${row.feature}: threw ${e.constructor.name} (${e.message}), expected ${row.error.name}`);
        assert.match(e.message, row.message, `${row.feature}: message`);
        return true;
      });
    });
  }
});
