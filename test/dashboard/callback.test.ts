import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { Dashboard } from '../../src/callbacks/dashboard';
import type { LiveEvent } from '../../src/dashboard/live_feed';
import { repoRoot } from '../helpers/fixtures';

// tt.callbacks.dashboard during a real fit: the page's stream and its Stop button over HTTP.

function post(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { Origin: u.origin } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Collects a server-sent event stream until it ends. */
function listen(url: string, into: LiveEvent[]): Promise<void> {
  return new Promise((resolve) => {
    http.get(url, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const line = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
          buf = buf.slice(i + 2);
          if (line) into.push(JSON.parse(line.slice(6)));
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    }).on('error', () => resolve());
  });
}

describe('tt.callbacks.dashboard', () => {
  it('is registered as tt.callbacks.dashboard and rejects unknown options', () => {
    assert.ok(tt.callbacks.dashboard() instanceof Dashboard);
    assert.throws(() => tt.callbacks.dashboard({ prot: 1 } as never), /dashboard: unknown option 'prot'/);
  });

  it('streams a fit batch by batch and stops it after the batch during which Stop came', async () => {
    tt.setSeed(3);
    const x = tt.randomNormal([64, 4]);
    const y = tt.randomNormal([64, 1]);
    const model = tt.sequential([tt.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), tt.layers.dense({ units: 1 })]);
    model.compile({ optimizer: tt.optimizers.sgd({ learningRate: 0.01 }), loss: 'meanSquaredError', metrics: ['mae'] });
    const lines: string[] = [];
    const dash = tt.callbacks.dashboard({ port: 0, log: (s) => lines.push(s) });
    const events: LiveEvent[] = [];
    let stream: Promise<void> = Promise.resolve();
    const watcher = {
      onTrainBegin: () => {
        stream = listen(`${dash.server!.url}api/live/events`, events);
      },
      // the page presses Stop during the 6th batch of the 2nd epoch
      onBatchBegin: async (step: number) => {
        if (dash.feed.snapshot().filter((e) => e.type === 'epoch').length === 1 && step === 5) assert.equal(await post(`${dash.server!.url}api/live/stop`), 200);
      },
    };
    const h = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [dash, watcher] });
    await stream;
    assert.match(lines[0], /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(dash.server, null, 'the server closed when fit ended');
    assert.equal(dash.stopRequested, true);
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'start');
    assert.equal(types[types.length - 1], 'end');
    const batches = events.filter((e): e is Extract<LiveEvent, { type: 'batch' }> => e.type === 'batch');
    assert.equal(batches.length, 8 + 6, 'a full epoch of 8 batches, then 6 of the second');
    assert.deepEqual(batches.slice(0, 3).map((b) => [b.epoch, b.step]), [[0, 0], [0, 1], [0, 2]]);
    assert.ok(batches.every((b) => b.logs.loss > 0 && b.logs.mae > 0 && b.lr === 0.01 && b.stepMs > 0 && b.imagesPerSec! > 0 && b.rssMB > 0));
    assert.equal(batches[7].x, 1);
    // the partial second epoch still ends (validation and epoch end), as Keras does after stop_training
    assert.equal(h.epoch.length, 2);
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.equal(epochs.length, 2);
    const end = events[events.length - 1] as Extract<LiveEvent, { type: 'end' }>;
    assert.equal(end.reason, 'stopped');
    assert.ok(types.indexOf('stop') > types.lastIndexOf('batch') - 2, 'Stop came during the last batch');
  });

  it('src/dashboard imports nothing above util (the callback and the CLI both use it)', () => {
    const dir = path.join(repoRoot(), 'src', 'dashboard');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\s)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
        const target = path.relative(path.join(repoRoot(), 'src'), path.resolve(path.dirname(path.join(dir, f)), m[1]));
        assert.ok(target.startsWith('dashboard') || target.startsWith('util'), `${f} imports ${m[1]}`);
      }
    }
  });
});
