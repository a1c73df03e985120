import { Callback, type Logs } from '../callbacks/callback';

/** What fit returns: `history.history.loss`, `history.history.val_accuracy`, `history.epoch`. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  /** True when Ctrl-C (SIGINT) stopped fit after a batch; onTrainEnd still ran. */
  interrupted = false;

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      (this.history[k] ??= []).push(v);
    }
  }

  toJSON(): { epoch: number[]; history: Record<string, number[]>; params: unknown } {
    return { epoch: this.epoch, history: this.history, params: this.params };
  }
}
