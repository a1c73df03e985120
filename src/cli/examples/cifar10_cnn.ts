import * as path from 'node:path';
import { layers } from '../../layers/index';
import { sequential } from '../../models/sequential';
import { optimizers } from '../../optimizers/index';
import { callbacks } from '../../callbacks/index';
import type { CallbackLike } from '../../callbacks/callback';
import type { TrainExample } from './types';

/**
 * The book's ModelCheckpoint("model_file.hdf5", save_best_only=True): Keras 3 saves whole models
 * only to .keras or .h5, so the best model (lowest val_loss) goes to model_file.keras in the run
 * folder, beside the final model.keras.
 */
export function bestModelCheckpoint(runDir: string): CallbackLike[] {
  return [callbacks.modelCheckpoint({ filepath: path.join(runDir, 'model_file.keras'), saveBestOnly: true })];
}

/** The training settings the book's three CIFAR-10 scripts share. */
export const cifar10Training = {
  dataset: 'cifar10',
  input: 'image',
  labels: 'categorical',
  compileArgs: () => ({ optimizer: optimizers.rmsprop(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  batchSize: 128,
  epochs: 12,
  validationSplit: 0.2,
  callbacks: bestModelCheckpoint,
} satisfies Partial<TrainExample>;

/** Seed 003 (the book's ch03/cifar10_net.py): two convolutions, RMSprop, about 73% on CIFAR-10. */
export const cifar10Cnn: TrainExample = {
  ...cifar10Training,
  name: 'cifar10-cnn',
  description: 'Conv2D(32)→MaxPool→Dropout(0.25)→Conv2D(64)→MaxPool→Dense(512)→Dropout(0.5)→Dense(10)→softmax, RMSprop',
  buildModel: () =>
    sequential([
      layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
      layers.maxPooling2d({ poolSize: [2, 2] }),
      layers.dropout({ rate: 0.25 }),
      layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: [2, 2] }),
      layers.flatten(),
      layers.dense({ units: 512, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 10 }),
      layers.activation({ activation: 'softmax' }),
    ]),
  reference: 'seed 003: about 73% test accuracy',
};
