import { layers } from '../../layers/index';
import { sequential } from '../../models/sequential';
import { ImageDataGenerator } from '../../preprocessing/image_data_generator';
import { cifar10Training } from './cifar10_cnn';
import type { TrainExample } from './types';

/** The book's deeper CIFAR-10 net (ch03/cifar10_deep_net.py): two blocks of two convolutions. */
function deepNet() {
  return sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.dropout({ rate: 0.25 }),
    layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.dropout({ rate: 0.25 }),
    layers.flatten(),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10 }),
    layers.activation({ activation: 'softmax' }),
  ]);
}

const DEEP = 'Conv2D(32)→Conv2D(32)→MaxPool→Dropout→Conv2D(64)→Conv2D(64)→MaxPool→Dropout→Dense(512)→Dropout→Dense(10)→softmax';

/** Seed 003 (ch03/cifar10_deep_net.py): about 76% on CIFAR-10. */
export const cifar10DeepCnn: TrainExample = {
  ...cifar10Training,
  name: 'cifar10-deep-cnn',
  description: `${DEEP}, RMSprop`,
  buildModel: deepNet,
  reference: 'seed 003: about 76% test accuracy',
};

/**
 * Seed 003 (ch03/cifar10_deep_with_aug.py): the deep net trained 15 epochs on shifted and
 * mirrored images, the last 20% of the shuffled training set held out: about 78% on CIFAR-10.
 */
export const cifar10DeepAug: TrainExample = {
  ...cifar10Training,
  name: 'cifar10-deep-aug',
  description: `${DEEP}, RMSprop, augmented by shifts of 10% and horizontal flips`,
  buildModel: deepNet,
  epochs: 15,
  augmentation: () => new ImageDataGenerator({ widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true }),
  reference: 'seed 003: about 78% test accuracy',
};
