import type { Tensor } from '../tensor/tensor';
import { avgPool, maxPool, type Padding } from '../ops/index';
import { ShapeError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { checkPadding, spatialOut } from './conv2d';
import { defineLayer } from './registry';

export interface Pooling2DArgs extends LayerArgs {
  poolSize?: number | number[];
  /** Defaults to poolSize, as in Keras. */
  strides?: number | number[] | null;
  padding?: Padding;
  dataFormat?: 'channelsLast';
}

abstract class Pooling2D extends Layer {
  readonly poolSize: Shape2;
  readonly strides: Shape2;
  readonly padding: Padding;

  constructor(args: Pooling2DArgs = {}) {
    super(args, ['poolSize', 'strides', 'padding', 'dataFormat']);
    this.poolSize = pair(args.poolSize, 2, 'poolSize');
    this.strides = args.strides == null ? this.poolSize : pair(args.strides, 1, 'strides');
    this.padding = checkPadding(args.padding);
  }

  protected abstract pool(x: Tensor): Tensor;

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    if (x.rank !== 4) throw new ShapeError(`${this.className} layer '${this.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(x.shape)}`);
    return this.pool(x);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [
      s[0],
      spatialOut(s[1], this.poolSize[0], this.strides[0], 1, this.padding),
      spatialOut(s[2], this.poolSize[1], this.strides[1], 1, this.padding),
      s[3],
    ];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize.slice(), strides: this.strides.slice(), padding: this.padding, dataFormat: 'channelsLast' };
  }
}

/** @example tt.layers.maxPooling2d({ poolSize: [2, 2] }) */
export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args);
    this.initName(args.name);
  }
  protected pool(x: Tensor): Tensor {
    return maxPool(x, this.poolSize, this.strides, this.padding);
  }
}

/** Averages over the valid cells of each window (padding cells are not counted), as Keras. */
export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args);
    this.initName(args.name);
  }
  protected pool(x: Tensor): Tensor {
    return avgPool(x, this.poolSize, this.strides, this.padding);
  }
}

const POOLING_LAYOUT = [['pool_size'], ['padding', 'valid'], ['strides'], ['data_format', 'channels_last']] as const;

export const maxPooling2dLayer = defineLayer({
  cls: MaxPooling2D,
  factories: {
    maxPooling2d: (args: Pooling2DArgs = {}) => new MaxPooling2D(args),
    maxPool2d: (args: Pooling2DArgs = {}) => new MaxPooling2D(args),
  },
  layout: POOLING_LAYOUT,
  aliases: ['MaxPool2D'],
});

export const averagePooling2dLayer = defineLayer({
  cls: AveragePooling2D,
  factories: {
    averagePooling2d: (args: Pooling2DArgs = {}) => new AveragePooling2D(args),
    avgPool2d: (args: Pooling2DArgs = {}) => new AveragePooling2D(args),
  },
  layout: POOLING_LAYOUT,
  aliases: ['AvgPool2D'],
});
