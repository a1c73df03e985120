import type { Sequential } from '../../models/sequential';
import type { CompileArgs } from '../../models/compile';
import type { CallbackLike } from '../../callbacks/callback';
import type { ImageDataGenerator } from '../../preprocessing/image_data_generator';
import type { BaseModel } from '../../models/model';
import type { History } from '../../training/history';
import type { PreparedData } from '../prepare';

/** The datasets `tatami train` and `tatami evaluate` read. */
export type DatasetName = 'mnist' | 'fashion-mnist' | 'cifar10';
export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion-mnist', 'cifar10'];

/**
 * A trainable example: what `tatami train` needs to rebuild a tutorial's run. User files for
 * `tatami train my-model.ts` export one of these (default export or `module.exports`).
 */
export interface TrainExample {
  name: string;
  description: string;
  dataset: DatasetName;
  /**
   * 'image': (N, H, W, C) in 0..1, (N, 28, 28, 1) for MNIST and Fashion-MNIST, (N, 32, 32, 3)
   * for CIFAR-10; 'flat': (N, H*W*C) in 0..1.
   */
  input: 'image' | 'flat';
  /** 'categorical': one-hot labels; 'sparse': integer labels. */
  labels: 'categorical' | 'sparse';
  buildModel(): Sequential | { summary(): void };
  compileArgs(): CompileArgs;
  batchSize: number;
  epochs: number;
  /**
   * The fraction of the training images held out for validation: Keras's validation_split (the
   * last images), or with `augmentation` the last images after a shuffle.
   */
  validationSplit?: number;
  /** Validate on the test set each epoch (seed 000 passes validation_data=(x_test, y_test)). */
  validateOnTest?: boolean;
  /**
   * Train from augmented batches, as the book's cifar10_deep_with_aug: the training set is
   * shuffled, its last `validationSplit` held out, and the rest fed as
   * `model.fit(gen.flow(x, y, { batchSize }), { stepsPerEpoch: floor(n / batchSize), epochs, validationData })`.
   */
  augmentation?(): ImageDataGenerator;
  /** Callbacks for a run writing into runDir. */
  callbacks?(runDir: string): CallbackLike[];
  /** Runs after training and evaluation (e.g. the seed's extra saves) with the run folder. */
  afterTrain?(model: Sequential, runDir: string): Promise<void>;
  /** The seed's reported result, for the report. */
  reference?: string;
  /**
   * Trains in the example's own way (several models or phases, as transfer learning does) in
   * place of buildModel + compile + fit. `tatami train` then evaluates, saves and reports the
   * model it returns as it does any example's.
   */
  run?(ctx: ExampleRunContext): Promise<ExampleRunResult>;
}

/** What `tatami train` gives an example's run(): the data and the command line's settings. */
export interface ExampleRunContext {
  data: PreparedData;
  runDir: string;
  /** --epochs and --batch-size when given (the example's own settings otherwise). */
  epochs?: number;
  batchSize?: number;
  verbose: 0 | 1 | 2;
  stream?: NodeJS.WritableStream;
  log(line: string): void;
}

/** What an example's run() trained. */
export interface ExampleRunResult {
  /** The model the run folder keeps (model.keras), evaluated on data's test set. */
  model: BaseModel;
  /** Its history (learning curves). */
  history: History;
  /** The data the model's outputs mean (e.g. a subset of the classes); default the prepared data. */
  data?: PreparedData;
  /**
   * Extra rows of the report's metrics table (and 'table' in results.json), e.g. the test figures
   * after each phase: 'split' names the row, 'loss' and 'accuracy' line up with the other rows.
   */
  table?: Array<Record<string, string | number | null>>;
}
