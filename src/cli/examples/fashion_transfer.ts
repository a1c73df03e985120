import * as path from 'node:path';
import { Tensor } from '../../tensor/tensor';
import { optimizers } from '../../optimizers/index';
import type { LayersModel } from '../../models/functional';
import type { History } from '../../training/history';
import { evaluateSet } from '../evaluate_set';
import type { PreparedData } from '../prepare';
import { ImageSet } from '../image_set';
import { classSubset, labelledSample, type LabelledImages } from './transfer_data';
import { fromScratch, pretrain, transferNet, transferPhase1, transferPhase2, type PhaseSettings } from './transfer_phases';
import { FREEZE_BELOW, scratchNet } from './transfer_net';
import type { ExampleRunContext, ExampleRunResult, TrainExample } from './types';

/**
 * Seed 003's fine-tuning of Inception-v3 on CIFAR-10, on data this machine has: a small VGG-style
 * base pretrained on Fashion-MNIST classes 0-4 (T-shirt/top, Trouser, Pullover, Dress, Coat)
 * stands in for ImageNet, and the new task is classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle
 * boot) from only 1,000 labelled images.
 */

/** Source classes 0-4, target classes 5-9. */
const SOURCE = { first: 0, count: 5 };
const TARGET = { first: 5, count: 5 };

/** The settings of each step; --epochs N sets every step to N epochs (from scratch 2N), --batch-size the phases' batch. */
export const TRANSFER = {
  /** Labelled target images (the last 20% of them validate, as Keras's validationSplit). */
  labelled: 1000,
  validationSplit: 0.2,
  pretrain: { epochs: 3, batchSize: 128 },
  /**
   * The seed's batch 26. Its 8 + 8 epochs over 50,000 CIFAR-10 images are about 15,000 steps per
   * phase; 8 epochs of 800 images would be 250, too few for the head on a frozen base (still
   * improving at epoch 8) and for SGD at 0.001. So 30 epochs per phase (930 steps), from scratch
   * 60, each stopped early on val_loss (patience 5) but phase 2, which the seed runs to the end.
   */
  phase: { epochs: 30, batchSize: 26, patience: 5 },
};

/** The class of each row, from the sparse (N,) int32 labels prepare gives this example. */
function labelsOf(y: Tensor): Int32Array {
  return Int32Array.from(y.values as ArrayLike<number>);
}

/** The target test set as the report reads it: images, sparse labels 0-4 and the target class names. */
function targetData(data: PreparedData, test: LabelledImages, train: LabelledImages): PreparedData {
  return {
    xTrain: ImageSet.of(train.x), yTrain: train.y, xTest: ImageSet.of(test.x), yTest: test.y,
    testLabels: Uint8Array.from(test.y.values as Int32Array),
    classNames: data.classNames.slice(TARGET.first, TARGET.first + TARGET.count),
  };
}

/** One row of the results table: the model's loss and accuracy on the target test set. */
function row(step: string, net: LayersModel, test: LabelledImages, history: History, seconds: number): Row {
  const { logs } = evaluateSet(net, test.x, test.y, { batchSize: 128 });
  return { split: `test, ${step}`, loss: logs.loss, accuracy: logs.accuracy, epochs: history.epoch.length, 'trainable params': trainableParams(net), seconds: Math.round(seconds) };
}

type Row = { split: string; loss: number; accuracy: number; epochs: number; 'trainable params': number; seconds: number };

const trainableParams = (net: LayersModel) => net.trainableWeights.reduce((n, w) => n + w.size, 0);

async function run(ctx: ExampleRunContext): Promise<ExampleRunResult> {
  const { data, runDir, log } = ctx;
  const trainLabels = labelsOf(data.yTrain);
  // the class subsets are taken from whole float32 sets
  const xTrain = data.xTrain.tensor();
  const xTest = data.xTest.tensor();
  const source = classSubset(xTrain, trainLabels, SOURCE.first, SOURCE.count);
  const target = labelledSample(xTrain, trainLabels, TARGET.first, TARGET.count, Math.min(TRANSFER.labelled, Math.floor(xTrain.shape[0] / 10)));
  const test = classSubset(xTest, data.testLabels, TARGET.first, TARGET.count);
  const verbosity = { verbose: ctx.verbose, stream: ctx.stream };
  const phase: PhaseSettings = {
    ...verbosity, epochs: ctx.epochs ?? TRANSFER.phase.epochs, batchSize: ctx.batchSize ?? TRANSFER.phase.batchSize,
    validationSplit: TRANSFER.validationSplit, patience: TRANSFER.phase.patience,
  };
  const rows: Row[] = [];
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t0 = Date.now();
    const out = await f();
    return [out, (Date.now() - t0) / 1000];
  };

  const baseFile = path.join(runDir, 'base.keras');
  log(`Pretraining the base on ${source.x.shape[0]} images of classes ${SOURCE.first}-${SOURCE.first + SOURCE.count - 1} (${ctx.epochs ?? TRANSFER.pretrain.epochs} epochs), saved to base.keras`);
  const [pre, preSeconds] = await timed(() => pretrain(source, SOURCE.count, { ...verbosity, ...TRANSFER.pretrain, epochs: ctx.epochs ?? TRANSFER.pretrain.epochs }, baseFile));
  const sourceTest = classSubset(xTest, data.testLabels, SOURCE.first, SOURCE.count);
  const preLogs = evaluateSet(pre.model, sourceTest.x, sourceTest.y, { batchSize: 128 }).logs;
  log(`Pretrained base: ${(preLogs.accuracy * 100).toFixed(2)}% on the ${sourceTest.x.shape[0]} test images of classes ${SOURCE.first}-${SOURCE.first + SOURCE.count - 1}`);

  log(`Phase 1: base.keras loaded, top dropped, new head, base frozen; ${target.x.shape[0]} labelled images of classes ${TARGET.first}-${TARGET.first + TARGET.count - 1}`);
  const [p1, p1Seconds] = await timed(async () => transferPhase1(await transferNet(baseFile, TARGET.count), target, phase, runDir));
  rows.push(row(`classes 5-9 (${test.x.shape[0]} images) after phase 1: base frozen, RMSprop (best by val_loss)`, p1.model, test, p1.history, p1Seconds));
  log(`Phase 2: blocks 2-3 unfrozen (model.layers.slice(0, ${FREEZE_BELOW}) frozen), SGD 0.001 momentum 0.9`);
  const [p2, p2Seconds] = await timed(() => transferPhase2(p1.model, target, phase));
  rows.push(row('classes 5-9 after phase 2: blocks 2-3 unfrozen, SGD 0.001 momentum 0.9', p2.model, test, p2.history, p2Seconds));
  log('From scratch: the same network, random weights, every layer trainable');
  const [scratch, scratchSeconds] = await timed(() => fromScratch(target, TARGET.count, { ...phase, epochs: 2 * phase.epochs }, runDir));
  rows.push(row('classes 5-9, from scratch: the same network and images, RMSprop (best by val_loss)', scratch.model, test, scratch.history, scratchSeconds));
  await scratch.model.save(path.join(runDir, 'scratch.keras'));
  rows.unshift({ split: `test of classes 0-4 (${sourceTest.x.shape[0]} images), the pretrained base with its top`, loss: preLogs.loss, accuracy: preLogs.accuracy,
    epochs: pre.history.epoch.length, 'trainable params': trainableParams(pre.model), seconds: Math.round(preSeconds) });

  log('');
  log(`| step | epochs | trainable params | test loss | test accuracy | time |`);
  log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) log(`| ${r.split} | ${r.epochs} | ${r['trainable params'].toLocaleString('en-US')} | ${r.loss.toFixed(4)} | ${(r.accuracy * 100).toFixed(2)}% | ${r.seconds} s |`);
  return { model: p2.model, history: p2.history, data: targetData(data, test, target), table: rows };
}

export const fashionTransfer: TrainExample = {
  name: 'fashion-transfer',
  description: 'Seed 003\'s fine-tuning on Fashion-MNIST: a small VGG base pretrained on classes 0-4, new head on classes 5-9 from 1,000 labelled images (base frozen, then blocks 2-3 unfrozen), beside the same network from scratch',
  dataset: 'fashion-mnist',
  input: 'image',
  labels: 'sparse',
  buildModel: () => scratchNet(TARGET.count),
  compileArgs: () => ({ optimizer: optimizers.rmsprop(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }),
  batchSize: TRANSFER.phase.batchSize,
  epochs: TRANSFER.phase.epochs,
  validationSplit: TRANSFER.validationSplit,
  reference: 'seed 003: Inception-v3 from ImageNet fine-tuned on CIFAR-10 (no accuracy given)',
  run,
};
