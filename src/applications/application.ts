import type { Tensor } from '../tensor/tensor';
import type { LayersModel } from '../models/functional';
import type { ApplicationArgs } from './common';
import { decodePredictions, preprocessInput, type ImageNetPrediction, type PreprocessMode } from './imagenet_utils';

/**
 * One of Keras's application networks: called, it builds the model (Keras's VGG16(...)); it also
 * carries the network's own input preprocessing and ImageNet decoding (Keras's module functions
 * keras.applications.vgg16.preprocess_input / decode_predictions).
 * @example
 *   const model = tt.applications.vgg16({ weights: null });
 *   const x = tt.applications.vgg16.preprocessInput(images);   // (N, 224, 224, 3) RGB in [0, 255]
 *   tt.applications.vgg16.decodePredictions(model.predict(x) as tt.Tensor, 3);
 */
export interface Application<A extends ApplicationArgs = ApplicationArgs> {
  (args?: A): LayersModel;
  /** The preprocessing the network's ImageNet weights expect, on RGB pixels in [0, 255] (a new tensor). */
  preprocessInput(x: Tensor): Tensor;
  /** The `top` best ImageNet classes of each sample, [classId, name, score], best first. */
  decodePredictions(preds: Tensor | number[][], top?: number): ImageNetPrediction[][];
  /** The preprocessing mode: 'caffe' or 'tf'. */
  readonly preprocessMode: PreprocessMode;
}

export function defineApplication<A extends ApplicationArgs>(build: (args?: A) => LayersModel, mode: PreprocessMode): Application<A> {
  const app = (args?: A) => build(args);
  return Object.assign(app, {
    preprocessInput: (x: Tensor) => preprocessInput(x, { mode }),
    decodePredictions: (preds: Tensor | number[][], top = 5) => decodePredictions(preds, top),
    preprocessMode: mode,
  });
}
