import { Tensor } from '../tensor/tensor';
import { keep, scope } from '../tensor/engine';
import { noGrad } from '../autograd/tape';
import { resolveCompile } from '../models/compile';
import type { Compiled, TrainableModel } from '../training/types';
import { takeRows } from '../training/batches';
import { Progbar } from '../callbacks/progbar';
import { TatamiError } from '../util/errors';
import { ImageSet } from './image_set';

/** What one pass over a labelled set gives: Keras's evaluate logs, and every prediction. */
export interface SetEvaluation {
  /** Loss and metrics averaged per sample, named as in fit's logs (accuracy, loss). */
  logs: Record<string, number>;
  /** (N, classes) model outputs. */
  probs: Tensor;
  /** The training configuration the loss and metrics came from. */
  compiled: Compiled;
}

/**
 * The compiled loss and metrics of a model, or sparse categorical cross-entropy and accuracy
 * for a model loaded without a training configuration.
 */
export function lossAndMetrics(model: TrainableModel): Compiled {
  return model.compiled ?? resolveCompile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

/** True when the loss wants one-hot labels (N, classes) rather than class indices (N,). */
export function wantsOneHot(c: Compiled): boolean {
  return !/^sparse/.test(c.loss.name);
}

/**
 * model.evaluate and model.predict in one pass (a test set is read once for the loss, the
 * metrics and the confusion matrix). `stream` gets Keras's progress bar; null for none.
 */
export function evaluateSet(model: TrainableModel, x: Tensor | ImageSet, y: Tensor, opts: { batchSize?: number; stream?: NodeJS.WritableStream | null } = {}): SetEvaluation {
  const c = lossAndMetrics(model);
  const n = x.shape[0];
  if (n === 0) throw new TatamiError('no samples to evaluate');
  if (y.shape[0] !== n) throw new TatamiError(`${n} images but ${y.shape[0]} labels`);
  const batchSize = opts.batchSize ?? 128;
  const steps = Math.ceil(n / batchSize);
  const bar = opts.stream ? new Progbar(steps, { stream: opts.stream as NodeJS.WriteStream }) : null;
  let probs: Tensor | null = null;
  let lossSum = 0;
  const metricSums = c.metrics.map(() => 0);
  const logs = (count: number): Record<string, number> => {
    const out: Record<string, number> = {};
    c.metrics.forEach((m, i) => (out[m.name] = metricSums[i] / count));
    out.loss = lossSum / count;
    return out;
  };
  for (let start = 0, step = 0; start < n; start += batchSize, step++) {
    const end = Math.min(start + batchSize, n);
    scope(() => noGrad(() => {
      // an ImageSet scales its pixels a batch at a time
      const xb = x instanceof ImageSet ? x.take(null, start, end) : takeRows(x, null, start, end);
      const yb = takeRows(y, null, start, end);
      const pred = model.forward(xb, false);
      if (!probs) probs = keep(Tensor.empty([n, ...pred.shape.slice(1)], pred.dtype));
      probs.values.set(pred.values, start * (pred.size / (end - start)));
      const l = c.loss.perSample(yb, pred).values;
      for (let i = 0; i < l.length; i++) lossSum += l[i];
      c.metrics.forEach((m, k) => {
        const v = m.perSample(yb, pred);
        for (let i = 0; i < v.length; i++) metricSums[k] += v[i];
      });
    }));
    bar?.update(step + 1, logs(end), step + 1 === steps);
  }
  return { logs: logs(n), probs: probs!, compiled: c };
}

/** Class index of each row of (N, classes) outputs. */
export function argmaxRows(probs: Tensor): Int32Array {
  const [n, k] = probs.shape;
  const v = probs.values;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}
