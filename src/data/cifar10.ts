import { loadCifar, type CifarLabels, type CifarLayout } from './cifar';
import type { ImageDataset } from './mnist';

/** Class names for CIFAR-10 labels 0-9. */
export const classNames: readonly string[] = Object.freeze([
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
]);

/** The environment variable naming a copy (folder or archive) when no path is passed. */
export const ENV_VAR = 'TATAMI_CIFAR10_DIR';

const train = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`);

export const layout: CifarLayout = {
  title: 'CIFAR-10',
  envVar: ENV_VAR,
  loader: 'cifar10',
  binDir: 'cifar-10-batches-bin',
  pyDir: 'cifar-10-batches-py',
  binFiles: { train: train.map((f) => f + '.bin'), test: ['test_batch.bin'] },
  pyFiles: { train, test: ['test_batch'] },
  binArchive: 'cifar-10-binary.tar.gz',
  pyArchive: 'cifar-10-python.tar.gz',
};

const labels: CifarLabels = { binaryLabelRanges: [10], binaryLabelIndex: 0, pythonKey: 'labels', numClasses: 10, dtype: 'uint8' };

/**
 * CIFAR-10, as `keras.datasets.cifar10.load_data()`: 50,000 training and 10,000 test 32x32
 * color images of 10 classes (see `classNames`). x is uint8 (N, 32, 32, 3), channels last;
 * y is uint8 (N, 1), as Keras returns them.
 *
 * Reads either official distribution, the Python one (cifar-10-batches-py/, the one Keras
 * downloads) or the binary one (cifar-10-batches-bin/), extracted or as its .tar.gz. Looks in
 * `dir` when given (the archive, the batches folder, or a folder holding either), else in
 * $TATAMI_CIFAR10_DIR, else in Keras's cache ($KERAS_HOME or ~/.keras, then datasets/).
 * Nothing is downloaded: without a copy the error says what to get and where to put it.
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await tt.datasets.cifar10.loadData();
 * tt.datasets.cifar10.classNames[yTrain.values[0]]; // 'frog'
 * ```
 */
export async function loadData(dir?: string): Promise<ImageDataset> {
  return loadCifar(layout, labels, dir);
}
