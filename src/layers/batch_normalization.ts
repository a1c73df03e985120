import type { Tensor, Variable } from '../tensor/tensor';
import { fusedBatchNorm, fusedBatchNormTraining } from '../ops/index';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index';
import { ShapeError, ValueError } from '../util/errors';
import { normAxis, shapeToString } from '../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis, normalized separately (-1: channels-last). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  /** Learn an offset beta (else 0). */
  center?: boolean;
  /** Learn a scale gamma (else 1). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

const BN_KEYS = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer',
  'movingMeanInitializer', 'movingVarianceInitializer'];

/**
 * Batch normalization (Keras 3). Training (with a trainable layer) normalizes with the batch's
 * mean and biased variance over every axis but `axis`, and moves the moving statistics
 * (`moving = moving*momentum + batch*(1-momentum)`) in place; inference, or a frozen layer
 * (`trainable = false`, as in Keras fine-tuning), uses the moving statistics.
 * Weights, in Keras's order: gamma, beta, moving_mean, moving_variance (each (C)).
 * @example tt.layers.batchNormalization()
 */
export class BatchNormalization extends Layer {
  static readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  private rank = 0;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, BN_KEYS);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`batchNormalization: axis must be an integer, got ${args.axis}`);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ValueError(`batchNormalization: momentum must be in [0, 1], got ${args.momentum}`);
    if (!(this.epsilon > 0)) throw new ValueError(`batchNormalization: epsilon must be positive, got ${args.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.initName(args.name);
  }

  private channels(shape: SymbolicShape): number {
    if (this.axis >= shape.length || this.axis < -shape.length) {
      throw new ShapeError(`batchNormalization layer '${this.name}': axis ${this.axis} is out of range for inputs of shape ${shapeToString(shape)}`);
    }
    const c = shape[normAxis(this.axis, shape.length)];
    if (c == null) throw new ShapeError(`batchNormalization layer '${this.name}': axis ${this.axis} of the input must be known, got ${shapeToString(shape)}`);
    return c;
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.channels(inputShape);
    this.rank = inputShape.length;
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.gammaInitializer);
    if (this.center) this.beta = this.addWeight('beta', [c], this.betaInitializer);
    this.movingMean = this.addWeight('moving_mean', [c], this.movingMeanInitializer, false);
    this.movingVariance = this.addWeight('moving_variance', [c], this.movingVarianceInitializer, false);
    this.built = true;
  }

  call(input: Tensor | Tensor[], training: boolean): Tensor {
    const x = input as Tensor;
    const c = this.movingMean!.shape[0];
    if (x.rank !== this.rank || this.channels(x.shape) !== c) {
      throw new ShapeError(`batchNormalization layer '${this.name}' was built for rank-${this.rank} inputs with ${c} channels on axis ${this.axis}, got ${shapeToString(x.shape)}`);
    }
    if (!(training && this.trainable)) {
      return fusedBatchNorm(x, this.movingMean!, this.movingVariance!, this.beta, this.gamma, this.epsilon, this.axis);
    }
    const { y, mean, variance } = fusedBatchNormTraining(x, this.beta, this.gamma, this.epsilon, this.axis);
    // the moving statistics are state, not part of the graph: updated in place
    const m = this.momentum;
    const mm = this.movingMean!.f32;
    const mv = this.movingVariance!.f32;
    for (let k = 0; k < c; k++) {
      mm[k] = mm[k] * m + mean.f32[k] * (1 - m);
      mv[k] = mv[k] * m + variance.f32[k] * (1 - m);
    }
    mean.dispose();
    variance.dispose();
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center,
      scale: this.scale, betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
    };
  }
}

export const batchNormalizationLayer = defineLayer({
  cls: BatchNormalization,
  factories: { batchNormalization: (args: BatchNormalizationArgs = {}) => new BatchNormalization(args) },
  layout: [['axis', -1], ['momentum', 0.99], ['epsilon', 0.001], ['center', true], ['scale', true],
    ['beta_initializer'], ['gamma_initializer'], ['moving_mean_initializer'], ['moving_variance_initializer'],
    ['beta_regularizer', null], ['gamma_regularizer', null], ['beta_constraint', null], ['gamma_constraint', null],
    ['synchronized', false]],
  // tf.keras 2 (without synchronized, which it writes only when true)
  keras2Layout: [['axis', -1], ['momentum', 0.99], ['epsilon', 0.001], ['center', true], ['scale', true],
    ['beta_initializer'], ['gamma_initializer'], ['moving_mean_initializer'], ['moving_variance_initializer'],
    ['beta_regularizer', null], ['gamma_regularizer', null], ['beta_constraint', null], ['gamma_constraint', null]],
});
