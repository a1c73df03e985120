import { describe, it, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

// page-side code below runs in the browser; this file compiles without the DOM's types
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
import * as tt from '../../src/index';
import { repoRoot } from '../helpers/fixtures';
import { oracleMissing } from '../helpers/oracles';

// The dashboard in a real browser (playwright-core driving Chromium): the live page of
// `tatami train --dashboard` and its Stop button, the run list, a run's page, two runs
// compared, and the draw page classifying a vertical stroke with a model trained here.
// Screenshots of each page go to dist/test-output/dashboard/.

const CANDIDATES = [process.env.TATAMI_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const CHROMIUM = CANDIDATES.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
const NO_BROWSER = 'no Chromium found (set TATAMI_CHROMIUM, or install Debian\'s chromium package)';
const CLI = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const SHOTS = path.join(repoRoot(), 'dist', 'test-output', 'dashboard');

interface Running { child: ChildProcess; url: string; out: () => string; exit: Promise<number | null> }

/** Starts `tatami ...` in `cwd` and resolves once it prints its dashboard URL. */
function tatami(cwd: string, args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Dashboard: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], out: () => out, exit });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exit.then((code) => reject(new Error(`tatami ${args.join(' ')} exited (${code}) before serving:\n${out}`)));
  });
}

/** A small CNN on 4000 real MNIST digits, saved as a run folder the dashboard can draw for. */
async function trainDrawModel(dir: string): Promise<void> {
  tt.setSeed(7);
  const [[xTr, yTr], [xTe, yTe]] = await tt.datasets.mnist.loadData();
  const prep = (x: tt.Tensor, y: tt.Tensor, n: number): [tt.Tensor, tt.Tensor] => {
    const xs = tt.Tensor.empty([n, 28, 28, 1]);
    for (let i = 0; i < n * 784; i++) xs.values[i] = x.values[i] / 255;
    const ys = tt.Tensor.empty([n, 10]);
    for (let i = 0; i < n; i++) ys.values[i * 10 + y.values[i]] = 1;
    return [xs, ys];
  };
  const [x, y] = prep(xTr, yTr, 4000);
  const [xt, yt] = prep(xTe, yTe, 1000);
  const model = tt.sequential([
    tt.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    tt.layers.maxPooling2d({ poolSize: 2 }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: tt.optimizers.adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, validationData: [xt, yt] });
  const [loss, acc] = (await model.evaluate(xt, yt, { verbose: 0 })) as number[];
  fs.mkdirSync(dir, { recursive: true });
  await model.save(path.join(dir, 'model.keras'));
  fs.writeFileSync(path.join(dir, 'history.json'), JSON.stringify({ epoch: h.epoch, history: h.history }));
  fs.writeFileSync(path.join(dir, 'summary.txt'), model.summaryText());
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({
    example: 'small-cnn', description: 'Conv2D(8)→MaxPooling2D→Dense(10), trained by the browser test', dataset: 'mnist',
    classNames: Array.from({ length: 10 }, (_, i) => String(i)), settings: { epochs: 2, batchSize: 64, seed: 7, limit: 4000 },
    results: { testLoss: loss, testAccuracy: acc, trainSeconds: 0 }, date: new Date().toISOString(),
  }));
}

describe('dashboard in Chromium', { timeout: 180_000 }, () => {
  let tmp: string;
  let browser: Browser | null = null;
  let page: Page;
  let liveRun = '';
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const skipped = (t: TestContext) => {
    if (browser) return false;
    oracleMissing(t, NO_BROWSER);
    return true;
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-dash-browser-'));
    fs.mkdirSync(SHOTS, { recursive: true });
    if (!CHROMIUM) return;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('live: `tatami train --dashboard` grows the loss chart, and Stop ends training early with a run folder', async (t) => {
    if (skipped(t)) return;
    const run = await tatami(tmp, ['train', 'mnist-mlp', '--epochs', '3', '--limit', '60000', '--test-limit', '500', '--dashboard', '--port', '0', '--verbose', '0']);
    try {
      assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      await page.goto(`${run.url}live`);
      const points = () => page.$eval('#chart-loss', (e) => Number((e as unknown as { dataset: Record<string, string> }).dataset.points));
      await page.waitForFunction(() => Number(document.querySelector('#chart-loss')?.dataset.points) > 0, null, { timeout: 30_000 });
      const first = await points();
      await page.waitForFunction((n) => Number(document.querySelector('#chart-loss')?.dataset.points) > n, first, { timeout: 30_000 });
      assert.ok((await points()) > first, 'the loss chart grew while training');
      assert.ok(await page.$('#chart-loss canvas'), 'the loss chart is drawn');
      await page.waitForTimeout(800);
      await shot('live');
      await page.click('#stop');
      await page.waitForFunction(() => document.body.dataset.status === 'stopped', null, { timeout: 30_000 });
      await shot('live_stopped');
      const code = await run.exit;
      assert.equal(code, 0, run.out());
      assert.match(run.out(), /Stopped from the dashboard after \d+ epochs?/);
      const runs = fs.readdirSync(path.join(tmp, 'runs'));
      assert.equal(runs.length, 1);
      liveRun = runs[0];
      const history = JSON.parse(fs.readFileSync(path.join(tmp, 'runs', liveRun, 'history.json'), 'utf8')) as { epoch: number[] };
      assert.ok(history.epoch.length >= 1 && history.epoch.length < 3, `${history.epoch.length} epochs of 3`);
      assert.ok(fs.existsSync(path.join(tmp, 'runs', liveRun, 'model.keras')));
    } finally {
      run.child.kill();
    }
  });

  it('run list, run page, comparison and the draw page of `tatami dashboard`', async (t) => {
    if (skipped(t)) return;
    assert.ok(liveRun, 'the live run left its folder');
    await trainDrawModel(path.join(tmp, 'runs', 'small-cnn'));
    const dash = await tatami(tmp, ['dashboard', 'runs', '--port', '0']);
    try {
      await page.goto(dash.url);
      await page.waitForSelector('tr[data-run]');
      const names = await page.$$eval('tr[data-run]', (rows) => rows.map((r) => r.getAttribute('data-run')));
      assert.deepEqual([...names].sort(), [liveRun, 'small-cnn'].sort());
      assert.match(await page.textContent('tr[data-run="small-cnn"]') ?? '', /small-cnn.*mnist.*\d+\.\d\d%/s);
      await shot('list');

      for (const n of names) await page.check(`tr[data-run="${n}"] input[type=checkbox]`);
      await Promise.all([page.waitForURL(/\/compare\?run=/), page.click('text=Compare selected')]);
      await page.waitForSelector('#curves svg');
      assert.equal((await page.$$eval('#curves .role-legend .role-legend-label text, #curves .role-legend-label text', (ts) => ts.map((t) => t.textContent))).filter((s) => s === liveRun || s === 'small-cnn').length, 2, 'both runs in the legend');
      await shot('compare');

      await page.goto(`${dash.url}run/${liveRun}`);
      await page.waitForSelector('#curves svg');
      const pictures = await page.$$eval('.gallery img', (imgs) => imgs.map((i) => (i as any).naturalWidth));
      assert.ok(pictures.length >= 3 && pictures.every((w) => w > 0), `pictures shown: ${pictures.join(', ')}`);
      assert.match(await page.textContent('pre.summary') ?? '', /Total params/);
      await shot('run');

      await page.goto(`${dash.url}draw/small-cnn`);
      const pad = await page.waitForSelector('#pad');
      const box = (await pad.boundingBox())!;
      // a vertical bar, drawn with the mouse in strokes
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + (0.7 * i) / 12));
      await page.mouse.up();
      await page.waitForFunction(() => Number(document.body.dataset.predictions) > 0 && document.body.dataset.drawState === 'idle', null, { timeout: 30_000 });
      await page.waitForTimeout(300);
      await page.waitForFunction(() => document.body.dataset.drawState === 'idle');
      const top = await page.$$eval('#top li', (lis) => lis.map((l) => l.getAttribute('data-class')));
      assert.equal(top.length, 3);
      assert.equal(top[0], '1', `top classes ${top.join(', ')}`);
      assert.ok(await page.$('#maps-img'), 'the first conv layer\'s feature maps are shown');
      const lit = await page.$eval('#seen', (c) => {
        const cv = c as any;
        const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++;
        return n;
      });
      assert.ok(lit > 10 && lit < 200, `${lit} bright pixels in the 28x28 image the model saw`);
      await shot('draw');
    } finally {
      dash.child.kill('SIGTERM');
      assert.equal(await dash.exit, 0);
    }
  });
});
