import type { Tensor, Variable } from '../tensor/tensor';
import { conv2dTranspose, convTransposeOutput, type Padding } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { checkPadding } from './conv2d';
import { channelsOf } from './depthwise_conv2d';
import { defineLayer } from './registry';

export interface Conv2DTransposeArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: Padding;
  /** Extra rows/columns at the bottom/right of the output (each < its stride); null infers the size. */
  outputPadding?: number | number[] | null;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/**
 * Transposed 2-D convolution ("deconvolution"), the adjoint of Conv2D: upsamples by `strides`.
 * Output size as Keras: valid H*s + max(k - s, 0), same H*s.
 * Weights, as Keras: kernel (kh, kw, filters, inChannels), bias (filters).
 * @example tt.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' })
 */
export class Conv2DTranspose extends Layer {
  static readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: Shape2;
  readonly strides: Shape2;
  readonly padding: Padding;
  readonly outputPadding: Shape2 | null;
  readonly dilationRate: Shape2;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: Conv2DTransposeArgs) {
    super(args, ['filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'dataFormat', 'dilationRate',
      'activation', 'useBias', 'kernelInitializer', 'biasInitializer']);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new ValueError(`conv2dTranspose: filters must be a positive integer, got ${args.filters}`);
    if (args.kernelSize == null) throw new ValueError('conv2dTranspose: kernelSize is required');
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`conv2dTranspose: only dataFormat 'channelsLast' is supported`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1, 'kernelSize');
    this.strides = pair(args.strides, 1, 'strides');
    this.padding = checkPadding(args.padding);
    this.dilationRate = pair(args.dilationRate, 1, 'dilationRate');
    this.outputPadding = args.outputPadding == null ? null : pair(args.outputPadding, 0, 'outputPadding');
    for (const [name, v] of [['kernelSize', this.kernelSize], ['strides', this.strides], ['dilationRate', this.dilationRate]] as const) {
      if (!v.every((d) => Number.isInteger(d) && d > 0)) throw new ValueError(`conv2dTranspose: ${name} must be positive integers, got [${v}]`);
    }
    if (this.outputPadding && !this.outputPadding.every((p, i) => Number.isInteger(p) && p >= 0 && p < this.strides[i])) {
      throw new ValueError(`conv2dTranspose: outputPadding must be non-negative integers smaller than strides, got outputPadding [${this.outputPadding}], strides [${this.strides}]`);
    }
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ValueError(`conv2dTranspose: strides > 1 cannot be combined with dilationRate > 1 (got strides [${this.strides}], dilationRate [${this.dilationRate}])`);
    }
    this.activation = normalizeActivationName(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.initName(args.name);
  }

  override build(inputShape: SymbolicShape): void {
    const c = channelsOf(this, inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, c], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
    this.built = true;
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const c = channelsOf(this, x.shape);
    if (c !== this.kernel!.shape[3]) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects ${this.kernel!.shape[3]} input channels, got shape ${shapeToString(x.shape)}`);
    }
    const y = conv2dTranspose(x, this.kernel!, this.bias, this.strides, this.padding, this.outputPadding, this.dilationRate);
    return getActivation(this.activation)(y);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    channelsOf(this, s);
    const out = (n: number | null, i: 0 | 1) => n == null ? null
      : convTransposeOutput(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding, this.outputPadding ? this.outputPadding[i] : null);
    return [s[0], out(s[1], 0), out(s[2], 1), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize.slice(), strides: this.strides.slice(),
      padding: this.padding, outputPadding: this.outputPadding ? this.outputPadding.slice() : null, dataFormat: 'channelsLast',
      dilationRate: this.dilationRate.slice(), activation: this.activation, useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

/** Keras 3 (base_conv_transpose.py) writes no output_padding; tatami appends it, as tf.keras 2 does. */
export const conv2dTransposeLayer = defineLayer({
  cls: Conv2DTranspose,
  factories: { conv2dTranspose: (args: Conv2DTransposeArgs) => new Conv2DTranspose(args) },
  layout: [['filters'], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['activation', 'linear'], ['use_bias', true], ['kernel_initializer'], ['bias_initializer'],
    ['kernel_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null], ['kernel_constraint', null],
    ['bias_constraint', null], ['output_padding', null]],
  // tf.keras 2's Conv2DTranspose extends Conv2D (so it lists groups) and appends output_padding
  keras2Layout: [['filters'], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['groups', 1], ['activation', 'linear'], ['use_bias', true], ['kernel_initializer'],
    ['bias_initializer'], ['kernel_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null],
    ['kernel_constraint', null], ['bias_constraint', null], ['output_padding', null]],
  aliases: ['Convolution2DTranspose'],
});
