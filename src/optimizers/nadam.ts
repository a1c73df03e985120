import { Optimizer, type OptimizerArgs } from './optimizer';

// Keras 3's Nadam (keras/src/optimizers/nadam.py): Adam with Nesterov momentum and Dozat's
// momentum schedule μ(i) = β1·(1 − 0.5·0.96^i).

export interface NadamArgs extends OptimizerArgs { beta1?: number; beta2?: number; epsilon?: number }

export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** P_t = μ(1)·…·μ(t) for the step `productStep` (Keras keeps it in a variable, _u_product). */
  private product = 1;
  private productStep = 0;
  constructor(args: NadamArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon'], 'nadam');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  private mu(i: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, i));
  }
  /**
   * P_t, shared by all variables of a step. It depends only on the step number, so it is derived
   * from `iterations` (extended step by step, recomputed when the step goes back, as after setState)
   * rather than stored as state.
   */
  private uProduct(t: number): number {
    if (t < this.productStep) {
      this.product = 1;
      this.productStep = 0;
    }
    while (this.productStep < t) this.product *= this.mu(++this.productStep);
    return this.product;
  }
  protected slotNames() {
    return ['momentum', 'velocity'];
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>, t: number): void {
    // m̂ = μ(t+1)·m / (1 − P_t·μ(t+1)) + (1 − μ(t))·g / (1 − P_t); v̂ = v / (1 − β2^t);
    // w −= lr·m̂ / (√v̂ + ε)
    const b1 = this.beta1;
    const b2 = this.beta2;
    const uT = this.mu(t);
    const uNext = this.mu(t + 1);
    const pT = this.uProduct(t);
    const pNext = pT * uNext;
    const vCorrection = 1 - Math.pow(b2, t);
    const m = s.momentum;
    const v = s.velocity;
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      const mHat = (uNext * m[i]) / (1 - pNext) + ((1 - uT) * g[i]) / (1 - pT);
      const vHat = v[i] / vCorrection;
      w[i] -= (mHat * this.learningRate) / (Math.sqrt(vHat) + this.epsilon);
    }
  }
  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
