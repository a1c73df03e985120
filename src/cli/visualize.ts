import * as path from 'node:path';
import type { CliIO } from './main';
import { loadModelFile } from './model_file';
import { evaluateSet, lossAndMetrics } from './evaluate_set';
import { DATASETS, labelTensor, loadTestSet } from './test_set';
import { DATA_HELP } from './datasets';
import { choiceOption, countOption, intOption, knownOptions, type ParsedArgs, stringOption, UsageError } from './args';
import { firstConvLayers } from './run_plots';
import * as viz from '../viz/model';
import type { VizImage } from '../viz/image';

export const VISUALIZE_HELP = `Usage: tatami visualize <model file> <picture> --out FILE [options]

Draws a picture of a trained model into FILE (.png or .svg). Pictures:
  filters        the kernels of a conv layer, one tile per filter (default: the first conv layer)
  features       the feature maps a layer makes for test images, a row per image
                 (default: the first conv layer)
  predictions    test images titled with the predicted class and probability, mistakes in red
  misclassified  test images the model gets wrong
  confusion      the confusion matrix on the test set

Options:
  --out FILE        where to write the picture (required)
  --layer L         layer name or index (filters, features)
  --channel C|rgb   input channel of the filters (default 0); rgb draws a color model's
                    first-layer kernels in color
  --maps N          feature maps per image (default 16)
  --images N        test images shown (default 4 for features, 30 for predictions and
                    misclassified)
  --limit N         test images evaluated for misclassified and confusion (default 1000)
  --dataset NAME    mnist, fashion-mnist or cifar10 (default: the model's run, else mnist)
${DATA_HELP}
  -h, --help        show this help

Exit codes: 0 done, 1 unreadable model or data, 2 bad command line.
`;

const KNOWN = ['out', 'layer', 'channel', 'maps', 'images', 'limit', 'dataset', 'data'];
const PICTURES = ['filters', 'features', 'predictions', 'misclassified', 'confusion'] as const;

function layerOption(args: ParsedArgs): string | number | undefined {
  const v = stringOption(args, 'layer');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : v;
}

export async function visualizeCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.help) {
    io.log(VISUALIZE_HELP);
    return 0;
  }
  knownOptions('visualize', args, KNOWN);
  if (args.positional.length !== 2) throw new UsageError(`expected a model file and a picture (${PICTURES.join(', ')}); see 'tatami visualize --help'`);
  const [file, picture] = args.positional;
  if (!(PICTURES as readonly string[]).includes(picture)) throw new UsageError(`unknown picture '${picture}'; choose one of ${PICTURES.join(', ')}`);
  const out = stringOption(args, 'out');
  if (!out) throw new UsageError(`--out FILE is required (a .png or .svg file)`);
  if (!/\.(png|svg)$/i.test(out)) throw new UsageError(`--out must end in .png or .svg, got '${out}'`);
  const layer = layerOption(args);
  const channel = args.options.channel === 'rgb' ? 'rgb' : intOption(args, 'channel', 0);
  const maps = countOption(args, 'maps', 16);
  const dataset = choiceOption(args, 'dataset', DATASETS);
  const limit = countOption(args, 'limit', 1000);
  const dataDir = stringOption(args, 'data');

  const loaded = await loadModelFile(file);
  const { model } = loaded;
  const setName = dataset ?? loaded.dataset ?? 'mnist';
  let img: VizImage;
  if (picture === 'filters') {
    img = await viz.plotFilters(model, layer, { channel });
  } else if (picture === 'features') {
    const set = await loadTestSet(setName, model, countOption(args, 'images', 4), dataDir);
    const target = layer ?? firstConvLayers(model, 1)[0]?.name;
    if (target === undefined) throw new UsageError(`model '${model.name}' has no conv layer; pass --layer`);
    img = await viz.plotFeatureMaps(model, target, set.x, {
      maxMaps: maps, maxImages: set.labels.length, rowLabels: Array.from(set.labels, (k) => set.classNames[k]),
    });
  } else if (picture === 'predictions') {
    const set = await loadTestSet(setName, model, countOption(args, 'images', 30), dataDir);
    img = await viz.plotPredictions(model, set.x, set.labels, { classNames: set.classNames, title: `${model.name}: predictions on ${setName} test images` });
  } else {
    const set = await loadTestSet(setName, model, limit, dataDir);
    io.log(`Predicting ${set.labels.length} ${setName} test images`);
    const ev = evaluateSet(model, set.x, labelTensor(set.labels, lossAndMetrics(model), set.classNames.length), { stream: io.stream });
    img = picture === 'confusion'
      ? await viz.plotConfusionMatrix(set.labels, ev.probs, { classNames: set.classNames, title: `${model.name} on ${set.labels.length} ${setName} test images` })
      : await viz.plotMisclassified(set.x, set.labels, ev.probs, { classNames: set.classNames, count: countOption(args, 'images', 30) });
  }
  await img.save(out);
  io.log(`Wrote ${path.relative('.', path.resolve(out)) || out} (${img.width}x${img.height})`);
  return 0;
}
