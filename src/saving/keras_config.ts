import { kerasActivationName, normalizeActivationName } from '../activations/index';
import { kerasLayout } from '../layers/index';
import { ModelFileError } from './files';
import { isObject, type Json, type JsonObject } from './pyjson';

/**
 * Layer, initializer and activation configs between tatami (tfjs-style camelCase getConfig()) and
 * Keras's JSON (snake_case): keras3 is what Keras 3 writes in a .keras config.json (objects with
 * module/class_name/config/registered_name), keras2 what tf.keras 2 writes in a legacy .h5
 * (class_name/config only). Sources: keras/src/layers/**.get_config, serialization_lib.py.
 */
export type KerasStyle = 'keras3' | 'keras2';

const KEY_TO_SNAKE: Record<string, string> = { beta1: 'beta_1', beta2: 'beta_2', clipValue: 'clipvalue', clipNorm: 'clipnorm' };
const KEY_TO_CAMEL: Record<string, string> = { clipvalue: 'clipValue', clipnorm: 'clipNorm', lr: 'learningRate' };

export function toSnake(key: string): string {
  return KEY_TO_SNAKE[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function toCamel(key: string): string {
  return KEY_TO_CAMEL[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export const DTYPE_POLICY: JsonObject = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** Wraps a class config the way serialization_lib.serialize_keras_object does for public classes. */
export function kerasObject(module: string, className: string, config: Json, style: KerasStyle): JsonObject {
  return style === 'keras3' ? { module, class_name: className, config, registered_name: null } : { class_name: className, config };
}

// ---- initializers ----------------------------------------------------------------------------

/** Keras's VarianceScaling subclasses take only a seed. */
const SEED_ONLY = new Set(['GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform']);

export function initializerToKeras(init: unknown, style: KerasStyle): Json {
  if (!isObject(init) || typeof init.className !== 'string') return init as Json;
  const cfg = isObject(init.config) ? init.config : {};
  const out: JsonObject = {};
  if (SEED_ONLY.has(init.className)) out.seed = cfg.seed ?? null;
  else {
    for (const [k, v] of Object.entries(cfg)) out[toSnake(k)] = k === 'mode' || k === 'distribution' ? toSnake(String(v)) : v;
  }
  return kerasObject('keras.initializers', init.className, out, style);
}

/**
 * A config value used as text: strings, numbers, booleans and null as String() gives them. An
 * object or list is refused (String() of a parsed {"toString": true} throws a TypeError).
 */
export function configText(v: Json | undefined, what: string): string {
  if (typeof v === 'object' && v !== null) throw new ModelFileError(`${what} is ${JSON.stringify(v).slice(0, 100)}, not a string`);
  return String(v);
}

export function initializerFromKeras(v: Json, where: string): Json {
  if (typeof v === 'string') return v;
  if (!isObject(v) || typeof v.class_name !== 'string') throw new ModelFileError(`${where}: cannot read initializer ${JSON.stringify(v)}`);
  const cfg: JsonObject = {};
  for (const [k, x] of Object.entries(isObject(v.config) ? v.config : {})) {
    if (k === 'dtype' || (k === 'seed' && x == null)) continue;
    if (k === 'mode') cfg.mode = toCamel(configText(x, `${where}: the initializer's mode`));
    else if (k === 'distribution') cfg.distribution = x === 'normal' ? 'truncatedNormal' : toCamel(configText(x, `${where}: the initializer's distribution`));
    else cfg[toCamel(k)] = x;
  }
  return { className: v.class_name, config: SEED_ONLY.has(v.class_name) ? (cfg.seed != null ? { seed: cfg.seed } : {}) : cfg };
}

// ---- activations -----------------------------------------------------------------------------

export function activationFromKeras(v: Json, where: string): string {
  // Keras 3 may write a function reference as {class_name: 'function', config: 'relu', ...}
  const name = typeof v === 'string' ? v : v == null ? 'linear' : isObject(v) && typeof v.config === 'string' ? v.config : null;
  if (name == null) throw new ModelFileError(`${where}: cannot read activation ${JSON.stringify(v)}`);
  try {
    return normalizeActivationName(name);
  } catch (e) {
    throw new ModelFileError(`${where}: ${(e as Error).message}`);
  }
}

// ---- layers ----------------------------------------------------------------------------------

/** Keras config keys tatami has no use for, with the values that change nothing. */
const HARMLESS: Record<string, Json> = {
  groups: 1, lora_rank: null, lora_alpha: null, dora_rank: null, dora_alpha: null, quantization_config: null,
  sparse: false, ragged: false, optional: false, noise_shape: null, seed: null, autocast: true,
  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
  synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99, fused: null, virtual_batch_size: null,
  adjustment: null,
};
/** These only affect training; tatami loads the layer and warns. */
const TRAINING_ONLY = /_(regularizer|constraint)$/;

function convertValue(key: string, v: unknown, style: KerasStyle): Json {
  if (key.endsWith('Initializer')) return initializerToKeras(v, style);
  if (key === 'activation') return kerasActivationName(String(v));
  if (key === 'dataFormat' && typeof v === 'string') return toSnake(v);
  return v as Json;
}

/** Keras's `config` dict for one of tatami's layers. */
export function layerConfigToKeras(className: string, cfg: Record<string, unknown>, style: KerasStyle): JsonObject {
  const converted: JsonObject = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (k === 'name' || k === 'trainable' || k === 'batchInputShape' || v === undefined) continue;
    converted[toSnake(k)] = convertValue(k, v, style);
  }
  const out: JsonObject = { name: String(cfg.name), trainable: cfg.trainable !== false, dtype: style === 'keras3' ? DTYPE_POLICY : 'float32' };
  if (style === 'keras2' && cfg.batchInputShape) out.batch_input_shape = cfg.batchInputShape as Json;
  // the registry holds each layer's Keras key order and defaults (src/layers/<layer>.ts)
  const layout = kerasLayout(className, style);
  if (cfg.batchInputShape && layout.some(([key]) => key === 'batch_shape')) converted.batch_shape = cfg.batchInputShape as Json;
  for (const [key, dflt] of layout) {
    if (key in converted) out[key] = converted[key];
    else if (dflt !== undefined) out[key] = dflt as Json;
  }
  for (const [k, v] of Object.entries(converted)) if (!(k in out)) out[k] = v;
  return out;
}

function sameJson(a: Json | undefined, b: Json): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b);
}

/** tatami's layer options from a Keras layer config (either style); `where` names file and layer. */
export function layerConfigFromKeras(className: string, kcfg: JsonObject, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // keys Keras writes but the layer never reads (either style's layout marks them)
  const unused = new Set([...kerasLayout(className, 'keras3'), ...kerasLayout(className, 'keras2')].filter((e) => e[2] === 'unused').map((e) => e[0]));
  for (const [k, v] of Object.entries(kcfg)) {
    if (unused.has(k)) continue;
    if (k === 'dtype') {
      const dt = isObject(v) && isObject(v.config) ? v.config.name : v;
      if (dt != null && dt !== 'float32') throw new ModelFileError(`${where}: dtype '${JSON.stringify(dt)}' is not supported (tatami computes in float32)`);
    } else if (k === 'batch_input_shape' || k === 'batch_shape') {
      out.batchInputShape = v;
    } else if (k === 'data_format') {
      if (v != null && v !== 'channels_last') throw new ModelFileError(`${where}: data_format '${v}' is not supported (tatami is channels-last)`);
      out.dataFormat = 'channelsLast';
    } else if (k === 'activation') {
      out.activation = activationFromKeras(v, where);
    } else if (k.endsWith('_initializer')) {
      out[toCamel(k)] = initializerFromKeras(v, `${where} ${k}`);
    } else if (k in HARMLESS && sameJson(v, HARMLESS[k])) {
      continue;
    } else if (k === 'axis' && Array.isArray(v) && v.length === 1) {
      out.axis = v[0]; // tf.keras 2 stores BatchNormalization's axis as a list
    } else if (k === 'seed') {
      out.seed = v;
    } else if (TRAINING_ONLY.test(k)) {
      if (v != null) process.emitWarning(`${where}: ${k} ${JSON.stringify(v)} is ignored (tatami has no regularizers or constraints)`);
    } else if (k in HARMLESS) {
      throw new ModelFileError(`${where}: ${k}=${JSON.stringify(v)} is not supported by tatami`);
    } else {
      out[toCamel(k)] = v;
    }
  }
  return out;
}
