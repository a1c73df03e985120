import { Callback, type Logs } from '../callbacks/callback';
import { Progbar } from '../callbacks/progbar';

/** Prints `Epoch 1/12` and Keras 3's progress bar during fit (verbose 1 or 2). */
export class ProgbarLogger extends Callback {
  private bar: Progbar | null = null;
  private epochs = 1;
  private steps = 0;
  private seen = 0;

  constructor(private verbose: number, private stream: NodeJS.WritableStream = process.stdout) {
    super();
  }

  override onTrainBegin(): void {
    this.epochs = this.params?.epochs ?? 1;
    this.steps = this.params?.steps ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    if (this.epochs > 1) this.stream.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
    this.bar = null;
    this.seen = 0;
  }

  /** fit's logs are already running means over the epoch, so the bar shows them as given. */
  private barFor(logs: Logs): Progbar {
    this.bar ??= new Progbar(this.steps || null, {
      verbose: this.verbose as 0 | 1 | 2,
      stream: this.stream as NodeJS.WriteStream,
      statefulMetrics: Object.keys(logs).flatMap((k) => [k, 'val_' + k]),
    });
    return this.bar;
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    this.barFor(logs).update(this.seen, logs, false);
  }

  /** An unknown number of steps (a dataset without a length) is learnt from the first epoch, as Keras does. */
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const bar = this.barFor(logs);
    if (!this.steps) {
      this.steps = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.steps, logs, true);
    this.bar = null;
  }
}
