import type { Tensor } from '../tensor/tensor';
import type { LayersModel } from '../models/functional';
import { ModelFileError } from '../saving/files';
import { loadWeightFile } from '../saving/application_weights';
import type { ApplicationArgs, Built } from './common';
import { decodePredictions, preprocessInput, type ImageNetPrediction, type PreprocessMode } from './imagenet_utils';
import type { WeightsRequest } from './weights';

/**
 * One of Keras's application networks: called, it builds the model (Keras's VGG16(...)); it also
 * carries the network's own input preprocessing and ImageNet decoding (Keras's module functions
 * keras.applications.vgg16.preprocess_input / decode_predictions). Without weights the model is
 * returned at once; with weights ('imagenet' or a file) the call returns a Promise of the model
 * with the file's weights, and every error (options included) rejects it.
 * @example
 *   const model = tt.applications.vgg16({ weights: null });
 *   const vgg = await tt.applications.vgg16({ weights: 'imagenet' });   // ~/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5
 *   const x = tt.applications.vgg16.preprocessInput(images);   // (N, 224, 224, 3) RGB in [0, 255]
 *   tt.applications.vgg16.decodePredictions(vgg.predict(x) as tt.Tensor, 3);
 */
export interface Application<A extends ApplicationArgs = ApplicationArgs> {
  (args?: A & { weights?: null }): LayersModel;
  (args: A & { weights: string }): Promise<LayersModel>;
  (args?: A): LayersModel | Promise<LayersModel>;
  /** The preprocessing the network's ImageNet weights expect, on RGB pixels in [0, 255] (a new tensor). */
  preprocessInput(x: Tensor): Tensor;
  /** The `top` best ImageNet classes of each sample, [classId, name, score], best first. */
  decodePredictions(preds: Tensor | number[][], top?: number): ImageNetPrediction[][];
  /** The preprocessing mode: 'caffe' or 'tf'. */
  readonly preprocessMode: PreprocessMode;
}

/** Loads a weight file into a freshly built network; errors name the network and the file's role. */
async function loadInto(where: string, model: LayersModel, w: WeightsRequest): Promise<LayersModel> {
  try {
    await loadWeightFile(model, w.path);
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    const what = w.source === 'imagenet' ? `Keras's ImageNet weights ${w.kerasFile}` : 'the weights file';
    throw new ModelFileError(`${where}: cannot load ${what}: ${e.message}`);
  }
  return model;
}

export function defineApplication<A extends ApplicationArgs>(build: (args?: A) => Built, mode: PreprocessMode): Application<A> {
  const where = (m: LayersModel) => m.name;
  const app = (args?: A): LayersModel | Promise<LayersModel> => {
    if (args?.weights == null) return build(args).model;
    return (async () => {
      const { model, weights } = build(args);
      return weights ? loadInto(where(model), model, weights) : model;
    })();
  };
  return Object.assign(app as Application<A>, {
    preprocessInput: (x: Tensor) => preprocessInput(x, { mode }),
    decodePredictions: (preds: Tensor | number[][], top = 5) => decodePredictions(preds, top),
    preprocessMode: mode,
  });
}
