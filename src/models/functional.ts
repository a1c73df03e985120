import { Tensor } from '../tensor/tensor';
import { isRecording } from '../autograd/tape';
import { uniqueName, type Layer } from '../layers/layer';
import { isSymbolic, type SymbolicTensor } from '../layers/symbolic';
import { ValueError, checkOptions } from '../util/errors';
import { BaseModel, type SummaryTable } from './model';
import type { SummaryRow } from './summary';
import { isSequentialLike, mapGraph, type Graph } from './topology';
import { functionalConfig, functionalFromConfig, type FunctionalConfig } from './functional_config';

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

/**
 * A model defined by a graph of layers, from symbolic inputs (tt.input) to outputs, with any
 * number of each (Keras's functional Model, tfjs's LayersModel). Layers are shared, not copied:
 * a model built from another model's tensors computes with the same weights.
 * @example
 *   const x = tt.input({ shape: [784] });
 *   const h = tt.layers.dense({ units: 64, activation: 'relu' }).apply(x);
 *   const y = tt.layers.dense({ units: 10, activation: 'softmax' }).apply(h);
 *   const model = tt.model({ inputs: x, outputs: y });
 *   // feature maps of a trained Sequential (seed 001):
 *   const features = tt.model({ inputs: cnn.inputs, outputs: cnn.layers[1].output }).predict(images);
 */
export class LayersModel extends BaseModel {
  readonly className = 'Functional';
  private readonly ins: SymbolicTensor[];
  private readonly outs: SymbolicTensor[];
  private readonly graph: Graph;
  private readonly singleInput: boolean;

  constructor(args: ModelArgs) {
    checkOptions('model', args, ['inputs', 'outputs', 'name']);
    if (args == null || args.inputs == null || args.outputs == null) throw new ValueError('model: give { inputs, outputs }, e.g. tt.model({ inputs: x, outputs: y })');
    const inputs = checkTensors(args.inputs, 'inputs');
    const outputs = checkTensors(args.outputs, 'outputs');
    inputs.forEach((t, i) => {
      if (!t.node.isInput) {
        throw new ValueError(`model: inputs[${i}] is the output of layer '${t.sourceLayer.name}' (${t.sourceLayer.className}); inputs must be made by tt.input() (or be another model's inputs)`);
      }
      if (inputs.indexOf(t) !== i) throw new ValueError(`model: input '${t.name}' is given twice in inputs`);
    });
    const graph = mapGraph(inputs, outputs);
    super(args.name ?? uniqueName('functional'));
    this.ins = inputs;
    this.outs = outputs;
    this.graph = graph;
    this.singleInput = !Array.isArray(args.inputs);
    this.singleOutput = !Array.isArray(args.outputs);
  }

  get inputs(): SymbolicTensor[] {
    return this.ins.slice();
  }

  get outputs(): SymbolicTensor[] {
    return this.outs.slice();
  }

  get built(): boolean {
    return true;
  }

  /** All layers, input layers included, in Keras's order (by depth from the inputs). */
  get layers(): Layer[] {
    return this.graph.layers.slice();
  }

  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.singleInput ? this.inputs[0] : this.inputs.slice();
  }

  get output(): SymbolicTensor | SymbolicTensor[] {
    return this.singleOutput ? this.outputs[0] : this.outputs.slice();
  }

  get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((t) => t.sourceLayer.name);
  }

  /** Computes every output for these input batches (one tensor per model input). */
  forwardAll(xs: Tensor[], training: boolean): Tensor[] {
    if (xs.length !== this.ins.length) throw new ValueError(`model '${this.name}' has ${this.ins.length} inputs, got ${xs.length} tensors`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.ins.forEach((t, i) => values.set(t, this.checkBatch(xs[i], t.shape, t.dtype, ` '${t.name}'`)));
    const nodes = this.graph.nodes.filter((n) => !n.isInput && !values.has(n.outputs[0]));
    // inference without gradients: each intermediate is freed after its last consumer has run, so
    // the peak is a few activations instead of all of them (a recorded pass keeps them for backward)
    const uses = !training && !isRecording() ? new Uses(nodes, this.outs, xs) : null;
    for (const node of nodes) {
      const args = node.inputs.map((t) => values.get(t)!);
      const y = node.layer.invoke(node.inputIsList ? args : args[0], training);
      values.set(node.outputs[0], y);
      if (uses) {
        uses.produced(node.outputs[0], y);
        for (const t of node.inputs) uses.consumed(t, values.get(t)!);
      }
    }
    return this.outs.map((t) => values.get(t)!);
  }

  /** Keras 3's table; "Connected to" appears unless the graph is a plain chain, as in Keras. */
  protected summaryTable(): SummaryTable {
    const g = this.graph;
    const rows: SummaryRow[] = g.layers.map((l) => ({
      name: l.name,
      className: l.className,
      // Keras shows the shape of the layer's latest call (its own graph's, if a Sequential rebuilt since)
      outputShape: lastNode(l.inboundNodes.length ? l.inboundNodes : g.nodes.filter((n) => n.layer === l)).outputs[0].shape,
      params: l.countParams(),
      connectedTo: l.inboundNodes.filter((n) => g.nodeSet.has(n))
        .flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`)),
    }));
    return { rows, connected: !isSequentialLike(g) };
  }

  /** tfjs-style functional config: layers with their inbound nodes, input and output layers. */
  getConfig(): FunctionalConfig {
    return functionalConfig(this.name, this.trainable, this.graph, this.ins, this.outs);
  }

  /** Rebuilds a model (fresh weights) from getConfig()'s output. */
  static fromConfig(config: FunctionalConfig): LayersModel {
    const { inputs, outputs, name, trainable } = functionalFromConfig(config);
    const m = new LayersModel({ inputs, outputs, name });
    if (trainable === false) m.trainable = false;
    return m;
  }
}

function checkTensors(v: SymbolicTensor | SymbolicTensor[], what: string): SymbolicTensor[] {
  const list = Array.isArray(v) ? v.slice() : [v];
  if (list.length === 0) throw new ValueError(`model: ${what} is empty`);
  list.forEach((t, i) => {
    if (!isSymbolic(t)) {
      const got = (t as unknown) instanceof Tensor ? 'a Tensor with values' : typeof t;
      throw new ValueError(`model: ${what}[${i}] must be a symbolic tensor (from tt.input() or layer.apply), got ${got}`);
    }
  });
  return list;
}

function lastNode<T>(nodes: T[]): T {
  return nodes[nodes.length - 1];
}

/** tfjs-style factory: tt.model({ inputs, outputs }). */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}

export { LayersModel as Model };

/**
 * Remaining consumers of each value of an inference pass, counted per tensor (an identity layer
 * hands on the tensor it was given): a tensor no later node reads, that is neither a model output
 * nor a model input, is disposed.
 */
class Uses {
  private readonly bySymbol = new Map<SymbolicTensor, number>();
  private readonly byTensor = new Map<Tensor, number>();
  private readonly keep: Set<Tensor>;

  constructor(nodes: readonly { inputs: readonly SymbolicTensor[] }[], outputs: readonly SymbolicTensor[], inputs: readonly Tensor[]) {
    for (const n of nodes) for (const t of n.inputs) this.bySymbol.set(t, (this.bySymbol.get(t) ?? 0) + 1);
    for (const t of outputs) this.bySymbol.set(t, Infinity);
    this.keep = new Set(inputs);
  }

  produced(s: SymbolicTensor, t: Tensor): void {
    this.byTensor.set(t, (this.byTensor.get(t) ?? 0) + (this.bySymbol.get(s) ?? 0));
  }

  consumed(s: SymbolicTensor, t: Tensor): void {
    const left = (this.byTensor.get(t) ?? 0) - 1;
    this.byTensor.set(t, left);
    if (left <= 0 && !this.keep.has(t) && this.byTensor.has(t) && (this.bySymbol.get(s) ?? 0) !== Infinity) {
      this.byTensor.delete(t);
      t.dispose();
    }
  }
}
