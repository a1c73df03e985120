import * as mnist from './mnist';
import * as fashionMnist from './fashion_mnist';
import * as cifar10 from './cifar10';
import * as cifar100 from './cifar100';

/** Built-in datasets, as `keras.datasets`: each has `loadData()` and `classNames`. */
export const datasets = { mnist, fashionMnist, cifar10, cifar100 };

export { mnist, fashionMnist, cifar10, cifar100 };
export { toCategorical } from './categorical';
export { DataFileError } from './data_file_error';
export { readIdx, readIdxSync, parseIdx, encodeIdx, idxToTensor, loadIdx, isGzip } from './idx';
export type { IdxData, IdxType, IdxArray } from './idx';
export type { ImageDataset, MnistFiles } from './mnist';
export type { Cifar100Options } from './cifar100';
export { parsePickle, PyBytes, PyDict, isNdArray } from './pickle';
export type { PickleValue, NdArray } from './pickle';
export { parseTar, readTar } from './tar';
export type { TarEntry } from './tar';
