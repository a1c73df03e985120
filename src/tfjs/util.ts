import { ValueError } from '../util/errors';
import { EarlyStopping, type EarlyStoppingArgs } from '../callbacks/early_stopping';
import { TensorBoard } from '../callbacks/tensorboard/tensorboard';
import { Callback, type Logs } from '../callbacks/callback';
import { performance } from 'node:perf_hooks';

// tf.util, tf.callbacks, tf.node and tfjs's CustomCallback.

type Shuffleable = unknown[] | Float32Array | Int32Array | Uint8Array | Uint32Array;

export const util = {
  assert(expr: boolean, msg: () => string): asserts expr {
    if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
  },
  sizeFromShape(shape: number[]): number {
    return shape.reduce((a, b) => a * b, 1);
  },
  /** Fisher–Yates in place, with Math.random as tfjs does. */
  shuffle(array: Shuffleable): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t as never;
    }
  },
  /** Shuffles two arrays of the same length with the same permutation. */
  shuffleCombo(a: Shuffleable, b: Shuffleable): void {
    if (a.length !== b.length) throw new ValueError(`Array sizes must match to be shuffled together First array length was ${a.length}Second array length was ${b.length}`);
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const ta = a[i];
      a[i] = a[j];
      a[j] = ta as never;
      const tb = b[i];
      b[i] = b[j];
      b[j] = tb as never;
    }
  },
  createShuffledIndices(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    util.shuffle(out);
    return out;
  },
  now: () => performance.now(),
  flatten(arr: unknown, out: unknown[] = []): unknown[] {
    if (Array.isArray(arr) || ArrayBuffer.isView(arr)) Array.from(arr as ArrayLike<unknown>).forEach((x) => util.flatten(x, out));
    else out.push(arr);
    return out;
  },
  arraysEqual: (a: ArrayLike<unknown>, b: ArrayLike<unknown>) => a.length === b.length && Array.from(a).every((x, i) => x === b[i]),
  clamp: (min: number, x: number, max: number) => Math.max(min, Math.min(x, max)),
  isTypedArray: (a: unknown) => a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray,
  encodeString: (s: string) => new TextEncoder().encode(s),
  decodeString: (b: Uint8Array) => new TextDecoder().decode(b),
  sum: (arr: ArrayLike<number>) => Array.from(arr).reduce((a, b) => a + b, 0),
};

export const callbacks = {
  /** tf.callbacks.earlyStopping({ monitor = 'val_loss', minDelta, patience, verbose, mode, baseline }). */
  earlyStopping: (args: EarlyStoppingArgs = {}) => new EarlyStopping(args),
};

export const node = {
  /** tf.node.tensorBoard(logdir = './logs', { updateFreq = 'epoch', histogramFreq = 0 }). */
  tensorBoard: (logdir = './logs', args: { updateFreq?: 'batch' | 'epoch'; histogramFreq?: number } = {}) =>
    new TensorBoard({ logDir: logdir, updateFreq: args.updateFreq ?? 'epoch', histogramFreq: args.histogramFreq ?? 0 }),
};

type Hook = (...args: never[]) => unknown;
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => unknown;
  onTrainEnd?: (logs?: Logs) => unknown;
  onEpochBegin?: (epoch: number, logs?: Logs) => unknown;
  onEpochEnd?: (epoch: number, logs?: Logs) => unknown;
  onBatchBegin?: (batch: number, logs?: Logs) => unknown;
  onBatchEnd?: (batch: number, logs?: Logs) => unknown;
  onYield?: (epoch: number, batch: number, logs: Logs) => unknown;
}

/** tfjs's CustomCallback: a callback made of the hooks given. */
export class CustomCallback extends Callback {
  constructor(args: CustomCallbackArgs) {
    super();
    for (const [k, f] of Object.entries(args)) if (typeof f === 'function') (this as unknown as Record<string, Hook>)[k] = f as Hook;
  }
}
