import type { Sequential } from '../models/sequential';
import type { History } from '../training/history';
import type { FitArgs } from '../training/fit';
import type { ArrayIterator } from '../preprocessing/array_iterator';
import type { Tensor } from '../tensor/tensor';
import type { TrainExample } from './examples/types';
import type { PreparedData } from './prepare';

/** What the run's command line sets of fit: the rest comes from the example. */
export type RunFitArgs = Pick<FitArgs, 'batchSize' | 'epochs' | 'verbose' | 'stream' | 'callbacks'>;

/** Keras's fit from a generator: model.fit(gen.flow(x, y, { batchSize }), { stepsPerEpoch, epochs, validationData }). */
type GeneratorFit = (data: ArrayIterator<[Tensor, Tensor]>, args: Omit<RunFitArgs, 'batchSize'> & { stepsPerEpoch: number; validationData?: [Tensor, Tensor] }) => Promise<History>;

/**
 * Trains as the example says: on arrays with Keras's validationSplit or the test set as
 * validation data, or from augmented batches with the held-out images as validation data.
 */
export async function fitExample(model: Sequential, ex: TrainExample, data: PreparedData, args: RunFitArgs): Promise<History> {
  if (!ex.augmentation) {
    return model.fit(data.xTrain, data.yTrain, {
      ...args,
      validationSplit: ex.validateOnTest ? undefined : ex.validationSplit,
      validationData: ex.validateOnTest ? [data.xTest, data.yTest] : undefined,
    });
  }
  const { batchSize = 32, ...rest } = args;
  const flow = ex.augmentation().flow(data.xTrain, data.yTrain, { batchSize });
  // the book: steps_per_epoch = x_train.shape[0] // batch_size (at least one step for small runs)
  const stepsPerEpoch = Math.max(1, Math.floor(data.xTrain.shape[0] / batchSize));
  const fitGenerator = model.fit as unknown as GeneratorFit;
  // the batch size is the generator's (Keras refuses batch_size beside a generator)
  return fitGenerator.call(model, flow, {
    ...rest, stepsPerEpoch,
    validationData: ex.validateOnTest ? [data.xTest, data.yTest] : data.xVal && data.yVal ? [data.xVal, data.yVal] : undefined,
  });
}
