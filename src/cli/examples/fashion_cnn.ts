import { layers } from '../../layers/index';
import { sequential } from '../../models/sequential';
import { optimizers } from '../../optimizers/index';
import { ImageDataGenerator } from '../../preprocessing/image_data_generator';
import type { TrainExample } from './types';

/** Seed 001's network (Keras's mnist_cnn) with a separate softmax, as the book writes its heads. */
function fashionNet() {
  return sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.dropout({ rate: 0.25 }),
    layers.flatten(),
    layers.dense({ units: 128, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10 }),
    layers.activation({ activation: 'softmax' }),
  ]);
}

const NET = 'Conv2D(32)→Conv2D(64)→MaxPool→Dropout(0.25)→Dense(128)→Dropout(0.5)→Dense(10)→softmax, Adam';

/** Fashion-MNIST with seed 001's network, trained as the book trains LeNet: Adam, batch 128, 12 epochs, validationSplit 0.2. */
export const fashionCnn: TrainExample = {
  name: 'fashion-cnn',
  description: NET,
  dataset: 'fashion-mnist',
  input: 'image',
  labels: 'categorical',
  buildModel: fashionNet,
  compileArgs: () => ({ optimizer: optimizers.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  batchSize: 128,
  epochs: 12,
  validationSplit: 0.2,
};

/**
 * fashion-cnn trained as the book's cifar10_deep_with_aug (15 epochs, the last 20% of the
 * shuffled training set held out), with that script's shifts of 10% but no horizontal flip:
 * every sneaker and ankle boot in Fashion-MNIST points the same way (all 6,000 training ankle
 * boots lie closer to their class's mean image than to its mirror), so a mirrored shoe is an
 * image the test set never shows. The ground is black, so shifted-in pixels are black
 * (fillMode 'constant') rather than copies of the edge (Keras's default 'nearest', which would
 * smear trousers and dresses that touch the frame).
 */
export const fashionCnnAug: TrainExample = {
  ...fashionCnn,
  name: 'fashion-cnn-aug',
  description: `${NET}, augmented by shifts of 10%`,
  epochs: 15,
  augmentation: () => new ImageDataGenerator({ widthShiftRange: 0.1, heightShiftRange: 0.1, fillMode: 'constant', cval: 0 }),
};
