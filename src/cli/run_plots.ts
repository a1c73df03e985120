import * as path from 'node:path';
import type { Layer } from '../layers/layer';
import type { Sequential } from '../models/sequential';
import type { Tensor } from '../tensor/tensor';
import type { History } from '../training/history';
import type { VizImage } from '../viz/image';
import type { ReportImage } from '../viz/report';
import * as viz from '../viz/model';
import type { ImageSet } from './image_set';
import { argmaxRows } from './evaluate_set';

/** The conv layers (those with a (kh, kw, in, out) kernel), first ones first. */
export function firstConvLayers(model: { layers: Layer[] }, n: number): Layer[] {
  return model.layers.filter((l) => /Conv/.test(l.className) && l.getWeights()[0]?.rank === 4).slice(0, n);
}

export interface PlotInputs {
  model: Sequential;
  history: History;
  /** Test images as the model takes them, their labels, and the model's outputs for them. */
  xTest: ImageSet;
  testLabels: Uint8Array;
  testProbs: Tensor;
  classNames: readonly string[];
}

const firstIndices = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

/** Tiles of the misclassified figure: viz's default. */
const MISTAKES_SHOWN = 30;

/**
 * viz.plotMisclassified on the test set, given only the images it draws (the set is not made
 * whole in float32): the same mistakes (argmax as viz takes it), tiles, range and title.
 */
function plotMistakes(p: PlotInputs, names: string[]): Promise<VizImage> {
  const n = p.testLabels.length;
  const guess = argmaxRows(p.testProbs);
  const wrong: number[] = [];
  for (let i = 0; i < n; i++) if (guess[i] !== p.testLabels[i]) wrong.push(i);
  const shown = wrong.slice(0, MISTAKES_SHOWN);
  return viz.plotMisclassified(p.xTest.pick(shown), Uint8Array.from(shown, (i) => p.testLabels[i]), viz.takeRows(p.testProbs, shown),
    { classNames: names, title: `Misclassified: ${wrong.length} of ${n}` });
}

/** How many test images the feature-map figures show. */
const FEATURE_IMAGES = 4;

/**
 * The pictures of a run (learning curves, filters and feature maps of the first conv layers,
 * predictions, confusion matrix, mistakes), written as PNG files into `dir`. Returns them, in
 * order, for the report. `progress` hears each file name as it is written.
 */
export async function writeRunPlots(dir: string, p: PlotInputs, progress: (file: string) => void = () => {}): Promise<ReportImage[]> {
  const out: ReportImage[] = [];
  const names = p.classNames.slice();
  const add = async (file: string, title: string, caption: string, make: () => Promise<VizImage>): Promise<void> => {
    const img = await make();
    await img.save(path.join(dir, file));
    progress(file);
    out.push({ title, caption: `${caption} (${file})`, image: img });
  };
  const epochs = p.history.epoch.length;
  if (epochs > 0) {
    const val = Object.keys(p.history.history).some((k) => k.startsWith('val_'));
    await add('learning_curves.png', 'Learning curves', `Loss and metrics per epoch over ${epochs} epoch${epochs === 1 ? '' : 's'}, on the training data${val ? ' and the validation data' : ''}`,
      () => viz.plotHistory(p.history, { title: `${p.model.name}: learning curves` }));
  }
  const convs = firstConvLayers(p.model, 2);
  for (const [i, l] of convs.entries()) {
    const [kh, kw, cin, cout] = l.getWeights()[0].shape;
    // a layer reading RGB images draws its kernels in color, red, green and blue from the three input channels
    const rgb = cin === 3 && i === 0;
    const which = rgb ? ' in color (their red, green and blue input channels)' : cin > 1 ? ` for input channel 0 of ${cin}` : '';
    await add(`filters_${i + 1}_${l.name}.png`, `Filters of ${l.name}`,
      `The ${cout} ${kh}x${kw} kernels of conv layer ${i + 1}${which}, each stretched from its minimum (${rgb ? 'zero' : 'black'}) to its maximum (${rgb ? 'full' : 'white'})`,
      () => viz.plotFilters(p.model, l.name, rgb ? { channel: 'rgb', title: `${l.name}: ${cout} filters ${kh}x${kw}, RGB` } : {}));
  }
  const shown = Math.min(FEATURE_IMAGES, p.testLabels.length);
  const rowLabels = Array.from(p.testLabels.subarray(0, shown), (k) => `label ${names[k] ?? k}`);
  const featureLayers = convs.slice();
  const pool = p.model.layers.find((l) => /Pooling2D$/.test(l.className) && !/Global/.test(l.className));
  if (pool) featureLayers.push(pool);
  for (const l of featureLayers) {
    await add(`features_${l.name}.png`, `Feature maps of ${l.name}`,
      `Outputs of ${l.name} (${l.className}) for ${shown} test images: the input at the left, then the first channels, each stretched from its minimum to its maximum`,
      () => viz.plotFeatureMaps(p.model, l.name, p.xTest.pick(firstIndices(shown)), { maxImages: shown, rowLabels }));
  }
  const n = p.testLabels.length;
  const grid = Math.min(30, n);
  await add('predictions.png', 'Predictions', `The first ${grid} test images titled with the predicted class and its probability and the true class; mistakes in red`,
    () => viz.plotPredictions(p.xTest.pick(firstIndices(grid)), viz.takeRows(p.testProbs, firstIndices(grid)), p.testLabels.subarray(0, grid), { classNames: names }));
  await add('confusion_matrix.png', 'Confusion matrix', `Predicted against true class on ${n} test images`,
    () => viz.plotConfusionMatrix(p.testLabels, p.testProbs, { classNames: names, numClasses: names.length, title: `Confusion matrix, ${n} test images` }));
  await add('misclassified.png', 'Misclassified test images', `Up to 30 of the test images the model gets wrong, titled with the prediction and the truth`,
    () => plotMistakes(p, names));
  return out;
}
