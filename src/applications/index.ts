/**
 * Keras's application networks (keras.applications), built as functional models with Keras's
 * layers, layer names, layer order and parameter counts: tt.applications.vgg16(...) is Keras's
 * VGG16(...), and tt.applications.vgg16.preprocessInput / decodePredictions are the functions of
 * Keras's vgg16 module. The Keras names (VGG16, ResNet50, ...) are the same objects.
 * With weights ('imagenet' or a file) the call returns a Promise: Keras's own weight files are
 * read from weightsDir, $TATAMI_WEIGHTS_DIR or Keras's cache (~/.keras/models/), never downloaded.
 * @example
 *   const base = tt.applications.inceptionV3({ includeTop: false, weights: null, inputShape: [190, 190, 3] });
 *   base.layers.slice(0, 249).forEach((l) => (l.trainable = false));   // up to mixed8, as in Keras
 *   const vgg = await tt.applications.vgg16({ weights: 'imagenet' });  // vgg16_weights_tf_dim_ordering_tf_kernels.h5
 */
import { vgg16, vgg19 } from './vgg';
import { resNet50 } from './resnet';
import { inceptionV3 } from './inception_v3';
import { mobileNetV2 } from './mobilenet_v2';
import { decodePredictions, imagenetClass, preprocessInput } from './imagenet_utils';

export { vgg16, vgg19, resNet50, inceptionV3, mobileNetV2 };
export { vgg16 as VGG16, vgg19 as VGG19, resNet50 as ResNet50, inceptionV3 as InceptionV3, mobileNetV2 as MobileNetV2 };
export type { Application } from './application';
export type { ApplicationArgs } from './common';
export type { MobileNetV2Args } from './mobilenet_v2';
export type { ImageNetPrediction, PreprocessArgs, PreprocessMode } from './imagenet_utils';
export { WeightsNotAvailableError, weightsSearchPath } from './weights';
export { IMAGENET_CLASSES } from './imagenet_classes';

/** Keras's keras.applications.imagenet_utils: preprocessInput(x, { mode }), decodePredictions(preds, top). */
export const imagenetUtils = { preprocessInput, decodePredictions, imagenetClass };
