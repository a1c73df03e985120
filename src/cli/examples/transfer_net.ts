import { layers } from '../../layers/index';
import { input } from '../../models/input';
import { model, type LayersModel } from '../../models/functional';
import type { SymbolicTensor } from '../../layers/symbolic';

/**
 * The networks of the fashion-transfer example: a small VGG-style base (Keras's VGG layer names,
 * block1_conv1 ... block3_pool) and the seed's new head. The seed fine-tunes Inception-v3 from
 * ImageNet; no ImageNet weights can be had here, so the example pretrains this base itself.
 */

/** Filters of the three blocks; two 3x3 'same' convolutions each, closed by a 2x2 max pooling. */
export const BASE_FILTERS = [16, 32, 64] as const;

/** The last layer of the base without its top (Keras's include_top=False ends at the last pool). */
export const BASE_OUTPUT = 'block3_pool';

/**
 * Phase 2 freezes model.layers.slice(0, FREEZE_BELOW) and trains the rest, as the seed's
 * layers[:249] / layers[249:] unfreezes Inception-v3's top two blocks: 4 = the input layer and
 * block 1, so blocks 2-3 and the head train.
 */
export const FREEZE_BELOW = 4;

/** Units of the head's hidden Dense (the seed's Dense(1024) over Inception-v3's 2,048 features). */
export const HEAD_UNITS = 128;

/** (28, 28, 1) → block3_pool (3, 3, 64), VGG's layer names. */
function vggBlocks(x: SymbolicTensor): SymbolicTensor {
  BASE_FILTERS.forEach((filters, b) => {
    for (let i = 1; i <= 2; i++) {
      x = layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same', name: `block${b + 1}_conv${i}` }).apply(x) as SymbolicTensor;
    }
    x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x) as SymbolicTensor;
  });
  return x;
}

/**
 * The network pretrained on the source classes, with VGG's top (flatten, fc1, predictions):
 * 28x28x1 images in 0..1 → `classes` probabilities.
 */
export function pretrainNet(classes: number): LayersModel {
  const img = input({ shape: [28, 28, 1], name: 'input_layer' });
  let x = vggBlocks(img);
  x = layers.flatten({ name: 'flatten' }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: HEAD_UNITS, activation: 'relu', name: 'fc1' }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x) as SymbolicTensor;
  return model({ inputs: img, outputs: x, name: 'small_vgg' });
}

/** The seed's head on a base: GlobalAveragePooling2D → Dense(relu) → Dense(classes, softmax). */
export function withHead(base: LayersModel, classes: number, name: string): LayersModel {
  let x = layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(base.outputs[0]) as SymbolicTensor;
  x = layers.dense({ units: HEAD_UNITS, activation: 'relu', name: 'dense' }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: classes, activation: 'softmax', name: 'dense_1' }).apply(x) as SymbolicTensor;
  return model({ inputs: base.inputs, outputs: x, name });
}

/** Keras's include_top=False of a (pretrained) network: its layers up to block3_pool, weights shared. */
export function baseOf(pretrained: LayersModel): LayersModel {
  return model({ inputs: pretrained.inputs, outputs: pretrained.getLayer(BASE_OUTPUT).output, name: 'small_vgg_notop' });
}

/** The transfer network from scratch: a new base (random weights) with the same head. */
export function scratchNet(classes: number): LayersModel {
  const img = input({ shape: [28, 28, 1], name: 'input_layer' });
  return withHead(model({ inputs: img, outputs: vggBlocks(img), name: 'small_vgg_notop' }), classes, 'from_scratch');
}

/** Phase 1: every base layer frozen (the seed's `for layer in base_model.layers: layer.trainable = False`). */
export function freezeBase(base: LayersModel): void {
  for (const l of base.layers) l.trainable = false;
}

/** Phase 2: model.layers.slice(0, k) frozen, the rest trainable (the seed's layers[:249] / layers[249:]). */
export function unfreezeFrom(net: LayersModel, k: number = FREEZE_BELOW): void {
  net.layers.forEach((l, i) => (l.trainable = i >= k));
}
