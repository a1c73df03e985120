import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readerNamed } from './readers';
import type { Files } from './seeds';

/**
 * The fuzz harness's child process: reads the damaged files it is sent, one case at a time, and
 * says how each went. A separate process (not a worker thread) so that a native crash, an abort
 * or a hang takes down only this process; runner.ts restarts it. It does nothing unless started
 * by the runner (node --test also runs every .js under test/).
 */

export interface CaseMessage {
  id: number;
  reader: string;
  files: Files;
}

export type Outcome = 'loaded' | 'rejected' | 'wrong-error' | 'unclear-message';

export interface ResultMessage {
  id: number;
  outcome: Outcome;
  ms: number;
  /** How much the process's peak resident memory rose during the case, in MB. */
  peakRiseMb: number;
  error?: string;
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function run(m: CaseMessage, root: string): Promise<ResultMessage> {
  const spec = readerNamed(m.reader);
  const dir = join(root, `case-${m.id}`);
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(m.files);
  for (const n of names) writeFileSync(join(dir, n), m.files[n]);
  const before = peakMb();
  const t0 = performance.now();
  let outcome: Outcome = 'loaded';
  let error: string | undefined;
  try {
    await spec.load(dir, names);
  } catch (e) {
    const err = e as Error;
    error = err instanceof Error ? `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 4).join('\n')}` : `thrown non-Error ${String(e)}`;
    if (!(err instanceof Error) || err.name !== spec.errorClass) outcome = 'wrong-error';
    else if (err.message.trim().length < 10) outcome = 'unclear-message';
    else outcome = 'rejected';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { id: m.id, outcome, ms: performance.now() - t0, peakRiseMb: peakMb() - before, error };
}

if (process.env.TATAMI_FUZZ_CHILD === '1' && process.send) {
  const root = join(tmpdir(), `tatami-fuzz-${process.pid}`);
  mkdirSync(root, { recursive: true });
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  process.on('disconnect', () => process.exit(0)); // the runner is gone: nobody wants the answers
  process.on('message', (m: CaseMessage) => {
    run(m, root).then((r) => process.send!(r), (e) => process.send!({ id: m.id, outcome: 'wrong-error', ms: 0, peakRiseMb: 0, error: `harness: ${String(e)}` }));
  });
  process.send({ ready: true });
}
