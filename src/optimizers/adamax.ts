import { Optimizer, type OptimizerArgs } from './optimizer';

// Keras 3's Adamax (keras/src/optimizers/adamax.py): Adam with the infinity norm in place of the
// second moment; only the first moment is bias-corrected.

export interface AdamaxArgs extends OptimizerArgs { beta1?: number; beta2?: number; epsilon?: number }

export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon'], 'adamax');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected slotNames() {
    return ['momentum', 'norm'];
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>, t: number): void {
    // m += (g − m)(1 − β1); u = max(β2·u, |g|); w −= lr·m / ((1 − β1^t)(u + ε))
    const b1 = this.beta1;
    const b2 = this.beta2;
    const correction = 1 - Math.pow(b1, t);
    const m = s.momentum;
    const u = s.norm;
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      w[i] -= (this.learningRate * m[i]) / (correction * (u[i] + this.epsilon));
    }
  }
  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
