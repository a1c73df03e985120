import { Tensor } from '../tensor/tensor';
import { stack } from '../ops/index';
import * as apps from '../applications/index';
import type { Application } from '../applications/application';
import type { LayersModel } from '../models/functional';
import { imgToArray, loadImg } from '../preprocessing/image';
import type { CliIO } from './main';
import { choiceOption, countOption, flagOption, knownOptions, type ParsedArgs, stringOption, UsageError } from './args';

export const PREDICT_APPLICATION_HELP = `Usage: tatami predict --model NAME <image files...> [options]

Classifies photos with one of Keras's ImageNet networks and prints the top classes: each image
is loaded as RGB, resized to the network's input (224x224; 299x299 for inceptionv3), given the
network's own preprocessing, and the 1,000 ImageNet classes are decoded as Keras's
decode_predictions does. The weights are Keras's own file (e.g.
vgg16_weights_tf_dim_ordering_tf_kernels.h5), looked for in --weights-dir, $TATAMI_WEIGHTS_DIR
and Keras's cache ($KERAS_HOME/models or ~/.keras/models); nothing is downloaded.

Options:
  --model NAME        vgg16, vgg19, resnet50, inceptionv3 or mobilenetv2
  --top K             classes shown per image (default 5)
  --weights FILE      the weight file to use instead of Keras's ImageNet file
  --weights-dir DIR   a folder holding Keras's weight files, searched first
  --json              print JSON: one object per image with its classes and scores
  -h, --help          show this help

Exit codes: 0 done, 1 missing weights or unreadable image, 2 bad command line.
`;

const MODELS = {
  vgg16: apps.vgg16,
  vgg19: apps.vgg19,
  resnet50: apps.resNet50,
  inceptionv3: apps.inceptionV3,
  mobilenetv2: apps.mobileNetV2,
} as Record<string, Application>;

const KNOWN = ['model', 'top', 'weights', 'weights-dir', 'json'];

/** `tatami predict --model NAME photo.jpg ...`: the top ImageNet classes of each photo. */
export async function predictApplicationCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.help) {
    io.log(PREDICT_APPLICATION_HELP);
    return 0;
  }
  knownOptions('predict', args, KNOWN);
  const name = choiceOption(args, 'model', Object.keys(MODELS));
  if (!name) throw new UsageError(`--model needs one of ${Object.keys(MODELS).join(', ')}`);
  if (args.positional.length < 1) throw new UsageError(`expected at least one image; see 'tatami predict --model ${name} --help'`);
  const top = countOption(args, 'top', 5);
  const json = flagOption(args, 'json');
  const weightsDir = stringOption(args, 'weights-dir');
  const weights = stringOption(args, 'weights') ?? 'imagenet';
  const app = MODELS[name];

  const model = (await app({ weights, weightsDir })) as LayersModel;
  const [, h, w] = model.inputs[0].shape as number[];
  const images: Tensor[] = [];
  for (const f of args.positional) images.push(imgToArray(await loadImg(f, { targetSize: [h, w] })));
  const x = app.preprocessInput(stack(images));
  const decoded = app.decodePredictions(model.predict(x) as Tensor, top);

  if (json) {
    const out = args.positional.map((file, i) => ({ file, top: decoded[i].map(([id, label, score]) => ({ id, name: label, score })) }));
    io.log(JSON.stringify(out, null, 2));
    return 0;
  }
  const width = Math.max(...decoded.flatMap((d) => d.map(([, label]) => label.length)));
  args.positional.forEach((file, i) => {
    io.log(file);
    for (const [id, label, score] of decoded[i]) io.log(`  ${id}  ${label.padEnd(width)}  ${(score * 100).toFixed(2).padStart(6)}%`);
  });
  return 0;
}
