import type { Tensor } from '../tensor/tensor';
import { globalAvgPool, globalMaxPool, reshape } from '../ops/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

export interface GlobalPooling2DArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
  /** Keep the pooled spatial axes as size 1: (N, 1, 1, C) instead of (N, C). */
  keepdims?: boolean;
}

/** (N, H, W, C) → (N, C), or (N, 1, 1, C) with keepdims. */
abstract class GlobalPooling2D extends Layer {
  readonly keepdims: boolean;

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, ['dataFormat', 'keepdims']);
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`global pooling: only dataFormat 'channelsLast' is supported`);
    this.keepdims = args.keepdims ?? false;
  }

  protected abstract pool(x: Tensor): Tensor;

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    if (x.rank !== 4) throw new ShapeError(`${this.className} layer '${this.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(x.shape)}`);
    const y = this.pool(x);
    return this.keepdims ? reshape(y, [x.shape[0], 1, 1, x.shape[3]]) : y;
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return this.keepdims ? [s[0], 1, 1, s[3]] : [s[0], s[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepdims: this.keepdims };
  }
}

/**
 * Mean over all spatial positions of each channel.
 * @example tt.layers.globalAveragePooling2d()
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
    this.initName(args.name);
  }
  protected pool(x: Tensor): Tensor {
    return globalAvgPool(x);
  }
}

/**
 * Max over all spatial positions of each channel.
 * @example tt.layers.globalMaxPooling2d({ keepdims: true })
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
    this.initName(args.name);
  }
  protected pool(x: Tensor): Tensor {
    return globalMaxPool(x);
  }
}

const GLOBAL_POOLING_LAYOUT = [['data_format', 'channels_last'], ['keepdims', false]] as const;

export const globalAveragePooling2dLayer = defineLayer({
  cls: GlobalAveragePooling2D,
  factories: {
    globalAveragePooling2d: (args: GlobalPooling2DArgs = {}) => new GlobalAveragePooling2D(args),
    globalAvgPool2d: (args: GlobalPooling2DArgs = {}) => new GlobalAveragePooling2D(args),
  },
  layout: GLOBAL_POOLING_LAYOUT,
  aliases: ['GlobalAvgPool2D'],
});

export const globalMaxPooling2dLayer = defineLayer({
  cls: GlobalMaxPooling2D,
  factories: {
    globalMaxPooling2d: (args: GlobalPooling2DArgs = {}) => new GlobalMaxPooling2D(args),
    globalMaxPool2d: (args: GlobalPooling2DArgs = {}) => new GlobalMaxPooling2D(args),
  },
  layout: GLOBAL_POOLING_LAYOUT,
  aliases: ['GlobalMaxPool2D'],
});
