import type { Tensor } from '../tensor/tensor';
import { warnOnce } from '../callbacks/monitor';

/**
 * fit's note on a NaN or infinite batch loss, once per run. Keras trains on regardless (the
 * progress bar shows `loss: nan`) and only TerminateOnNaN stops; tatami does the same, but says
 * where it began and whether the batch's own data explains it. The batch is scanned only then,
 * so finite training pays one Number.isFinite per batch.
 */
export class NonFiniteLoss {
  private reported = false;

  constructor(private readonly epochs: number) {}

  check(epoch: number, batch: number, lossSum: number, x: Tensor, y: Tensor): void {
    if (this.reported || Number.isFinite(lossSum)) return;
    this.reported = true;
    const value = Number.isNaN(lossSum) ? 'NaN' : lossSum > 0 ? 'Infinity' : '-Infinity';
    const found = [describe('inputs', x), describe('targets', y)].filter((s) => s !== null);
    const cause = found.length > 0 ? found.join('; ')
      : 'its inputs and targets are finite, so the weights or activations overflowed (a learning rate too high?)';
    warnOnce(`fit: the loss is ${value} at batch ${batch} (counted from 0, as callbacks see it) of epoch ${epoch + 1}/${this.epochs}: `
      + `${cause}. Training goes on, as in Keras; tt.callbacks.terminateOnNaN() stops at the first such batch.`);
  }
}

/** "its inputs hold 3 NaN and 1 infinite values (the first in sample 2 of the batch)", or null when all are finite. */
function describe(what: string, t: Tensor): string | null {
  if (t.dtype !== 'float32' || t.isDisposed) return null;
  const v = t.values;
  let nan = 0;
  let inf = 0;
  let first = -1;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (e - e === 0) continue;
    if (Number.isNaN(e)) nan++;
    else inf++;
    if (first < 0) first = i;
  }
  if (first < 0) return null;
  const per = t.shape.length > 0 && t.shape[0] > 0 ? v.length / t.shape[0] : v.length;
  const counts = [nan > 0 ? `${nan} NaN` : '', inf > 0 ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
  return `its ${what} hold ${counts} value${nan + inf > 1 ? 's' : ''} (the first in sample ${Math.floor(first / per)} of the batch)`;
}
