import { Tensor, type Variable } from '../tensor/tensor';
import { Layer, uniqueName, type SymbolicShape } from '../layers/layer';
import { InputLayer } from '../layers/core';
import { deserializeLayer, serializeLayer } from '../layers/registry';
import { ShapeError, TatamiError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import type { Optimizer } from '../optimizers/optimizer';
import type { Compiled, TrainableModel } from '../training/types';
import { fit, type FitArgs } from '../training/fit';
import { evaluate, predict, type EvaluateArgs } from '../training/evaluate';
import type { History } from '../training/history';
import { resolveCompile, type CompileArgs } from './compile';
import { formatSummary, summaryTotals, type SummaryLayout, type SummaryRow } from './summary';
import { summaryArgs, type SummaryArg } from './summary_args';
import { isSymbolic, type SymbolicTensor } from './symbolic';
import { loadWeights, saveModel, saveWeights } from '../io/model_io';
import type { LoadWeightsOptions, SaveOptions } from '../io/model_types';

export interface SequentialArgs {
  /** Layers; the first may be a tt.input() tensor, as Keras 3 allows keras.Input. */
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
}

/**
 * A linear stack of layers. Layers are built as soon as the input shape is known (from an
 * inputLayer, a first layer's inputShape, or the first batch), so summary() works before fit.
 * @example
 *   const model = tt.sequential();
 *   model.add(tt.layers.dense({ units: 10, activation: 'softmax', inputShape: [784] }));
 */
export class Sequential implements TrainableModel {
  readonly className = 'Sequential';
  name: string;
  stopTraining = false;
  compiled: Compiled | null = null;
  private stack: Layer[] = [];
  private inputShape: SymbolicShape | null = null;
  private shapes: SymbolicShape[] = [];
  /** Once the input shape is known: the symbolic input, and each layer's symbolic output. */
  private inputLayer: InputLayer | null = null;
  private outs: SymbolicTensor[] = [];

  constructor(args: SequentialArgs | (Layer | SymbolicTensor)[] = {}) {
    const a = Array.isArray(args) ? { layers: args } : args;
    this.name = a.name ?? uniqueName('sequential');
    for (const l of a.layers ?? []) this.add(l);
  }

  /** Appends a layer (or, first, a tt.input() tensor); builds it now when the input shape is known. */
  add(item: Layer | SymbolicTensor): void {
    // a tt.input() tensor stands for its InputLayer, as keras.Input does in Keras 3's Sequential
    const layer = isSymbolic(item) && item.node.isInput ? item.sourceLayer : item;
    if (isSymbolic(layer)) throw new ValueError(`Sequential.add expects a layer or a tt.input() tensor, got the output of layer '${layer.sourceLayer.name}'`);
    if (!(layer instanceof Layer)) throw new ValueError(`Sequential.add expects a layer, got ${typeof layer}`);
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputShape) throw new ValueError('an inputLayer can only be the first layer of a Sequential model');
      this.inputShape = layer.batchInputShape!.slice();
      this.inputLayer = layer;
      return;
    }
    if (this.stack.length === 0 && !this.inputShape && layer.batchInputShape) this.inputShape = layer.batchInputShape.slice();
    else if (this.stack.length > 0 && layer.batchInputShape && !layer.built) {
      // Keras ignores input shapes given to later layers only if they agree
      const prev = this.shapes[this.shapes.length - 1];
      if (prev && layer.batchInputShape.slice(1).join() !== prev.slice(1).join()) {
        throw new ShapeError(`layer '${layer.name}' was given inputShape ${shapeToString(layer.batchInputShape.slice(1))} but the previous layer outputs ${shapeToString(prev.slice(1))}`);
      }
    }
    this.stack.push(layer);
    if (this.inputShape) {
      try {
        this.buildFrom(this.stack.length - 1);
      } catch (e) {
        this.stack.pop();
        throw e;
      }
    }
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.stack.length === 0) throw new ValueError('pop: the model has no layers');
    const layer = this.stack.pop()!;
    this.shapes.pop();
    const out = this.outs.pop();
    if (out) forgetNode(layer, out);
  }

  /**
   * Applies the layers from `start` on symbolically, from the InputLayer's tensor: this builds
   * them, gives each its `output`, and lets tt.model() cut sub-models out of this one.
   */
  private buildFrom(start: number): void {
    this.inputLayer ??= new InputLayer({ batchInputShape: this.inputShape! });
    let x = start === 0 ? this.inputLayer.output : this.outs[start - 1];
    for (let i = start; i < this.stack.length; i++) {
      const l = this.stack[i];
      let y: SymbolicTensor;
      try {
        y = l.apply(x);
      } catch (e) {
        this.outs.length = i;
        this.shapes.length = i;
        throw new ShapeError(`cannot add layer '${l.name}' (${l.className}) after output shape ${shapeToString(x.shape)}: ${(e as Error).message}`);
      }
      this.outs[i] = y;
      this.shapes[i] = y.shape;
      x = y;
    }
  }

  /** Builds every layer for inputs of this shape (batch dimension first, may be null). */
  build(inputShape: SymbolicShape): void {
    // Rebuilding for the same shape would only replace the layers' nodes under existing sub-models.
    if (this.inputLayer && this.inputShape && shapeToString(this.inputShape) === shapeToString(inputShape) && this.outs.length === this.stack.length) return;
    this.stack.forEach((l, i) => this.outs[i] && forgetNode(l, this.outs[i]));
    this.outs = [];
    this.shapes = [];
    const same = this.inputLayer && shapeToString(this.inputLayer.batchInputShape!) === shapeToString(inputShape);
    if (!same) this.inputLayer = new InputLayer({ batchInputShape: inputShape.slice() });
    this.inputShape = inputShape.slice();
    if (this.stack.length > 0) this.buildFrom(0);
  }

  get layers(): Layer[] {
    return this.stack.slice();
  }

  /** The symbolic input, [tt.input-like tensor], once the input shape is known. */
  get inputs(): SymbolicTensor[] {
    return [this.requireBuilt('inputs').output];
  }

  get input(): SymbolicTensor {
    return this.requireBuilt('input').output;
  }

  /** The last layer's symbolic output, once built. */
  get outputs(): SymbolicTensor[] {
    return [this.output];
  }

  get output(): SymbolicTensor {
    const input = this.requireBuilt('output');
    return this.outs[this.outs.length - 1] ?? input.output;
  }

  private requireBuilt(what: string): InputLayer {
    if (!this.inputShape || !this.inputLayer) {
      throw new TatamiError(`Sequential model '${this.name}' has no defined ${what} yet: give the first layer an inputShape, add an inputLayer, or call build() (or fit) first`);
    }
    return this.inputLayer;
  }

  get built(): boolean {
    return this.inputShape != null;
  }

  get outputShape(): SymbolicShape {
    if (!this.inputShape) throw new TatamiError(`model '${this.name}' is not built yet: give the first layer an inputShape`);
    return this.shapes[this.shapes.length - 1] ?? this.inputShape;
  }

  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.stack[nameOrIndex] : this.stack.find((x) => x.name === nameOrIndex);
    if (!l) throw new ValueError(`no layer ${typeof nameOrIndex === 'number' ? 'at index ' + nameOrIndex : `named '${nameOrIndex}'`} in model '${this.name}' (layers: ${this.stack.map((x) => x.name).join(', ')})`);
    return l;
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (this.stack.length === 0) throw new TatamiError(`model '${this.name}' has no layers`);
    if (!this.inputShape) this.build([null, ...x.shape.slice(1)]);
    const expect = this.inputShape!;
    const ok = x.rank === expect.length && expect.every((d, i) => i === 0 || d == null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(`model '${this.name}' expects input of shape ${shapeToString(expect)}, got ${shapeToString(x.shape)}` +
        (x.rank === expect.length - 1 ? ` (reshape it, e.g. x.reshape([-1, ${expect.slice(1).join(', ')}]))` : ''));
    }
    let h = x.dtype === 'float32' ? x : x.cast('float32');
    for (const l of this.stack) h = l.invoke(h, training);
    return h;
  }

  /** Calls the model on a batch (inference mode, recorded for autograd). */
  apply(x: Tensor, args: { training?: boolean } = {}): Tensor {
    if (isSymbolic(x)) throw new TatamiError(`model '${this.name}' cannot be applied to symbolic tensors (nesting models as layers is not supported); apply its layers instead`);
    return this.forward(x, args.training ?? false);
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

  predict(x: Tensor, args: { batchSize?: number; verbose?: number } = {}): Tensor {
    return predict(this, x, args);
  }

  get weights(): Variable[] {
    return this.stack.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.nonTrainableWeights);
  }

  getWeights(): Tensor[] {
    return this.stack.flatMap((l) => l.getWeights());
  }

  setWeights(values: Tensor[]): void {
    const total = this.weights.length;
    if (values.length !== total) throw new ValueError(`model '${this.name}' has ${total} weight arrays, got ${values.length}`);
    let k = 0;
    for (const l of this.stack) {
      const n = l.weights.length;
      l.setWeights(values.slice(k, k + n));
      k += n;
    }
  }

  /**
   * Saves architecture, weights, training configuration and (by default) the optimizer's state:
   * 'm.keras' in Keras 3's format, 'm.h5' in the legacy HDF5 format; both open in Python Keras.
   */
  save(filepath: string, options: SaveOptions = {}): Promise<void> {
    return saveModel(this, filepath, options);
  }

  /** Saves the weights: 'w.weights.h5' (Keras 3 layout) or 'w.h5' (legacy layout). */
  saveWeights(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    return saveWeights(this, filepath, options);
  }

  /** Loads weights saved by saveWeights, save or Keras; the model's weights stay as they were if anything does not fit. */
  loadWeights(filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
    return loadWeights(this, filepath, options);
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  summaryText(layout: SummaryLayout = {}): string {
    if (!this.inputShape) throw new TatamiError(`model '${this.name}' is not built yet: give the first layer an inputShape (or call build) before summary()`);
    const rows: SummaryRow[] = this.stack.map((l, i) => ({ name: l.name, className: l.className, outputShape: this.shapes[i], params: l.countParams() }));
    return formatSummary(this.name, rows, summaryTotals(this.trainableWeights, this.nonTrainableWeights, this.optimizer), false, layout);
  }

  /** Prints Keras 3's summary table: summary(), summary(printFn), summary(lineLength, positions, printFn) or summary({ ... }). */
  summary(...args: SummaryArg[]): void {
    const { layout, printFn } = summaryArgs(args);
    for (const line of this.summaryText(layout).split('\n')) printFn(line);
  }

  getConfig(): Record<string, unknown> {
    const layers = this.stack.map(serializeLayer);
    if (this.inputShape) layers.unshift({ className: 'InputLayer', config: { batchInputShape: this.inputShape.slice(), name: this.inputLayer?.name ?? 'input_layer' } });
    return { name: this.name, layers };
  }

  static fromConfig(config: { name?: string; layers: { className: string; config: Record<string, unknown> }[] }): Sequential {
    const m = new Sequential({ name: config.name });
    for (const spec of config.layers) {
      if (spec.className === 'InputLayer') {
        m.add(new InputLayer({ batchInputShape: spec.config.batchInputShape as (number | null)[], name: spec.config.name as string | undefined }));
      } else {
        m.add(deserializeLayer(spec));
      }
    }
    return m;
  }
}

/** Drops the node a Sequential made for `layer` (when the model is rebuilt or the layer popped). */
function forgetNode(layer: Layer, out: SymbolicTensor): void {
  const i = layer.inboundNodes.indexOf(out.node);
  if (i >= 0) layer.inboundNodes.splice(i, 1);
}

/** tfjs-style factory: tt.sequential(), tt.sequential({ layers }), or tt.sequential([layers]). */
export function sequential(args: SequentialArgs | (Layer | SymbolicTensor)[] = {}): Sequential {
  return new Sequential(args);
}

export { Tensor };
