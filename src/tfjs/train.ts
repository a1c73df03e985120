import type { Tensor, Variable } from '../tensor/tensor';
import { Optimizer } from '../optimizers/optimizer';
import { Adadelta, Adagrad, Adam, RMSprop, SGD } from '../optimizers/rules';
import { Adamax } from '../optimizers/adamax';
import { backend } from '../backend/registry';
import { noGrad } from '../autograd/tape';
import { scope } from '../tensor/engine';
import { ValueError } from '../util/errors';
import { registeredVariable, trainableVariables, variableGrads } from './engine';

// tf.train: tfjs's optimizer factories with tfjs's positional arguments and defaults, over
// tatami's optimizers (their update rules match tfjs's except Adam's epsilon, handled below), and
// tfjs's Optimizer methods minimize / computeGradients / applyGradients by variable name.

type NamedGrads = Record<string, Tensor> | { name: string; tensor: Tensor }[];

function namedPairs(g: NamedGrads): [Variable, Tensor][] {
  const entries: [string, Tensor][] = Array.isArray(g) ? g.map((x) => [x.name, x.tensor]) : Object.entries(g);
  return entries.map(([name, t]) => {
    const v = registeredVariable(name);
    if (!v) throw new ValueError(`applyGradients: no variable named '${name}' (make variables with tf.variable)`);
    return [v, t];
  });
}

/** The methods tfjs's Optimizer has beside tatami's applyGradients(grads, vars). */
export interface TfjsOptimizer extends Optimizer {
  minimize(f: () => Tensor, returnCost?: boolean, varList?: Variable[]): Tensor | null;
  computeGradients(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> };
  applyGradients(grads: NamedGrads | (Tensor | null)[], vars?: Variable[]): void;
  dispose(): void;
}

function tfjsStyle<T extends Optimizer>(opt: T): T & TfjsOptimizer {
  const o = opt as T & TfjsOptimizer;
  const base = opt.applyGradients.bind(opt);
  o.applyGradients = (grads: NamedGrads | (Tensor | null)[], vars?: Variable[]) => {
    if (vars) return base(grads as (Tensor | null)[], vars);
    const pairs = namedPairs(grads as NamedGrads);
    noGrad(() => base(pairs.map((p) => p[1]), pairs.map((p) => p[0])));
  };
  o.computeGradients = (f, varList) => variableGrads(f, varList);
  o.minimize = (f, returnCost = false, varList) => {
    const cost = scope(() => {
      const { value, grads } = variableGrads(f, varList ?? trainableVariables());
      o.applyGradients(grads);
      return value;
    });
    if (returnCost) return cost;
    cost.dispose();
    return null;
  };
  o.dispose = () => {};
  return o;
}

/**
 * tfjs's Adam: m̂ / (√v̂ + ε) with both moments bias-corrected. Keras's form folds the correction
 * into the step size, which is the same rule with ε scaled by √(1 − β2^t).
 */
class TfjsAdam extends Adam {
  protected override update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>, t: number): void {
    const c2 = Math.sqrt(1 - Math.pow(this.beta2, t));
    backend().optimizerStep({
      rule: 'adam', w, g, momentum: s.momentum, velocity: s.velocity, velocityHat: null,
      alpha: (this.learningRate * c2) / (1 - Math.pow(this.beta1, t)), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon * c2,
    });
  }
}

/** tfjs's Adamax: the learning rate decays as lr / (1 + decay·(t − 1)). */
class TfjsAdamax extends Adamax {
  constructor(args: ConstructorParameters<typeof Adamax>[0], readonly decay: number) {
    super(args);
  }
  protected override update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>, t: number): void {
    const lr = this.learningRate;
    this.learningRate = lr / (1 + this.decay * (t - 1));
    try {
      super.update(w, g, s, t);
    } finally {
      this.learningRate = lr;
    }
  }
}

/**
 * tfjs's Adadelta divides by the accumulated squared gradient of the previous step (before this
 * gradient is added), unlike Keras; tf.train.adadelta follows tfjs so that tfjs programs keep
 * their trajectories (its first step is the raw gradient times the learning rate).
 */
class TfjsAdadelta extends Adadelta {
  protected override update(w: Float32Array, g: Float32Array, s: Record<string, Float32Array>): void {
    const { rho, epsilon: eps, learningRate: lr } = this;
    const c = 1 - rho;
    const accG = s.accumulated_grad;
    const accU = s.accumulated_delta_var;
    // one square root per element (in double precision, then stored as float32)
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const ag = accG[i];
      const au = accU[i];
      const u = Math.sqrt((au + eps) / (ag + eps)) * gi;
      accG[i] = ag * rho + gi * gi * c;
      accU[i] = au * rho + u * u * c;
      w[i] -= lr * u;
    }
  }
}

const EPSILON = 1e-7; // tfjs's backend epsilon for float32

function needLr(name: string, lr: unknown): number {
  if (typeof lr !== 'number') throw new ValueError(`tf.train.${name}: learningRate must be a number, got ${lr}`);
  return lr;
}

export const train = {
  sgd: (learningRate: number) => tfjsStyle(new SGD({ learningRate: needLr('sgd', learningRate) })),
  momentum: (learningRate: number, momentum: number, useNesterov = false) =>
    tfjsStyle(new SGD({ learningRate: needLr('momentum', learningRate), momentum, nesterov: useNesterov })),
  rmsprop: (learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) =>
    tfjsStyle(new RMSprop({ learningRate: needLr('rmsprop', learningRate), rho: decay, momentum, epsilon: epsilon ?? EPSILON, centered })),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) =>
    tfjsStyle(new TfjsAdam({ learningRate, beta1, beta2, epsilon: epsilon ?? EPSILON })),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon: number | null = null) =>
    tfjsStyle(new TfjsAdadelta({ learningRate, rho, epsilon: epsilon ?? EPSILON })),
  adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0) =>
    tfjsStyle(new TfjsAdamax({ learningRate, beta1, beta2, epsilon: epsilon ?? EPSILON }, decay)),
  adagrad: (learningRate: number, initialAccumulatorValue = 0.1) =>
    tfjsStyle(new Adagrad({ learningRate: needLr('adagrad', learningRate), initialAccumulatorValue, epsilon: EPSILON })),
};

/** tfjs-layers' getOptimizer: the names compile accepts, with the settings tfjs gives them. */
const BY_NAME: Record<string, () => Optimizer> = {
  Adagrad: () => train.adagrad(0.01),
  Adadelta: () => train.adadelta(1, 0.95, EPSILON),
  Adam: () => train.adam(0.001, 0.9, 0.999, EPSILON),
  Adamax: () => train.adamax(0.002, 0.9, 0.999, EPSILON, 0),
  RMSProp: () => train.rmsprop(0.001, 0.9, 0, EPSILON),
  SGD: () => train.sgd(0.01),
};
for (const k of Object.keys(BY_NAME)) BY_NAME[k.toLowerCase()] = BY_NAME[k];

export function tfjsOptimizer(id: Optimizer | string): Optimizer {
  if (id instanceof Optimizer) return id;
  const make = BY_NAME[id];
  if (!make) throw new ValueError(`Unknown Optimizer ${id} (tatami/tfjs knows ${Object.keys(BY_NAME).join(', ')})`);
  return make();
}
