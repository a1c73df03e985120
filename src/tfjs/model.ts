import { Tensor, type Variable } from '../tensor/tensor';
import type { Layer } from '../layers/layer';
import type { SymbolicTensor } from '../layers/symbolic';
import { BaseModel } from '../models/model';
import { Sequential as CoreSequential } from '../models/sequential';
import { LayersModel as CoreModel } from '../models/functional';
import type { Optimizer } from '../optimizers/optimizer';
import { takeRows } from '../training/batches';
import { Accumulator, testStep } from '../training/step';
import type { TrainableModel } from '../training/types';
import type { CallbackModel } from '../callbacks/callback';
import { trainStep } from '../training/step';
import { scalar } from '../ops/public_creation';
import { TatamiError, ValueError } from '../util/errors';
import { compileLoss, compileMetric } from './losses';
import { tfjsOptimizer } from './train';
import { callbackList, renameLogs, tfjsOrder, TfjsCallbackAdapter, type TfjsCallbacks, type YieldEvery } from './fit_callbacks';
import { tfjsSummary } from './summary';
import { SourceAdapter } from '../training/data_adapter';
import type { DataSource } from '../training/data_source';
import { evaluateRun } from '../training/evaluate';
import type { Dataset } from './data/dataset';
import { checkPositiveInteger, datasetSource, isDataset } from './fit_dataset';

export interface TfjsFitArgs {
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: TfjsCallbacks;
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  shuffle?: boolean;
  initialEpoch?: number;
  yieldEvery?: YieldEvery;
  classWeight?: unknown;
  sampleWeight?: unknown;
  stepsPerEpoch?: number;
  validationSteps?: number;
}

/** Set by io.ts (which imports this file) so that save needs no import back. */
type Saver = (m: LayersModel, target: unknown) => Promise<unknown>;
let saver: Saver | null = null;
export function setSaver(f: Saver): void {
  saver = f;
}

export interface TfjsFitDatasetArgs {
  epochs: number;
  batchesPerEpoch?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: TfjsCallbacks;
  validationData?: Dataset | [Tensor, Tensor];
  validationBatchSize?: number;
  validationBatches?: number;
  yieldEvery?: YieldEvery;
  initialEpoch?: number;
  classWeight?: unknown;
}

export interface TfjsCompileArgs {
  optimizer: string | Optimizer;
  loss: unknown;
  metrics?: unknown;
}

/** What fit resolves to, as tfjs's History: epoch numbers and the logs by tfjs's keys. */
export interface TfjsHistory {
  epoch: number[];
  history: Record<string, number[]>;
  params: unknown;
}

/**
 * tfjs's LayersModel over a tatami model (which it holds as `core`): compile with tfjs's names
 * and defaults, fit with tfjs's callbacks and log keys, evaluate returning Scalars. Everything is
 * computed by tatami's model; this class translates arguments and results.
 */
export class LayersModel {
  /** The tfjs keys of the compiled metrics, and tatami's log key -> tfjs's. */
  private metricKeys: string[] = [];
  private keys = new Map<string, string>();

  constructor(readonly core: BaseModel) {}

  get name(): string { return this.core.name; }
  set name(v: string) { this.core.name = v; }
  get layers(): Layer[] { return this.core.layers; }
  get inputs(): SymbolicTensor[] { return this.core.inputs; }
  get outputs(): SymbolicTensor[] { return this.core.outputs; }
  get weights(): Variable[] { return this.core.weights; }
  get trainableWeights(): Variable[] { return this.core.trainableWeights; }
  get nonTrainableWeights(): Variable[] { return this.core.nonTrainableWeights; }
  get trainable(): boolean { return this.core.trainable; }
  set trainable(v: boolean) { this.core.trainable = v; }
  get stopTraining(): boolean { return this.core.stopTraining; }
  set stopTraining(v: boolean) { this.core.stopTraining = v; }
  get optimizer(): Optimizer | null { return this.core.optimizer; }
  get metricsNames(): string[] { return ['loss', ...this.metricKeys]; }
  get inputNames(): string[] { return this.core.inputs.map((t) => t.sourceLayer.name); }
  get outputNames(): string[] { return this.core.outputs.map((t) => t.sourceLayer.name); }
  get outputShape(): (number | null)[] | (number | null)[][] {
    const s = this.core.outputs.map((t) => t.shape.slice());
    return s.length === 1 ? s[0] : s;
  }

  getLayer(name?: string, index?: number): Layer { return this.core.getLayer(name, index); }
  countParams(): number { return this.core.countParams(); }
  /** tfjs's getWeights(trainableOnly = false): copies of the weights. */
  getWeights(trainableOnly = false): Tensor[] {
    return trainableOnly ? this.core.trainableWeights.map((w) => w.clone()) : this.core.getWeights();
  }
  setWeights(weights: Tensor[]): void { this.core.setWeights(weights); }
  getConfig(): object { return this.core.getConfig(); }

  compile(args: TfjsCompileArgs): void {
    if (args == null || args.loss == null) throw new ValueError('compile: give { optimizer, loss, metrics? }');
    const given = args.metrics == null ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
    if (Array.isArray(args.loss) || (typeof args.loss === 'object' && typeof args.loss !== 'function')) {
      throw new TatamiError('compile: tatami/tfjs takes one loss for a model with one output');
    }
    const resolved = given.map(compileMetric);
    this.core.compile({ optimizer: tfjsOptimizer(args.optimizer), loss: compileLoss(args.loss) as never, metrics: resolved.map((m) => m.id) });
    this.metricKeys = resolved.map((m) => m.key);
    this.keys = new Map(this.core.compiled!.metrics.map((m, i) => [m.name, resolved[i].key]));
  }

  private requireCompiled(what: string): void {
    if (!this.core.compiled) throw new TatamiError(`You must compile a model before ${what}; call model.compile({ optimizer, loss, metrics })`);
  }

  async fit(x: Tensor, y: Tensor, args: TfjsFitArgs = {}): Promise<TfjsHistory> {
    this.requireCompiled('training/testing');
    for (const k of ['classWeight', 'sampleWeight', 'stepsPerEpoch', 'validationSteps'] as const) {
      if (args[k] != null) throw new TatamiError(`fit: '${k}' is not supported by tatami/tfjs`);
    }
    if (Array.isArray(x) || Array.isArray(y)) throw new TatamiError('fit: tatami trains models with one input and one output (got arrays)');
    const batchSize = args.batchSize ?? 32;
    const adapter = new TfjsCallbackAdapter(callbackList(args.callbacks), this.keys, this.metricKeys, this as unknown as CallbackModel, args.yieldEvery ?? 'auto', batchSize);
    const h = await this.core.fit(x, y, {
      batchSize, epochs: args.epochs ?? 1, verbose: args.verbose ?? 1, shuffle: args.shuffle ?? true,
      validationSplit: args.validationSplit, validationData: args.validationData, initialEpoch: args.initialEpoch, callbacks: [adapter],
    });
    return this.tfjsHistory(h);
  }

  private tfjsHistory(h: { epoch: number[]; history: Record<string, number[]>; params: unknown }): TfjsHistory {
    const history: Record<string, number[]> = {};
    const renamed = renameLogs(Object.fromEntries(Object.keys(h.history).map((k) => [k, 0])), this.keys);
    const tatamiKey = new Map(Object.keys(h.history).map((k, i) => [Object.keys(renamed)[i], k]));
    for (const k of Object.keys(tfjsOrder(renamed, this.metricKeys))) history[k] = h.history[tatamiKey.get(k)!];
    return { epoch: h.epoch, history, params: h.params };
  }

  /**
   * tfjs's fitDataset: trains on a tf.data Dataset of { xs, ys } batches through tatami's fit
   * loop, one element at a time. Each epoch is a fresh pass, or batchesPerEpoch batches of one
   * running iterator. validationData is a Dataset (validationBatches) or [x, y] tensors.
   */
  async fitDataset(dataset: Dataset, args: TfjsFitDatasetArgs): Promise<TfjsHistory> {
    this.requireCompiled('training/testing');
    if (args == null) throw new ValueError('For fitDataset(), the 2nd argument (config) is required, but it is not provided in this call.');
    checkPositiveInteger('epochs', args.epochs, false);
    checkPositiveInteger('batchesPerEpoch', args.batchesPerEpoch, true);
    if ((args as { validationSplit?: unknown }).validationSplit != null) throw new ValueError('`validationSplit` is not supported by `fitDataset()`. Use validationData instead.');
    if (args.classWeight != null) throw new TatamiError("fitDataset: 'classWeight' is not supported by tatami/tfjs");
    if (!isDataset(dataset)) throw new ValueError(`fitDataset: give a tf.data Dataset (tf.data.array(...), tf.data.generator(...)), got ${typeof dataset}`);
    const continuous = args.batchesPerEpoch != null;
    let lastSize = 0;
    const train = datasetSource(this, dataset, continuous, (n) => (lastSize = n));
    if (!continuous && Number.isFinite(dataset.size)) (train as { length?: number }).length = dataset.size!;
    const vd = args.validationData;
    let validationData: [Tensor, Tensor] | DataSource | undefined;
    if (vd == null) validationData = undefined;
    else if (isDataset(vd)) {
      if (args.validationBatches != null) checkPositiveInteger('validationBatches', args.validationBatches, false);
      validationData = datasetSource(this, vd, false);
    } else {
      if (!Array.isArray(vd) || vd.length !== 2) throw new ValueError('fitDataset: validationData must be a Dataset or [xs, ys] tensors (validation with sample weights is not implemented)');
      validationData = vd;
    }
    const adapter = new TfjsCallbackAdapter(callbackList(args.callbacks), this.keys, this.metricKeys, this as unknown as CallbackModel,
      args.yieldEvery ?? 'auto', () => lastSize);
    const h = await this.core.fit(train, {
      epochs: args.epochs, verbose: args.verbose ?? 1, initialEpoch: args.initialEpoch, callbacks: [adapter],
      stepsPerEpoch: args.batchesPerEpoch, validationData,
      ...(isDataset(vd) ? { validationSteps: args.validationBatches } : { validationBatchSize: args.validationBatchSize ?? 32 }),
    });
    return this.tfjsHistory(h);
  }

  /** tfjs's evaluateDataset: Scalars (loss, then metrics) over a pass of the dataset, or its first `batches` batches. */
  async evaluateDataset(dataset: Dataset, args: { batches?: number; verbose?: number } = {}): Promise<Tensor | Tensor[]> {
    this.requireCompiled('training/testing');
    if (args.batches != null && !(Number.isInteger(args.batches) && args.batches > 0)) {
      throw new ValueError(`Test loop expects \`batches\` to be a positive integer, but received ${JSON.stringify(args.batches)}`);
    }
    if (!isDataset(dataset)) throw new ValueError(`evaluateDataset: give a tf.data Dataset, got ${typeof dataset}`);
    const source = new SourceAdapter(datasetSource(this, dataset, false), 'evaluateDataset', 'batches', args.batches ?? null);
    const logs = await evaluateRun(this.core, source, 'evaluateDataset');
    const values = [logs.loss, ...this.core.compiled!.metrics.map((m) => logs[m.name])].map((v) => scalar(v));
    return values.length === 1 ? values[0] : values;
  }

  /** tfjs's evaluate: Scalars, the loss first, then each metric (one Scalar when there are no metrics). */
  evaluate(x: Tensor, y: Tensor, args: { batchSize?: number; verbose?: number; steps?: number; sampleWeight?: unknown } = {}): Tensor | Tensor[] {
    this.requireCompiled('training/testing');
    if (args.sampleWeight != null || args.steps != null) throw new TatamiError('evaluate: sampleWeight and steps are not supported by tatami/tfjs');
    const logs = evaluateLogs(this.core, x, y, args.batchSize ?? 32);
    const values = [logs.loss, ...this.core.compiled!.metrics.map((m) => logs[m.name])].map((v) => scalar(v));
    return values.length === 1 ? values[0] : values;
  }

  predict(x: Tensor | Tensor[], args: { batchSize?: number; verbose?: boolean } = {}): Tensor | Tensor[] {
    return this.core.predict(x, { batchSize: args.batchSize ?? 32 });
  }

  predictOnBatch(x: Tensor | Tensor[]): Tensor | Tensor[] {
    const xs = Array.isArray(x) ? x : [x];
    return this.core.predict(x, { batchSize: Math.max(1, xs[0].shape[0]) });
  }

  /** One optimizer step: the loss, or [loss, ...metrics] of that batch. */
  async trainOnBatch(x: Tensor, y: Tensor): Promise<number | number[]> {
    this.requireCompiled('training/testing');
    const r = trainStep(this.core, x, y);
    const values = [r.lossSum / r.count, ...r.metricSums.map((s) => s / r.count)];
    return values.length === 1 ? values[0] : values;
  }

  apply(x: Tensor | Tensor[], kwargs: { training?: boolean } = {}): Tensor | Tensor[] {
    return this.core.apply(x, kwargs);
  }

  /** tfjs's summary(lineLength?, positions?, printFn?). */
  summary(lineLength?: number, positions?: number[], printFn: (message?: unknown, ...rest: unknown[]) => void = console.log): void {
    for (const line of tfjsSummary(this.core, lineLength, positions)) printFn(line);
  }

  /** model.save('file://dir') writes model.json and weights.bin; model.save(handler) gives the artifacts to it. */
  async save(handlerOrURL: unknown): Promise<unknown> {
    if (!saver) throw new TatamiError('model.save: load tatami/tfjs (its index) to save models');
    return saver(this, handlerOrURL);
  }

  dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    const n = this.core.weights.length;
    for (const w of this.core.weights) w.release();
    return { refCountAfterDispose: 0, numDisposedVariables: n };
  }
}

/** tfjs's Sequential: a LayersModel you add layers to. */
export class Sequential extends LayersModel {
  declare readonly core: CoreSequential;
  constructor(args: { layers?: Layer[]; name?: string } | CoreSequential = {}) {
    super(args instanceof CoreSequential ? args : new CoreSequential(checkLayers(args)));
  }
  add(layer: Layer): void {
    if (layer instanceof LayersModel) throw new TatamiError('Sequential.add: tatami cannot nest a model as a layer yet; add its layers one by one');
    this.core.add(layer);
  }
  pop(): void { this.core.pop(); }
}

function checkLayers(args: { layers?: Layer[]; name?: string }): { layers?: Layer[]; name?: string } {
  for (const l of args.layers ?? []) {
    if (l instanceof LayersModel) throw new TatamiError('sequential: tatami cannot nest a model as a layer yet; list its layers instead');
  }
  return args;
}

/** tfjs's Functional model made by tf.model({ inputs, outputs }). */
export const model = (args: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }) =>
  new LayersModel(new CoreModel(args));

export const sequential = (args: { layers?: Layer[]; name?: string } = {}) => new Sequential(args);

/** Wraps a model tatami loaded or built as a tfjs model. */
export function wrapModel(m: BaseModel): LayersModel {
  return m instanceof CoreSequential ? new Sequential(m) : new LayersModel(m);
}

/** Loss and metrics over (x, y) in batches, synchronously (tfjs's evaluate returns Scalars at once). */
function evaluateLogs(model: TrainableModel, x: Tensor, y: Tensor, batchSize: number): Record<string, number> {
  const acc = new Accumulator(model.compiled!);
  for (let start = 0; start < x.shape[0]; start += batchSize) {
    const end = Math.min(start + batchSize, x.shape[0]);
    const xb = takeRows(x, null, start, end);
    const yb = takeRows(y, null, start, end);
    acc.add(testStep(model, xb, yb));
    xb.dispose();
    yb.dispose();
  }
  return acc.logs();
}
