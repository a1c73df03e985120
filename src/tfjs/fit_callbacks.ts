import { Callback, type CallbackLike, type CallbackModel, type Logs, type TrainingParams } from '../callbacks/callback';
import { ValueError } from '../util/errors';

// tfjs's fit callbacks over tatami's loop: one tatami Callback that renames the logs to tfjs's
// keys ('accuracy' -> 'acc'), gives batch logs as tfjs does ({batch, size, loss, acc} of that
// batch alone, where tatami passes running means), yields as yieldEvery says, and forwards each
// hook to the user's callbacks with the tfjs model as their model.

export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;
export type TfjsCallbacks = CallbackLike | CallbackLike[] | undefined;

export const nextFrame = () => new Promise<void>((resolve) => setImmediate(resolve));

export function callbackList(callbacks: TfjsCallbacks): CallbackLike[] {
  if (callbacks == null) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  list.forEach((c, i) => {
    if (c == null || typeof c !== 'object') throw new ValueError(`fit: callbacks[${i}] must be a callback or an object of hooks, got ${c}`);
  });
  return list;
}

/** Renames log keys from tatami's to tfjs's; keys without an entry stay. */
export function renameLogs(logs: Logs, keys: Map<string, string>): Logs {
  const out: Logs = {};
  for (const [k, v] of Object.entries(logs)) {
    const val = k.startsWith('val_');
    const base = val ? k.slice(4) : k;
    out[(val ? 'val_' : '') + (keys.get(base) ?? base)] = v;
  }
  return out;
}

/** tfjs's order of epoch logs: val_loss and the validation metrics, then loss and the metrics. */
export function tfjsOrder(logs: Logs, metricKeys: string[]): Logs {
  const out: Logs = {};
  for (const k of ['val_loss', ...metricKeys.map((m) => `val_${m}`), 'loss', ...metricKeys]) if (k in logs) out[k] = logs[k];
  for (const [k, v] of Object.entries(logs)) if (!(k in out)) out[k] = v;
  return out;
}

export class TfjsCallbackAdapter extends Callback {
  private epoch = 0;
  private seen = 0;
  private sums: Logs = {};
  private lastYield = Date.now();

  constructor(private readonly users: CallbackLike[], private readonly keys: Map<string, string>, private readonly metricKeys: string[],
    private readonly tfModel: CallbackModel, private readonly yieldEvery: YieldEvery, private readonly batchSize: number | (() => number)) {
    super();
  }

  override setModel(): void {
    for (const c of this.users) {
      if (typeof c.setModel === 'function') c.setModel(this.tfModel);
      else (c as { model?: CallbackModel }).model = this.tfModel;
    }
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    const p = { ...params, doValidation: false, metrics: ['loss', ...this.metricKeys] };
    for (const c of this.users) {
      if (typeof c.setParams === 'function') c.setParams(p);
      else (c as { params?: TrainingParams }).params = p;
    }
  }

  private async call(hook: string, ...args: unknown[]): Promise<void> {
    for (const c of this.users) {
      const f = (c as Record<string, unknown>)[hook];
      if (typeof f === 'function') await (f as (...a: unknown[]) => unknown).apply(c, args);
    }
  }

  private async maybeYield(batch: number, logs: Logs, at: 'batch' | 'epoch'): Promise<void> {
    const y = this.yieldEvery;
    const due = y === 'never' ? false : typeof y === 'number' ? Date.now() - this.lastYield >= y : y === 'auto' || y === at;
    if (!due) return;
    await nextFrame();
    this.lastYield = Date.now();
    await this.call('onYield', this.epoch, batch, logs);
  }

  override async onTrainBegin(): Promise<void> {
    await this.call('onTrainBegin', {});
  }

  override async onTrainEnd(): Promise<void> {
    // tfjs gives onTrainEnd no logs
    await this.call('onTrainEnd', {});
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.seen = 0;
    this.sums = {};
    await this.call('onEpochBegin', epoch, {});
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    await this.call('onEpochEnd', epoch, tfjsOrder(renameLogs(logs, this.keys), this.metricKeys));
    await this.maybeYield(-1, logs, 'epoch');
  }

  override async onBatchBegin(batch: number): Promise<void> {
    // a dataset's batch is read after this hook: its size is the last one seen
    const size = typeof this.batchSize === 'function' ? this.batchSize() : Math.min(this.batchSize, (this.params?.samples ?? Infinity) - this.seen);
    await this.call('onBatchBegin', batch, { batch, size });
  }

  override async onBatchEnd(batch: number, running: Logs = {}): Promise<void> {
    // tatami gives means over the epoch so far; tfjs gives this batch's own values
    const size = typeof this.batchSize === 'function' ? this.batchSize() : Math.min(this.batchSize, (this.params?.samples ?? Infinity) - this.seen);
    const total = this.seen + size;
    const logs: Logs = { batch, size };
    for (const [k, mean] of Object.entries(renameLogs(running, this.keys))) {
      const sum = mean * total;
      logs[k] = (sum - (this.sums[k] ?? 0)) / size;
      this.sums[k] = sum;
    }
    this.seen = total;
    const ordered = { batch, size, ...tfjsOrder(logs, this.metricKeys) };
    await this.call('onBatchEnd', batch, ordered);
    await this.maybeYield(batch, ordered, 'batch');
  }
}
