import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CaseMessage, ResultMessage } from './child';
import { CHILD_ENV, PLAIN_CASE_LIMIT_MS, WARM_UP_MS } from './limits';
import type { Case, ReaderSpec } from './readers';

/**
 * Runs seeded fuzz cases of one reader through a child process (child.ts), each with a time
 * limit, and counts what happened: loaded, rejected with the reader's error class, another
 * exception (wrong-error), a dead child (crash), a case past its time limit (hang), and cases
 * whose peak memory rose by more than BIG_ALLOC_MB (an allocation a lying size field asked for).
 */

export const BIG_ALLOC_MB = 256;

export interface Finding {
  kind: 'wrong-error' | 'unclear-message' | 'crash' | 'hang' | 'big-alloc';
  desc: string;
  detail: string;
  files: Case['files'];
}

export interface FuzzCounts {
  reader: string;
  errorClass: string;
  cases: number;
  loaded: number;
  rejected: number;
  wrongError: number;
  unclearMessage: number;
  crashes: number;
  hangs: number;
  bigAlloc: number;
  slowestMs: number;
  findings: Finding[];
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Time limit per case once the child is warm (ms); by default the spec's limitMs. */
  timeoutMs?: number;
  /** Keep each finding's files here (a folder per finding). */
  saveFindingsTo?: string;
  /** Called after every 1,000 cases with the counts so far. */
  onProgress?: (counts: FuzzCounts) => void;
  /** A child to use (and leave running), so that several readers share one start-up. */
  child?: Child;
}

export class Child {
  private proc: ChildProcess | null = null;
  /** Readers this child has run: the first case of each also loads its modules (h5wasm, sharp, ...). */
  private warm = new Set<string>();

  private start(): Promise<void> {
    this.proc = fork(join(__dirname, 'child.js'), [], {
      serialization: 'advanced',
      env: { ...process.env, ...CHILD_ENV }, // the case limits (limits.ts) are derived from the same env
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.proc.stderr?.resume(); // readers' warnings (e.g. optimizer slots that do not fit); nobody needs them here
    this.warm.clear();
    return new Promise((resolve, reject) => {
      this.proc!.once('message', () => resolve());
      this.proc!.once('exit', (code) => reject(new Error(`fuzz child exited (${code}) before it was ready`)));
    });
  }

  /** Runs one case; 'hang' or 'crash' when the child had to be stopped or died. */
  async run(msg: CaseMessage, timeoutMs: number, warmUpMs = WARM_UP_MS): Promise<ResultMessage | { crash: string } | 'hang'> {
    if (!this.proc) await this.start();
    const proc = this.proc!;
    // the first case of a reader also loads h5wasm, sharp or the wasm backend
    const limit = this.warm.has(msg.reader) ? timeoutMs : timeoutMs + warmUpMs;
    this.warm.add(msg.reader);
    return new Promise((resolve) => {
      const done = (r: ResultMessage | { crash: string } | 'hang') => {
        clearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (r: ResultMessage) => {
        if (r.id === msg.id) done(r);
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.proc = null;
        done({ crash: `child exited with ${signal ?? code}` });
      };
      const timer = setTimeout(() => {
        proc.off('exit', onExit);
        // a killed child cannot remove its own folder of case files
        proc.once('exit', () => rmSync(join(tmpdir(), `tatami-fuzz-${proc.pid}`), { recursive: true, force: true }));
        proc.kill('SIGKILL');
        this.proc = null;
        done('hang');
      }, limit);
      proc.on('message', onMessage);
      proc.on('exit', onExit);
      proc.send(msg);
    });
  }

  stop(): void {
    this.proc?.kill('SIGKILL');
    this.proc = null;
  }
}

const CHUNK = 50;

export async function fuzzReader(spec: ReaderSpec, options: FuzzOptions): Promise<FuzzCounts> {
  const arb = await spec.cases();
  const counts: FuzzCounts = {
    reader: spec.name, errorClass: spec.errorClass, cases: 0, loaded: 0, rejected: 0, wrongError: 0, unclearMessage: 0,
    crashes: 0, hangs: 0, bigAlloc: 0, slowestMs: 0, findings: [],
  };
  const child = options.child ?? new Child();
  const keep = (f: Finding) => {
    counts.findings.push(f);
    if (options.saveFindingsTo) {
      const dir = join(options.saveFindingsTo, `${spec.name}-${counts.findings.length}`);
      mkdirSync(dir, { recursive: true });
      for (const [n, b] of Object.entries(f.files)) writeFileSync(join(dir, n), b);
      writeFileSync(join(dir, 'FINDING.txt'), `${f.kind}\n${f.desc}\n${f.detail}\n`);
    }
  };
  try {
    for (let start = 0; start < options.cases; start += CHUNK) {
      // chunk by chunk, so 10,000 cases of 40 KB files are never all in memory
      const batch = fc.sample(arb, { seed: options.seed + start, numRuns: Math.min(CHUNK, options.cases - start) });
      for (const c of batch) {
        const id = counts.cases++;
        if (id > 0 && id % 1000 === 0) options.onProgress?.(counts);
        const timeoutMs = options.timeoutMs ?? caseLimitMs(spec, c.files);
        const r = await child.run({ id, reader: spec.name, files: c.files }, timeoutMs, spec.warmUpMs);
        if (r === 'hang') {
          counts.hangs++;
          keep({ kind: 'hang', desc: c.desc, detail: `over ${timeoutMs} ms`, files: c.files });
        } else if ('crash' in r) {
          counts.crashes++;
          keep({ kind: 'crash', desc: c.desc, detail: r.crash, files: c.files });
        } else {
          counts.slowestMs = Math.max(counts.slowestMs, r.ms);
          if (r.outcome === 'loaded') counts.loaded++;
          else if (r.outcome === 'rejected') counts.rejected++;
          else if (r.outcome === 'unclear-message') {
            counts.unclearMessage++;
            keep({ kind: 'unclear-message', desc: c.desc, detail: r.error ?? '', files: c.files });
          } else {
            counts.wrongError++;
            keep({ kind: 'wrong-error', desc: c.desc, detail: r.error ?? '', files: c.files });
          }
          if (r.peakRiseMb > BIG_ALLOC_MB) {
            counts.bigAlloc++;
            keep({ kind: 'big-alloc', desc: c.desc, detail: `peak memory rose by ${r.peakRiseMb.toFixed(0)} MB (${r.outcome})`, files: c.files });
          }
        }
      }
    }
  } finally {
    if (!options.child) child.stop();
  }
  return counts;
}

export function formatCounts(c: FuzzCounts): string {
  return `${c.reader.padEnd(20)} ${String(c.cases).padStart(6)} cases: ${String(c.loaded).padStart(5)} loaded, ` +
    `${String(c.rejected).padStart(6)} rejected with ${c.errorClass}, ${c.wrongError} other errors, ${c.unclearMessage} unclear messages, ` +
    `${c.crashes} crashes, ${c.hangs} hangs, ${c.bigAlloc} big allocations; slowest ${c.slowestMs.toFixed(0)} ms`;
}

/** The time limit of one case of `spec` (limits.ts). */
export function caseLimitMs(spec: ReaderSpec, files: Case['files']): number {
  return spec.limitMs?.(files) ?? PLAIN_CASE_LIMIT_MS;
}

/** Reads one set of files through a child, with the same time limit and classification. */
let nextId = 1;
export async function runFiles(child: Child, spec: ReaderSpec, files: Case['files'], timeoutMs = caseLimitMs(spec, files)): Promise<ResultMessage | { crash: string } | 'hang'> {
  return child.run({ id: nextId++, reader: spec.name, files }, timeoutMs, spec.warmUpMs);
}
