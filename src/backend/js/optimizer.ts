// Reference optimizer updates: the loops that define Backend.optimizerStep. Values are read from
// float32 arrays into float64 numbers and rounded to float32 at each store; the wasm kernels
// (wasm/assembly/optim.ts) repeat the same operations in the same order, so both are bit-identical.
import type { AdadeltaStep, AdamStep, OptimizerStep } from '../backend';

export function optimizerStep(step: OptimizerStep): void {
  switch (step.rule) {
    case 'adam': return adam(step);
    case 'adadelta': return adadelta(step);
    default: throw new Error(`optimizerStep: unknown rule '${(step as { rule: string }).rule}'`);
  }
}

function adam({ w, g, momentum: m, velocity: v, velocityHat: vh, alpha, beta1: b1, beta2: b2, epsilon }: AdamStep): void {
  for (let i = 0; i < w.length; i++) {
    m[i] += (g[i] - m[i]) * (1 - b1);
    v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
    let denom = v[i];
    if (vh) {
      vh[i] = Math.max(vh[i], v[i]);
      denom = vh[i];
    }
    w[i] -= (m[i] * alpha) / (Math.sqrt(denom) + epsilon);
  }
}

function adadelta({ w, g, accumulatedGrad: ag, accumulatedDeltaVar: ad, learningRate, rho, epsilon: eps }: AdadeltaStep): void {
  for (let i = 0; i < w.length; i++) {
    ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
    const delta = (-Math.sqrt(ad[i] + eps) / Math.sqrt(ag[i] + eps)) * g[i];
    ad[i] = rho * ad[i] + (1 - rho) * delta * delta;
    w[i] += learningRate * delta;
  }
}
