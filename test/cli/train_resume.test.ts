import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `tatami train` as a user runs it: Ctrl-C exits 130 and keeps the run folder's backup;
// the same command again is refused without --resume; with --resume the run finishes with a
// History equal, number for number, to a run never interrupted; the backup is then gone.

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const ARGS = ['train', 'mnist-mlp', '--epochs', '3', '--limit', '1200', '--test-limit', '200', '--verbose', '0', '--no-report', '--seed', '2'];

function tatami(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const history = (dir: string) => {
  const h = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
  return { epoch: h.epoch, history: h.history };
};

describe('tatami train: Ctrl-C and --resume', { timeout: 300_000 }, () => {
  let root = '';
  before(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-resume-'))));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exits 130 keeping the backup, and --resume ends as an uninterrupted run', async () => {
    const whole = path.join(root, 'whole');
    const a = tatami([...ARGS, '--out', whole]);
    assert.equal(await a.exited, 0, a.out());
    assert.ok(!fs.existsSync(path.join(whole, 'backup')), 'a completed run leaves no backup');

    const cut = path.join(root, 'cut');
    const b = tatami([...ARGS, '--out', cut]);
    // after the first epoch's backup, during the second epoch
    while (!fs.existsSync(path.join(cut, 'backup', 'backup_b.json'))) {
      assert.equal(b.child.exitCode, null, b.out());
      await sleep(20);
    }
    await sleep(100);
    b.child.kill('SIGINT');
    assert.equal(await b.exited, 130, b.out());
    assert.match(b.out(), /Interrupted\. The run folder keeps its backup: `tatami train mnist-mlp --resume --out /);
    assert.ok(!fs.existsSync(path.join(cut, 'history.json')));

    const again = tatami([...ARGS, '--out', cut]);
    assert.equal(await again.exited, 2);
    assert.match(again.out(), /holds the backup of an unfinished run: add --resume/);

    const c = tatami([...ARGS, '--out', cut, '--resume']);
    assert.equal(await c.exited, 0, c.out());
    assert.match(c.out(), /Resuming the run in /);
    assert.deepEqual(history(cut), history(whole));
    assert.ok(!fs.existsSync(path.join(cut, 'backup')), 'the backup is deleted once training completes');
  });

  it('--resume with nothing to resume is a usage error', async () => {
    const d = tatami([...ARGS, '--out', path.join(root, 'empty'), '--resume']);
    assert.equal(await d.exited, 2);
    assert.match(d.out(), /nothing to resume: '.*empty' has no backup/);
  });
});
