import type { Layer } from '../layers/layer';
import { deserializeLayer, serializeLayer } from '../layers/registry';
import { ValueError } from '../util/errors';
import type { Node, SymbolicTensor } from '../layers/symbolic';
import type { Graph } from './topology';

/** [layer name, node index, tensor index] (Keras's input_layers/output_layers entries). */
export type TensorRef = [string, number, number];
/** One inbound tensor of a node: [layer name, node index, tensor index, call kwargs]. */
export type InboundRef = [string, number, number, Record<string, unknown>];

export interface FunctionalLayerConfig {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** One entry per call of the layer inside this model; each lists the tensors it received. */
  inboundNodes: InboundRef[][];
}

/** tfjs's (and Keras 2's) functional config, in camelCase. */
export interface FunctionalConfig {
  name: string;
  trainable?: boolean;
  layers: FunctionalLayerConfig[];
  /** A list; Keras 3's single triple for a lone tensor is accepted too. */
  inputLayers: TensorRef[] | TensorRef;
  outputLayers: TensorRef[] | TensorRef;
}

/**
 * Serializes the graph as Keras does: node indices count only the calls that belong to this
 * model (a layer also used elsewhere gets its nodes renumbered from 0).
 */
export function functionalConfig(name: string, trainable: boolean, g: Graph, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): FunctionalConfig {
  const newIndex = new Map<Node, number>();
  for (const l of g.layers) l.inboundNodes.filter((n) => g.nodeSet.has(n)).forEach((n, i) => newIndex.set(n, i));
  const ref = (t: SymbolicTensor): TensorRef => [t.sourceLayer.name, newIndex.get(t.node)!, t.tensorIndex];
  const layers = g.layers.map((l) => {
    const { className, config } = serializeLayer(l);
    const inboundNodes = l.inboundNodes
      .filter((n) => g.nodeSet.has(n) && !n.isInput)
      .map((n) => n.inputs.map((t) => [...ref(t), {}] as InboundRef));
    return { name: l.name, className, config, inboundNodes };
  });
  return { name, trainable, layers, inputLayers: inputs.map(ref), outputLayers: outputs.map(ref) };
}

/**
 * Recreates the layers and replays their calls. A call waits until the layers feeding it have
 * been called (Keras's queue), so shared layers at different depths rebuild in the right order.
 */
export function functionalFromConfig(config: FunctionalConfig): { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name: string; trainable?: boolean } {
  if (!config || !Array.isArray(config.layers) || !Array.isArray(config.inputLayers) || !Array.isArray(config.outputLayers)) {
    throw new ValueError('Model.fromConfig: the config needs layers, inputLayers and outputLayers (as getConfig() returns)');
  }
  const created = new Map<string, Layer>();
  const pending = new Map<Layer, InboundRef[][]>();
  for (const spec of config.layers) {
    const layer = deserializeLayer({ className: spec.className, config: { ...spec.config, name: spec.name } });
    if (created.has(spec.name)) throw new ValueError(`Model.fromConfig: two layers are named '${spec.name}'`);
    created.set(spec.name, layer);
    if (spec.inboundNodes.length > 0) pending.set(layer, spec.inboundNodes.slice());
  }
  const tensor = ([name, nodeIndex, tensorIndex]: TensorRef | InboundRef): SymbolicTensor | null => {
    const layer = created.get(name);
    if (!layer) throw new ValueError(`Model.fromConfig: a node refers to unknown layer '${name}'`);
    if (layer.className === 'InputLayer') return layer.getOutputAt(0);
    return layer.inboundNodes[nodeIndex]?.outputs[tensorIndex] ?? null;
  };
  while (pending.size > 0) {
    let progressed = false;
    for (const [layer, nodes] of pending) {
      while (nodes.length > 0) {
        const args = nodes[0].map(tensor);
        if (args.some((t) => t === null)) break;
        layer.apply(args.length === 1 ? args[0]! : (args as SymbolicTensor[]));
        nodes.shift();
        progressed = true;
      }
      if (nodes.length === 0) pending.delete(layer);
    }
    if (!progressed) {
      throw new ValueError(`Model.fromConfig: cannot rebuild the calls of ${[...pending.keys()].map((l) => `'${l.name}'`).join(', ')}: their inputs never become available`);
    }
  }
  const resolve = (r: TensorRef): SymbolicTensor => {
    const t = tensor(r);
    if (!t) throw new ValueError(`Model.fromConfig: no tensor ${JSON.stringify(r)}`);
    return t;
  };
  // One tensor (a lone triple, or a list of one) gives a model whose predict returns a Tensor.
  const refs = (r: TensorRef[] | TensorRef) => (typeof r[0] === 'string' ? [r as TensorRef] : (r as TensorRef[]));
  const structure = (r: TensorRef[] | TensorRef) => {
    const ts = refs(r).map(resolve);
    return ts.length === 1 ? ts[0] : ts;
  };
  return { inputs: structure(config.inputLayers), outputs: structure(config.outputLayers), name: config.name, trainable: config.trainable };
}
