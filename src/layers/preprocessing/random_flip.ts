import type { Tensor } from '../../tensor/tensor';
import { flipImages } from '../../ops/image';
import { ValueError } from '../../util/errors';
import { defineLayer } from '../registry';
import { ImageLayer, RANDOM_KEYS, type RandomLayerArgs } from './common';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends RandomLayerArgs {
  /** 'horizontal' (left-right), 'vertical' (top-bottom) or 'horizontal_and_vertical' (default). */
  mode?: FlipMode | 'horizontalAndVertical';
}

/**
 * Flips each image with probability 1/2 while training; passes images through at inference.
 * As Keras 3, 'horizontal_and_vertical' draws one coin per image and, on heads, flips both ways.
 * @example tt.layers.randomFlip({ mode: 'horizontal', inputShape: [32, 32, 3] })
 */
export class RandomFlip extends ImageLayer {
  static readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    super(args, [...RANDOM_KEYS, 'mode']);
    const mode = args.mode === 'horizontalAndVertical' ? 'horizontal_and_vertical' : args.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(mode)) throw new ValueError(`RandomFlip: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got '${mode}'`);
    this.mode = mode;
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[], training: boolean): Tensor {
    const x = this.images(input, training);
    if (!training) return x;
    return flipImages(x, this.randomTransformation(this.batchOf(x)), { horizontal: this.mode !== 'vertical', vertical: this.mode !== 'horizontal' });
  }

  /** The next draw: for each of `batch` images, whether it is flipped (probability 1/2). */
  randomTransformation(batch: number): boolean[] {
    return Array.from({ length: batch }, () => this.uniform(0, 1) <= 0.5);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed, mode: this.mode, dataFormat: 'channelsLast' };
  }
}

export const randomFlipLayer = defineLayer({
  cls: RandomFlip,
  factories: { randomFlip: (args: RandomFlipArgs = {}) => new RandomFlip(args) },
  layout: [['seed', null], ['mode', 'horizontal_and_vertical'], ['data_format', 'channels_last']],
});
