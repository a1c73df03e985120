import { existsSync } from 'node:fs';
import { TatamiError, ValueError } from '../util/errors';

/** Where an application's weights come from, decided before the network is built. */
export interface WeightsRequest {
  /** 'imagenet' (Keras's published file) or the path of a weight file. */
  source: string;
  /** The file name Keras gives the ImageNet weights of this network and head (in ~/.keras/models/). */
  kerasFile: string;
}

/** The weights option refers to weights that tatami cannot load yet. */
export class WeightsNotAvailableError extends TatamiError {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsNotAvailableError';
  }
}

/**
 * Checks the `weights` option as Keras does (null, 'imagenet' or an existing file) and returns
 * what to load, or null for random initialization. Called before the network is built, so that
 * a refused request costs nothing.
 */
export function resolveWeights(where: string, weights: unknown, kerasFile: string): WeightsRequest | null {
  if (weights == null) return null;
  if (typeof weights !== 'string' || (weights !== 'imagenet' && !existsSync(weights))) {
    throw new ValueError(
      `${where}: the weights option should be null (random initialization), 'imagenet' (pre-training on ImageNet) ` +
        `or the path to the weights file to be loaded; got ${JSON.stringify(weights)}`,
    );
  }
  const what = weights === 'imagenet' ? `ImageNet weights (Keras's file ${kerasFile})` : `weights from '${weights}'`;
  throw new WeightsNotAvailableError(
    `${where}: weight loading is not available yet: tatami cannot load ${what} into this network; pass weights: null for random initial weights`,
  );
}
