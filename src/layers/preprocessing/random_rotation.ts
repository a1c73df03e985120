import { ValueError } from '../../util/errors';
import { defineLayer } from '../registry';
import { RandomAffineLayer } from './random_affine';
import { rotationTransform } from './affine_matrices';
import { symmetricRange, type FillArgs, type Pair, type RandomLayerArgs } from './common';

export interface RandomRotationArgs extends RandomLayerArgs, FillArgs {
  /**
   * Rotation as a fraction of a full turn: f rotates by a random amount in [-f, f] * 360 degrees,
   * [lo, hi] in [lo, hi] * 360 degrees. Positive is counter-clockwise.
   */
  factor: number | number[];
}

/**
 * Rotates each image by a random angle about its centre while training (bilinear, 'reflect' fill
 * by default); passes images through at inference.
 * @example tt.layers.randomRotation({ factor: 0.1 })   // within ±36 degrees
 */
export class RandomRotation extends RandomAffineLayer {
  static readonly className = 'RandomRotation';
  /** [lower, upper], as Keras stores it. */
  readonly factor: Pair;

  constructor(args: RandomRotationArgs) {
    super(args, ['factor']);
    if (args?.factor == null) throw new ValueError('RandomRotation: factor is required, e.g. { factor: 0.1 }');
    this.factor = rotationRange(args.factor);
    this.initName(args.name);
  }


  /** The next draw: the affine transforms (8 numbers per image, see ops/image) for `batch` images of height x width. */
  randomTransformation(batch: number, h: number, w: number): number[] {
    const transforms: number[] = [];
    for (let b = 0; b < batch; b++) {
      const angle = this.uniform(this.factor[0] * 2 * Math.PI, this.factor[1] * 2 * Math.PI);
      transforms.push(...rotationTransform(angle, h, w));
    }
    return transforms;
  }

  override getConfig(): Record<string, unknown> {
    const { fillMode, fillValue, interpolation } = this.fill;
    return { ...super.getConfig(), factor: this.factor.slice(), dataFormat: 'channelsLast', fillMode, fillValue, interpolation, seed: this.seed };
  }
}

/** Keras's base factor: a number f in [-1, 1] means [-|f|, |f|]; a pair is sorted, and must reach into [-1, 1]. */
function rotationRange(v: number | number[]): Pair {
  if (Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    if (v[0] > 1 || v[1] < -1) throw new ValueError(`RandomRotation: factor must be a number or a pair of numbers in [-1, 1], got ${JSON.stringify(v)}`);
    return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  }
  return symmetricRange('RandomRotation', 'factor', v);
}

export const randomRotationLayer = defineLayer({
  cls: RandomRotation,
  factories: { randomRotation: (args: RandomRotationArgs) => new RandomRotation(args) },
  layout: [['factor'], ['data_format', 'channels_last'], ['fill_mode', 'reflect'], ['fill_value', 0], ['interpolation', 'bilinear'], ['seed', null]],
});
