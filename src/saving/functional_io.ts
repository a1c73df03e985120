import type { Layer } from '../layers/layer';
import { canonicalLayerName, registeredLayers } from '../layers/index';
import { LayersModel } from '../models/functional';
import type { FunctionalConfig, InboundRef, TensorRef } from '../models/functional_config';
import type { Node, SymbolicTensor } from '../layers/symbolic';
import { mapGraph } from '../models/topology';
import { ModelFileError } from './files';
import { configText, kerasObject, layerConfigFromKeras, type KerasStyle } from './keras_config';
import { layerEntry, shapeOf } from './model_config';
import { isObject, type Json, type JsonObject } from './pyjson';

/**
 * Functional models in Keras's config (keras/src/models/functional.py get_config and
 * serialize_node): each layer lists its calls inside the model as inbound_nodes. Keras 3 writes a
 * call as {args: [<__keras_tensor__ with keras_history [layer, node, tensor]>], kwargs: {}};
 * tf.keras 2 as a list of [layer, node, tensor, kwargs]. Node indices count only the model's own
 * calls of a layer.
 */

function kerasTensor(t: SymbolicTensor, ref: (t: SymbolicTensor) => TensorRef): JsonObject {
  return { class_name: '__keras_tensor__', config: { shape: t.shape.slice(), dtype: t.dtype, keras_history: ref(t) } };
}

export function functionalToKeras(model: LayersModel, style: KerasStyle): JsonObject {
  const g = mapGraph(model.inputs, model.outputs);
  const own = (l: Layer): Node[] => l.inboundNodes.filter((n) => g.nodeSet.has(n));
  const ref = (t: SymbolicTensor): TensorRef => [t.sourceLayer.name, own(t.sourceLayer).indexOf(t.node), t.tensorIndex];
  const layers = g.layers.map((l) => {
    const nodes = own(l).filter((n) => !n.isInput);
    if (l.className === 'InputLayer' || nodes.length === 0) {
      const shape = (l.batchInputShape ?? own(l)[0]?.outputs[0].shape ?? []).slice();
      const cfg: JsonObject = style === 'keras3'
        ? { batch_shape: shape, dtype: 'float32', sparse: false, ragged: false, name: l.name }
        : { batch_input_shape: shape, dtype: 'float32', sparse: false, ragged: false, name: l.name };
      return { ...kerasObject('keras.layers', 'InputLayer', cfg, style), name: l.name, inbound_nodes: [] };
    }
    const first = nodes[0];
    const inputShape: Json = first.inputIsList ? first.inputs.map((t) => t.shape.slice()) : first.inputs[0].shape.slice();
    const entry = layerEntry(l, inputShape, style);
    entry.name = l.name;
    entry.inbound_nodes = style === 'keras3'
      ? nodes.map((n) => ({ args: [n.inputIsList ? n.inputs.map((t) => kerasTensor(t, ref)) : kerasTensor(n.inputs[0], ref)], kwargs: {} }))
      : nodes.map((n) => n.inputs.map((t) => [...ref(t), {}]));
    return entry;
  });
  const config: JsonObject = { name: model.name, trainable: model.trainable, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) };
  if (style === 'keras2') return { class_name: 'Functional', config };
  return { module: 'keras.src.models.functional', class_name: 'Functional', config, registered_name: 'Functional' };
}

function tensorRef(v: Json, where: string): InboundRef {
  // Keras 3: {class_name: '__keras_tensor__', config: {keras_history: [...]}}; tf.keras 2: [name, node, tensor, kwargs?]
  const h = isObject(v) && isObject(v.config) ? v.config.keras_history : v;
  if (!Array.isArray(h) || typeof h[0] !== 'string' || typeof h[1] !== 'number' || typeof h[2] !== 'number') {
    throw new ModelFileError(`${where}: cannot read inbound tensor ${JSON.stringify(v)}`);
  }
  if (isObject(h[3]) && Object.keys(h[3]).length > 0) throw new ModelFileError(`${where}: call arguments ${JSON.stringify(h[3])} are not supported`);
  return [h[0], h[1], h[2], {}];
}

function inboundFromKeras(nodes: Json | undefined, where: string): InboundRef[][] {
  if (nodes == null) return [];
  if (!Array.isArray(nodes)) throw new ModelFileError(`${where}: inbound_nodes is not a list`);
  return nodes.map((node) => {
    if (Array.isArray(node)) return node.map((t) => tensorRef(t, where));
    if (!isObject(node) || !Array.isArray(node.args)) throw new ModelFileError(`${where}: cannot read inbound node ${JSON.stringify(node)}`);
    if (isObject(node.kwargs) && Object.values(node.kwargs).some((v) => isObject(v) && v.class_name === '__keras_tensor__')) {
      throw new ModelFileError(`${where}: tensors passed as keyword arguments are not supported`);
    }
    const first = node.args[0];
    const list = Array.isArray(first) ? first : node.args.filter((a) => isObject(a) && a.class_name === '__keras_tensor__');
    return list.map((t) => tensorRef(t, where));
  });
}

function refs(v: Json | undefined, what: string, label: string): TensorRef[] {
  if (!Array.isArray(v)) throw new ModelFileError(`'${label}': the functional config has no ${what}`);
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.map((r) => {
    // an object at [1] or [2] could shadow toString and make Number() throw
    if (!Array.isArray(r) || typeof r[0] !== 'string' || r.slice(1, 3).some((x) => typeof x === 'object' && x !== null)) {
      throw new ModelFileError(`'${label}': cannot read ${what} entry ${JSON.stringify(r)}`);
    }
    return [r[0], Number(r[1]), Number(r[2])] as TensorRef;
  });
}

export function functionalFromKeras(spec: JsonObject, label: string): LayersModel {
  const cfg = spec.config;
  if (!isObject(cfg) || !Array.isArray(cfg.layers)) throw new ModelFileError(`'${label}': the functional config has no layers`);
  const layers = cfg.layers.map((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw new ModelFileError(`'${label}': layer ${i} of the model config is not {class_name, config}`);
    }
    const name = configText(entry.name ?? entry.config.name, `'${label}': the name of layer ${i} of the model config`);
    const className = canonicalLayerName(entry.class_name); // Keras aliases (MaxPool2D) from the layer registry
    const where = `'${label}' layer '${name}' (${className})`;
    if (className !== 'InputLayer' && !registeredLayers().includes(className)) {
      throw new ModelFileError(`${where}: tatami has no layer class '${className}' (it knows ${registeredLayers().join(', ')})`);
    }
    const config = className === 'InputLayer'
      ? { batchInputShape: shapeOf(entry.config.batch_shape ?? entry.config.batch_input_shape, where), name }
      : layerConfigFromKeras(className, entry.config, where);
    return { name, className, config, inboundNodes: inboundFromKeras(entry.inbound_nodes, where) };
  });
  const fc: FunctionalConfig = {
    name: typeof cfg.name === 'string' ? cfg.name : 'functional',
    trainable: cfg.trainable !== false,
    layers,
    inputLayers: refs(cfg.input_layers, 'input_layers', label),
    outputLayers: refs(cfg.output_layers, 'output_layers', label),
  };
  try {
    return LayersModel.fromConfig(fc);
  } catch (e) {
    throw new ModelFileError(`'${label}': ${(e as Error).message}`);
  }
}
