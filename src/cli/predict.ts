import { Tensor } from '../tensor/tensor';
import type { CliIO } from './main';
import { classNamesFor, loadModelFile } from './model_file';
import { prepareImage, type PreparedImage } from './image_input';
import { DATASETS } from './test_set';
import { CROP_MODES, prepareColorImage } from './color_input';
import { choiceOption, countOption, flagOption, knownOptions, type ParsedArgs, stringOption, UsageError } from './args';
import { asModelInput } from '../viz/model';
import { plotPredictions } from '../viz/predictions';
import { TatamiError } from '../util/errors';
import { predictApplicationCommand } from './predict_application';

export const PREDICT_HELP = `Usage: tatami predict <model file> <image files...> [options]

Classifies PNG or JPEG images with a trained model and prints the most likely classes with
their probabilities. Each image is made to look like the training data.

For a grey model (MNIST, Fashion-MNIST): grey, resized to the model's input, values 0..1,
light on dark (a dark-on-light drawing is inverted), and for digits the drawing is scaled
into a 20x20 box and centred by its mass, as MNIST was made.

For a color model (CIFAR-10): RGB, cropped to the shape of the model's input (square for
32x32), resized to it, values / 255 as in training.

Options:
  --top K             classes shown per image (default 3)
  --json              print JSON: one object per image with its classes and probabilities
  --dataset NAME      mnist, fashion-mnist or cifar10: the class names (and for grey models
                      how to frame the image); default the model's run folder, else
                      mnist for grey models and class numbers for color models
  --crop center|top-left|none   (color models) which part of the photo the model sees:
                      the centred square (default), the top-left square as the Keras book's
                      cifar10_predict.py does, or the whole photo squeezed to the input
  --invert auto|yes|no  (grey models) invert dark-on-light images (default auto: when the
                      drawing is darker than the border of the image)
  --fit digit|fill    (grey models) frame the drawing like MNIST digits, or fit the whole
                      image (default digit for mnist, fill for fashion-mnist)
  --show FILE         also draw what the model saw, titled with its guesses (.png or .svg)
  -h, --help          show this help

Exit codes: 0 done, 1 unreadable model or image, 2 bad command line.
`;

const KNOWN = ['top', 'json', 'dataset', 'crop', 'invert', 'fit', 'show'];

export interface ImagePrediction {
  file: string;
  /** How the image was read, for the text output. */
  note: string;
  /** Grey models: whether the image was inverted (dark on light). */
  inverted: boolean;
  /** Color models: the part of the photo used, [left, top, width, height]. */
  region?: [number, number, number, number];
  top: Array<{ class: number; name: string; probability: number }>;
}

/** (H, W, C) of the model's input, from (null, H, W, C), (null, H, W) or (null, H*W). */
export function inputGeometry(shape: (number | null)[]): { h: number; w: number; c: number } {
  const s = shape.slice(1);
  if (s.some((d) => d == null)) throw new TatamiError(`the model's input shape (${shape.join(', ')}) has unknown sizes; cannot resize images to it`);
  if (s.length === 3 && (s[2] === 1 || s[2] === 3)) return { h: s[0]!, w: s[1]!, c: s[2]! };
  if (s.length === 2) return { h: s[0]!, w: s[1]!, c: 1 };
  const side = Math.round(Math.sqrt(s[0]!));
  if (s.length === 1 && side * side === s[0]) return { h: side, w: side, c: 1 };
  throw new TatamiError(`the model takes inputs of shape (${shape.join(', ')}), not images`);
}

/** Model outputs as probabilities: as they are when they already are, else through softmax (a model ending in logits). */
export function toProbabilities(row: number[]): number[] {
  const sum = row.reduce((a, b) => a + b, 0);
  if (row.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3) return row;
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export async function predictCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.model !== undefined) return predictApplicationCommand(args, io); // Keras's ImageNet networks
  if (args.options.help) {
    io.log(PREDICT_HELP);
    return 0;
  }
  knownOptions('predict', args, KNOWN);
  if (args.positional.length < 2) throw new UsageError(`expected a model file and at least one image; see 'tatami predict --help'`);
  const top = countOption(args, 'top', 3);
  const datasetArg = choiceOption(args, 'dataset', DATASETS);
  const invert = choiceOption(args, 'invert', ['auto', 'yes', 'no'] as const, 'auto');
  const fitArg = choiceOption(args, 'fit', ['digit', 'fill'] as const);
  const cropArg = choiceOption(args, 'crop', CROP_MODES);
  const json = flagOption(args, 'json');
  const show = stringOption(args, 'show');
  if (show && !/\.(png|svg)$/i.test(show)) throw new UsageError(`--show must end in .png or .svg, got '${show}'`);
  const [modelFile, ...files] = args.positional;

  const loaded = await loadModelFile(modelFile);
  const { model } = loaded;
  const { h, w, c } = inputGeometry(model.inputs[0].shape);
  const color = c === 3;
  const greyOnly = ['invert', 'fit'].filter((o) => args.options[o] !== undefined);
  if (color && greyOnly.length) throw new UsageError(`--${greyOnly.join(' and --')} ${greyOnly.length > 1 ? 'apply' : 'applies'} to grey models; this model takes color images (use --crop)`);
  if (!color && cropArg) throw new UsageError(`--crop applies to color models; this model takes grey images (use --fit)`);
  const dataset = datasetArg ?? loaded.dataset ?? (color ? undefined : 'mnist');
  const names = classNamesFor(dataset, loaded, model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 10);
  const fit = fitArg ?? (dataset === 'fashion-mnist' ? 'fill' : 'digit');

  const x = Tensor.empty([files.length, h * w * c]);
  const crop = cropArg ?? 'center';
  const prepared: Array<{ inverted: boolean; region?: [number, number, number, number]; note: string }> = [];
  for (const [i, f] of files.entries()) {
    if (color) {
      const p = await prepareColorImage(f, { height: h, width: w, crop });
      x.values.set(p.data, i * h * w * 3);
      const [, , rw, rh] = p.region;
      const part = crop === 'none' ? 'all' : `${crop === 'center' ? 'centre' : 'top-left'} ${rw}x${rh}`;
      prepared.push({ inverted: false, region: p.region, note: `  (${part} of ${p.sourceWidth}x${p.sourceHeight}, resized to ${w}x${h})` });
    } else {
      const p: PreparedImage = await prepareImage(f, { height: h, width: w, invert, fit });
      for (let j = 0; j < h * w; j++) for (let k = 0; k < c; k++) x.values[(i * h * w + j) * c + k] = p.data[j];
      prepared.push({ inverted: p.inverted, note: p.inverted ? '  (dark on light: inverted)' : '' });
    }
  }
  const out = model.predict(asModelInput(model, x)) as Tensor;
  const k = out.shape[1];
  const probs = prepared.map((_, i) => toProbabilities(Array.from(out.values.subarray(i * k, (i + 1) * k))));
  const results: ImagePrediction[] = prepared.map((p, i) => {
    const row = probs[i];
    const order = row.map((_, j) => j).sort((a, b) => row[b] - row[a]).slice(0, Math.min(top, k));
    return { file: files[i], note: p.note, inverted: p.inverted, ...(p.region ? { region: p.region } : {}), top: order.map((j) => ({ class: j, name: names[j] ?? String(j), probability: row[j] })) };
  });

  if (show) {
    const img = await plotPredictions(x.view([files.length, h, w, c]), probs, undefined, {
      classNames: names, count: files.length, range: [0, 1], title: 'What the model saw',
    });
    await img.save(show);
  }
  if (json) {
    io.log(JSON.stringify(results.map(({ note: _, ...r }) => r), null, 2));
    return 0;
  }
  const width = Math.max(...results.flatMap((r) => r.top.map((t) => t.name.length)));
  for (const r of results) {
    io.log(`${r.file}${r.note}`);
    for (const t of r.top) io.log(`  ${t.name.padEnd(width)}  ${(t.probability * 100).toFixed(2).padStart(6)}%`);
  }
  return 0;
}
