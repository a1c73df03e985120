import { existsSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TatamiError, ValueError } from '../util/errors';

/** Where an application's weights come from, decided before the network is built. */
export interface WeightsRequest {
  /** 'imagenet' (Keras's published file) or the path of a weight file. */
  source: string;
  /** The file name Keras gives the ImageNet weights of this network and head (in ~/.keras/models/). */
  kerasFile: string;
  /** The file to read. */
  path: string;
}

/** The weights option refers to a weight file that is not on this machine. */
export class WeightsNotAvailableError extends TatamiError {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsNotAvailableError';
  }
}

const KERAS_APPLICATIONS_URL = 'https://storage.googleapis.com/tensorflow/keras-applications';

/** Keras's download folder per network (keras/src/applications/*.py WEIGHTS_PATH). */
const URL_FOLDERS: [string, string][] = [
  ['vgg16_', 'vgg16'], ['vgg19_', 'vgg19'], ['resnet50_', 'resnet'], ['inception_v3_', 'inception_v3'], ['mobilenet_v2_', 'mobilenet_v2'],
];

/** Where Keras publishes a weight file (for the message that says how to get it). */
export function kerasWeightsUrl(kerasFile: string): string {
  const folder = URL_FOLDERS.find(([prefix]) => kerasFile.startsWith(prefix))?.[1];
  return folder ? `${KERAS_APPLICATIONS_URL}/${folder}/${kerasFile}` : kerasFile;
}

/**
 * The folders searched for Keras's ImageNet weight files, in order: the weightsDir option,
 * $TATAMI_WEIGHTS_DIR, then Keras's own cache ($KERAS_HOME/models or ~/.keras/models, and
 * /tmp/.keras/models where Keras falls back when its home is read-only).
 */
export function weightsSearchPath(weightsDir?: string): string[] {
  const dirs: string[] = [];
  if (weightsDir) dirs.push(weightsDir);
  if (process.env.TATAMI_WEIGHTS_DIR) dirs.push(process.env.TATAMI_WEIGHTS_DIR);
  dirs.push(path.join(process.env.KERAS_HOME || path.join(os.homedir(), '.keras'), 'models'));
  dirs.push(path.join(os.tmpdir(), '.keras', 'models'));
  return [...new Set(dirs)];
}

/** The path of Keras's ImageNet weight file `kerasFile`; nothing is downloaded: a clear error says where to put it. */
export function findKerasWeights(where: string, kerasFile: string, weightsDir?: string): string {
  const dirs = weightsSearchPath(weightsDir);
  for (const dir of dirs) {
    const file = path.join(dir, kerasFile);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  throw new WeightsNotAvailableError(
    `${where}: the ImageNet weight file '${kerasFile}' was not found in ${dirs.join(', ')}. tatami downloads nothing: ` +
      `get it from ${kerasWeightsUrl(kerasFile)} (the file Keras downloads into ~/.keras/models/) and put it in one of those ` +
      `folders (or name a folder with the weightsDir option or $TATAMI_WEIGHTS_DIR), or pass weights: '/path/to/${kerasFile}'`,
  );
}

/**
 * Checks the `weights` option as Keras does (null, 'imagenet' or an existing file) and returns
 * what to load, or null for random initialization. Called before the network is built, so that
 * a refused request costs nothing.
 */
export function resolveWeights(where: string, weights: unknown, kerasFile: string, weightsDir?: string): WeightsRequest | null {
  if (weights == null) return null;
  if (typeof weights !== 'string' || (weights !== 'imagenet' && !existsSync(weights))) {
    throw new ValueError(
      `${where}: the weights option should be null (random initialization), 'imagenet' (pre-training on ImageNet) ` +
        `or the path to the weights file to be loaded; got ${JSON.stringify(weights)}`,
    );
  }
  if (weightsDir !== undefined && typeof weightsDir !== 'string') {
    throw new ValueError(`${where}: weightsDir must be the path of a folder; got ${JSON.stringify(weightsDir)}`);
  }
  const file = weights === 'imagenet' ? findKerasWeights(where, kerasFile, weightsDir) : weights;
  return { source: weights, kerasFile, path: file };
}
