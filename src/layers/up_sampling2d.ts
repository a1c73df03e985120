import type { Tensor } from '../tensor/tensor';
import { gather } from '../ops/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

export interface UpSampling2DArgs extends LayerArgs {
  /** Repeat factors for rows and columns; a number repeats both. Default 2. */
  size?: number | number[];
  interpolation?: 'nearest';
  dataFormat?: 'channelsLast';
}

/** Source index of each output index when every entry is repeated `k` times: 0,0,1,1,... */
function repeatIndices(n: number, k: number): number[] {
  return Array.from({ length: n * k }, (_, i) => Math.floor(i / k));
}

/**
 * Nearest-neighbour upsampling: each pixel repeated size[0] times down and size[1] times across,
 * (N, H, W, C) → (N, H*sh, W*sw, C). Built from gathers, whose gradient sums each block back.
 * @example tt.layers.upSampling2d({ size: [2, 2] })
 */
export class UpSampling2D extends Layer {
  static readonly className = 'UpSampling2D';
  readonly size: Shape2;
  readonly interpolation = 'nearest';

  constructor(args: UpSampling2DArgs = {}) {
    super(args, ['size', 'interpolation', 'dataFormat']);
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`upSampling2d: only dataFormat 'channelsLast' is supported`);
    if (args.interpolation != null && args.interpolation !== 'nearest') {
      throw new ValueError(`upSampling2d: interpolation '${args.interpolation}' is not supported; tatami implements 'nearest'`);
    }
    this.size = pair(args.size, 2, 'size');
    if (!this.size.every((v) => Number.isInteger(v) && v >= 1)) throw new ValueError(`upSampling2d: size must be positive integers, got [${this.size}]`);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    let x = input as Tensor;
    if (x.rank !== 4) throw new ShapeError(`upSampling2d layer '${this.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(x.shape)}`);
    const [sh, sw] = this.size;
    if (sh > 1) x = gather(x, repeatIndices(x.shape[1], sh), 1);
    if (sw > 1) x = gather(x, repeatIndices(x.shape[2], sw), 2);
    return x;
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const [sh, sw] = this.size;
    return [s[0], s[1] == null ? null : s[1] * sh, s[2] == null ? null : s[2] * sw, s[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size.slice(), dataFormat: 'channelsLast', interpolation: this.interpolation };
  }
}

export const upSampling2dLayer = defineLayer({
  cls: UpSampling2D,
  factories: { upSampling2d: (args: UpSampling2DArgs = {}) => new UpSampling2D(args) },
  layout: [['size'], ['data_format', 'channels_last'], ['interpolation', 'nearest']],
});
