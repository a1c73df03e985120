import type { Tensor } from '../../tensor/tensor';
import { cropImages, resize } from '../../ops/image';
import type { SymbolicShape } from '../layer';
import { defineLayer } from '../registry';
import { ImageLayer, RANDOM_KEYS, checkSize, type RandomLayerArgs } from './common';

export interface RandomCropArgs extends RandomLayerArgs {
  height: number;
  width: number;
}

/**
 * Crops a height x width window at a random place while training, the same place for every image
 * of the batch (as Keras). At inference, and in training when the image is not larger than the
 * target, it takes the largest centred window with the target's aspect ratio and resizes it
 * (bilinear) to height x width, as Keras documents.
 * @example tt.layers.randomCrop({ height: 28, width: 28 })
 */
export class RandomCrop extends ImageLayer {
  static readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;

  constructor(args: RandomCropArgs) {
    super(args, [...RANDOM_KEYS, 'height', 'width']);
    this.height = checkSize('RandomCrop', 'height', args?.height);
    this.width = checkSize('RandomCrop', 'width', args.width);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[], training: boolean): Tensor {
    const x = this.images(input, true);
    const [h, w] = x.shape.slice(-3, -1);
    if (training && h >= this.height && w >= this.width) {
      const [top, left] = this.randomTransformation(h, w);
      return cropImages(x, top, left, this.height, this.width);
    }
    return resize(x, [this.height, this.width], { cropToAspectRatio: true });
  }

  /** The next draw: the [top, left] corner of the window in an h x w image, every place equally likely (as Keras). */
  randomTransformation(h: number, w: number): [number, number] {
    const top = Math.min(Math.floor(this.uniform(0, h - this.height + 1)), h - this.height);
    const left = Math.min(Math.floor(this.uniform(0, w - this.width + 1)), w - this.width);
    return [top, left];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s.length === 3 ? [this.height, this.width, s[2]] : [s[0], this.height, this.width, s[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed, dataFormat: 'channelsLast' };
  }
}

export const randomCropLayer = defineLayer({
  cls: RandomCrop,
  factories: { randomCrop: (args: RandomCropArgs) => new RandomCrop(args) },
  layout: [['height'], ['width'], ['seed', null], ['data_format', 'channels_last']],
});
