import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDashboard, MAX_DRAW_BYTES, type DashboardServer } from '../../src/dashboard/server';
import { LiveFeed } from '../../src/dashboard/live_feed';

// The dashboard's server over plain HTTP: what it refuses (paths out of the runs folder,
// other sites, oversized or malformed requests), the busy-port fallback and the live stream.

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A request sent as given: node's http client leaves `..` and %2e%2e in the path alone. */
function request(port: number, p: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Bytes written straight to the socket, for requests no HTTP client would send. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

const SECRET = 'the secret outside the runs folder';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('dashboard server', () => {
  let tmp: string;
  let runs: string;
  let dash: DashboardServer;
  const feed = new LiveFeed();
  let drawn = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-dash-'));
    runs = path.join(tmp, 'runs');
    const a = path.join(runs, 'run-a');
    fs.mkdirSync(a, { recursive: true });
    fs.writeFileSync(path.join(a, 'results.json'), JSON.stringify({ example: 'mnist-mlp', dataset: 'mnist', settings: { epochs: 2, batchSize: 32 }, results: { testAccuracy: 0.9, testLoss: 0.3 }, date: '2026-01-02T03:04:05.000Z' }));
    fs.writeFileSync(path.join(a, 'history.json'), JSON.stringify({ epoch: [0, 1], history: { loss: [1, 0.5], val_loss: [0.9, 0.6] } }));
    fs.writeFileSync(path.join(a, 'curves.png'), PNG_SIGNATURE);
    fs.writeFileSync(path.join(a, 'model.keras'), 'not really a model');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'results.json'), JSON.stringify({ example: 'leaked' }));
    fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(a, 'link-out.txt'));
    fs.symlinkSync(outside, path.join(runs, 'linked-run'));
    fs.symlinkSync(path.join(a, 'curves.png'), path.join(a, 'link-in.png'));
    dash = await startDashboard({
      runsDir: runs, port: 0, live: feed,
      draw: async (dir, png) => ({ dir: path.basename(dir), bytes: png.length, n: ++drawn }),
    });
  });

  after(async () => {
    await dash.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 on a free port and prints its URL', () => {
    assert.equal(dash.host, '127.0.0.1');
    assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(dash.server.address() && (dash.server.address() as net.AddressInfo).address, '127.0.0.1');
  });

  it('lists the run folders inside the runs folder, not a symlink leading out', async () => {
    const r = await request(dash.port, '/api/runs');
    assert.equal(r.status, 200);
    const list = JSON.parse(r.body) as Array<{ name: string; example: string; testAccuracy: number; epochs: number; drawable: boolean }>;
    assert.deepEqual(list.map((x) => x.name), ['run-a']);
    assert.equal(list[0].example, 'mnist-mlp');
    assert.equal(list[0].testAccuracy, 0.9);
    assert.equal(list[0].epochs, 2);
    assert.equal(list[0].drawable, true);
  });

  it('serves a run folder\'s files and its pages', async () => {
    const png = await request(dash.port, '/files/run-a/curves.png');
    assert.equal(png.status, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal((await request(dash.port, '/files/run-a/link-in.png')).status, 200, 'a symlink staying inside is fine');
    const page = await request(dash.port, '/run/run-a');
    assert.equal(page.status, 200);
    assert.match(page.body, /data-page="run" data-run="run-a"/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal((await request(dash.port, '/run/nope')).status, 404);
    const js = await request(dash.port, '/static/app.js');
    assert.equal(js.status, 200);
    assert.doesNotThrow(() => new Function(js.body), 'app.js parses');
    for (const v of ['vega', 'vega-lite', 'vega-embed']) {
      const s = await request(dash.port, `/vendor/${v}.js`);
      assert.equal(s.status, 200, v);
      assert.ok(s.body.length > 10000, `${v} is the real browser build`);
    }
  });

  const ATTEMPTS = [
    '/files/run-a/../../secret.txt',
    '/files/run-a/..%2f..%2fsecret.txt',
    '/files/run-a/%2e%2e/%2e%2e/secret.txt',
    '/files/run-a/%2E%2E/%2E%2E/secret.txt',
    '/files/..%2Fsecret.txt',
    '/files/run-a/..%5c..%5csecret.txt',
    '/files/%2F' + 'etc%2Fpasswd',
    '//etc/passwd',
    '/files//etc/passwd',
    '/files/run-a/link-out.txt',
    '/files/linked-run/secret.txt',
    '/files/run-a/./../../secret.txt',
    '/api/runs/..',
    '/api/runs/linked-run',
    '/run/%2e%2e',
    '/files/run-a/secret.txt%00.png',
  ];
  for (const p of ATTEMPTS) {
    it(`refuses ${p} (403/404, never the file)`, async () => {
      const r = await request(dash.port, p);
      assert.ok(r.status === 403 || r.status === 404, `status ${r.status}`);
      assert.ok(!r.body.includes(SECRET));
      assert.ok(!r.body.includes('leaked'));
    });
  }

  it('refuses an absolute path given as the file', async () => {
    const target = encodeURIComponent(path.join(tmp, 'secret.txt'));
    const r = await request(dash.port, `/files/run-a/${target}`);
    assert.equal(r.status, 403);
    assert.ok(!r.body.includes(SECRET));
  });

  it('answers malformed requests with 4xx and keeps serving', async () => {
    assert.equal((await request(dash.port, '/files/run-a/%zz')).status, 400);
    assert.equal((await request(dash.port, '/api/runs', { method: 'DELETE' })).status, 405);
    assert.match(await raw(dash.port, 'THIS IS NOT HTTP\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.match(await raw(dash.port, `GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:${dash.port}\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`), /^HTTP\/1\.1 431/);
    assert.match(await raw(dash.port, 'GET http://127.0.0.1/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 (400|403)/);
    assert.equal((await request(dash.port, '/api/runs')).status, 200, 'still up');
  });

  it('answers only to its own host names (DNS rebinding)', async () => {
    const r = await request(dash.port, '/api/runs', { headers: { Host: `evil.example:${dash.port}` } });
    assert.equal(r.status, 403);
    assert.equal((await request(dash.port, '/api/runs', { headers: { Host: `localhost:${dash.port}` } })).status, 200);
  });

  it('bounds the draw request body and checks it is a PNG', async () => {
    const url = '/api/draw/run-a';
    const big = await request(dash.port, url, { method: 'POST', headers: { 'Content-Type': 'image/png', 'Content-Length': String(MAX_DRAW_BYTES + 1) }, body: Buffer.alloc(16) }).catch((e: Error) => ({ status: -1, body: e.message }));
    assert.equal(big.status, 413);
    // no Content-Length: the body streams in chunks past the limit
    const streamed = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: dash.port, path: url, method: 'POST', headers: { 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', () => resolve(-1));
      const chunk = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(64 * 1024)]);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    assert.equal(streamed, 413);
    assert.equal((await request(dash.port, url, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: 'hello' })).status, 400);
    assert.equal((await request(dash.port, url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: PNG_SIGNATURE })).status, 415);
    assert.equal((await request(dash.port, '/api/draw/nope', { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: PNG_SIGNATURE })).status, 404);
    const ok = await request(dash.port, url, { method: 'POST', headers: { 'Content-Type': 'image/png', Origin: `http://127.0.0.1:${dash.port}` }, body: PNG_SIGNATURE });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { dir: 'run-a', bytes: 8, n: 1 });
    assert.equal((await request(dash.port, '/api/runs')).status, 200, 'still up');
  });

  it('takes Stop and drawings from its own pages only', async () => {
    const cross: Array<Record<string, string>> = [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'null' }];
    for (const h of cross) {
      assert.equal((await request(dash.port, '/api/live/stop', { method: 'POST', headers: h })).status, 403, JSON.stringify(h));
      assert.equal((await request(dash.port, '/api/draw/run-a', { method: 'POST', headers: { ...h, 'Content-Type': 'image/png' }, body: PNG_SIGNATURE })).status, 403);
    }
    assert.equal(feed.stopRequested, false);
    assert.equal(drawn, 1);
    const own = await request(dash.port, '/api/live/stop', { method: 'POST', headers: { Origin: `http://127.0.0.1:${dash.port}`, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(own.status, 200);
    assert.equal(feed.stopRequested, true);
    assert.equal((await request(dash.port, '/api/live/stop', { method: 'GET' })).status, 404);
  });

  it('replays the history so far to a page opened mid-run, then streams', async () => {
    feed.push({ type: 'start', model: 'm', epochs: 2, steps: 3, batchSize: 4, samples: 12, time: 0 });
    for (let s = 0; s < 3; s++) feed.push({ type: 'batch', epoch: 0, step: s, x: (s + 1) / 3, logs: { loss: 1 - s / 10 }, lr: 0.01, stepMs: 5, imagesPerSec: 800, rssMB: 100, heapMB: 50 });
    feed.push({ type: 'epoch', epoch: 0, logs: { loss: 0.8, val_loss: 0.9 }, seconds: 1 });
    const events: Array<{ type: string; step?: number }> = [];
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: dash.port, path: '/api/live/events' }, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString('utf8');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) events.push(JSON.parse(data.slice(6)));
            if (events.length === 5) feed.push({ type: 'batch', epoch: 1, step: 0, x: 4 / 3, logs: { loss: 0.7 }, lr: 0.01, stepMs: 5, imagesPerSec: 800, rssMB: 100, heapMB: 50 });
            if (events.length === 6) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (e) => (events.length >= 6 ? resolve() : reject(e)));
    });
    assert.deepEqual(events.map((e) => e.type), ['start', 'batch', 'batch', 'batch', 'epoch', 'batch']);
    assert.equal(events[5].step, 0);
  });

  it('keeps a bounded history of a long run', () => {
    const f = new LiveFeed();
    f.push({ type: 'start', model: 'm', epochs: 1, steps: 20000, batchSize: 1, samples: 20000, time: 0 });
    for (let s = 0; s < 20000; s++) f.push({ type: 'batch', epoch: 0, step: s, x: s / 20000, logs: { loss: 1 }, lr: null, stepMs: 1, imagesPerSec: 1, rssMB: 1, heapMB: 1 });
    const batches = f.snapshot().filter((e) => e.type === 'batch');
    assert.ok(batches.length <= 4000 && batches.length >= 2000, `${batches.length} batch events kept`);
    assert.equal(f.snapshot()[0].type, 'start');
  });

  it('picks another port when the one asked for is busy', async () => {
    const second = await startDashboard({ runsDir: runs, port: dash.port });
    try {
      assert.notEqual(second.port, dash.port);
      assert.equal(second.busyPort, dash.port);
      assert.equal((await request(second.port, '/api/runs')).status, 200);
    } finally {
      await second.close();
    }
  });

  it('says when it listens beyond this machine', async () => {
    const { startupLine } = await import('../../src/dashboard/server');
    assert.equal(startupLine({ url: 'http://127.0.0.1:6600/', host: '127.0.0.1', busyPort: null }), 'Dashboard: http://127.0.0.1:6600/');
    assert.match(startupLine({ url: 'http://0.0.0.0:6600/', host: '0.0.0.0', busyPort: 6599 }), /port 6599 was busy[\s\S]*other machines can reach/);
  });
});
