import { layers } from '../src/layers/index';
import { sequential, type Sequential } from '../src/models/sequential';
import type { CompileArgs } from '../src/models/compile';
import { optimizers } from '../src/optimizers/index';
import { cifar10Cnn } from '../src/cli/examples/cifar10_cnn';
import { cifar10DeepCnn } from '../src/cli/examples/cifar10_deep_cnn';
import { lenet } from '../src/cli/examples/lenet';
import { Tensor } from '../src/tensor/tensor';
import { setSeed } from '../src/util/rng';

/**
 * The seed models as the benchmark trains them (same layers and optimizer as the seeds); each
 * runs at the batch sizes listed (its seed's, and Keras's default 32 where the issue asks).
 * `name` is the key the PyTorch peer (bench/torch_step.py) uses for the same network.
 */
export interface BenchModel {
  name: string;
  seed: string;
  inputShape: number[];
  batches: number[];
  build(): Sequential;
  compile(): CompileArgs;
}

export const benchModels: BenchModel[] = [
  {
    name: 'mnist-cnn', seed: '001', inputShape: [28, 28, 1], batches: [128],
    build: () => sequential([
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.dropout({ rate: 0.25 }),
      layers.flatten(),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]),
    compile: () => ({ optimizer: optimizers.adadelta({ learningRate: 1 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  },
  {
    name: 'mnist-tutorial-cnn', seed: '004', inputShape: [28, 28, 1], batches: [32, 128],
    build: () => sequential([
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 64, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]),
    compile: () => ({ optimizer: optimizers.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  },
  {
    name: 'mnist-mlp', seed: '002', inputShape: [784], batches: [32, 128],
    build: () => sequential([
      layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]),
    compile: () => ({ optimizer: optimizers.adam({ learningRate: 0.001 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
  },
  {
    name: 'cifar10-cnn', seed: '003', inputShape: [32, 32, 3], batches: [128],
    build: () => cifar10Cnn.buildModel() as Sequential,
    compile: () => cifar10Cnn.compileArgs(),
  },
  {
    name: 'cifar10-deep-cnn', seed: '003', inputShape: [32, 32, 3], batches: [128],
    build: () => cifar10DeepCnn.buildModel() as Sequential,
    compile: () => cifar10DeepCnn.compileArgs(),
  },
  {
    name: 'lenet', seed: '003', inputShape: [28, 28, 1], batches: [128],
    build: () => lenet.buildModel() as Sequential,
    compile: () => lenet.compileArgs(),
  },
];

/**
 * One bench model built (seed 0) and compiled, with a random input batch x (batch, ...inputShape)
 * and one-hot targets y (batch, 10): what the step benches time trainStep on.
 */
export function benchStepSetup(name: string, batch: number): { model: Sequential; x: Tensor; y: Tensor } {
  const m = benchModels.find((b) => b.name === name);
  if (!m) throw new Error(`no bench model '${name}' (${benchModels.map((b) => b.name).join(', ')})`);
  setSeed(0);
  const model = m.build();
  model.compile(m.compile());
  const x = Tensor.empty([batch, ...m.inputShape]);
  for (let i = 0; i < x.size; i++) x.values[i] = Math.random();
  const y = Tensor.empty([batch, 10]);
  for (let i = 0; i < batch; i++) y.values[i * 10 + (i % 10)] = 1;
  return { model, x, y };
}
