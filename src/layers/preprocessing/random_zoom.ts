import { ValueError } from '../../util/errors';
import { defineLayer } from '../registry';
import { RandomAffineLayer } from './random_affine';
import { zoomTransform } from './affine_matrices';
import {
  copyFactor, symmetricRange, type FillArgs, type Pair, type RandomLayerArgs,
} from './common';

export interface RandomZoomArgs extends RandomLayerArgs, FillArgs {
  /**
   * Vertical zoom as a fraction: f means [-f, f], [lo, hi] as given; the zoom factor is drawn in
   * [1 + lo, 1 + hi]. Positive zooms out (the image shrinks), negative zooms in.
   */
  heightFactor: number | number[];
  /** Horizontal zoom likewise; null (default) zooms both axes by the same draw, keeping the aspect ratio. */
  widthFactor?: number | number[] | null;
}

/**
 * Zooms each image in or out about its centre while training (bilinear, 'reflect' fill by
 * default); passes images through at inference.
 * @example tt.layers.randomZoom({ heightFactor: 0.2 })   // zoom in or out by up to 20%
 */
export class RandomZoom extends RandomAffineLayer {
  static readonly className = 'RandomZoom';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[] | null;
  private readonly heightRange: Pair;
  private readonly widthRange: Pair | null;

  constructor(args: RandomZoomArgs) {
    super(args, ['heightFactor', 'widthFactor']);
    if (args?.heightFactor == null) throw new ValueError('RandomZoom: heightFactor is required, e.g. { heightFactor: 0.2 }');
    this.heightRange = symmetricRange('RandomZoom', 'heightFactor', args.heightFactor);
    this.widthRange = args.widthFactor == null ? null : symmetricRange('RandomZoom', 'widthFactor', args.widthFactor);
    this.heightFactor = copyFactor(args.heightFactor);
    this.widthFactor = args.widthFactor == null ? null : copyFactor(args.widthFactor);
    this.initName(args.name);
  }


  /** The next draw: the affine transforms (8 numbers per image, see ops/image) for `batch` images of height x width. */
  randomTransformation(batch: number, h: number, w: number): number[] {
    const transforms: number[] = [];
    for (let b = 0; b < batch; b++) {
      const zy = this.uniform(1 + this.heightRange[0], 1 + this.heightRange[1]);
      const zx = this.widthRange ? this.uniform(1 + this.widthRange[0], 1 + this.widthRange[1]) : zy;
      transforms.push(...zoomTransform(zx, zy, h, w));
    }
    return transforms;
  }

  override getConfig(): Record<string, unknown> {
    const { fillMode, fillValue, interpolation } = this.fill;
    return {
      ...super.getConfig(), heightFactor: copyFactor(this.heightFactor), widthFactor: this.widthFactor == null ? null : copyFactor(this.widthFactor),
      fillMode, interpolation, seed: this.seed, fillValue, dataFormat: 'channelsLast',
    };
  }
}

export const randomZoomLayer = defineLayer({
  cls: RandomZoom,
  factories: { randomZoom: (args: RandomZoomArgs) => new RandomZoom(args) },
  layout: [
    ['height_factor'], ['width_factor', null], ['fill_mode', 'reflect'], ['interpolation', 'bilinear'], ['seed', null], ['fill_value', 0],
    ['data_format', 'channels_last'],
  ],
});
