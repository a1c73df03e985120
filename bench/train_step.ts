import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Tensor } from '../src/tensor/tensor';
import { backend } from '../src/backend/registry';
import { setSeed } from '../src/util/rng';
import { trainStep } from '../src/training/step';
import { benchModels, type BenchModel } from './models';
import { benchTfjs } from './tfjs_step';

/**
 * `npm run bench`: median milliseconds per training step (forward + backward + update) of the seed
 * models at their batch sizes, and the seed 001 model's prediction throughput at batch 1000, on
 * tatami and on PyTorch (Debian's python3-torch, 2 threads, OpenBLAS) in the same run; the ratios;
 * the CPU, the BLAS PyTorch loaded, the load average and the peak RSS.
 * The peer runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment, so that
 * OpenBLAS picks its own kernels (some machines set them for old OpenBLAS builds).
 * Options: --steps N (10), --only NAME[,NAME] (models by name), --images N (predicted images, 2000),
 * --no-torch, --no-tfjs (skip the minutes-long TensorFlow.js step), --json FILE, --peer-threads N (2),
 * --cpu (training steps timed in process CPU time on both sides), --rounds N (1: tatami then the
 * peer, N times over, so that a drift of the machine's load between the two phases hits both; each
 * side's time is its median over the rounds, the speed-up the median of the rounds' ratios).
 */

const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.indexOf('--' + name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function randomBatch(shape: number[]): [Tensor, Tensor] {
  const x = Tensor.empty(shape);
  for (let i = 0; i < x.size; i++) x.values[i] = Math.random();
  const y = Tensor.empty([shape[0], 10]);
  for (let i = 0; i < shape[0]; i++) y.values[i * 10 + Math.floor(Math.random() * 10)] = 1;
  return [x, y];
}

/** A benchmark case: a training step at a batch size, or prediction throughput at a batch size. */
export interface Case {
  key: string; // 'mnist-cnn@128' or 'predict:mnist-cnn@1000', the peer's name for it
  model: BenchModel;
  batch: number;
  predict: boolean;
}

export type Timing = { median_ms: number; runs: number[] };

/**
 * --cpu: process CPU time per step on both sides instead of wall time (for a loaded machine; run
 * with TATAMI_THREADS=1 and --peer-threads 1, where CPU time is the time a quiet core would take).
 */
const useCpu = argv.includes('--cpu');
const clock = useCpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();

function trainCase(c: Case, steps: number): Timing {
  setSeed(0);
  const model = c.model.build();
  model.compile(c.model.compile());
  const [x, y] = randomBatch([c.batch, ...c.model.inputShape]);
  const runs: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = clock();
    trainStep(model, x, y);
    if (i >= 2) runs.push(clock() - t0);
  }
  x.dispose();
  y.dispose();
  return { median_ms: median(runs), runs };
}

/** Milliseconds to predict `images` images at the case's batch size: 3 runs after one warm-up. */
function predictCase(c: Case, images: number): Timing {
  setSeed(0);
  const model = c.model.build();
  model.compile(c.model.compile());
  const [x, y] = randomBatch([images, ...c.model.inputShape]);
  const runs: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const p = model.predict(x, { batchSize: c.batch }) as Tensor;
    if (i >= 1) runs.push(performance.now() - t0);
    p.dispose();
  }
  x.dispose();
  y.dispose();
  return { median_ms: median(runs), runs };
}

export function benchTatami(cases: Case[], steps: number, images: number): Record<string, Timing> {
  const out: Record<string, Timing> = {};
  for (const c of cases) out[c.key] = c.predict ? predictCase(c, images) : trainCase(c, steps);
  return out;
}

/** Everything that names the peer's setup: torch version, threads, CPU, loaded BLAS, OpenBLAS variables. */
export interface TorchResult {
  torch: string;
  threads: number;
  cpu: string;
  blas: string[];
  blas_info: string;
  env: Record<string, string>;
  cases: Record<string, Timing>;
}

export function benchTorch(cases: Case[], steps: number, images: number): TorchResult | null {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return null;
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = [`${__dirname}/../../bench/torch_step.py`, '--steps', String(steps), '--images', String(images), '--threads', arg('peer-threads') ?? '2',
    ...(useCpu ? ['--clock', 'cpu'] : []), ...cases.map((c) => c.key)];
  const r = spawnSync(py, args, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch peer unavailable: ${(r.stderr || '').trim().split('\n').pop()}\n`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchResult;
}

function blasAlternative(): string {
  const r = spawnSync('update-alternatives', ['--query', 'libblas.so.3-x86_64-linux-gnu'], { encoding: 'utf8' });
  const m = /^Value: (.*)$/m.exec(r.stdout ?? '');
  return m ? m[1] : 'unknown (update-alternatives gave nothing)';
}

function allCases(): Case[] {
  const only = arg('only')?.split(',');
  const cases: Case[] = [];
  for (const m of benchModels) {
    if (only && !only.includes(m.name)) continue;
    for (const b of m.batches) cases.push({ key: `${m.name}@${b}`, model: m, batch: b, predict: false });
    if (m.name === 'mnist-cnn') cases.push({ key: `predict:${m.name}@1000`, model: m, batch: 1000, predict: true });
  }
  return cases;
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const steps = Number(arg('steps') ?? 10);
  const images = Number(arg('images') ?? 2000);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tatami training-step benchmark — ${new Date().toISOString().slice(0, 16)}Z, ${os.availableParallelism()} cores (${cpu}), Node ${process.version}`);
  console.log(`backend: ${backend().name}; median of ${steps} steps after 2 warm-up steps; prediction: ${images} images, median of 3 runs`);
  console.log(`load average at start: ${loadavg()}`);
  const cases = allCases();
  const rounds = Math.max(1, Number(arg('rounds') ?? 1));
  const tatamiRounds: Record<string, Timing>[] = [];
  const torchRounds: TorchResult[] = [];
  for (let r = 0; r < rounds; r++) {
    tatamiRounds.push(benchTatami(cases, steps, images));
    const t = argv.includes('--no-torch') ? null : benchTorch(cases, steps, images);
    if (t) torchRounds.push(t);
  }
  const tatami = tatamiRounds[0];
  const torch = torchRounds.length === rounds ? torchRounds[0] : null;
  const rows = cases.map((c) => {
    const ts = tatamiRounds.map((t) => t[c.key].median_ms);
    const ps = torch ? torchRounds.map((t) => t.cases[c.key].median_ms) : [];
    const ratios = ps.map((p, i) => p / ts[i]);
    return {
      case: c.key, seed: c.model.seed, predict: c.predict, tatami: median(ts), torch: torch ? median(ps) : NaN,
      ratio: torch ? median(ratios) : NaN, roundRatios: ratios,
    };
  });
  if (rounds > 1) console.log(`${rounds} rounds, tatami then the peer in each; times are medians over the rounds, speed-ups the median of the rounds' ratios`);
  console.log('');
  console.log('| case (model@batch) | seed | tatami | PyTorch | tatami speed-up |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    const fmt = (ms: number) => Number.isNaN(ms) ? 'n/a' : r.predict ? `${((images / ms) * 1000).toFixed(0)} img/s` : `${ms.toFixed(1)} ms`;
    const each = r.roundRatios.length > 1 ? ` (${r.roundRatios.map((x) => x.toFixed(2)).join(', ')})` : '';
    console.log(`| ${r.case} | ${r.seed} | ${fmt(r.tatami)} | ${fmt(r.torch)} | ${Number.isNaN(r.ratio) ? 'n/a' : r.ratio.toFixed(2) + 'x'}${each} |`);
  }
  console.log(`\nload average at end: ${loadavg()}`);
  if (torch) {
    console.log(`PyTorch ${torch.torch}, ${torch.threads} threads, CPU ${torch.cpu}; BLAS_INFO=${torch.blas_info}; loaded: ${torch.blas.join(', ')}`);
    console.log(`libblas.so.3 alternative: ${blasAlternative()}; the peer's environment: ${Object.entries(torch.env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    console.log(`this shell's OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'} OPENBLAS_L2_SIZE=${process.env.OPENBLAS_L2_SIZE ?? '(unset)'} (removed for the peer)`);
  }
  const tfjs = argv.includes('--no-tfjs') || !tatami['mnist-cnn@128'] ? null : await benchTfjs(128);
  if (tfjs) {
    const t = tatami['mnist-cnn@128'].median_ms;
    console.log(`TensorFlow.js ${tfjs.version} (pure-JS cpu backend), seed 001, one step: ${(tfjs.ms / 1000).toFixed(1)} s — tatami ${(tfjs.ms / t).toFixed(0)}x faster`);
  } else if (!argv.includes('--no-tfjs')) {
    console.log('TensorFlow.js: not installed (npm install --no-save @tensorflow/tfjs@4.22 to include its pure-JS backend)');
  }
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const jsonAt = arg('json');
  if (jsonAt) {
    fs.writeFileSync(jsonAt, JSON.stringify({ tatami: tatamiRounds, torch: torchRounds, rows, loadavg: os.loadavg() }, null, 2));
  }
}

if (require.main === module) void main();
