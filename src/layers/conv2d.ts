import type { Tensor, Variable } from '../tensor/tensor';
import { conv2d as convOp, convOutput, type Padding } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

export interface Conv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: Padding;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

export const CONV_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation',
  'useBias', 'kernelInitializer', 'biasInitializer'];

/** Output spatial size of a conv/pool layer for a possibly unknown input size. */
export function spatialOut(n: number | null, k: number, s: number, d: number, padding: Padding): number | null {
  return n == null ? null : convOutput(n, k, s, d, padding).out;
}

export function checkPadding(p: string | undefined): Padding {
  const v = p ?? 'valid';
  if (v !== 'valid' && v !== 'same') throw new ValueError(`padding must be 'valid' or 'same', got '${p}'`);
  return v;
}

/**
 * 2-D convolution over channels-last images. kernel (kh, kw, in, filters), bias (filters).
 * @example tt.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] })
 */
export class Conv2D extends Layer {
  static readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: Shape2;
  readonly strides: Shape2;
  readonly padding: Padding;
  readonly dilationRate: Shape2;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: Conv2DArgs, extraKeys: string[] = []) {
    super(args, [...CONV_KEYS, ...extraKeys]);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new ValueError(`conv2d: filters must be a positive integer, got ${args.filters}`);
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`conv2d: only dataFormat 'channelsLast' is supported`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1, 'kernelSize');
    this.strides = pair(args.strides, 1, 'strides');
    this.padding = checkPadding(args.padding);
    this.dilationRate = pair(args.dilationRate, 1, 'dilationRate');
    this.activation = normalizeActivationName(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.initName(args.name);
  }

  protected inChannels(inputShape: SymbolicShape): number {
    const c = inputShape[inputShape.length - 1];
    if (inputShape.length !== 4 || c == null) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(inputShape)}`);
    }
    return c;
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.inChannels(inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c, this.filters], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
    this.built = true;
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    this.inChannels([null, ...x.shape.slice(1)]);
    if (x.shape[3] !== this.kernel!.shape[2]) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects ${this.kernel!.shape[2]} input channels, got shape ${shapeToString(x.shape)}`);
    }
    // relu is fused into the convolution's output buffer (the common case in every seed model)
    const relu = this.activation === 'relu';
    const y = convOp(x, this.kernel!, this.bias, this.strides, this.padding, this.dilationRate, false, relu);
    return relu ? y : getActivation(this.activation)(y);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [
      s[0],
      spatialOut(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      spatialOut(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
      this.filters,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize.slice(), strides: this.strides.slice(),
      padding: this.padding, dataFormat: 'channelsLast', dilationRate: this.dilationRate.slice(), activation: this.activation,
      useBias: this.useBias, kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

export const conv2dLayer = defineLayer({
  cls: Conv2D,
  factories: { conv2d: (args: Conv2DArgs) => new Conv2D(args) },
  layout: [['filters'], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['groups', 1], ['activation', 'linear'], ['use_bias', true], ['kernel_initializer'],
    ['bias_initializer'], ['kernel_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null],
    ['kernel_constraint', null], ['bias_constraint', null]],
  aliases: ['Convolution2D'],
});
