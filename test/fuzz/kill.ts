import { fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { Rng } from '../../src/util/rng';
import { TARGETS, type KillMode } from './kill_writer';
import { smallModel } from './seeds';

/**
 * Kills a writing process (kill_writer.ts) with SIGKILL at random moments and checks what it
 * leaves: the target file must load and hold one complete version (every weight equal to the
 * same version number k, k at least the last version the child reported done), never a mix or a
 * damaged file. Counts the temporaries left behind, then writes once more and counts again
 * (each write removes the temporaries of dead writers).
 */

export interface KillReport {
  kills: number;
  damaged: { mode: KillMode; reason: string }[];
  /** Versions found after a kill: the old one (last reported done) or a newer complete one. */
  old: number;
  newer: number;
  /** .tmp files in the folder after all the kills, and after one more write of each target. */
  leftoverTemporaries: number;
  leftoverAfterNextWrite: number;
}

const MODES: KillMode[] = ['keras', 'h5', 'weights', 'checkpoint'];

const temporaries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp')).length;

/** Runs one child until its first complete write, lets it run a random while, and kills it. */
function killOnce(mode: KillMode, dir: string, delayMs: number): Promise<{ done: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'kill_writer.js'), [dir], { env: { ...process.env, TATAMI_KILL_WRITER: mode }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    let done = 0;
    let armed = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kill test: the ${mode} writer wrote nothing within 60 s`));
    }, 60_000);
    child.on('message', (m: { done?: number; fatal?: string }) => {
      if (m.fatal) reject(new Error(`kill test: the ${mode} writer failed: ${m.fatal}`));
      if (m.done === undefined) return;
      done = m.done;
      if (!armed) {
        armed = true;
        clearTimeout(guard);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', () => resolve({ done }));
  });
}

/** What the file holds: a version number, or why it is damaged. */
async function inspect(mode: KillMode, file: string): Promise<{ version: number } | { damaged: string }> {
  if (!existsSync(file)) return { damaged: 'the file is missing' };
  let weights: tt.Variable[];
  try {
    if (mode === 'weights') {
      const m = smallModel();
      await m.loadWeights(file);
      weights = m.weights;
    } else {
      weights = (await tt.loadModel(file)).weights;
    }
  } catch (e) {
    return { damaged: `does not load: ${(e as Error).message}` };
  }
  const values = weights.flatMap((w) => Array.from(w.values as Float32Array));
  if (!values.every(Number.isFinite)) return { damaged: 'weights that are not finite' };
  if (mode === 'checkpoint') return { version: 0 }; // training changes every weight; loading whole is the check
  const k = values[0];
  if (!values.every((v) => v === k)) return { damaged: `a mix of versions (${[...new Set(values)].slice(0, 5).join(', ')})` };
  return { version: k };
}

export async function killRun(dir: string, kills: number, seed: number, maxDelayMs = 400): Promise<KillReport> {
  const rng = new Rng(seed);
  const report: KillReport = { kills: 0, damaged: [], old: 0, newer: 0, leftoverTemporaries: 0, leftoverAfterNextWrite: 0 };
  for (let i = 0; i < kills; i++) {
    const mode = MODES[i % MODES.length];
    const { done } = await killOnce(mode, dir, Math.floor(rng.uniform() * maxDelayMs));
    report.kills++;
    const r = await inspect(mode, join(dir, TARGETS[mode]));
    if ('damaged' in r) report.damaged.push({ mode, reason: r.damaged });
    else if (mode !== 'checkpoint' && r.version < done) report.damaged.push({ mode, reason: `version ${r.version} is older than the last complete write ${done}` });
    else if (mode !== 'checkpoint' && r.version > done) report.newer++;
    else report.old++;
  }
  report.leftoverTemporaries = temporaries(dir);
  const m = smallModel();
  await m.save(join(dir, TARGETS.keras));
  await m.save(join(dir, TARGETS.h5));
  await m.saveWeights(join(dir, TARGETS.weights));
  await m.save(join(dir, TARGETS.checkpoint));
  report.leftoverAfterNextWrite = temporaries(dir);
  return report;
}
