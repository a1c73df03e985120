import type { Tensor, Variable } from '../tensor/tensor';
import { conv2d as convOp, type Padding } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, pair, type LayerArgs, type Shape2, type SymbolicShape } from './layer';
import { checkPadding, spatialOut } from './conv2d';
import { defineLayer } from './registry';

export interface DepthwiseConv2DArgs extends LayerArgs {
  kernelSize: number | number[];
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  strides?: number | number[];
  padding?: Padding;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/** Checks shared by the depthwise and separable layers (Keras's messages). */
export function checkConvGeometry(what: string, kernelSize: Shape2, strides: Shape2, dilation: Shape2, multiplier: number): void {
  if (!Number.isInteger(multiplier) || multiplier <= 0) throw new ValueError(`${what}: depthMultiplier must be a positive integer, got ${multiplier}`);
  for (const [name, v] of [['kernelSize', kernelSize], ['strides', strides], ['dilationRate', dilation]] as const) {
    if (!v.every((d) => Number.isInteger(d) && d > 0)) throw new ValueError(`${what}: ${name} must be positive integers, got [${v}]`);
  }
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    throw new ValueError(`${what}: strides > 1 cannot be combined with dilationRate > 1 (got strides [${strides}], dilationRate [${dilation}])`);
  }
}

export function channelsOf(layer: Layer, shape: SymbolicShape): number {
  const c = shape[shape.length - 1];
  if (shape.length !== 4 || c == null) {
    throw new ShapeError(`${layer.className} layer '${layer.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(shape)}`);
  }
  return c;
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own depthMultiplier filters.
 * kernel (kh, kw, C, M) (Keras 3 names it 'kernel'), bias (C*M); output channel c*M + m.
 * @example tt.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' })
 */
export class DepthwiseConv2D extends Layer {
  static readonly className = 'DepthwiseConv2D';
  readonly kernelSize: Shape2;
  readonly depthMultiplier: number;
  readonly strides: Shape2;
  readonly padding: Padding;
  readonly dilationRate: Shape2;
  readonly activation: string;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, ['kernelSize', 'depthMultiplier', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation',
      'useBias', 'depthwiseInitializer', 'biasInitializer']);
    if (args.kernelSize == null) throw new ValueError('depthwiseConv2d: kernelSize is required');
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`depthwiseConv2d: only dataFormat 'channelsLast' is supported`);
    this.kernelSize = pair(args.kernelSize, 1, 'kernelSize');
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.strides = pair(args.strides, 1, 'strides');
    this.padding = checkPadding(args.padding);
    this.dilationRate = pair(args.dilationRate, 1, 'dilationRate');
    checkConvGeometry('depthwiseConv2d', this.kernelSize, this.strides, this.dilationRate, this.depthMultiplier);
    this.activation = normalizeActivationName(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.initName(args.name);
  }

  override build(inputShape: SymbolicShape): void {
    const c = channelsOf(this, inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c, this.depthMultiplier], this.depthwiseInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [c * this.depthMultiplier], this.biasInitializer);
    this.built = true;
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const c = channelsOf(this, x.shape);
    if (c !== this.kernel!.shape[2]) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects ${this.kernel!.shape[2]} input channels, got shape ${shapeToString(x.shape)}`);
    }
    const y = convOp(x, this.kernel!, this.bias, this.strides, this.padding, this.dilationRate, true);
    return getActivation(this.activation)(y);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const c = channelsOf(this, s);
    return [
      s[0],
      spatialOut(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      spatialOut(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
      c * this.depthMultiplier,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), kernelSize: this.kernelSize.slice(), depthMultiplier: this.depthMultiplier,
      strides: this.strides.slice(), padding: this.padding, dataFormat: 'channelsLast', dilationRate: this.dilationRate.slice(),
      activation: this.activation, useBias: this.useBias, depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

export const depthwiseConv2dLayer = defineLayer({
  cls: DepthwiseConv2D,
  factories: { depthwiseConv2d: (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args) },
  layout: [['depth_multiplier', 1], ['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['activation', 'linear'], ['use_bias', true], ['depthwise_initializer'], ['bias_initializer'],
    ['depthwise_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null], ['depthwise_constraint', null],
    ['bias_constraint', null]],
  // tf.keras 2: Conv2D's config without filters and kernel_*, then the depthwise keys appended
  keras2Layout: [['kernel_size'], ['strides', [1, 1]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ['dilation_rate', [1, 1]], ['groups', 1], ['activation', 'linear'], ['use_bias', true], ['bias_initializer'],
    ['bias_regularizer', null], ['activity_regularizer', null], ['bias_constraint', null], ['depth_multiplier', 1],
    ['depthwise_initializer'], ['depthwise_regularizer', null], ['depthwise_constraint', null]],
});
