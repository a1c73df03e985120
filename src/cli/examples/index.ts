import type { TrainExample } from './types';
import { mnistCnn } from './mnist_cnn';
import { mnistSimpleCnn } from './mnist_simple_cnn';
import { mnistMlp } from './mnist_mlp';
import { mnistTutorialCnn } from './mnist_tutorial_cnn';
import { lenet } from './lenet';
import { cifar10Cnn } from './cifar10_cnn';
import { cifar10DeepAug, cifar10DeepCnn } from './cifar10_deep_cnn';
import { fashionCnn, fashionCnnAug } from './fashion_cnn';
import { fashionTransfer } from './fashion_transfer';

export type { TrainExample };

/** The built-in examples: the seed tutorials' models, then Fashion-MNIST. */
export const examples: Record<string, TrainExample> = Object.fromEntries(
  [mnistCnn, mnistSimpleCnn, mnistMlp, mnistTutorialCnn, lenet, cifar10Cnn, cifar10DeepCnn, cifar10DeepAug, fashionCnn, fashionCnnAug, fashionTransfer].map((e) => [e.name, e]),
);
