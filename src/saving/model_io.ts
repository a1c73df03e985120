import { checkOptions, TatamiError } from '../util/errors';
import type { Sequential } from '../models/sequential';
import type { LayersModel } from '../models/functional';
import { writeFileAtomicSync } from '../util/atomic_file';
import { fileFormat, ModelFileError, readFileBytes, sniffFile } from './files';
import { readH5, type H5Group } from './h5';
import { writeH5, writeH5File } from './h5_write';
import { attrText, hasAttr, writeText, type ArrayData } from './h5nodes';
import { isKeras3WeightsFile, readKeras3Weights, writeKeras3Weights } from './keras3_weights';
import { packKeras, unpackKeras, WEIGHTS_FILE } from './keras_zip';
import { LEGACY_BACKEND, LEGACY_KERAS_VERSION, legacyWeightsGroup, readLegacyOptimizer, readLegacyWeights, writeLegacyOptimizer, writeLegacyWeights } from './legacy_h5';
import { modelConfigToKeras, modelFromKerasFile } from './model_architecture';
import type { IoModel, LoadModelOptions, LoadWeightsOptions, PendingAssignments, SaveOptions } from './model_types';
import { fromOptimizerV2, prepareOptimizerRestore } from './optimizer_state';
import { isObject, parseFileJson, pyJson, type JsonObject } from './pyjson';
import { compileArgsFromKeras, trainingConfigToKeras2 } from './training_config';

// model.save / tt.loadModel / model.saveWeights / model.loadWeights.

/** Through a temporary file, so a crash never leaves a half-written model; errors are ModelFileErrors. */
function writeModelFile(filepath: string, bytes: Uint8Array, overwrite = true): void {
  writeFileAtomicSync(filepath, bytes, { overwrite, error: (m) => new ModelFileError(m) });
}

function checkBuilt(model: IoModel): void {
  if (model.built === false) throw new ModelFileError(`model '${model.name}' is not built yet: give its first layer an inputShape or call build() first`);
}

/** model.save(path): '.keras' (Keras 3 zip) or '.h5' / '.hdf5' (legacy HDF5). */
export async function saveModel(model: IoModel, filepath: string, options: SaveOptions = {}): Promise<void> {
  checkOptions('save', options, ['includeOptimizer', 'overwrite']);
  checkBuilt(model);
  const withOptimizer = options.includeOptimizer ?? true;
  const format = fileFormat(filepath);
  if (format === 'keras') {
    const config = modelConfigToKeras(model, 'keras3');
    const weights = await writeH5(filepath, (root) => writeKeras3Weights(root, model, withOptimizer));
    writeModelFile(filepath, packKeras(config, weights), options.overwrite);
  } else if (format === 'h5') {
    const config = pyJson(modelConfigToKeras(model, 'keras2'));
    await writeH5File(filepath, (root) => {
      writeText(root, 'keras_version', LEGACY_KERAS_VERSION);
      writeText(root, 'backend', LEGACY_BACKEND);
      writeText(root, 'model_config', config);
      if (withOptimizer && model.compiled) writeText(root, 'training_config', pyJson(trainingConfigToKeras2(model.compiled)));
      writeLegacyWeights(root.create_group('model_weights'), model);
      if (withOptimizer) writeLegacyOptimizer(root, model);
    }, options);
  } else {
    const hint = format === 'weights.h5' ? ' (a .weights.h5 file holds weights only: use saveWeights)' : '';
    throw new ModelFileError(`save: '${filepath}' must end in .keras (Keras 3) or .h5 (legacy HDF5)${hint}`);
  }
}

/** model.saveWeights(path): '.weights.h5' (Keras 3 layout) or '.h5' / '.hdf5' (legacy layout). */
export async function saveWeights(model: IoModel, filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
  checkOptions('saveWeights', options, ['overwrite']);
  checkBuilt(model);
  const format = fileFormat(filepath);
  // Keras 3's save_weights walks the whole model, optimizer included
  if (format === 'weights.h5') await writeH5File(filepath, (root) => writeKeras3Weights(root, model, true), options);
  else if (format === 'h5') await writeH5File(filepath, (root) => writeLegacyWeights(root, model), options);
  else throw new ModelFileError(`saveWeights: '${filepath}' must end in .weights.h5 (Keras 3) or .h5 (legacy HDF5)`);
}

interface Plan {
  pending: PendingAssignments;
  optimizer: ArrayData[] | null;
  /** Dataset names of a legacy optimizer_weights group (their order differs across Keras versions). */
  optimizerNames?: string[];
}

/** Checks the optimizer part too, then assigns everything; nothing changes if any check fails. */
function applyPlan(model: IoModel, plan: Plan, label: string): void {
  let restore: (() => void) | null = null;
  const c = model.compiled;
  if (plan.optimizer && c) {
    const vars = model.trainableWeights;
    const arrays = (plan.optimizerNames && fromOptimizerV2(c.optimizer, vars, plan.optimizerNames, plan.optimizer)) || plan.optimizer;
    const r = prepareOptimizerRestore(c.optimizer, vars, arrays, `'${label}'`);
    if (typeof r === 'string') process.emitWarning(`${r}; the optimizer starts fresh`);
    else restore = r;
  }
  plan.pending.apply();
  try {
    restore?.();
  } catch (e) {
    // a saved state whose slots do not fit the optimizer (seen in fuzzed files): start it fresh, as above
    if (!(e instanceof TatamiError)) throw e;
    process.emitWarning(`'${label}': ${e.message}; the optimizer starts fresh`);
  }
}

function weightsPlan(root: H5Group, model: IoModel, label: string, byName: boolean): Plan {
  const legacy = legacyWeightsGroup(root);
  if (legacy) {
    const opt = legacy !== root ? readLegacyOptimizer(root, label) : null;
    return { pending: readLegacyWeights(legacy, model, label, byName), optimizer: opt?.arrays ?? null, optimizerNames: opt?.names };
  }
  if (isKeras3WeightsFile(root)) {
    if (byName) throw new ModelFileError(`loadWeights: byName works with legacy .h5 files only; '${label}' is in Keras 3's layout`);
    return readKeras3Weights(root, model, label);
  }
  throw new ModelFileError(`'${label}' is an HDF5 file without Keras weights (no layers/, model_weights/ or layer_names)`);
}

/** model.loadWeights(path): .weights.h5, .keras or legacy .h5, matched by structure (or by name for legacy). */
export async function loadWeights(model: IoModel, filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
  checkOptions('loadWeights', options, ['byName']);
  checkBuilt(model);
  const bytes = readFileBytes(filepath, 'weights file');
  const byName = options.byName ?? false;
  if (sniffFile(bytes, filepath) === 'zip') {
    const { weights } = unpackKeras(bytes, filepath, false);
    const label = `${filepath}/${WEIGHTS_FILE}`;
    const plan = await readH5(weights, label, (root) => weightsPlan(root, model, label, byName));
    applyPlan(model, plan, label);
    return;
  }
  const plan = await readH5(bytes, filepath, (root) => weightsPlan(root, model, filepath, byName));
  applyPlan(model, plan, filepath);
}

function compileFrom(model: Sequential | LayersModel, cfg: unknown, label: string): void {
  if (!isObject(cfg)) return;
  try {
    model.compile(compileArgsFromKeras(cfg, `'${label}'`));
  } catch (e) {
    const msg = (e as Error).message;
    throw new ModelFileError(`${msg.includes(label) ? msg : `'${label}': ${msg}`} (load with { compile: false } to skip the training configuration)`);
  }
}

/**
 * tt.loadModel(path): a .keras archive or a legacy .h5 model, from tatami or from Keras 2/3.
 * Resolves to a Sequential or a functional model, as saved; TypeScript callers who know which
 * may say so: `await tt.loadModel<tt.Sequential>('m.keras')`.
 */
export async function loadModel<M extends Sequential | LayersModel = Sequential | LayersModel>(filepath: string, options: LoadModelOptions = {}): Promise<M> {
  return (await loadAnyModel(filepath, options)) as M;
}

async function loadAnyModel(filepath: string, options: LoadModelOptions): Promise<Sequential | LayersModel> {
  checkOptions('loadModel', options, ['compile']);
  const compile = options.compile ?? true;
  const bytes = readFileBytes(filepath, 'model file');
  if (sniffFile(bytes, filepath) === 'zip') {
    const archive = unpackKeras(bytes, filepath);
    const model = modelFromKerasFile(archive.config, filepath, archive.weights.length);
    if (compile) compileFrom(model, archive.config.compile_config, filepath);
    const label = `${filepath}/${WEIGHTS_FILE}`;
    // Keras 3.10+ writes no group for a saveable without variables, so even an empty file is valid
    const plan = await readH5(archive.weights, label, (root) => readKeras3Weights(root, model, label));
    applyPlan(model, plan, label);
    return model;
  }
  return readH5(bytes, filepath, (root) => {
    const text = attrText(root, 'model_config');
    if (text == null) {
      const weightsOnly = hasAttr(root, 'layer_names') || isKeras3WeightsFile(root);
      throw new ModelFileError(`'${filepath}' has no model_config: ${weightsOnly ? 'it holds weights only; build the model and call loadWeights' : 'it is not a Keras model file'}`);
    }
    const config = parseFileJson(text, (why) => new ModelFileError(`'${filepath}': model_config is ${why}`)) as JsonObject;
    const model = modelFromKerasFile(config, filepath, bytes.length);
    const training = attrText(root, 'training_config');
    if (compile && training != null) {
      compileFrom(model, parseFileJson(training, (why) => new ModelFileError(`'${filepath}': training_config is ${why}`)), filepath);
    }
    applyPlan(model, weightsPlan(root, model, filepath, false), filepath);
    return model;
  });
}
