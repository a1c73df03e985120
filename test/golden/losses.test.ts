import { describe, it } from 'node:test';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { getLoss, losses, type Loss, type LossOptions } from '../../src/losses/index';
import { assertAllClose } from '../helpers/assert';
import { loadFixture, toIntTensor, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for Keras's losses (losses.json): the per-sample losses, the batch mean (Keras's
// default reduction) and d(loss)/d(y_pred), through getLoss('<keras name>') and through the
// tt.losses factories with their options.

interface LossCase {
  name: string;
  loss: string;
  kwargs: { from_logits?: boolean; label_smoothing?: number };
  note: string;
  y_true: FixtureArray; y_pred: FixtureArray;
  per_sample: FixtureArray; value: FixtureArray; dy_pred: FixtureArray;
}

const cases = loadFixture<{ cases: LossCase[] }>('losses').cases;

const camel = (s: string) => s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

function check(c: LossCase, loss: Loss, label: string): void {
  const yTrue: Tensor = c.loss.startsWith('sparse') ? toIntTensor(c.y_true, 'y_true') : toTensor(c.y_true, 'y_true');
  const yPred = toTensor(c.y_pred, 'y_pred');
  yPred.requiresGrad = true;
  assertAllClose(loss.perSample(yTrue, yPred), c.per_sample, `${label} per-sample`);
  const value = loss(yTrue, yPred);
  assertAllClose(value, c.value, `${label} value`);
  const [d] = gradients(value, [yPred]);
  assertAllClose(d, c.dy_pred, `${label} dy_pred`);
}

describe('golden losses', () => {
  for (const c of cases) {
    const opts: LossOptions = {};
    if (c.kwargs.from_logits) opts.fromLogits = true;
    if (c.kwargs.label_smoothing) opts.labelSmoothing = c.kwargs.label_smoothing;
    const kwargs = JSON.stringify(c.kwargs);

    it(`${c.name}: tt.losses.${camel(c.loss)}(${JSON.stringify(opts)})`, () => {
      const factory = (losses as Record<string, (o?: LossOptions) => Loss>)[camel(c.loss)];
      check(c, factory(opts), `${c.name} ${kwargs}`);
    });
    // getLoss takes no options: it stands for the loss with Keras's defaults
    if (!opts.fromLogits && !opts.labelSmoothing) {
      it(`${c.name}: getLoss('${c.loss}')`, () => check(c, getLoss(c.loss), `${c.name} getLoss`));
    }
  }
});
