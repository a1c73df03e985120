import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_HEADERS } from './http_util';

/** What a training run streams to its dashboard (server-sent events, one JSON object each). */
export type LiveEvent =
  | { type: 'start'; model: string; epochs: number; steps: number; batchSize: number | null; samples: number | null; time: number }
  | {
    type: 'batch'; epoch: number; step: number;
    /** Fractional epoch at the batch's end: epoch + (step + 1) / steps. */
    x: number;
    /** fit's logs: the epoch's running means (loss, accuracy, ...). */
    logs: Record<string, number>;
    lr: number | null; stepMs: number; imagesPerSec: number | null; rssMB: number; heapMB: number;
  }
  | { type: 'epoch'; epoch: number; logs: Record<string, number>; seconds: number }
  | { type: 'stop'; time: number }
  | { type: 'end'; reason: 'completed' | 'stopped' | 'interrupted'; time: number };

/** Batch events kept for a page opened mid-run; past this, every other one is dropped (the curve keeps its shape). */
const MAX_KEPT_BATCHES = 4000;
const MAX_CLIENTS = 32;

/**
 * The events of one training run: kept so a page opened mid-run first gets the history so far,
 * and sent as they come to every page listening. Stop requests from the page land here.
 */
export class LiveFeed {
  private history: LiveEvent[] = [];
  private keptBatches = 0;
  private stride = 1;
  private batchIndex = 0;
  private clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | null = null;
  stopRequested = false;
  /** Called once when a page asks training to stop. */
  onStop: (() => void) | null = null;

  get listeners(): number {
    return this.clients.size;
  }

  push(ev: LiveEvent): void {
    if (ev.type === 'start') {
      this.history = [];
      this.keptBatches = 0;
      this.stride = 1;
      this.batchIndex = 0;
      this.stopRequested = false;
    }
    if (ev.type !== 'batch' || this.batchIndex++ % this.stride === 0) this.keep(ev);
    const line = `data: ${JSON.stringify(ev)}\n\n`;
    for (const c of this.clients) c.write(line);
  }

  private keep(ev: LiveEvent): void {
    this.history.push(ev);
    if (ev.type !== 'batch' || ++this.keptBatches <= MAX_KEPT_BATCHES) return;
    let k = 0;
    this.history = this.history.filter((e) => e.type !== 'batch' || k++ % 2 === 0);
    this.keptBatches = k === 0 ? 0 : Math.ceil(k / 2);
    this.stride *= 2;
  }

  /** Everything so far, for a page that opens now. */
  snapshot(): LiveEvent[] {
    return this.history.slice();
  }

  /** Answers GET /api/live/events: the history so far, then each event as it comes. */
  subscribe(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.clients.size >= MAX_CLIENTS) return false;
    res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(`retry: 2000\n\n`);
    for (const ev of this.history) res.write(`data: ${JSON.stringify(ev)}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
    if (!this.heartbeat) {
      // a comment line now and then keeps proxies and idle timers from closing the stream
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) c.write(': keep-alive\n\n');
      }, 15000);
      this.heartbeat.unref();
    }
    return true;
  }

  requestStop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.push({ type: 'stop', time: Date.now() });
    this.onStop?.();
  }

  /** Ends every open stream (the server is closing). */
  closeAll(): void {
    for (const c of this.clients) c.end();
    this.clients.clear();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
