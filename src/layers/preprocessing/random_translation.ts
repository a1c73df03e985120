import { ValueError } from '../../util/errors';
import { defineLayer } from '../registry';
import { RandomAffineLayer } from './random_affine';
import { translationTransform } from './affine_matrices';
import {
  copyFactor, symmetricRange, type FillArgs, type Pair, type RandomLayerArgs,
} from './common';

export interface RandomTranslationArgs extends RandomLayerArgs, FillArgs {
  /** Vertical shift as a fraction of the height: f means [-f, f], [lo, hi] as given; positive shifts down. */
  heightFactor: number | number[];
  /** Horizontal shift as a fraction of the width: f means [-f, f]; positive shifts right. */
  widthFactor: number | number[];
}

/**
 * Shifts each image by a random fraction of its size while training (bilinear, 'reflect' fill by
 * default); passes images through at inference.
 * @example tt.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })
 */
export class RandomTranslation extends RandomAffineLayer {
  static readonly className = 'RandomTranslation';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[];
  private readonly heightRange: Pair;
  private readonly widthRange: Pair;

  constructor(args: RandomTranslationArgs) {
    super(args, ['heightFactor', 'widthFactor']);
    if (args?.heightFactor == null || args.widthFactor == null) {
      throw new ValueError('RandomTranslation: heightFactor and widthFactor are required, e.g. { heightFactor: 0.1, widthFactor: 0.1 }');
    }
    this.heightRange = symmetricRange('RandomTranslation', 'heightFactor', args.heightFactor);
    this.widthRange = symmetricRange('RandomTranslation', 'widthFactor', args.widthFactor);
    this.heightFactor = copyFactor(args.heightFactor);
    this.widthFactor = copyFactor(args.widthFactor);
    this.initName(args.name);
  }


  /** The next draw: the affine transforms (8 numbers per image, see ops/image) for `batch` images of height x width. */
  randomTransformation(batch: number, h: number, w: number): number[] {
    const transforms: number[] = [];
    for (let b = 0; b < batch; b++) {
      const dy = this.uniform(this.heightRange[0], this.heightRange[1]) * h;
      const dx = this.uniform(this.widthRange[0], this.widthRange[1]) * w;
      transforms.push(...translationTransform(dx, dy));
    }
    return transforms;
  }

  override getConfig(): Record<string, unknown> {
    const { fillMode, fillValue, interpolation } = this.fill;
    return {
      ...super.getConfig(), heightFactor: copyFactor(this.heightFactor), widthFactor: copyFactor(this.widthFactor),
      fillMode, interpolation, seed: this.seed, fillValue, dataFormat: 'channelsLast',
    };
  }
}

export const randomTranslationLayer = defineLayer({
  cls: RandomTranslation,
  factories: { randomTranslation: (args: RandomTranslationArgs) => new RandomTranslation(args) },
  layout: [
    ['height_factor'], ['width_factor'], ['fill_mode', 'reflect'], ['interpolation', 'bilinear'], ['seed', null], ['fill_value', 0],
    ['data_format', 'channels_last'],
  ],
});
