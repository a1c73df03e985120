import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the dashboard refuses: the status code and a one-line reason. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

// Every response: no MIME sniffing, no referrer leaking run names, no embedding by other sites.
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': type, 'Content-Length': String(buf.byteLength), ...headers });
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}

export { BASE_HEADERS };

/**
 * The request body, at most `limit` bytes: a larger Content-Length is refused before reading,
 * a body that grows past the limit is cut off (413 either way).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new HttpError(413, `request body of ${declared} bytes is over the limit of ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `request body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (done) return;
      done = true;
      reject(new HttpError(400, `request body could not be read: ${e.message}`));
    });
  });
}

/**
 * Only the dashboard's own pages may press Stop or send drawings: a browser names the page a
 * request comes from (Origin, Sec-Fetch-Site), and another site's page is refused (403).
 * Requests without either header come from no browser page (curl, scripts) and pass.
 */
export function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, `cross-site request refused (Sec-Fetch-Site: ${site})`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    throw new HttpError(403, `request from another origin refused (Origin: ${origin})`);
  }
}

/**
 * The Host header must name this server (a page of another site reaching 127.0.0.1 through DNS
 * rebinding carries its own name). `names` are the host names allowed; null allows any (the
 * server was bound to a wildcard address on purpose).
 */
export function checkHost(req: IncomingMessage, names: readonly string[] | null, port: number): void {
  if (names === null) return;
  const host = req.headers.host;
  if (!host) throw new HttpError(400, 'request without a Host header');
  const ok = names.some((n) => host === `${n}:${port}` || (port === 80 && host === n));
  if (!ok) throw new HttpError(403, `unexpected Host '${host}': the dashboard answers to ${names.map((n) => `${n}:${port}`).join(', ')}`);
}
