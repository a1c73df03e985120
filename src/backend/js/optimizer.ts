// Reference optimizer updates: the loops that define Backend.optimizerStep. The arithmetic is
// float32, as Keras and PyTorch do it on float32 variables: each operation is a float64 operation
// on float32 values rounded with Math.fround, which for +, -, *, / and sqrt gives exactly the
// IEEE single-precision result; Adam's moments alone are float64 expressions rounded once (see
// wasm/assembly/optim.ts adam). The wasm kernels do the same operations in the same order, so
// both are bit-identical.
import type { AdadeltaStep, AdamStep, OptimizerStep } from '../backend';

const f = Math.fround;

export function optimizerStep(step: OptimizerStep): void {
  switch (step.rule) {
    case 'adam': return adam(step);
    case 'adadelta': return adadelta(step);
    default: throw new Error(`optimizerStep: unknown rule '${(step as { rule: string }).rule}'`);
  }
}

function adam({ w, g, momentum: m, velocity: v, velocityHat: vh, alpha, beta1, beta2, epsilon }: AdamStep): void {
  const a = f(alpha), e = f(epsilon);
  const o1 = 1 - beta1, o2 = 1 - beta2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = f(m[i] + (gi - m[i]) * o1);
    m[i] = mi;
    let den = f(v[i] + (gi * gi - v[i]) * o2);
    v[i] = den;
    if (vh) {
      den = Math.max(vh[i], den);
      vh[i] = den;
    }
    w[i] = w[i] - f(f(mi * a) / f(f(Math.sqrt(den)) + e));
  }
}

function adadelta({ w, g, accumulatedGrad: ag, accumulatedDeltaVar: ad, learningRate, rho, epsilon }: AdadeltaStep): void {
  const lr = f(learningRate), r = f(rho), eps = f(epsilon);
  const o = f(1 - r);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const a = f(f(r * ag[i]) + f(f(o * gi) * gi));
    ag[i] = a;
    const d0 = ad[i];
    const delta = f(f(-f(Math.sqrt(f(d0 + eps))) / f(Math.sqrt(f(a + eps)))) * gi);
    ad[i] = f(f(r * d0) + f(f(o * delta) * delta));
    w[i] = w[i] + f(lr * delta);
  }
}
