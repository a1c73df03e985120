import { checkOptions } from '../util/errors';
import { LiveFeed } from '../dashboard/live_feed';
import { startDashboard, startupLine, type DashboardServer, type DrawHandler } from '../dashboard/server';
import { Callback, type Logs } from './callback';
import { printMsg } from './monitor';

export interface DashboardArgs {
  /** Port to try first (default 6600; the next free one when busy; 0: any free port). */
  port?: number;
  /** Address to bind; default 127.0.0.1 (this machine only). */
  host?: string;
  /** A folder of run folders to list beside the live run (e.g. 'runs'). */
  runsDir?: string;
  /** Images per batch, for images/s when fit cannot tell (training from a generator). */
  batchSize?: number;
  /** Where the startup line goes; default stdout. */
  log?: (line: string) => void;
  /** Classifies drawings for the draw page (the `tatami` command passes its own). */
  draw?: DrawHandler;
}

const MB = 1024 * 1024;

/**
 * Serves the dashboard while the model trains: the live page (server-sent events) shows the
 * per-batch running loss and metrics, each epoch's training and validation values, the learning
 * rate, step time, images per second and memory; its Stop button ends training after the
 * current batch (model.stopTraining). The server starts at the beginning of fit and closes at its end.
 * @example
 *   await model.fit(x, y, { epochs: 5, callbacks: [tt.callbacks.dashboard({ port: 6600 })] });
 */
export class Dashboard extends Callback {
  readonly feed = new LiveFeed();
  server: DashboardServer | null = null;
  private readonly args: DashboardArgs;
  private batchStart = 0;
  private epochStart = 0;
  private epoch = 0;

  constructor(args: DashboardArgs = {}) {
    super();
    checkOptions('dashboard', args, ['port', 'host', 'runsDir', 'batchSize', 'log', 'draw']);
    this.args = args;
    this.feed.onStop = () => {
      if (this.model) this.model.stopTraining = true;
    };
  }

  /** Whether the page's Stop button ended the last run. */
  get stopRequested(): boolean {
    return this.feed.stopRequested;
  }

  /** Starts the server now (fit starts it otherwise); returns its URL. */
  async start(): Promise<string> {
    if (!this.server) {
      const a = this.args;
      this.server = await startDashboard({ port: a.port, host: a.host, runsDir: a.runsDir ?? null, live: this.feed, draw: a.draw });
      (a.log ?? printMsg)(startupLine(this.server));
    }
    return this.server.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await s.close();
  }

  override async onTrainBegin(): Promise<void> {
    await this.start();
    const p = this.params;
    this.feed.push({
      type: 'start', model: this.model?.name ?? 'model', epochs: p?.epochs ?? 0, steps: p?.steps ?? 0,
      batchSize: p?.batchSize ?? this.args.batchSize ?? null, samples: p?.samples ?? null, time: Date.now(),
    });
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
  }

  override onBatchBegin(): void {
    this.batchStart = performance.now();
  }

  override onBatchEnd(step: number, logs: Logs = {}): void {
    const ms = performance.now() - this.batchStart;
    const p = this.params;
    const batch = p?.batchSize ?? this.args.batchSize;
    // the last batch of an epoch may be short
    const size = batch === undefined ? null : p?.samples ? Math.min(batch, p.samples - step * batch) : batch;
    const mem = process.memoryUsage();
    const steps = p?.steps || 0;
    const epoch = this.epoch;
    this.feed.push({
      type: 'batch', epoch, step, x: steps ? epoch + (step + 1) / steps : epoch + 1,
      logs: { ...logs }, lr: this.model?.optimizer?.learningRate ?? null,
      stepMs: ms, imagesPerSec: size && size > 0 && ms > 0 ? (size * 1000) / ms : null,
      rssMB: mem.rss / MB, heapMB: (mem.heapUsed + mem.arrayBuffers) / MB,
    });
    if (this.feed.stopRequested && this.model) this.model.stopTraining = true;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.feed.push({ type: 'epoch', epoch, logs: { ...logs }, seconds: (performance.now() - this.epochStart) / 1000 });
  }

  override async onTrainEnd(): Promise<void> {
    const reason = this.model?.fitRun?.interrupted ? 'interrupted' : this.feed.stopRequested ? 'stopped' : 'completed';
    this.feed.push({ type: 'end', reason, time: Date.now() });
    await this.close();
  }
}

/** tt.callbacks.dashboard({ port }): a new Dashboard. */
export function dashboard(args: DashboardArgs = {}): Dashboard {
  return new Dashboard(args);
}
