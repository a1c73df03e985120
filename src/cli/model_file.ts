import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sequential } from '../models/sequential';
import type { LayersModel } from '../models/functional';
import { loadModel } from '../saving/index';
import { TatamiError } from '../util/errors';
import { DATASETS, datasetClassNames, type DatasetName } from './datasets';

/** A model read by a command, with what its run folder says about its training data. */
export interface LoadedModel {
  model: Sequential | LayersModel;
  file: string;
  /** The dataset it was trained on, from results.json beside it, if any. */
  dataset?: DatasetName;
  classNames?: string[];
}

/** A run folder stands for the model in it. */
function resolveFile(arg: string): string {
  const file = path.resolve(arg);
  if (!fs.existsSync(file)) throw new TatamiError(`no such model file: '${arg}'`);
  if (!fs.statSync(file).isDirectory()) return file;
  for (const name of ['model.keras', 'model.h5']) {
    if (fs.existsSync(path.join(file, name))) return path.join(file, name);
  }
  throw new TatamiError(`'${arg}' is a folder without a model (model.keras or model.h5)`);
}

/** Dataset and class names from results.json in the model's folder (written by tatami train). */
function runInfo(file: string): Pick<LoadedModel, 'dataset' | 'classNames'> {
  const res = path.join(path.dirname(file), 'results.json');
  if (!fs.existsSync(res)) return {};
  try {
    const r = JSON.parse(fs.readFileSync(res, 'utf8')) as { dataset?: string; classNames?: string[] };
    const dataset = (DATASETS as readonly string[]).includes(r.dataset ?? '') ? (r.dataset as DatasetName) : undefined;
    return { dataset, classNames: Array.isArray(r.classNames) ? r.classNames.map(String) : undefined };
  } catch {
    return {};
  }
}

/** Reads a .keras or .h5 model file (tt.loadModel), or the model of a run folder. */
export async function loadModelFile(arg: string): Promise<LoadedModel> {
  const file = resolveFile(arg);
  const model = await loadModel(file);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new TatamiError(`the model in '${arg}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; tatami's commands need one of each`);
  }
  if ('built' in model && !model.built) throw new TatamiError(`the model in '${arg}' has no input shape`);
  return { model, file, ...runInfo(file) };
}

/** Class names: the dataset's when one is named, else the model's run folder's, else the class indices ('0', '1', ...). */
export function classNamesFor(dataset: DatasetName | undefined, loaded?: LoadedModel, classes = 10): string[] {
  if (dataset) return datasetClassNames(dataset);
  return loaded?.classNames ?? Array.from({ length: classes }, (_, i) => String(i));
}
