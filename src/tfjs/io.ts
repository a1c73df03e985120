import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import type { BaseModel } from '../models/model';
import { modelConfigToKeras, modelFromKerasFile } from '../saving/model_architecture';
import { checkWeightSpec, manifestGroups, parseModelJson } from './model_json';
import { isObject, type Json, type JsonObject } from '../saving/pyjson';
import { ModelFileError } from '../saving/files';
import { ValueError } from '../util/errors';
import type { WeightSpec } from './model_json';
import { LayersModel, setSaver, wrapModel } from './model';

// TensorFlow.js's layers-model format: model.json (modelTopology in Keras JSON, weightsManifest)
// plus float32 weight shards, read and written through tfjs's io handlers or file:// paths.

export type { WeightSpec } from './model_json';

export interface ModelArtifacts {
  modelTopology?: JsonObject;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  trainingConfig?: unknown;
  userDefinedMetadata?: unknown;
}

export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes: number; weightSpecsBytes: number; weightDataBytes: number };
}

export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

const FILE = 'file://';

/** The artifacts tfjs's LayersModel.save would hand to an io handler. */
export function modelArtifacts(model: BaseModel): ModelArtifacts {
  const topology = { ...modelConfigToKeras(model as never, 'keras2', false), keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
  const weights = model.weights;
  const data = new Float32Array(weights.reduce((n, w) => n + w.size, 0));
  let at = 0;
  const weightSpecs = weights.map((w) => {
    data.set(w.values, at);
    at += w.size;
    return { name: w.name, shape: w.shape.slice(), dtype: 'float32' };
  });
  return { modelTopology: topology, format: 'layers-model', generatedBy: 'tatami 0.1.0', convertedBy: null, weightSpecs, weightData: data.buffer };
}

function info(a: ModelArtifacts): SaveResult {
  const bytes = (a.weightData as ArrayBuffer).byteLength;
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: JSON.stringify(a.modelTopology).length,
    weightSpecsBytes: JSON.stringify(a.weightSpecs).length, weightDataBytes: bytes } };
}

/** model.save('file://dir') or model.save(handler). */
export async function saveModel(model: LayersModel, target: string | IOHandler): Promise<SaveResult> {
  const a = modelArtifacts(model.core);
  if (typeof target !== 'string') {
    if (!target || typeof target.save !== 'function') throw new ValueError('LayersModel.save() cannot proceed because the IOHandler provided does not have the `save` attribute defined.');
    return target.save(a);
  }
  if (!target.startsWith(FILE)) throw new ValueError(`Cannot find any save handlers for URL '${target}'; tatami/tfjs saves to 'file://' paths or an io handler`);
  const dir = target.slice(FILE.length);
  await fs.mkdir(dir, { recursive: true });
  const json = {
    modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.from(a.weightData as ArrayBuffer));
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return info(a);
}

async function readModelFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModelFileError(`cannot read '${file}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message}`);
  }
}

async function readFileArtifacts(url: string): Promise<ModelArtifacts> {
  const file = url.slice(FILE.length);
  const json = parseModelJson((await readModelFile(file)).toString('utf8'), file);
  if (!isObject(json.modelTopology)) throw new ModelFileError(`'${file}' has no modelTopology (is it a graph model? tatami loads layers models)`);
  const specs: WeightSpec[] = [];
  const shards: Buffer[] = [];
  for (const group of manifestGroups(json, file)) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(await readModelFile(p));
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return { modelTopology: json.modelTopology, format: json.format as string, weightSpecs: specs, weightData };
}

/** A Keras short name of a weight ('conv2d/kernel' of 'model/conv2d/kernel:0'). */
function shortName(name: string): string {
  const parts = name.replace(/:\d+$/, '').split('/');
  return parts.slice(-2).join('/');
}

function assignWeights(model: BaseModel, specs: WeightSpec[], data: ArrayBuffer, label: string): void {
  const byName = new Map<string, Float32Array>();
  const byShort = new Map<string, Float32Array>();
  let offset = 0;
  for (const s of specs.map((x) => checkWeightSpec(x, label))) {
    if (s.quantization) throw new ModelFileError(`${label}: weight '${s.name}' is quantized; tatami reads float32 weights only`);
    if (s.dtype !== 'float32') throw new ModelFileError(`${label}: weight '${s.name}' is ${s.dtype}; tatami reads float32 weights only`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (offset + n * 4 > data.byteLength) throw new ModelFileError(`${label}: the weight files hold ${data.byteLength} bytes, too few for '${s.name}'`);
    const values = new Float32Array(data.slice(offset, offset + n * 4));
    offset += n * 4;
    byName.set(s.name, values);
    byShort.set(shortName(s.name), values);
  }
  const values = model.weights.map((w) => {
    const v = byName.get(w.name) ?? byShort.get(shortName(w.name));
    if (!v) throw new ModelFileError(`${label}: no weight for '${w.name}' (the file has ${specs.map((s) => s.name).join(', ')})`);
    if (v.length !== w.size) throw new ModelFileError(`${label}: weight '${w.name}' has ${v.length} values, the layer needs shape [${w.shape}]`);
    return Tensor.fromArray(v, w.shape.slice());
  });
  model.setWeights(values);
}

/** tf.loadLayersModel('file://dir/model.json') or tf.loadLayersModel(handler). */
export async function loadLayersModel(source: string | IOHandler, options: { strict?: boolean } = {}): Promise<LayersModel> {
  let a: ModelArtifacts;
  if (typeof source === 'string') {
    if (!source.startsWith(FILE)) throw new ValueError(`Cannot find any load handlers for URL '${source}'; tatami/tfjs loads 'file://' paths or an io handler`);
    a = await readFileArtifacts(source);
  } else {
    if (!source || typeof source.load !== 'function') throw new ValueError('loadLayersModel: the IOHandler has no load method');
    a = await source.load();
  }
  const label = typeof source === 'string' ? source : 'model artifacts';
  const topo = a.modelTopology as JsonObject;
  if (!isObject(topo)) throw new ModelFileError(`${label}: no modelTopology`);
  // the converter from Keras .h5 nests the model under model_config
  const spec = (isObject(topo.model_config) ? topo.model_config : topo) as Json;
  const data = a.weightData == null ? null : Array.isArray(a.weightData) ? concat(a.weightData) : a.weightData;
  // building allocates no more weights than the shards hold (a lying config could ask for gigabytes)
  const budget = data ? data.byteLength : options.strict === false ? Infinity : 0;
  const core = modelFromKerasFile(spec, label, budget) as unknown as BaseModel;
  if (a.weightSpecs && data) {
    assignWeights(core, a.weightSpecs, data, label);
  } else if (options.strict !== false && core.weights.length) {
    throw new ModelFileError(`${label}: no weights were given`);
  }
  return wrapModel(core);
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

export const io = {
  /** A handler whose save() gives the artifacts to fn (tests and custom storage). */
  withSaveHandler: (fn: (a: ModelArtifacts) => Promise<SaveResult>): IOHandler => ({ save: fn }),
  /** tf.io.fromMemory(artifacts) or fromMemory(modelTopology, weightSpecs, weightData). */
  fromMemory(a: ModelArtifacts | JsonObject, weightSpecs?: WeightSpec[], weightData?: ArrayBuffer): IOHandler {
    const artifacts: ModelArtifacts = isObject((a as ModelArtifacts).modelTopology) ? (a as ModelArtifacts)
      : { modelTopology: a as JsonObject, weightSpecs, weightData };
    return { load: async () => artifacts };
  },
};

setSaver((m, target) => saveModel(m, target as string | IOHandler));
