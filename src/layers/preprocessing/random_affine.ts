import type { Tensor } from '../../tensor/tensor';
import { affineTransform } from '../../ops/image';
import { FILL_KEYS, ImageLayer, RANDOM_KEYS, fillOptions, type FillArgs, type RandomLayerArgs } from './common';

/**
 * The base of RandomRotation, RandomTranslation and RandomZoom: while training, each image goes
 * through its own random affine transform (drawn by the subclass) with the layer's fill options;
 * at inference the images pass through.
 */
export abstract class RandomAffineLayer extends ImageLayer {
  readonly fill: Required<FillArgs>;

  constructor(args: RandomLayerArgs & FillArgs, allowedKeys: readonly string[]) {
    super(args, [...RANDOM_KEYS, ...FILL_KEYS, ...allowedKeys]);
    this.fill = fillOptions(this.className, args);
  }

  call(input: Tensor | Tensor[], training: boolean): Tensor {
    const x = this.images(input, training);
    if (!training) return x;
    const [h, w] = x.shape.slice(-3, -1);
    return affineTransform(x, this.randomTransformation(this.batchOf(x), h, w), this.fill);
  }

  /** The next draw: the affine transforms (8 numbers per image, see ops/image) for `batch` images of height x width. */
  abstract randomTransformation(batch: number, h: number, w: number): number[];
}
