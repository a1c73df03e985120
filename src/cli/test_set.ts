import { Tensor } from '../tensor/tensor';
import { toCategorical } from '../data/index';
import { asModelInput, type VizModel } from '../viz/model';
import type { Compiled } from '../training/types';
import { wantsOneHot } from './evaluate_set';
import { loadDataset, type DatasetName } from './datasets';

export { DATASETS, type DatasetName } from './datasets';

/** A test set shaped for a model: images in 0..1 as the model takes them, and class labels. */
export interface TestSet {
  x: Tensor;
  labels: Uint8Array;
  classNames: string[];
}

/**
 * The first `limit` test images of a dataset, uint8 (N, 28, 28) or (N, 32, 32, 3) → the model's
 * input shape in 0..1. `dataDir` is the --data option.
 */
export async function loadTestSet(name: DatasetName, model: VizModel, limit?: number, dataDir?: string): Promise<TestSet> {
  const { data: [, [xTe, yTe]], classNames } = await loadDataset(name, dataDir);
  const n = Math.min(xTe.shape[0], limit ?? Infinity);
  const per = xTe.size / xTe.shape[0];
  const x = Tensor.empty([n, per]);
  const src = xTe.values;
  for (let i = 0; i < n * per; i++) x.values[i] = src[i] / 255;
  return { x: asModelInput(model, x), labels: Uint8Array.from(yTe.values.subarray(0, n)), classNames: classNames.slice() };
}

/** Labels as the compiled loss wants them: one-hot (N, classes) or indices (N,). */
export function labelTensor(labels: Uint8Array, c: Compiled, classes: number): Tensor {
  if (wantsOneHot(c)) return toCategorical(Array.from(labels), classes);
  return Tensor.fromArray(Int32Array.from(labels), [labels.length], 'int32');
}
