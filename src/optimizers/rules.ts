import { Optimizer, type OptimizerArgs } from './optimizer';
import { backend } from '../backend/registry';

// Keras 3's update rules (keras/src/optimizers/*.py). They differ from PyTorch's where noted.

export interface SGDArgs extends OptimizerArgs { momentum?: number; nesterov?: boolean }

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: SGDArgs = {}) {
    super(args, 0.01, ['momentum', 'nesterov'], 'SGD');
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
  }
  protected slotNames() {
    return this.momentum > 0 ? ['momentum'] : [];
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>): void {
    const lr = this.learningRate;
    if (this.momentum === 0) {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      return;
    }
    // v ← μv − lr·g; w ← w + v (nesterov: w ← w + μv − lr·g)
    const m = this.momentum;
    const v = s.momentum;
    for (let i = 0; i < w.length; i++) {
      v[i] = m * v[i] - lr * g[i];
      w[i] += this.nesterov ? m * v[i] - lr * g[i] : v[i];
    }
  }
  override getConfig() {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

export interface AdamArgs extends OptimizerArgs { beta1?: number; beta2?: number; epsilon?: number; amsgrad?: boolean }

export class Adam extends Optimizer {
  readonly className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  constructor(args: AdamArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon', 'amsgrad'], 'adam');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }
  protected slotNames() {
    return this.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>, t: number): void {
    // epsilon outside the square root and bias correction folded into the step size (Keras)
    const b1 = this.beta1;
    const b2 = this.beta2;
    const alpha = (this.learningRate * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
    backend().optimizerStep({
      rule: 'adam', w, g, momentum: s.momentum, velocity: s.velocity, velocityHat: s.velocity_hat ?? null,
      alpha, beta1: b1, beta2: b2, epsilon: this.epsilon,
    });
  }
  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

export interface AdagradArgs extends OptimizerArgs { initialAccumulatorValue?: number; epsilon?: number }

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, ['initialAccumulatorValue', 'epsilon'], 'adagrad');
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected slotNames() {
    return ['accumulator'];
  }
  protected override slotInit() {
    return this.initialAccumulatorValue;
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>): void {
    const acc = s.accumulator;
    for (let i = 0; i < w.length; i++) {
      acc[i] += g[i] * g[i];
      w[i] -= (this.learningRate * g[i]) / Math.sqrt(acc[i] + this.epsilon);
    }
  }
  override getConfig() {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

export interface RMSpropArgs extends OptimizerArgs { rho?: number; momentum?: number; epsilon?: number; centered?: boolean }

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001, ['rho', 'momentum', 'epsilon', 'centered'], 'rmsprop');
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }
  protected slotNames() {
    const names = ['velocity'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('average_gradient');
    return names;
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>): void {
    // epsilon inside the square root (Keras), unlike PyTorch
    const rho = this.rho;
    const v = s.velocity;
    const mom = s.momentum;
    const avg = s.average_gradient;
    for (let i = 0; i < w.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      let denom = v[i];
      if (avg) {
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        denom = v[i] - avg[i] * avg[i];
      }
      const inc = (this.learningRate * g[i]) / Math.sqrt(denom + this.epsilon);
      if (mom) {
        mom[i] = this.momentum * mom[i] + inc;
        w[i] -= mom[i];
      } else {
        w[i] -= inc;
      }
    }
  }
  override getConfig() {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export interface AdadeltaArgs extends OptimizerArgs { rho?: number; epsilon?: number }

export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001, ['rho', 'epsilon'], 'adadelta');
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected slotNames() {
    return ['accumulated_grad', 'accumulated_delta_var'];
  }
  protected update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>): void {
    // Keras scales the Adadelta step by learning_rate (default 0.001; the seed uses 1.0)
    backend().optimizerStep({
      rule: 'adadelta', w, g, accumulatedGrad: s.accumulated_grad, accumulatedDeltaVar: s.accumulated_delta_var,
      learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon,
    });
  }
  override getConfig() {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
