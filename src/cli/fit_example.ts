import type { Sequential } from '../models/sequential';
import type { History } from '../training/history';
import type { FitArgs } from '../training/fit';
import type { ArrayIterator } from '../preprocessing/array_iterator';
import type { Tensor } from '../tensor/tensor';
import type { TrainExample } from './examples/types';
import type { PreparedData } from './prepare';
import { SetBatches, splitAt } from './set_batches';

/** What the run's command line sets of fit: the rest comes from the example. */
export type RunFitArgs = Pick<FitArgs, 'batchSize' | 'epochs' | 'verbose' | 'stream' | 'callbacks'>;

/** Keras's fit from a generator: model.fit(gen.flow(x, y, { batchSize }), { stepsPerEpoch, epochs, validationData }). */
type GeneratorFit = (data: ArrayIterator<[Tensor, Tensor]>, args: Omit<RunFitArgs, 'batchSize'> & { stepsPerEpoch: number; validationData?: SetBatches }) => Promise<History>;
/** model.fit(source, { epochs, validationData }) with batches from SetBatches. */
type SourceFit = (data: SetBatches, args: Omit<RunFitArgs, 'batchSize'> & { validationData?: SetBatches }) => Promise<History>;

/**
 * Trains as the example says: on the images with Keras's validationSplit or the test set as
 * validation data, or from augmented batches with the held-out images as validation data.
 * Without augmentation the batches are scaled from the dataset's pixels as they are taken
 * (SetBatches), in the order and with the random draws of fit(x, y, { validationSplit }) on the
 * whole float32 set, which is never made.
 */
export async function fitExample(model: Sequential, ex: TrainExample, data: PreparedData, args: RunFitArgs): Promise<History> {
  const fitSource = model.fit as unknown as SourceFit;
  if (!ex.augmentation) {
    const { batchSize = 32, ...rest } = args;
    const n = data.xTrain.count;
    const at = !ex.validateOnTest && ex.validationSplit ? splitAt(n, ex.validationSplit) : n;
    const train = new SetBatches(data.xTrain, data.yTrain, 0, at, batchSize, true);
    const validationData = ex.validateOnTest ? new SetBatches(data.xTest, data.yTest, 0, data.xTest.count, batchSize, false)
      : at < n ? new SetBatches(data.xTrain, data.yTrain, at, n, batchSize, false) : undefined;
    return fitSource.call(model, train, { ...rest, validationData });
  }
  const { batchSize = 32, ...rest } = args;
  // the generator transforms whole float32 images: it gets the set made whole
  const flow = ex.augmentation().flow(data.xTrain.tensor(), data.yTrain, { batchSize });
  // the book: steps_per_epoch = x_train.shape[0] // batch_size (at least one step for small runs)
  const stepsPerEpoch = Math.max(1, Math.floor(data.xTrain.count / batchSize));
  const fitGenerator = model.fit as unknown as GeneratorFit;
  // the batch size is the generator's (Keras refuses batch_size beside a generator)
  // validation tensors beside a generator go in fit's default batches of 32: the same here
  const valBatch = 32;
  return fitGenerator.call(model, flow, {
    ...rest, stepsPerEpoch,
    validationData: ex.validateOnTest ? new SetBatches(data.xTest, data.yTest, 0, data.xTest.count, valBatch, false)
      : data.xVal && data.yVal ? new SetBatches(data.xVal, data.yVal, 0, data.xVal.count, valBatch, false) : undefined,
  });
}
