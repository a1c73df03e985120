import * as path from 'node:path';
import { callbacks } from '../../callbacks/index';
import type { CallbackLike } from '../../callbacks/callback';
import type { LayersModel } from '../../models/functional';
import { optimizers } from '../../optimizers/index';
import { loadModel } from '../../saving/index';
import type { History } from '../../training/history';
import type { LabelledImages } from './transfer_data';
import { baseOf, freezeBase, pretrainNet, scratchNet, unfreezeFrom, withHead } from './transfer_net';

/**
 * The seed's fine-tuning of Inception-v3, one function per step, on a small VGG-style base:
 * pretrain → load the saved base → phase 1 (base frozen, RMSprop, EarlyStopping, best model
 * reloaded) → phase 2 (top blocks unfrozen, SGD 0.001 momentum 0.9); and the same network from
 * scratch on the same labelled images.
 */

/** How each step trains. */
export interface PhaseSettings {
  epochs: number;
  batchSize: number;
  /** Keras's validationSplit: the last images of the labelled set watch the training. */
  validationSplit?: number;
  /** EarlyStopping's patience on val_loss; with it phase 1 and from scratch reload their best model (phase 2 runs every epoch). */
  patience?: number;
  verbose?: 0 | 1 | 2;
  stream?: NodeJS.WritableStream;
}

/** A trained model and how it got there. */
export interface Trained {
  model: LayersModel;
  history: History;
}

const sparseTraining = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] };

/**
 * Fits and, given `bestFile` and a patience, stops early on val_loss and reloads the best model
 * from bestFile (the seed: ModelCheckpoint(save_best_only=True), then load_model).
 */
async function fitPhase(model: LayersModel, data: LabelledImages, s: PhaseSettings, bestFile?: string): Promise<Trained> {
  const keepBest = bestFile !== undefined && s.patience !== undefined;
  const cbs: CallbackLike[] = !keepBest ? [] : [
    callbacks.earlyStopping({ monitor: 'val_loss', patience: s.patience, verbose: s.verbose === 0 ? 0 : 1 }),
    callbacks.modelCheckpoint({ filepath: bestFile!, monitor: 'val_loss', saveBestOnly: true }),
  ];
  const history = await model.fit(data.x, data.y, {
    batchSize: s.batchSize, epochs: s.epochs, validationSplit: s.validationSplit, verbose: s.verbose, stream: s.stream, callbacks: cbs,
  });
  return keepBest ? { model: await loadModel<LayersModel>(bestFile!), history } : { model, history };
}

/** Trains the base with VGG's top on the source classes (Adam) and saves it to `file` (.keras). */
export async function pretrain(source: LabelledImages, classes: number, s: PhaseSettings, file: string): Promise<Trained> {
  const model = pretrainNet(classes);
  model.compile({ optimizer: optimizers.adam(), ...sparseTraining });
  const history = await model.fit(source.x, source.y, { batchSize: s.batchSize, epochs: s.epochs, verbose: s.verbose, stream: s.stream });
  await model.save(file);
  return { model, history };
}

/**
 * The transfer network: the saved network loaded back, its top dropped (include_top=False), the
 * seed's new head added, and every base layer frozen.
 */
export async function transferNet(baseFile: string, classes: number): Promise<LayersModel> {
  const pretrained = await loadModel<LayersModel>(baseFile);
  const base = baseOf(pretrained);
  const net = withHead(base, classes, 'transfer');
  freezeBase(base);
  return net;
}

/** Phase 1: the head trained on the frozen base with RMSprop, the best model by val_loss reloaded from model_file.keras in runDir. */
export async function transferPhase1(net: LayersModel, target: LabelledImages, s: PhaseSettings, runDir: string): Promise<Trained> {
  net.compile({ optimizer: optimizers.rmsprop(), ...sparseTraining });
  return fitPhase(net, target, s, path.join(runDir, 'model_file.keras'));
}

/** Phase 2: model.layers.slice(0, freezeBelow) frozen, the rest trainable, recompiled with SGD(0.001, momentum 0.9). */
export async function transferPhase2(net: LayersModel, target: LabelledImages, s: PhaseSettings, freezeBelow?: number): Promise<Trained> {
  unfreezeFrom(net, freezeBelow);
  net.compile({ optimizer: optimizers.sgd({ learningRate: 0.001, momentum: 0.9 }), ...sparseTraining });
  // the seed runs phase 2 to its last epoch
  return fitPhase(net, target, s);
}

/** The same network with random weights, every layer trainable, trained as phase 1 (RMSprop, best by val_loss). */
export async function fromScratch(target: LabelledImages, classes: number, s: PhaseSettings, runDir: string): Promise<Trained> {
  const net = scratchNet(classes);
  net.compile({ optimizer: optimizers.rmsprop(), ...sparseTraining });
  return fitPhase(net, target, s, path.join(runDir, 'scratch_best.keras'));
}
