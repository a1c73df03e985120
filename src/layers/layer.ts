import { Tensor, Variable } from '../tensor/tensor';
import { getInitializer, type Initializer } from '../initializers/index';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { shapeToString } from '../util/shape';
import { snakeCase } from '../util/names';
import { Node, SymbolicTensor, applySymbolic, isSymbolic, nodeInput } from './symbolic';
import { buildLayer, shapesOf } from './build';
import { takeWeightBudget } from './weight_budget';

/** A shape with an unknown batch (or other) dimension as null, as Keras prints None. */
export type SymbolicShape = (number | null)[];

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample, without the batch dimension (tfjs/Keras `input_shape`). */
  inputShape?: number[];
  batchInputShape?: (number | null)[];
  batchSize?: number;
  dtype?: string;
}

/** Options of `layer.apply` (tfjs's kwargs). */
export interface ApplyArgs {
  /** Dropout and batch statistics behave as in training (eager calls only). */
  training?: boolean;
}

export const LAYER_ARG_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype'] as const;

const nameCounts = new Map<string, number>();

/** Keras-style unique names: conv2d, conv2d_1, conv2d_2, ... */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

export function resetNames(): void {
  nameCounts.clear();
}

/**
 * The base of every layer: owns its weights (Variables), builds them lazily from the first input
 * shape, and maps inputs to outputs in `call`. Each layer class declares `static readonly className`
 * (Keras's class name), which names it in configs, saved files and errors.
 */
export abstract class Layer {
  /** Keras's class name, from the class's static `className` (never the JS class name, which minifiers rename). */
  readonly className: string;
  name: string;
  built = false;
  batchInputShape: SymbolicShape | null = null;
  protected weightList: Variable[] = [];
  private trainableFlag: boolean;
  /** Every call of this layer on symbolic tensors, in order (Keras's `_inbound_nodes`). */
  readonly inboundNodes: Node[] = [];
  /** The input shape(s) the layer was built for, when it was built by apply/invoke or a model. */
  buildInputShape: SymbolicShape | SymbolicShape[] | null = null;

  constructor(args: LayerArgs = {}, allowedKeys: readonly string[] = []) {
    this.className = staticClassName(new.target);
    checkOptions(this.className, args, [...LAYER_ARG_KEYS, ...allowedKeys]);
    if (args.dtype != null && args.dtype !== 'float32') {
      throw new ValueError(`${this.className}: dtype '${args.dtype}' is not supported; tatami computes in float32`);
    }
    const dataFormat = (args as { dataFormat?: unknown }).dataFormat;
    if (dataFormat != null && dataFormat !== 'channelsLast') {
      throw new ValueError(`${this.className}: dataFormat '${dataFormat}' is not supported; tatami is channels-last (NHWC)`);
    }
    this.trainableFlag = args.trainable ?? true;
    this.name = args.name ?? '';
    if (args.batchInputShape) this.batchInputShape = args.batchInputShape.slice();
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
  }

  /** Gives the layer its Keras-style default name (called by subclasses' constructors). */
  protected initName(explicit?: string): void {
    this.name = explicit ?? uniqueName(snakeCase(this.className));
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /**
   * Freezing a layer freezes its weights (they move to nonTrainableWeights). Keras applies the
   * change at the next compile(); tatami's fit reads trainableWeights at every step, so the change
   * applies from the next batch whether or not the model is recompiled.
   */
  set trainable(v: boolean) {
    this.trainableFlag = v;
    for (const w of this.weightList) w.requiresGrad = v && w.trainable;
  }

  /** Creates the weights for inputs of this shape (batch dimension first; a list for multi-input layers). */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {
    this.built = true;
  }

  /** Maps a batch to its outputs; `training` switches dropout and batch statistics. */
  abstract call(input: Tensor | Tensor[], training: boolean): Tensor;

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return (inputShape as SymbolicShape).slice();
  }

  /** Builds on first use (for the batch's shapes, batch dimension open), then calls. */
  invoke(input: Tensor | Tensor[], training = false): Tensor {
    buildLayer(this, shapesOf(input));
    return this.call(input, training);
  }

  /**
   * Calls the layer. On symbolic tensors (from tt.input or another layer's output) it computes
   * no values: it builds the layer if needed, records a node for the functional graph and
   * returns the symbolic output. On real tensors it computes eagerly, as tfjs does.
   * Multi-input layers (add, concatenate) take an array.
   * @example
   *   const x = tt.input({ shape: [784] });
   *   const y = tt.layers.dense({ units: 10 }).apply(x);   // SymbolicTensor (None, 10)
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: ApplyArgs): SymbolicTensor;
  apply(inputs: Tensor | Tensor[], args?: ApplyArgs): Tensor;
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: ApplyArgs = {}): Tensor | SymbolicTensor {
    checkOptions(`${this.name}.apply`, args, ['training']);
    const list: unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    const where = `layer '${this.name}' (${this.className})`;
    if (list.length === 0) throw new ValueError(`${where} was applied to an empty list of inputs`);
    const nSymbolic = list.filter(isSymbolic).length;
    if (nSymbolic === list.length) return applySymbolic(this, list as SymbolicTensor[], Array.isArray(inputs));
    if (nSymbolic > 0) throw new ValueError(`${where} was applied to a mix of symbolic and real tensors; pass only one kind`);
    if (!list.every((t) => t instanceof Tensor)) {
      throw new ValueError(`${where} expects a Tensor, a SymbolicTensor (from tt.input) or an array of them, got ${describe(list.find((t) => !(t instanceof Tensor)))}`);
    }
    return this.invoke(inputs as Tensor | Tensor[], args.training ?? false);
  }

  /** The one node this layer was called at; errors as Keras does when there are none or several. */
  private singleNode(what: string): Node {
    this.ensureInputNode();
    const n = this.inboundNodes.length;
    if (n === 0) throw new TatamiError(`layer '${this.name}' has never been called and thus has no defined ${what}`);
    if (n > 1) {
      throw new TatamiError(`layer '${this.name}' has multiple inbound nodes (it was applied ${n} times), hence the notion of "layer ${what}" is ill-defined; use ${what === 'input' ? 'getInputAt' : 'getOutputAt'}(nodeIndex) instead`);
    }
    return this.inboundNodes[0];
  }

  private nodeAt(index: number): Node {
    this.ensureInputNode();
    const node = this.inboundNodes[index];
    if (!node) throw new ValueError(`layer '${this.name}' has ${this.inboundNodes.length} inbound node(s); asked for node ${index}`);
    return node;
  }

  /** An InputLayer stands for its own symbolic tensor from the start. */
  private ensureInputNode(): void {
    if (this.inboundNodes.length > 0 || this.className !== 'InputLayer' || !this.batchInputShape) return;
    this.inboundNodes.push(new Node(this, [], false, this.batchInputShape, 'float32', this.name));
    this.built = true;
  }

  /** The symbolic output of the layer's only call (an InputLayer's own tensor). */
  get output(): SymbolicTensor {
    return this.singleNode('output').outputs[0];
  }

  /** The symbolic input(s) of the layer's only call. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return nodeInput(this.singleNode('input'));
  }

  getOutputAt(nodeIndex: number): SymbolicTensor {
    return this.nodeAt(nodeIndex).outputs[0];
  }

  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    return nodeInput(this.nodeAt(nodeIndex));
  }

  /** Output shape with null batch (tfjs's layer.outputShape); the same for every call or an error. */
  get outputShape(): SymbolicShape {
    this.ensureInputNode();
    const shapes = this.inboundNodes.map((n) => n.outputs[0].shape);
    if (shapes.length === 0) {
      if (this.built && this.buildInputShape) return this.computeOutputShape(this.buildInputShape);
      throw new TatamiError(`layer '${this.name}' has never been called and thus has no defined output shape`);
    }
    if (shapes.some((s) => shapeToString(s) !== shapeToString(shapes[0]))) {
      throw new TatamiError(`layer '${this.name}' has multiple inbound nodes with different output shapes (${shapes.map(shapeToString).join(', ')}); use getOutputAt(nodeIndex).shape`);
    }
    return shapes[0].slice();
  }

  protected addWeight(name: string, shape: number[], initializer: Initializer | string, trainable = true): Variable {
    takeWeightBudget(`${this.name}/${name}`, shape); // a model rebuilt from a file allocates no more than the file holds
    const init = typeof initializer === "string" ? getInitializer(initializer as never) : initializer;
    const value = init.apply(shape);
    const v = new Variable(value, `${this.name}/${name}`, trainable);
    value.dispose();
    v.requiresGrad = trainable && this.trainableFlag;
    this.weightList.push(v);
    return v;
  }

  get weights(): Variable[] {
    return this.weightList.slice();
  }

  get trainableWeights(): Variable[] {
    return this.trainableFlag ? this.weightList.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainableFlag ? this.weightList.filter((w) => !w.trainable) : this.weightList.slice();
  }

  countParams(): number {
    return this.weightList.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weight values, in the order Keras lists them (kernel, bias, ...). */
  getWeights(): Tensor[] {
    return this.weightList.map((w) => {
      const t = Tensor.empty(w.shape.slice(), w.dtype);
      t.values.set(w.values);
      return t;
    });
  }

  setWeights(values: Tensor[]): void {
    if (values.length !== this.weightList.length) {
      throw new ValueError(`layer '${this.name}' has ${this.weightList.length} weights, got ${values.length}`);
    }
    values.forEach((v, i) => {
      const w = this.weightList[i];
      if (v.size !== w.size || v.shape.join() !== w.shape.join()) {
        throw new ValueError(`layer '${this.name}': weight ${i} ('${w.name}') has shape ${shapeToString(w.shape)}, got ${shapeToString(v.shape)}`);
      }
    });
    values.forEach((v, i) => this.weightList[i].assign(v));
  }

  /** The layer's own options (tfjs-style camelCase), enough to rebuild it with fromConfig. */
  getConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) cfg.batchInputShape = this.batchInputShape.slice();
    return cfg;
  }
}

function staticClassName(cls: unknown): string {
  const name = (cls as { className?: unknown }).className;
  if (typeof name !== 'string' || name === '') {
    throw new TatamiError('a layer class must declare `static readonly className` (its Keras class name, e.g. \'Dense\')');
  }
  return name;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a nested array';
  return typeof x === 'object' ? (x as object).constructor?.name ?? 'an object' : typeof x;
}

export type Shape2 = [number, number];

export function pair(v: number | number[] | undefined, fallback: number, what: string): Shape2 {
  if (v == null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  if (v.length === 1) return [v[0], v[0]];
  if (v.length !== 2) throw new ValueError(`${what} must be a number or a pair of numbers, got [${v}]`);
  return [v[0], v[1]];
}
