import { Tensor } from '../tensor/tensor';
import { fromValues } from '../ops/index';
import { ShapeError, ValueError, checkOptions } from '../util/errors';
import { shapeToString } from '../util/shape';
import { IMAGENET_CLASSES } from './imagenet_classes';

/** How Keras's networks expect their pixels (imagenet_utils.preprocess_input's modes). */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

export interface PreprocessArgs {
  /** Default 'caffe'. */
  mode?: PreprocessMode;
  /** Only 'channelsLast' (N, H, W, 3) or (H, W, 3). */
  dataFormat?: 'channelsLast';
}

// ImageNet's mean pixel in BGR order (caffe), and its RGB mean and spread (torch)
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Keras's imagenet_utils.preprocess_input on a batch (or one image) of RGB pixels in [0, 255],
 * channels last; returns a new float32 tensor (the input is left as it is).
 * - caffe (VGG16/19, ResNet50): RGB to BGR, then minus the ImageNet mean of each channel.
 * - tf (InceptionV3, MobileNetV2): x / 127.5 - 1.
 * - torch: x / 255, then minus the mean and divided by the spread of each channel.
 * @example const x = tt.applications.imagenetUtils.preprocessInput(images, { mode: 'tf' });
 */
export function preprocessInput(x: Tensor, args: PreprocessArgs = {}): Tensor {
  checkOptions('preprocessInput', args, ['mode', 'dataFormat']);
  const mode = args.mode ?? 'caffe';
  if (mode !== 'caffe' && mode !== 'tf' && mode !== 'torch') {
    throw new ValueError(`preprocessInput: mode must be 'caffe', 'tf' or 'torch'; got ${JSON.stringify(args.mode)}`);
  }
  if (args.dataFormat != null && args.dataFormat !== 'channelsLast') {
    throw new ValueError(`preprocessInput: only dataFormat 'channelsLast' is supported; got ${JSON.stringify(args.dataFormat)}`);
  }
  if (!(x instanceof Tensor)) throw new ValueError('preprocessInput: expects a Tensor of RGB images, (N, H, W, 3) or (H, W, 3)');
  const c = x.shape[x.rank - 1];
  if (mode !== 'tf' && (x.rank < 3 || x.rank > 4 || c !== 3)) {
    throw new ShapeError(`preprocessInput (mode '${mode}') expects RGB images of shape (N, H, W, 3) or (H, W, 3); got ${shapeToString(x.shape)}`);
  }
  const src = x.values;
  const y = Tensor.empty(x.shape.slice(), 'float32');
  const out = y.values as Float32Array;
  if (mode === 'tf') {
    for (let i = 0; i < out.length; i++) out[i] = Number(src[i]) / 127.5 - 1;
    return y;
  }
  for (let p = 0; p < out.length; p += 3) {
    for (let k = 0; k < 3; k++) {
      if (mode === 'caffe') out[p + k] = Number(src[p + 2 - k]) - CAFFE_MEAN_BGR[k];
      else out[p + k] = (Number(src[p + k]) / 255 - TORCH_MEAN[k]) / TORCH_STD[k];
    }
  }
  return y;
}

/** One guess: the class's WordNet id ('n01440764'), its name ('tench') and its score. */
export type ImageNetPrediction = [classId: string, name: string, score: number];

/** The ImageNet class [WordNet id, name] at index i (0-999), in Keras's numbering. */
export function imagenetClass(i: number): readonly [string, string] {
  const c = IMAGENET_CLASSES[i];
  if (!c) throw new ValueError(`imagenetClass: index must be an integer in [0, 999]; got ${i}`);
  return c;
}

/**
 * Keras's decode_predictions: for each sample of a (N, 1000) batch of ImageNet scores, the `top`
 * best classes as [classId, name, score], best first.
 * @example tt.applications.vgg16.decodePredictions(model.predict(x), 3)[0][0]  // ['n04310018', 'steam_locomotive', 0.93]
 */
export function decodePredictions(preds: Tensor | number[][], top = 5): ImageNetPrediction[][] {
  const t = preds instanceof Tensor ? preds : fromValues(preds.flat(), [preds.length, preds[0]?.length ?? 0]);
  if (t.rank !== 2 || t.shape[1] !== 1000) {
    throw new ShapeError(`decodePredictions expects a batch of predictions (a 2-D array of shape (samples, 1000)); got shape ${shapeToString(t.shape)}`);
  }
  if (!Number.isInteger(top) || top < 1) throw new ValueError(`decodePredictions: top must be a positive integer; got ${top}`);
  const v = t.values;
  const results: ImageNetPrediction[][] = [];
  for (let n = 0; n < t.shape[0]; n++) {
    const row = Array.from(v.subarray(n * 1000, (n + 1) * 1000) as ArrayLike<number>, Number);
    // best first; among equal scores the higher index first, as Keras's reversed argsort gives
    const order = row.map((_, i) => i).sort((a, b) => row[b] - row[a] || b - a);
    results.push(order.slice(0, top).map((i) => [IMAGENET_CLASSES[i][0], IMAGENET_CLASSES[i][1], row[i]]));
  }
  return results;
}
