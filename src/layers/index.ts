/**
 * The layers tatami has: ALL_LAYERS registers each one and builds the tt.layers factories.
 *
 * Adding a layer touches its own file, this list and its tests. In the layer's file, give the class
 * `static readonly className = 'KerasName'` (Keras's class name: it names the layer in configs, saved
 * files and errors, whatever a minifier does to the JS class name) and export a
 * `defineLayer({ cls, factories, layout, keras2Layout?, aliases? })`: `factories` maps the tfjs
 * factory names (conv2d, plus tfjs's other names such as maxPool2d) to functions building the layer;
 * `layout` is Keras 3's get_config key order after name/trainable/dtype, with the value Keras writes
 * for each option tatami does not hold (read it from keras/src/layers/**.get_config);
 * `keras2Layout` is tf.keras 2's order where it differs; `aliases` are other Keras class names
 * read as this layer (MaxPool2D). Then add the definition to ALL_LAYERS below and export the class.
 * The saving code reads layouts and aliases from the registry; test/layers/registry.test.ts checks
 * every listed layer's factory, layouts and Keras config round trip.
 */
import { TatamiError } from '../util/errors';
import { Layer } from './layer';
import { Dense, denseLayer, type DenseArgs } from './dense';
import { Conv2D, conv2dLayer, type Conv2DArgs } from './conv2d';
import { AveragePooling2D, MaxPooling2D, averagePooling2dLayer, maxPooling2dLayer, type Pooling2DArgs } from './pooling';
import {
  Activation, Dropout, Flatten, InputLayer, Reshape, activationLayer, dropoutLayer, flattenLayer, inputLayerLayer, reshapeLayer,
  type DropoutArgs, type InputLayerArgs, type ReshapeArgs,
} from './core';
import type { LayerArgs } from './layer';
import { registerLayer, type LayerDefinition, type LayerFactories } from './registry';
import { BatchNormalization, batchNormalizationLayer, type BatchNormalizationArgs } from './batch_normalization';
import {
  GlobalAveragePooling2D, GlobalMaxPooling2D, globalAveragePooling2dLayer, globalMaxPooling2dLayer, type GlobalPooling2DArgs,
} from './global_pooling';
import { ZeroPadding2D, zeroPadding2dLayer, type ZeroPadding2DArgs } from './zero_padding2d';
import { UpSampling2D, upSampling2dLayer, type UpSampling2DArgs } from './up_sampling2d';
import { Rescaling, rescalingLayer, type RescalingArgs } from './rescaling';
import { Add, addLayer } from './add';
import { Concatenate, concatenateLayer, type ConcatenateArgs } from './concatenate';
import { DepthwiseConv2D, depthwiseConv2dLayer, type DepthwiseConv2DArgs } from './depthwise_conv2d';
import { SeparableConv2D, separableConv2dLayer, type SeparableConv2DArgs } from './separable_conv2d';
import { Conv2DTranspose, conv2dTransposeLayer, type Conv2DTransposeArgs } from './conv2d_transpose';
import { RandomFlip, randomFlipLayer, type RandomFlipArgs } from './preprocessing/random_flip';
import { RandomRotation, randomRotationLayer, type RandomRotationArgs } from './preprocessing/random_rotation';
import { RandomTranslation, randomTranslationLayer, type RandomTranslationArgs } from './preprocessing/random_translation';
import { RandomZoom, randomZoomLayer, type RandomZoomArgs } from './preprocessing/random_zoom';
import { RandomContrast, randomContrastLayer, type RandomContrastArgs } from './preprocessing/random_contrast';
import { RandomCrop, randomCropLayer, type RandomCropArgs } from './preprocessing/random_crop';
import { Resizing, resizingLayer, type ResizingArgs } from './preprocessing/resizing';
import { CenterCrop, centerCropLayer, type CenterCropArgs } from './preprocessing/center_crop';
import { ReLU, reluLayer, type ReLUArgs } from './relu';

export { Layer, Dense, Conv2D, MaxPooling2D, AveragePooling2D, Dropout, Flatten, Reshape, Activation, InputLayer };
export type { DenseArgs, Conv2DArgs, Pooling2DArgs, DropoutArgs, ReshapeArgs, InputLayerArgs, LayerArgs };
export {
  serializeLayer, deserializeLayer, registerLayer, defineLayer, layerClass, layerDefinition, registeredLayers, kerasLayout,
  canonicalLayerName,
} from './registry';
export type { LayerDefinition, KerasLayout, KerasKey, LayerClass } from './registry';
export { BatchNormalization, GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, UpSampling2D, Rescaling, Add,
  Concatenate, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, ReLU };
export type { BatchNormalizationArgs, GlobalPooling2DArgs, ZeroPadding2DArgs, UpSampling2DArgs, RescalingArgs, ConcatenateArgs,
  DepthwiseConv2DArgs, SeparableConv2DArgs, Conv2DTransposeArgs, ReLUArgs };
export { RandomFlip, RandomRotation, RandomTranslation, RandomZoom, RandomContrast, RandomCrop, Resizing, CenterCrop };
export type { RandomFlipArgs, RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, RandomContrastArgs, RandomCropArgs, ResizingArgs,
  CenterCropArgs };

/** Every layer tatami has, in the order `tt.layers` lists its factories. */
export const ALL_LAYERS = [
  inputLayerLayer, denseLayer, conv2dLayer, maxPooling2dLayer, averagePooling2dLayer, dropoutLayer, flattenLayer, reshapeLayer,
  activationLayer, batchNormalizationLayer, globalAveragePooling2dLayer, globalMaxPooling2dLayer, zeroPadding2dLayer,
  upSampling2dLayer, rescalingLayer, addLayer, concatenateLayer, depthwiseConv2dLayer, separableConv2dLayer, conv2dTransposeLayer,
  randomFlipLayer, randomRotationLayer, randomTranslationLayer, randomZoomLayer, randomContrastLayer, randomCropLayer, resizingLayer,
  centerCropLayer,
  reluLayer,
] as const;

for (const def of ALL_LAYERS) registerLayer(def);

/** The factories of all the listed layers as one object type: { dense(args): Dense } & { conv2d(...): Conv2D } & ... */
type Merged<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type FactoriesOf<D> = D extends LayerDefinition<infer F> ? F : never;
type AllFactories = Merged<FactoriesOf<(typeof ALL_LAYERS)[number]>>;

function collectFactories(defs: readonly LayerDefinition<LayerFactories>[]): LayerFactories {
  const out: LayerFactories = {};
  for (const def of defs) {
    for (const [name, make] of Object.entries(def.factories)) {
      if (name in out) throw new TatamiError(`two layers define the factory '${name}'`);
      out[name] = make;
    }
  }
  return out;
}

/** Layer factories with TensorFlow.js's names: tt.layers.conv2d({...}). */
export const layers = collectFactories(ALL_LAYERS) as AllFactories;
