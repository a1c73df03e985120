import { Tensor, type Variable } from '../tensor/tensor';
import { Layer, uniqueName } from '../layers/layer';
import { ShapeError, TatamiError, ValueError, checkOptions } from '../util/errors';
import { shapeToString } from '../util/shape';
import type { Optimizer } from '../optimizers/optimizer';
import type { Compiled, TrainableModel } from '../training/types';
import { fit, type FitArgs } from '../training/fit';
import { evaluate, type EvaluateArgs } from '../training/evaluate';
import type { History } from '../training/history';
import { resolveCompile, type CompileArgs } from './compile';
import { formatSummary, summaryTotals, type SummaryLayout, type SummaryRow } from './summary';
import { isSymbolic, type SymbolicTensor } from '../layers/symbolic';
import { isSequentialLike, mapGraph, type Graph } from './topology';
import { predictBatched } from './predict';
import { functionalConfig, functionalFromConfig, type FunctionalConfig } from './functional_config';
import { summaryArgs, type SummaryArg } from './summary_args';

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
export class LayersModel implements TrainableModel {
  readonly className = 'Functional';
  name: string;
  stopTraining = false;
  compiled: Compiled | null = null;
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  private readonly graph: Graph;
  private readonly singleInput: boolean;
  private readonly singleOutput: boolean;
  private trainableFlag = true;

  constructor(args: ModelArgs) {
    checkOptions('model', args, ['inputs', 'outputs', 'name']);
    if (args == null || args.inputs == null || args.outputs == null) throw new ValueError('model: give { inputs, outputs }, e.g. tt.model({ inputs: x, outputs: y })');
    this.singleInput = !Array.isArray(args.inputs);
    this.singleOutput = !Array.isArray(args.outputs);
    this.inputs = checkTensors(args.inputs, 'inputs');
    this.outputs = checkTensors(args.outputs, 'outputs');
    this.inputs.forEach((t, i) => {
      if (!t.node.isInput) {
        throw new ValueError(`model: inputs[${i}] is the output of layer '${t.sourceLayer.name}' (${t.sourceLayer.className}); inputs must be made by tt.input() (or be another model's inputs)`);
      }
      if (this.inputs.indexOf(t) !== i) throw new ValueError(`model: input '${t.name}' is given twice in inputs`);
    });
    this.graph = mapGraph(this.inputs, this.outputs);
    this.name = args.name ?? uniqueName('functional');
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

  /** A layer by name or index (tfjs also accepts getLayer(undefined, index)). */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const key = nameOrIndex ?? index;
    const layers = this.graph.layers;
    const l = typeof key === 'number' ? layers[key] : layers.find((x) => x.name === key);
    if (!l) {
      const what = typeof key === 'number' ? `at index ${key} (the model has ${layers.length} layers)` : `named '${key}'`;
      throw new ValueError(`no layer ${what} in model '${this.name}' (layers: ${layers.map((x) => x.name).join(', ')})`);
    }
    return l;
  }

  /** Computes every output for these input batches (one tensor per model input). */
  forwardAll(xs: Tensor[], training: boolean): Tensor[] {
    if (xs.length !== this.inputs.length) throw new ValueError(`model '${this.name}' has ${this.inputs.length} inputs, got ${xs.length} tensors`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => values.set(t, this.checkInput(t, xs[i])));
    for (const node of this.graph.nodes) {
      if (node.isInput || values.has(node.outputs[0])) continue;
      const args = node.inputs.map((t) => values.get(t)!);
      values.set(node.outputs[0], node.layer.invoke(node.inputIsList ? args : args[0], training));
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  private checkInput(t: SymbolicTensor, x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ValueError(`model '${this.name}': input '${t.name}' must be a Tensor, got ${typeof x}`);
    const want = t.shape;
    const ok = x.rank === want.length && want.every((d, i) => i === 0 || d == null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(`model '${this.name}' expects input '${t.name}' of shape ${shapeToString(want)}, got ${shapeToString(x.shape)}` +
        (x.rank === want.length - 1 ? ` (reshape it, e.g. x.reshape([-1, ${want.slice(1).join(', ')}]))` : ''));
    }
    return x.dtype === 'float32' || t.dtype !== 'float32' ? x : x.cast('float32');
  }

  /** The training loops' view: one input, one output. */
  forward(x: Tensor, training: boolean): Tensor {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) {
      throw new TatamiError(`model '${this.name}' has ${this.inputs.length} inputs and ${this.outputs.length} outputs; fit and evaluate support one of each (use predict or forwardAll for several)`);
    }
    return this.forwardAll([x], training)[0];
  }

  /** Calls the model on real tensors (inference mode unless training is set). */
  apply(x: Tensor | Tensor[], args: { training?: boolean } = {}): Tensor | Tensor[] {
    const list = Array.isArray(x) ? x : [x];
    if (list.some(isSymbolic)) throw new TatamiError(`model '${this.name}' cannot be applied to symbolic tensors yet (nesting models as layers is not supported); apply its layers instead`);
    const ys = this.forwardAll(list, args.training ?? false);
    return this.singleOutput ? ys[0] : ys;
  }

  /** Outputs for every sample: a Tensor for a one-output model, Tensor[] for several. */
  predict(x: Tensor | Tensor[], args: { batchSize?: number; verbose?: number } = {}): Tensor | Tensor[] {
    checkOptions('predict', args, ['batchSize', 'verbose']);
    const xs = Array.isArray(x) ? x : [x];
    if (xs.length !== this.inputs.length) throw new ValueError(`model '${this.name}' has ${this.inputs.length} inputs, predict got ${xs.length} tensors`);
    const ys = predictBatched((b) => this.forwardAll(b, false), xs, args.batchSize ?? 32);
    return this.singleOutput ? ys[0] : ys;
  }

  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args);
  }

  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    return fit(this, x, y, args);
  }

  evaluate(x: Tensor, y: Tensor, args: EvaluateArgs = {}): Promise<number | number[]> {
    return evaluate(this, x, y, args);
  }

  /** Setting it sets every layer's trainable flag (Keras's model.trainable). */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(v: boolean) {
    this.trainableFlag = v;
    for (const l of this.graph.layers) l.trainable = v;
  }

  get weights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.nonTrainableWeights);
  }

  getWeights(): Tensor[] {
    return this.graph.layers.flatMap((l) => l.getWeights());
  }

  setWeights(values: Tensor[]): void {
    const total = this.weights.length;
    if (values.length !== total) throw new ValueError(`model '${this.name}' has ${total} weight arrays, got ${values.length}`);
    let k = 0;
    for (const l of this.graph.layers) {
      const n = l.weights.length;
      l.setWeights(values.slice(k, k + n));
      k += n;
    }
  }

  countParams(): number {
    return this.graph.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Keras 3's table; "Connected to" appears unless the graph is a plain chain, as in Keras. */
  summaryText(layout: SummaryLayout = {}): string {
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
    const totals = summaryTotals(this.trainableWeights, this.nonTrainableWeights, this.optimizer);
    return formatSummary(this.name, rows, totals, !isSequentialLike(g), layout);
  }

  /** Prints the summary: summary(), summary(printFn), summary(lineLength, positions, printFn) or summary({ ... }). */
  summary(...args: SummaryArg[]): void {
    const { layout, printFn } = summaryArgs(args);
    for (const line of this.summaryText(layout).split('\n')) printFn(line);
  }

  /** tfjs-style functional config: layers with their inbound nodes, input and output layers. */
  getConfig(): FunctionalConfig {
    return functionalConfig(this.name, this.trainableFlag, this.graph, this.inputs, this.outputs);
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
