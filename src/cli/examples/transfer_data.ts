import { Tensor } from '../../tensor/tensor';
import { globalRng } from '../../util/rng';
import { TatamiError } from '../../util/errors';

/** Images (N, ...) with their class indices (N,), int32 from 0 (the sparse labels the examples train on). */
export interface LabelledImages {
  x: Tensor;
  y: Tensor;
}

/** Copies the rows `rows` of (N, ...) images. */
function rowsOf(x: Tensor, rows: ArrayLike<number>): Tensor {
  const per = x.size / x.shape[0];
  const out = new Float32Array(rows.length * per);
  const src = x.values as Float32Array;
  for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i] * per, (rows[i] + 1) * per), i * per);
  return Tensor.fromArray(out, [rows.length, ...x.shape.slice(1)]);
}

/** The rows whose label lies in [first, first + count), in order. */
function rowsInClasses(labels: ArrayLike<number>, first: number, count: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= first && labels[i] < first + count) rows.push(i);
  return rows;
}

/** Images and labels of the rows given, labels renumbered from `first` to 0. */
function take(x: Tensor, labels: ArrayLike<number>, rows: ArrayLike<number>, first: number): LabelledImages {
  const y = Int32Array.from(Array.from(rows, (r) => labels[r] - first));
  return { x: rowsOf(x, rows), y: Tensor.fromArray(y, [y.length], 'int32') };
}

/** Every image of classes first .. first+count-1, labels renumbered 0 .. count-1. */
export function classSubset(x: Tensor, labels: ArrayLike<number>, first: number, count: number): LabelledImages {
  return take(x, labels, rowsInClasses(labels, first, count), first);
}

/**
 * `n` labelled images of classes first .. first+count-1 chosen with tatami's seeded generator,
 * about n / count of each class (balanced, as far as each class has images), then shuffled together
 * so that Keras's validationSplit (the last images) holds every class.
 */
export function labelledSample(x: Tensor, labels: ArrayLike<number>, first: number, count: number, n: number): LabelledImages {
  const byClass = Array.from({ length: count }, (_, c) => rowsInClasses(labels, first + c, 1));
  const per = Math.ceil(n / count);
  const chosen: number[] = [];
  for (const rows of byClass) {
    const order = Int32Array.from(rows);
    globalRng.shuffle(order);
    chosen.push(...order.subarray(0, per));
  }
  if (chosen.length < n) throw new TatamiError(`only ${chosen.length} training images of classes ${first}-${first + count - 1} to choose ${n} from (${byClass.map((r) => r.length).join(', ')} per class); use a larger --limit`);
  const order = Int32Array.from(chosen);
  globalRng.shuffle(order);
  return take(x, labels, order.subarray(0, n), first);
}
