import type { Tensor, Variable } from '../tensor/tensor';
import { dense as denseOp } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { shapeToString } from '../util/shape';
import { defineLayer } from './registry';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  inputDim?: number;
}

/**
 * y = activation(x · kernel + bias), applied to the last axis.
 * kernel (in, units), bias (units), as Keras stores them.
 * @example tt.layers.dense({ units: 128, activation: 'relu' })
 */
export class Dense extends Layer {
  static readonly className = 'Dense';
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args.inputDim && !args.inputShape ? { ...args, inputShape: [args.inputDim] } : args,
      ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'inputDim']);
    if (!Number.isInteger(args.units) || args.units <= 0) throw new ValueError(`dense: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.activation = normalizeActivationName(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.initName(args.name);
  }

  override build(inputShape: SymbolicShape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim == null) throw new ShapeError(`dense layer '${this.name}': the last input dimension must be known, got ${shapeToString(inputShape)}`);
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
    this.built = true;
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const inDim = this.kernel!.shape[0];
    if (x.shape[x.rank - 1] !== inDim) {
      throw new ShapeError(`dense layer '${this.name}' expects inputs with last dimension ${inDim}, got shape ${shapeToString(x.shape)}`);
    }
    const relu = this.activation === 'relu';
    const y = denseOp(x, this.kernel!, this.bias, relu);
    return relu ? y : getActivation(this.activation)(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), units: this.units, activation: this.activation, useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}

export const denseLayer = defineLayer({
  cls: Dense,
  factories: { dense: (args: DenseArgs) => new Dense(args) },
  layout: [['units'], ['activation', 'linear'], ['use_bias', true], ['kernel_initializer'], ['bias_initializer'],
    ['kernel_regularizer', null], ['bias_regularizer', null], ['kernel_constraint', null], ['bias_constraint', null]],
  keras2Layout: [['units'], ['activation', 'linear'], ['use_bias', true], ['kernel_initializer'], ['bias_initializer'],
    ['kernel_regularizer', null], ['bias_regularizer', null], ['activity_regularizer', null], ['kernel_constraint', null],
    ['bias_constraint', null]],
});
