import type { Tensor, Variable } from '../tensor/tensor';
import { conv2d as convOp, dense, reshape, type Padding } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { checkPadding, spatialOut } from './conv2d';
import { channelsOf, checkConvGeometry } from './depthwise_conv2d';
import { defineLayer } from './registry';

export interface SeparableConv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  /** Depthwise output channels per input channel (default 1). */
  depthMultiplier?: number;
  strides?: number | number[];
  padding?: Padding;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/**
 * Depthwise separable 2-D convolution: a depthwise convolution (strides, padding, dilation; no
 * bias) then a 1x1 pointwise convolution mixing channels, plus bias.
 * Weights, as Keras: depthwise_kernel (kh, kw, C, M), pointwise_kernel (1, 1, C*M, filters), bias (filters).
 * @example tt.layers.separableConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' })
 */
export class SeparableConv2D extends Layer {
  static readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: Shape2;
  readonly depthMultiplier: number;
  readonly strides: Shape2;
  readonly padding: Padding;
  readonly dilationRate: Shape2;
  readonly activation: string;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, ['filters', 'kernelSize', 'depthMultiplier', 'strides', 'padding', 'dataFormat', 'dilationRate',
      'activation', 'useBias', 'depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer']);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new ValueError(`separableConv2d: filters must be a positive integer, got ${args.filters}`);
    if (args.kernelSize == null) throw new ValueError('separableConv2d: kernelSize is required');
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`separableConv2d: only dataFormat 'channelsLast' is supported`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1, 'kernelSize');
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.strides = pair(args.strides, 1, 'strides');
    this.padding = checkPadding(args.padding);
    this.dilationRate = pair(args.dilationRate, 1, 'dilationRate');
    checkConvGeometry('separableConv2d', this.kernelSize, this.strides, this.dilationRate, this.depthMultiplier);
    this.activation = normalizeActivationName(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.initName(args.name);
  }

  override build(inputShape: SymbolicShape): void {
    const c = channelsOf(this, inputShape);
    const cm = c * this.depthMultiplier;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, c, this.depthMultiplier], this.depthwiseInitializer);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, cm, this.filters], this.pointwiseInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
    this.built = true;
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const c = channelsOf(this, x.shape);
    if (c !== this.depthwiseKernel!.shape[2]) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects ${this.depthwiseKernel!.shape[2]} input channels, got shape ${shapeToString(x.shape)}`);
    }
    // (N, Ho, Wo, C*M)
    const h = convOp(x, this.depthwiseKernel!, null, this.strides, this.padding, this.dilationRate, true);
    // a 1x1 convolution is a dense layer over the channel axis: one GEMM
    const pk = reshape(this.pointwiseKernel!, [c * this.depthMultiplier, this.filters]);
    return getActivation(this.activation)(dense(h, pk, this.bias));
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    channelsOf(this, s);
    return [
      s[0],
      spatialOut(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      spatialOut(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
      this.filters,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize.slice(), depthMultiplier: this.depthMultiplier,
      strides: this.strides.slice(), padding: this.padding, dataFormat: 'channelsLast', dilationRate: this.dilationRate.slice(),
      activation: this.activation, useBias: this.useBias, depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

const GLOROT_UNIFORM_2 = { class_name: 'GlorotUniform', config: { seed: null } };

export const separableConv2dLayer = defineLayer({
  cls: SeparableConv2D,
  factories: { separableConv2d: (args: SeparableConv2DArgs) => new SeparableConv2D(args) },
  layout: [['depth_multiplier', 1], ['filters'], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'],
    ['data_format', 'channels_last'], ['dilation_rate', [1, 1]], ['activation', 'linear'], ['use_bias', true],
    ['depthwise_initializer'], ['pointwise_initializer'], ['bias_initializer'], ['depthwise_regularizer', null],
    ['pointwise_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null], ['depthwise_constraint', null],
    ['pointwise_constraint', null], ['bias_constraint', null]],
  // tf.keras 2: Conv's config (with the kernel_* keys it inherits but never uses), then the separable keys
  keras2Layout: [['filters'], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['groups', 1], ['activation', 'linear'], ['use_bias', true],
    ['kernel_initializer', GLOROT_UNIFORM_2, 'unused'], ['bias_initializer'], ['kernel_regularizer', null, 'unused'],
    ['bias_regularizer', null], ['activity_regularizer', null], ['kernel_constraint', null, 'unused'], ['bias_constraint', null],
    ['depth_multiplier', 1], ['depthwise_initializer'], ['pointwise_initializer'], ['depthwise_regularizer', null],
    ['pointwise_regularizer', null], ['depthwise_constraint', null], ['pointwise_constraint', null]],
  aliases: ['SeparableConvolution2D'],
});
