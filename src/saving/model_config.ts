import type { Layer, SymbolicShape } from '../layers/layer';
import { InputLayer } from '../layers/core';
import { canonicalLayerName, deserializeLayer, registeredLayers } from '../layers/index';
import { Sequential } from '../models/sequential';
import { ModelFileError } from './files';
import { DTYPE_POLICY, kerasObject, layerConfigFromKeras, layerConfigToKeras, type KerasStyle } from './keras_config';
import { isObject, type Json, type JsonObject } from './pyjson';

/**
 * A model's architecture as Keras serializes it: Keras 3's config.json (serialize_keras_object of
 * the model, with build_config and compile_config; keras/src/models/sequential.py get_config) and
 * tf.keras 2's model_config attribute of a legacy .h5 (class_name/config, InputLayer first).
 */

/** Each layer's input shape, from the model's input shape through computeOutputShape. */
function layerInputShapes(input: SymbolicShape, layers: Layer[]): SymbolicShape[] {
  const shapes: SymbolicShape[] = [];
  let s = input;
  for (const l of layers) {
    shapes.push(s);
    s = l.computeOutputShape(s);
  }
  return shapes;
}

/** One layer as Keras lists it in a model config; `inputShape` is a shape or a list of shapes. */
export function layerEntry(layer: Layer, inputShape: Json, style: KerasStyle, first = false): JsonObject {
  const cfg = layer.getConfig();
  if (style === 'keras2' && first) cfg.batchInputShape = inputShape;
  const entry = kerasObject('keras.layers', layer.className, layerConfigToKeras(layer.className, cfg, style), style);
  if (style === 'keras3') entry.build_config = { input_shape: inputShape };
  return entry;
}

export function sequentialToKeras(model: Sequential, style: KerasStyle): JsonObject {
  const input = model.inputs[0].shape.slice();
  const inputName = model.inputs[0].sourceLayer.name;
  const shapes = layerInputShapes(input, model.layers);
  const layers = model.layers.map((l, i) => layerEntry(l, shapes[i], style, i === 0));
  if (style === 'keras2') {
    layers.unshift({ class_name: 'InputLayer', config: { batch_input_shape: input, dtype: 'float32', sparse: false, ragged: false, name: inputName } });
    return { class_name: 'Sequential', config: { name: model.name, layers } };
  }
  layers.unshift(kerasObject('keras.layers', 'InputLayer', { batch_shape: input, dtype: 'float32', sparse: false, ragged: false, name: inputName }, style));
  return {
    module: 'keras', class_name: 'Sequential',
    config: { name: model.name, trainable: true, dtype: DTYPE_POLICY, layers, build_input_shape: input },
    registered_name: null, build_config: { input_shape: input },
  };
}

export function shapeOf(v: Json | undefined, where: string): SymbolicShape | null {
  if (v == null) return null;
  if (!Array.isArray(v) || !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0))) {
    throw new ModelFileError(`${where}: cannot read input shape ${JSON.stringify(v)}`);
  }
  return v as SymbolicShape;
}

function layerFromKeras(entry: Json, label: string, index: number): Layer | SymbolicShape {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new ModelFileError(`'${label}': layer ${index} of the model config is not {class_name, config}`);
  }
  const className = canonicalLayerName(entry.class_name); // Keras aliases (MaxPool2D) from the layer registry
  const where = `'${label}' layer '${entry.config.name ?? index}' (${className})`;
  if (className === 'InputLayer') {
    const shape = shapeOf(entry.config.batch_shape ?? entry.config.batch_input_shape, where);
    if (!shape) throw new ModelFileError(`${where}: no batch_shape`);
    return shape;
  }
  if (!registeredLayers().includes(className)) {
    throw new ModelFileError(`${where}: tatami has no layer class '${className}' (it knows ${registeredLayers().join(', ')})`);
  }
  const cfg = layerConfigFromKeras(className, entry.config, where);
  try {
    return deserializeLayer({ className, config: cfg });
  } catch (e) {
    throw new ModelFileError(`${where}: ${(e as Error).message}`);
  }
}

/** Rebuilds a Sequential model from Keras's Sequential config (either style). */
export function sequentialFromKeras(spec: JsonObject, label: string): Sequential {
  const cfg = spec.config;
  const entries = Array.isArray(cfg) ? cfg : isObject(cfg) && Array.isArray(cfg.layers) ? cfg.layers : null;
  if (!entries) throw new ModelFileError(`'${label}': the Sequential config has no layers`);
  const name = isObject(cfg) && typeof cfg.name === 'string' ? cfg.name : undefined;
  const model = new Sequential({ name });
  entries.forEach((entry, i) => {
    const item = layerFromKeras(entry, label, i);
    if (Array.isArray(item)) model.add(new InputLayer({ batchInputShape: item }));
    else model.add(item);
  });
  if (!model.built) {
    const build = (isObject(cfg) && shapeOf(cfg.build_input_shape, `'${label}'`)) ||
      (isObject(spec.build_config) && shapeOf(spec.build_config.input_shape, `'${label}'`));
    if (build) model.build(build);
  }
  return model;
}
