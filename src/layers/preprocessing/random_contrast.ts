import type { Tensor } from '../../tensor/tensor';
import { adjustContrast } from '../../ops/image';
import { ValueError } from '../../util/errors';
import { defineLayer } from '../registry';
import { ImageLayer, RANDOM_KEYS, type Pair, type RandomLayerArgs } from './common';

export interface RandomContrastArgs extends RandomLayerArgs {
  /**
   * f in [0, 1]: the contrast factor is drawn in [1 - f, 1 + f]; [lo, hi]: in [1 - lo, 1 + hi].
   */
  factor: number | number[];
  /** The range of the pixel values; outputs are clipped to it. Default [0, 255]. */
  valueRange?: number[];
}

/**
 * Scales each image's contrast by a random factor while training: per image and channel,
 * x -> (x - mean) * factor + mean, clipped to valueRange. Passes images through at inference.
 *
 * A single factor f means [1 - f, 1 + f], as Keras documents it (Keras 3's code draws from
 * [1, 1 + f] for a single number); tatami stores it as the pair [f, f], which Keras reads alike.
 * @example tt.layers.randomContrast({ factor: 0.2, valueRange: [0, 1] })
 */
export class RandomContrast extends ImageLayer {
  static readonly className = 'RandomContrast';
  /** [lower, upper]: the factor is drawn in [1 - lower, 1 + upper]. */
  readonly factor: Pair;
  readonly valueRange: Pair;

  constructor(args: RandomContrastArgs) {
    super(args, [...RANDOM_KEYS, 'factor', 'valueRange']);
    if (args?.factor == null) throw new ValueError('RandomContrast: factor is required, e.g. { factor: 0.2 }');
    this.factor = contrastRange(args.factor);
    const vr = args.valueRange ?? [0, 255];
    if (!(Array.isArray(vr) && vr.length === 2 && vr.every((v) => typeof v === 'number' && Number.isFinite(v)) && vr[0] < vr[1])) {
      throw new ValueError(`RandomContrast: valueRange must be [low, high] with low < high, got ${JSON.stringify(vr)}`);
    }
    this.valueRange = [vr[0], vr[1]];
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[], training: boolean): Tensor {
    const x = this.images(input, training);
    if (!training) return x;
    return adjustContrast(x, this.randomTransformation(this.batchOf(x)), this.valueRange);
  }

  /** The next draw: a contrast factor for each of `batch` images, in [1 - lower, 1 + upper]. */
  randomTransformation(batch: number): number[] {
    return Array.from({ length: batch }, () => this.uniform(1 - this.factor[0], 1 + this.factor[1]));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor.slice(), valueRange: this.valueRange.slice(), seed: this.seed };
  }
}

function contrastRange(v: number | number[]): Pair {
  const finite = (e: unknown) => typeof e === 'number' && Number.isFinite(e);
  if (typeof v === 'number' && v >= 0 && v <= 1) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(finite) && v[0] <= 1 && v[1] >= 0) return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  throw new ValueError(`RandomContrast: factor must be a number in [0, 1] or a pair of numbers, got ${JSON.stringify(v)}`);
}

export const randomContrastLayer = defineLayer({
  cls: RandomContrast,
  factories: { randomContrast: (args: RandomContrastArgs) => new RandomContrast(args) },
  layout: [['factor'], ['value_range', [0, 255]], ['seed', null]],
});
