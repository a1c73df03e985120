import { Tensor } from '../tensor/tensor';
import { toCategorical } from '../data/index';
import { globalRng } from '../util/rng';
import type { TrainExample } from './examples/types';
import { loadDataset } from './datasets';
import { ImageSet } from './image_set';

/**
 * The images are ImageSets: the dataset's uint8 pixels, read in place and scaled to 0..1 a batch
 * at a time (ImageSet.tensor() gives a whole float32 set to code that needs one).
 */
export interface PreparedData {
  xTrain: ImageSet;
  yTrain: Tensor;
  /** Held-out validation images, for examples that train from augmented batches. */
  xVal?: ImageSet;
  yVal?: Tensor;
  xTest: ImageSet;
  yTest: Tensor;
  /** Raw test labels (N,) for reports. */
  testLabels: Uint8Array;
  classNames: readonly string[];
}

export interface PrepareOptions {
  /** Train on the first `limit` training images. */
  limit?: number;
  /** Evaluate on the first `testLimit` test images. */
  testLimit?: number;
  /** Where the data is (the --data option). */
  dataDir?: string;
}

function firstRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * uint8 images (N, H, W[, C]) → float32 (rows.length, H, W, C) or (rows.length, H*W*C) scaled
 * to 0..1, taking the images `rows` in that order: one whole float32 array (not backend memory).
 */
export function scaleImages(x: Tensor, input: TrainExample['input'], rows: ArrayLike<number>): Tensor {
  return ImageSet.scaled(x, input, { rows: Int32Array.from(rows) }).tensor();
}

/** Labels (N,) or (N, 1) → one-hot (rows, 10) or int32 (rows,). */
function labels(y: Tensor, kind: TrainExample['labels'], rows: ArrayLike<number>, classes: number): Tensor {
  const raw = Array.from(rows, (r) => y.values[r]);
  if (kind === 'categorical') return toCategorical(raw, classes);
  return Tensor.fromArray(Int32Array.from(raw), [raw.length], 'int32');
}

/**
 * The example's data, its images to be scaled to 0..1 (ImageSet). For an example trained from augmented batches, the
 * training images are shuffled (tatami's seeded generator) and the last validationSplit of them
 * held out, as the book's cifar10_deep_with_aug does with NumPy.
 */
export async function prepareData(ex: TrainExample, opts: PrepareOptions = {}): Promise<PreparedData> {
  const { data: [[xTr, yTr], [xTe, yTe]], classNames } = await loadDataset(ex.dataset, opts.dataDir);
  const classes = classNames.length;
  const n = Math.min(xTr.shape[0], opts.limit ?? Infinity);
  const nTest = Math.min(xTe.shape[0], opts.testLimit ?? Infinity);
  const testRows = firstRows(nTest);
  const test = {
    xTest: ImageSet.scaled(xTe, ex.input, { count: nTest }),
    yTest: labels(yTe, ex.labels, testRows, classes),
    testLabels: Uint8Array.from(yTe.values.subarray(0, nTest)),
    classNames,
  };
  if (!ex.augmentation) {
    const rows = firstRows(n);
    return { xTrain: ImageSet.scaled(xTr, ex.input, { count: n }), yTrain: labels(yTr, ex.labels, rows, classes), ...test };
  }
  const order = firstRows(n);
  globalRng.shuffle(order);
  const held = Math.floor(n * (ex.validationSplit ?? 0));
  const trainRows = order.subarray(0, n - held);
  const valRows = order.subarray(n - held);
  return {
    xTrain: ImageSet.scaled(xTr, ex.input, { rows: trainRows }),
    yTrain: labels(yTr, ex.labels, trainRows, classes),
    ...(held > 0 ? { xVal: ImageSet.scaled(xTr, ex.input, { rows: valRows }), yVal: labels(yTr, ex.labels, valRows, classes) } : {}),
    ...test,
  };
}
