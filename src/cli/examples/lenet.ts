import { layers } from '../../layers/index';
import { sequential } from '../../models/sequential';
import { optimizers } from '../../optimizers/index';
import type { TrainExample } from './types';

/** Seed 003 (the book's ch03/lenet.py): LeNet on MNIST, Adam, batch 128, 12 epochs, validationSplit 0.2. */
export const lenet: TrainExample = {
  name: 'lenet',
  description: 'LeNet: Conv2D(20, 5x5)→MaxPool→Conv2D(50, 5x5)→MaxPool→Dense(500)→Dense(10)→softmax, Adam',
  dataset: 'mnist',
  input: 'image',
  labels: 'categorical',
  buildModel: () =>
    sequential([
      layers.conv2d({ filters: 20, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      layers.conv2d({ filters: 50, kernelSize: 5, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      layers.flatten(),
      layers.dense({ units: 500, activation: 'relu' }),
      layers.dense({ units: 10 }),
      layers.activation({ activation: 'softmax' }),
    ]),
  compileArgs: () => ({ optimizer: optimizers.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  batchSize: 128,
  epochs: 12,
  validationSplit: 0.2,
  reference: 'seed 003 (the book\'s lenet.py); the book reports no figure for it',
};
