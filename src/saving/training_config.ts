import { getOptimizer, type Optimizer } from '../optimizers/index';
import { losses, type Loss } from '../losses/index';
import type { Compiled } from '../training/types';
import type { CompileArgs } from '../models/compile';
import { ModelFileError } from './files';
import { snakeCase } from '../util/names';
import { kerasObject, toCamel, toSnake, type KerasStyle } from './keras_config';
import { isObject, type Json, type JsonObject } from './pyjson';

/**
 * The training configuration: Keras 3's compile_config (Trainer.compile's arguments, serialized)
 * and tf.keras 2's training_config (loss, metrics, ..., optimizer_config). Sources:
 * keras/src/optimizers/base_optimizer.py get_config, keras/src/legacy/saving/saving_utils.py.
 */

/** Keras 3 BaseOptimizer.get_config's keys, in order, with tatami's (unsupported) defaults. */
const BASE_KEYS: [string, Json][] = [['weight_decay', null], ['clipnorm', null], ['global_clipnorm', null], ['clipvalue', null],
  ['use_ema', false], ['ema_momentum', 0.99], ['ema_overwrite_frequency', null], ['loss_scale_factor', null],
  ['gradient_accumulation_steps', null]];
/** Keys tf.keras 2.11+ and Keras 3 both accept (a legacy .h5 may be read by either). */
const KERAS2_BASE = new Set(['weight_decay', 'clipnorm', 'global_clipnorm', 'clipvalue', 'use_ema', 'ema_momentum', 'ema_overwrite_frequency']);

export function optimizerToKeras(opt: Optimizer, style: KerasStyle): JsonObject {
  const cfg = opt.getConfig();
  const out: JsonObject = { name: String(cfg.name), learning_rate: opt.learningRate };
  for (const [k, dflt] of BASE_KEYS) if (style === 'keras3' || KERAS2_BASE.has(k)) out[k] = dflt;
  for (const [k, v] of Object.entries(cfg)) {
    if (k === 'name' || k === 'learningRate') continue;
    out[toSnake(k)] = v as Json;
  }
  return kerasObject('keras.optimizers', opt.className, out, style);
}

/** Keras optimizer config keys that tatami ignores when they hold these values. */
const IGNORABLE: Record<string, (v: Json) => boolean> = {
  weight_decay: (v) => v == null || v === 0, decay: (v) => v == null || v === 0, global_clipnorm: (v) => v == null,
  use_ema: (v) => v === false, ema_momentum: () => true, ema_overwrite_frequency: (v) => v == null,
  loss_scale_factor: (v) => v == null, gradient_accumulation_steps: (v) => v == null, jit_compile: () => true,
  is_legacy_optimizer: (v) => v !== true, amsgrad: (v) => v === false,
};

export function optimizerFromKeras(spec: Json, where: string): Optimizer {
  if (typeof spec === 'string') return getOptimizer(spec);
  if (!isObject(spec) || typeof spec.class_name !== 'string') throw new ModelFileError(`${where}: cannot read optimizer ${JSON.stringify(spec)}`);
  const className = spec.class_name.replace(/^Custom>/, '');
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(isObject(spec.config) ? spec.config : {})) {
    if (k === 'amsgrad' && className === 'Adam') args.amsgrad = v;
    else if (k in IGNORABLE && IGNORABLE[k](v)) continue;
    else if (k in IGNORABLE) throw new ModelFileError(`${where}: optimizer option ${k}=${JSON.stringify(v)} is not supported by tatami`);
    else if ((k === 'learning_rate' || k === 'lr') && typeof v !== 'number') {
      throw new ModelFileError(`${where}: learning-rate schedules are not supported (learning_rate=${JSON.stringify(v)})`);
    } else if ((k === 'clipnorm' || k === 'clipvalue') && v == null) continue;
    else if (k === 'momentum' && v === 0 && className === 'Adagrad') continue;
    else args[toCamel(k)] = v;
  }
  try {
    return getOptimizer({ className, config: args });
  } catch (e) {
    throw new ModelFileError(`${where}: ${(e as Error).message}`);
  }
}

/** A loss as Keras stores it: its snake_case name, or a class config when it has options. */
export function lossToKeras(c: Compiled, style: KerasStyle): Json {
  const o = c.loss.options ?? {};
  const name = toSnake(c.loss.name);
  if (!o.fromLogits && !o.labelSmoothing) return typeof c.lossId === 'string' ? toSnake(c.lossId) : name;
  const cfg: JsonObject = { name, from_logits: !!o.fromLogits };
  if (c.loss.name !== 'sparseCategoricalCrossentropy') cfg.label_smoothing = o.labelSmoothing ?? 0;
  if (style === 'keras3') Object.assign(cfg, { reduction: 'sum_over_batch_size' });
  const className = c.loss.name[0].toUpperCase() + c.loss.name.slice(1);
  return kerasObject('keras.losses', className, cfg, style);
}

export function lossFromKeras(spec: Json, where: string): string | Loss {
  if (typeof spec === 'string') return spec;
  if (isObject(spec) && spec.class_name === 'function' && typeof spec.config === 'string') return spec.config;
  if (isObject(spec) && typeof spec.class_name === 'string') {
    const key = spec.class_name[0].toLowerCase() + spec.class_name.slice(1);
    const cfg = isObject(spec.config) ? spec.config : {};
    if (key in losses) {
      const make = losses[key as keyof typeof losses] as (o?: object) => Loss;
      const o: Record<string, unknown> = {};
      if (cfg.from_logits) o.fromLogits = true;
      if (typeof cfg.label_smoothing === 'number' && cfg.label_smoothing !== 0) o.labelSmoothing = cfg.label_smoothing;
      return make(o);
    }
  }
  throw new ModelFileError(`${where}: cannot read loss ${JSON.stringify(spec)}`);
}

function metricFromKeras(m: Json): string | null {
  if (typeof m === 'string') return m;
  if (!isObject(m) || typeof m.class_name !== 'string') return null;
  const cfg = m.config;
  if (m.class_name === 'function' && typeof cfg === 'string') return cfg;
  if (m.class_name === 'MeanMetricWrapper' && isObject(cfg)) {
    if (cfg.name === 'accuracy' || cfg.name === 'acc') return cfg.name;
    return typeof cfg.fn === 'string' ? cfg.fn : null;
  }
  return snakeCase(m.class_name);
}

/** Metric names from Keras's metrics entry (a list, a per-output nested list, or a dict). */
export function metricsFromKeras(spec: Json | undefined, where: string): string[] {
  if (spec == null) return [];
  const flat: Json[] = [];
  const walk = (x: Json) => (Array.isArray(x) ? x.forEach(walk) : isObject(x) && !('class_name' in x) ? Object.values(x).forEach(walk) : flat.push(x));
  walk(spec);
  const names = flat.map(metricFromKeras);
  if (names.some((n) => n == null)) throw new ModelFileError(`${where}: cannot read metrics ${JSON.stringify(spec)}`);
  return names as string[];
}

/** Keras 3's compile_config. */
export function compileConfigToKeras(c: Compiled): JsonObject {
  return {
    optimizer: optimizerToKeras(c.optimizer, 'keras3'), loss: lossToKeras(c, 'keras3'), loss_weights: null,
    metrics: c.metricIds.length ? c.metricIds.map(toSnake) : null, weighted_metrics: null, run_eagerly: false,
    steps_per_execution: 1, jit_compile: 'auto',
  };
}

/** tf.keras 2's training_config (also what Keras 3's legacy .h5 loader reads). */
export function trainingConfigToKeras2(c: Compiled): JsonObject {
  return {
    loss: lossToKeras(c, 'keras2'), metrics: c.metricIds.map(toSnake), weighted_metrics: null, loss_weights: null,
    optimizer_config: optimizerToKeras(c.optimizer, 'keras2'),
  };
}

/** compile() arguments from either Keras's compile_config or training_config. */
export function compileArgsFromKeras(cfg: JsonObject, where: string): CompileArgs {
  const opt = cfg.optimizer ?? cfg.optimizer_config;
  if (opt == null) throw new ModelFileError(`${where}: the training configuration has no optimizer`);
  if (cfg.loss == null) throw new ModelFileError(`${where}: the training configuration has no loss`);
  if (isObject(cfg.loss) && !('class_name' in cfg.loss)) throw new ModelFileError(`${where}: per-output losses are not supported`);
  return {
    optimizer: optimizerFromKeras(opt, `${where} optimizer`),
    loss: lossFromKeras(cfg.loss, `${where} loss`),
    metrics: metricsFromKeras(cfg.metrics, `${where} metrics`),
  };
}
