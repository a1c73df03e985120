import { Sequential } from '../models/sequential';
import { LayersModel } from '../models/functional';
import { TatamiError } from '../util/errors';
import { withWeightBudget } from '../layers/weight_budget';
import { ModelFileError } from './files';
import type { KerasStyle } from './keras_config';
import type { IoModel } from './model_types';
import { isObject, type Json, type JsonObject } from './pyjson';
import { compileConfigToKeras } from './training_config';
import { functionalFromKeras, functionalToKeras } from './functional_io';
import { sequentialFromKeras, sequentialToKeras } from './model_config';

// Which kind of model a Keras model config describes: Sequential (model_config.ts) or functional
// (functional_io.ts). Kept apart from both so that neither imports the other back.

/** The whole model config: Keras 3 (for config.json) or tf.keras 2 (for a legacy .h5's model_config). */
export function modelConfigToKeras(m: IoModel, style: KerasStyle, withCompile = true): JsonObject {
  let out: JsonObject;
  if (m instanceof LayersModel) out = functionalToKeras(m, style);
  else if (m instanceof Sequential) out = sequentialToKeras(m, style);
  else throw new ModelFileError(`cannot save a ${m.className} model (tatami saves Sequential and functional models)`);
  if (style === 'keras3' && withCompile && m.compiled) out.compile_config = compileConfigToKeras(m.compiled);
  return out;
}

/** Rebuilds a model from Keras's model config (either style). */
export function modelFromKeras(spec: Json, label: string): Sequential | LayersModel {
  if (!isObject(spec) || typeof spec.class_name !== 'string') throw new ModelFileError(`'${label}': the model config has no class_name`);
  if (spec.class_name === 'Functional' || spec.class_name === 'Model') return functionalFromKeras(spec, label);
  if (spec.class_name !== 'Sequential') {
    throw new ModelFileError(`'${label}' holds a ${spec.class_name} model; tatami loads Sequential and functional models`);
  }
  return sequentialFromKeras(spec, label);
}

/** Slack for the weight budget: a few weights a file might legitimately lack room for (none known). */
const BUDGET_SLACK = 1 << 16;

/**
 * modelFromKeras for a config read from a file whose weights take `weightBytes` bytes: building
 * allocates at most one weight value per byte of them (float32 needs four), so a config that asks
 * for more is refused before it allocates; any other failure to build is a ModelFileError too.
 */
export function modelFromKerasFile(spec: Json, label: string, weightBytes: number): Sequential | LayersModel {
  const fail = (weight: string, values: number, left: number) =>
    new ModelFileError(`'${label}': the model config asks for weight '${weight}' of ${values} values, but the weights (${weightBytes} bytes) cannot hold more than ${left} more`);
  try {
    return withWeightBudget(weightBytes + BUDGET_SLACK, fail, () => modelFromKeras(spec, label));
  } catch (e) {
    if (e instanceof ModelFileError || !(e instanceof TatamiError)) throw e;
    throw new ModelFileError(`'${label}': the model config does not describe a model tatami can build: ${e.message}`);
  }
}
