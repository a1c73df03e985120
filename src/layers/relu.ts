import type { Tensor } from '../tensor/tensor';
import { cast, clipByValue, greater, mul, relu, relu6, sub } from '../ops/index';
import { ValueError } from '../util/errors';
import { Layer, type LayerArgs } from './layer';
import { defineLayer } from './registry';

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (null or undefined: none). MobileNetV2 uses 6. */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs above it pass (default 0). */
  threshold?: number;
}

function checkNonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0)) throw new ValueError(`reLU: ${name} must be a number >= 0, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Keras's ReLU layer: x above the threshold passes (clipped at maxValue), below it the output is
 * negativeSlope * (x - threshold). As Keras computes it, x equal to the threshold gives 0.
 * @example tt.layers.reLU({ maxValue: 6 })   // ReLU6, MobileNetV2's activation
 */
export class ReLU extends Layer {
  static readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args, ['maxValue', 'negativeSlope', 'threshold']);
    this.maxValue = args.maxValue == null ? null : checkNonNegative('maxValue', args.maxValue);
    // undefined takes the default; null is refused, as Keras refuses None
    this.negativeSlope = checkNonNegative('negativeSlope', args.negativeSlope === undefined ? 0 : args.negativeSlope);
    this.threshold = checkNonNegative('threshold', args.threshold === undefined ? 0 : args.threshold);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const { maxValue: hi, negativeSlope: slope, threshold: t } = this;
    let pos: Tensor;
    if (t !== 0) pos = mul(x, cast(greater(x, t), 'float32'));
    else if (hi === 6) pos = relu6(x);
    else pos = relu(x);
    if (hi !== null && !(t === 0 && hi === 6)) pos = clipByValue(pos, 0, hi);
    if (slope === 0) return pos;
    // below the threshold: slope * (x - t) = -slope * relu(t - x)
    return sub(pos, mul(relu(sub(t, x)), slope));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

export const reluLayer = defineLayer({
  cls: ReLU,
  factories: { reLU: (args: ReLUArgs = {}) => new ReLU(args) },
  layout: [['max_value', null], ['negative_slope', 0], ['threshold', 0]],
});
