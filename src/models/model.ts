import { Tensor, type Variable } from '../tensor/tensor';
import type { Layer, SymbolicShape } from '../layers/layer';
import { isSymbolic, type SymbolicTensor } from '../layers/symbolic';
import { ShapeError, TatamiError, ValueError, checkOptions } from '../util/errors';
import { shapeToString } from '../util/shape';
import type { Optimizer } from '../optimizers/optimizer';
import type { Compiled, TrainableModel } from '../training/types';
import { fit, type FitArgs } from '../training/fit';
import { evaluate, type EvaluateArgs } from '../training/evaluate';
import type { History } from '../training/history';
import { resolveCompile, type CompileArgs } from './compile';
import { predictBatched, predictFromSource, type PredictArgs } from '../training/predict';
import { isDataSource, type AsyncDataSource, type DataSource, type SyncDataSource } from '../training/data_source';
import { formatSummary, summaryTotals, type SummaryLayout, type SummaryRow } from './summary';
import { summaryArgs, type SummaryArg } from './summary_args';
import { modelFiles, type LoadWeightsOptions, type SaveOptions } from './model_files';

/** What a model's summary table shows: one row per layer, and whether "Connected to" is a column. */
export interface SummaryTable {
  rows: SummaryRow[];
  connected: boolean;
}

/**
 * What every model has, written once (Keras's Model, tfjs's LayersModel): compile, fit, evaluate,
 * predict, weights, trainable, getLayer, summary, save. Sequential and the functional model extend
 * it and provide only how their layers are held and run, their summary rows and their config.
 * `In` and `Out` are what predict and apply take and give: a Tensor for a Sequential; a Tensor
 * or a list for a functional model, as it was defined.
 */
export abstract class BaseModel<In extends Tensor | Tensor[] = Tensor | Tensor[], Out extends Tensor | Tensor[] = Tensor | Tensor[]>
  implements TrainableModel {
  /** Keras's class name: 'Sequential' or 'Functional'. */
  abstract readonly className: string;
  name: string;
  stopTraining = false;
  compiled: Compiled | null = null;
  /** Whether predict and apply give one Tensor (false for a model defined with a list of outputs). */
  protected singleOutput = true;
  private trainableFlag = true;

  constructor(name: string) {
    this.name = name;
  }

  /** The model's layers, as Keras lists them (a functional model includes its InputLayers). */
  abstract get layers(): Layer[];
  /** The symbolic inputs and outputs, one per model input and output. */
  abstract get inputs(): SymbolicTensor[];
  abstract get outputs(): SymbolicTensor[];
  /** False while a Sequential does not know its input shape yet. */
  abstract get built(): boolean;

  /** Computes every output for these input batches (one tensor per model input). */
  abstract forwardAll(xs: Tensor[], training: boolean): Tensor[];

  /** The rows of summary() (the model must be built). */
  protected abstract summaryTable(): SummaryTable;

  abstract getConfig(): object;

  /** The training loops' view: one input, one output. */
  forward(x: Tensor, training: boolean): Tensor {
    if (this.built && (this.inputs.length !== 1 || this.outputs.length !== 1)) {
      throw new TatamiError(`model '${this.name}' has ${this.inputs.length} inputs and ${this.outputs.length} outputs; fit and evaluate support one of each (use predict or forwardAll for several)`);
    }
    return this.forwardAll([x], training)[0];
  }

  /**
   * Checks a batch against the symbolic input it feeds (any batch size; the other dimensions as
   * declared) and casts it to float32 when the input is float32. `label` names the input in errors.
   */
  protected checkBatch(x: Tensor, want: SymbolicShape, dtype: string, label: string): Tensor {
    if (!(x instanceof Tensor)) throw new ValueError(`model '${this.name}': input${label} must be a Tensor, got ${typeof x}`);
    const ok = x.rank === want.length && want.every((d, i) => i === 0 || d == null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(`model '${this.name}' expects input${label} of shape ${shapeToString(want)}, got ${shapeToString(x.shape)}` +
        (x.rank === want.length - 1 ? ` (reshape it, e.g. x.reshape([-1, ${want.slice(1).join(', ')}]))` : ''));
    }
    return x.dtype === 'float32' || dtype !== 'float32' ? x : x.cast('float32');
  }

  /** Calls the model on real tensors (inference mode unless training is set), recorded for autograd. */
  apply(x: In, args: { training?: boolean } = {}): Out {
    checkOptions(`${this.name}.apply`, args, ['training']);
    const xs: Tensor[] = Array.isArray(x) ? x : [x];
    if (xs.some(isSymbolic)) throw new TatamiError(`model '${this.name}' cannot be applied to symbolic tensors yet (nesting models as layers is not supported); apply its layers instead`);
    return this.outputsAs(this.forwardAll(xs, args.training ?? false));
  }

  /**
   * Outputs for every sample, in batches, in inference mode: a Tensor per model output. Also
   * takes a data source (ImageDataGenerator.flow, a generator with `steps`, a dataset): sync
   * for a sync source, a Promise for an async one (imageDatasetFromDirectory).
   */
  predict(x: In, args?: PredictArgs): Out;
  predict(x: AsyncDataSource, args?: PredictArgs): Promise<Out>;
  predict(x: SyncDataSource, args?: PredictArgs): Out;
  predict(x: In | DataSource, args: PredictArgs = {}): Out | Promise<Out> {
    checkOptions('predict', args, ['batchSize', 'verbose', 'steps']);
    if (isDataSource(x)) {
      const ys = predictFromSource((b) => this.forwardAll(b, false), x, args);
      return ys instanceof Promise ? ys.then((v) => this.outputsAs(v)) : this.outputsAs(ys);
    }
    if (args.steps != null) throw new ValueError('predict: steps is for a data source (generator, iterator or dataset); tensors are predicted whole, in batches of batchSize');
    const xs: Tensor[] = Array.isArray(x) ? x : [x];
    if (this.built && xs.length !== this.inputs.length) throw new ValueError(`model '${this.name}' has ${this.inputs.length} inputs, predict got ${xs.length} tensors`);
    return this.outputsAs(predictBatched((b) => this.forwardAll(b, false), xs, args.batchSize ?? 32));
  }

  private outputsAs(ys: Tensor[]): Out {
    return (this.singleOutput ? ys[0] : ys) as Out;
  }

  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args);
  }

  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /**
   * Trains on tensors, fit(x, y, args), or on a data source, fit(source, args): an iterator such
   * as ImageDataGenerator.flow (with stepsPerEpoch, default its length), a generator (with
   * stepsPerEpoch) or a dataset such as imageDatasetFromDirectory (one pass per epoch).
   */
  fit(x: Tensor, y: Tensor, args?: FitArgs): Promise<History>;
  fit(x: DataSource, args?: FitArgs): Promise<History>;
  fit(x: Tensor | DataSource, yOrArgs?: Tensor | FitArgs | null, args?: FitArgs): Promise<History> {
    return fit(this, x, yOrArgs, args);
  }

  /** Keras's evaluate, on tensors or a data source: the loss, or [loss, ...metrics] when metrics were compiled. */
  evaluate(x: Tensor, y: Tensor, args?: EvaluateArgs): Promise<number | number[]>;
  evaluate(x: DataSource, args?: EvaluateArgs): Promise<number | number[]>;
  evaluate(x: Tensor | DataSource, yOrArgs?: Tensor | EvaluateArgs | null, args?: EvaluateArgs): Promise<number | number[]> {
    return evaluate(this, x, yOrArgs, args);
  }

  /** Setting it sets every layer's trainable flag (Keras's model.trainable). */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(v: boolean) {
    this.trainableFlag = v;
    for (const l of this.layers) l.trainable = v;
  }

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Copies of every weight, layer by layer, in Keras's order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  setWeights(values: Tensor[]): void {
    const layers = this.layers;
    const total = layers.reduce((n, l) => n + l.weights.length, 0);
    if (values.length !== total) throw new ValueError(`model '${this.name}' has ${total} weight arrays, got ${values.length}`);
    let k = 0;
    for (const l of layers) {
      const n = l.weights.length;
      l.setWeights(values.slice(k, k + n));
      k += n;
    }
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** A layer by name or index (tfjs also accepts getLayer(undefined, index)). */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const key = nameOrIndex ?? index;
    const layers = this.layers;
    const l = typeof key === 'number' ? layers[key] : layers.find((x) => x.name === key);
    if (!l) {
      const what = typeof key === 'number' ? `at index ${key} (the model has ${layers.length} layers)` : `named '${key}'`;
      throw new ValueError(`no layer ${what} in model '${this.name}' (layers: ${layers.map((x) => x.name).join(', ')})`);
    }
    return l;
  }

  /** Keras 3's summary table as text. */
  summaryText(layout: SummaryLayout = {}): string {
    const { rows, connected } = this.summaryTable();
    return formatSummary(this.name, rows, summaryTotals(this.trainableWeights, this.nonTrainableWeights, this.optimizer), connected, layout);
  }

  /** Prints Keras 3's summary table: summary(), summary(printFn), summary(lineLength, positions, printFn) or summary({ ... }). */
  summary(...args: SummaryArg[]): void {
    const { layout, printFn } = summaryArgs(args);
    for (const line of this.summaryText(layout).split('\n')) printFn(line);
  }

  /**
   * Saves architecture, weights, training configuration and (by default) the optimizer's state:
   * 'm.keras' in Keras 3's format, 'm.h5' in the legacy HDF5 format; both open in Python Keras.
   */
  async save(filepath: string, options: SaveOptions = {}): Promise<void> {
    return modelFiles('save').save(this, filepath, options);
  }

  /** Saves the weights: 'w.weights.h5' (Keras 3 layout) or 'w.h5' (legacy layout). */
  async saveWeights(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    return modelFiles('saveWeights').saveWeights(this, filepath, options);
  }

  /** Loads weights saved by saveWeights, save or Keras; the model's weights stay as they were if anything does not fit. */
  async loadWeights(filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
    return modelFiles('loadWeights').loadWeights(this, filepath, options);
  }
}
