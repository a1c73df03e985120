import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Ctrl-C in a library user's process: the first SIGINT during fit stops it after the current
// batch, onTrainEnd runs (checkpoint and event files closed) and fit resolves normally with
// history.interrupted; a second SIGINT exits at once with 130; outside fit, Node's default stays.

const CHILD = path.join(__dirname, 'sigint_child.js');

function start(mode: string, dir: string) {
  const child = spawn(process.execPath, [CHILD, mode, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let err = '';
  let buf = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0)) (w.re.test(line) ? w.resolve : () => waiters.push(w))();
    }
  });
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (re: RegExp) => (lines.some((l) => re.test(l)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve })));
  return { child, lines, exited, waitFor, stderr: () => err };
}

describe('Ctrl-C (SIGINT) during fit', { timeout: 120_000 }, () => {
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-sigint-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops after the current batch, runs onTrainEnd, and fit resolves with history.interrupted', async () => {
    const c = start('fit', dir);
    await c.waitFor(/^batch 12$/); // into the second epoch
    c.child.kill('SIGINT');
    const { code } = await c.exited;
    assert.equal(code, 0, c.stderr());
    const seen = 12;
    const report = JSON.parse(c.lines.find((l) => l.startsWith('{'))!);
    assert.equal(report.interrupted, true);
    assert.equal(report.stopTraining, true);
    assert.equal(report.trainEnd, true);
    // the batch under way ends, no other starts (the pipe may lag a batch behind the signal)
    assert.ok(report.batches >= seen && report.batches <= seen + 2, `${report.batches} batches`);
    assert.ok(report.epochs < 3, 'a partial epoch is not recorded as an epoch');
    assert.equal(report.sigintListeners, 0, 'the handler is gone once fit returns');
    if (process.platform === 'linux') assert.equal(report.fdsLeaked, 0, 'the event files are closed');
    assert.ok(fs.existsSync(path.join(dir, 'last.keras')), 'the first epoch\'s checkpoint exists');
    assert.ok(fs.readdirSync(path.join(dir, 'log', 'train')).length > 0);
  });

  it('a second Ctrl-C exits at once with status 130', async () => {
    const c = start('slow-end', path.join(dir, 'second'));
    await c.waitFor(/^batch 3$/);
    c.child.kill('SIGINT');
    await c.waitFor(/^train end$/); // now in a 30 s onTrainEnd
    const t0 = Date.now();
    c.child.kill('SIGINT');
    const { code } = await c.exited;
    assert.equal(code, 130);
    assert.ok(Date.now() - t0 < 10_000, 'exits long before onTrainEnd would finish');
  });

  it('outside fit, SIGINT ends the process as Node does by default', async () => {
    const c = start('after', path.join(dir, 'after'));
    await c.waitFor(/^fit done$/);
    c.child.kill('SIGINT');
    const { code, signal } = await c.exited;
    assert.equal(signal, 'SIGINT', `code ${code}, ${c.stderr()}`);
    assert.ok(!c.lines.includes('still alive'));
  });
});
