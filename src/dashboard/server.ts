import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHost, checkSameOrigin, HttpError, readBody, send, sendError, sendJson } from './http_util';
import { contentType, pathSegments, resolveInside } from './safe_path';
import { listRuns, runDetail } from './runs';
import { vendorScript } from './assets';
import { PAGE_CSP, pageHtml, type PageName } from './page';
import { appCss, appJs } from './client/bundle';
import type { LiveFeed } from './live_feed';

/** Classifies a drawing (PNG bytes) with the model of a run folder; the result goes to the page as JSON. */
export type DrawHandler = (runDir: string, png: Buffer) => Promise<unknown>;

export interface DashboardOptions {
  /** The folder whose subfolders are runs; null or absent: no run list. */
  runsDir?: string | null;
  /** Port to try first (default 6600); when busy the next ones are tried, then any free port. 0: any free port. */
  port?: number;
  /** Address to bind (default 127.0.0.1, this machine only). */
  host?: string;
  /** The training run streamed to /live. */
  live?: LiveFeed;
  draw?: DrawHandler;
}

export interface DashboardServer {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The port asked for when it was busy and another was taken. */
  readonly busyPort: number | null;
  readonly server: http.Server;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 6600;
/** Drawings are small PNGs (a 280x280 canvas is ~10 kB); anything bigger is refused. */
export const MAX_DRAW_BYTES = 1 << 20;
const MAX_STOP_BYTES = 1024;
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]', '::1'];

interface Ctx {
  opts: DashboardOptions;
  port: number;
}

function page(res: http.ServerResponse, ctx: Ctx, page: PageName, title: string, run?: string): void {
  const html = pageHtml({ page, title, run, live: !!ctx.opts.live, runs: !!ctx.opts.runsDir });
  send(res, 200, html, 'text/html; charset=utf-8', { 'Content-Security-Policy': PAGE_CSP });
}

function runsDir(ctx: Ctx): string {
  if (!ctx.opts.runsDir) throw new HttpError(404, 'this dashboard shows no runs folder');
  if (!fs.existsSync(ctx.opts.runsDir)) throw new HttpError(404, `the runs folder '${ctx.opts.runsDir}' does not exist`);
  return ctx.opts.runsDir;
}

/** A run's folder from one checked path segment. */
const runFolder = (ctx: Ctx, name: string) => resolveInside(runsDir(ctx), [name], 'dir');

async function route(req: http.IncomingMessage, res: http.ServerResponse, ctx: Ctx): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const segs = pathSegments(q >= 0 ? url.slice(0, q) : url);
  const [a, b, ...rest] = segs;
  const method = req.method ?? 'GET';
  const { opts } = ctx;

  if (method === 'POST') {
    checkSameOrigin(req);
    if (a === 'api' && b === 'live' && rest[0] === 'stop' && rest.length === 1) {
      if (!opts.live) throw new HttpError(404, 'no training run is live here');
      await readBody(req, MAX_STOP_BYTES);
      opts.live.requestStop();
      return sendJson(res, 200, { stopping: true });
    }
    if (a === 'api' && b === 'draw' && rest.length === 1) {
      if (!opts.draw) throw new HttpError(404, 'drawing is not available here');
      const type = req.headers['content-type'] ?? '';
      if (!/^image\/png\b/.test(type)) throw new HttpError(415, `send the drawing as image/png, not '${type}'`);
      const dir = runFolder(ctx, rest[0]);
      const body = await readBody(req, MAX_DRAW_BYTES);
      if (body.length < 8 || body.readUInt32BE(0) !== 0x89504e47) throw new HttpError(400, 'the request body is not a PNG image');
      return sendJson(res, 200, await opts.draw(dir, body));
    }
    throw new HttpError(404, `nothing to POST at ${url}`);
  }
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `method ${method} is not allowed`);

  if (segs.length === 0) return opts.runsDir ? page(res, ctx, 'list', 'Runs') : opts.live ? page(res, ctx, 'live', 'Live training') : page(res, ctx, 'list', 'Runs');
  if (a === 'run' && b !== undefined && rest.length === 0) return (runFolder(ctx, b), page(res, ctx, 'run', b, b));
  if (a === 'draw' && b !== undefined && rest.length === 0) {
    if (!opts.draw) throw new HttpError(404, 'drawing is not available here');
    return (runFolder(ctx, b), page(res, ctx, 'draw', `Draw for ${b}`, b));
  }
  if (a === 'compare' && segs.length === 1) return page(res, ctx, 'compare', 'Compare runs');
  if (a === 'live' && segs.length === 1) {
    if (!opts.live) throw new HttpError(404, 'no training run is live here');
    return page(res, ctx, 'live', 'Live training');
  }
  if (a === 'static' && segs.length === 2) {
    if (b === 'app.js') return send(res, 200, appJs(), 'text/javascript; charset=utf-8');
    if (b === 'app.css') return send(res, 200, appCss(), 'text/css; charset=utf-8');
  }
  if (a === 'vendor' && segs.length === 2) return send(res, 200, vendorScript(b), 'text/javascript; charset=utf-8', { 'Cache-Control': 'max-age=3600' });
  if (a === 'api') {
    if (b === 'info' && rest.length === 0) return sendJson(res, 200, { live: !!opts.live, runs: !!opts.runsDir, draw: !!opts.draw });
    if (b === 'runs' && rest.length === 0) return sendJson(res, 200, listRuns(runsDir(ctx)));
    if (b === 'runs' && rest.length === 1) return sendJson(res, 200, runDetail(runFolder(ctx, rest[0]), rest[0]));
    if (b === 'live' && rest[0] === 'events' && rest.length === 1) {
      if (!opts.live) throw new HttpError(404, 'no training run is live here');
      if (!opts.live.subscribe(req, res)) throw new HttpError(503, 'too many pages are listening');
      return;
    }
  }
  if (a === 'files' && b !== undefined && rest.length > 0) {
    const file = resolveInside(runsDir(ctx), [b, ...rest], 'file');
    // a run folder's own HTML (report.html) runs sandboxed: it cannot script this origin
    return send(res, 200, fs.readFileSync(file), contentType(file), { 'Content-Security-Policy': "sandbox; default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'" });
  }
  throw new HttpError(404, `not found: ${url}`);
}

function listenOn(server: http.Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') resolve(false);
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The startup line: the URL, and a warning when the page is reachable from other machines. */
export function startupLine(s: Pick<DashboardServer, 'url' | 'host' | 'busyPort'>): string {
  const busy = s.busyPort !== null ? ` (port ${s.busyPort} was busy)` : '';
  const open = LOOPBACK.includes(s.host) ? '' : `\nListening on ${s.host}, not 127.0.0.1: other machines can reach this dashboard.`;
  return `Dashboard: ${s.url}${busy}${open}`;
}

/** Starts the dashboard: the first free port from `port` on (then any), bound to 127.0.0.1 unless told. */
export async function startDashboard(opts: DashboardOptions = {}): Promise<DashboardServer> {
  const host = opts.host ?? '127.0.0.1';
  const wanted = opts.port ?? DEFAULT_PORT;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new RangeError(`dashboard port must be an integer 0..65535, got ${wanted}`);
  const ctx: Ctx = { opts, port: 0 };
  const wildcard = host === '0.0.0.0' || host === '::';
  const names = wildcard ? null : LOOPBACK.includes(host) ? LOOPBACK : [host, ...LOOPBACK];
  const server = http.createServer({ maxHeaderSize: 16384, requestTimeout: 60000 }, (req, res) => {
    const fail = (e: unknown) => {
      if (e instanceof HttpError && e.status === 413) {
        // an oversized upload may still be streaming: answer, drop what else comes, and close the
        // connection soon (closing at once would reset it before the client reads the answer)
        res.setHeader('Connection', 'close');
        req.resume();
        setTimeout(() => req.socket.destroy(), 2000).unref();
      }
      if (e instanceof HttpError) sendError(res, e.status, e.message);
      else sendError(res, 500, `internal error: ${(e as Error)?.message ?? e}`);
    };
    try {
      checkHost(req, names, ctx.port);
      route(req, res, ctx).catch(fail);
    } catch (e) {
      fail(e);
    }
  });
  // unparsable requests get a 400 and the server goes on
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  let port = wanted;
  let ok = await listenOn(server, port, host);
  for (let i = 1; !ok && wanted !== 0 && i < 20; i++) ok = await listenOn(server, ++port, host);
  if (!ok) ok = await listenOn(server, (port = 0), host);
  if (!ok) throw new Error('no free port for the dashboard');
  ctx.port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : wildcard ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${ctx.port}/`,
    port: ctx.port,
    host,
    busyPort: wanted !== 0 && ctx.port !== wanted ? wanted : null,
    server,
    close: () => new Promise<void>((resolve) => {
      opts.live?.closeAll();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
