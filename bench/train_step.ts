import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Tensor } from '../src/tensor/tensor';
import { backend } from '../src/backend/registry';
import { setSeed } from '../src/util/rng';
import { trainStep } from '../src/training/step';
import { benchModels } from './models';
import { benchTfjs } from './tfjs_step';

/**
 * `npm run bench`: median milliseconds per training step (forward + backward + update) at batch
 * 128 for the seed models on tatami, and on PyTorch (Debian's python3-torch, 2 threads) in the
 * same run when it is installed; the ratios; peak RSS. Options: --steps N, --batch N, --json FILE, --no-tfjs (skip the minutes-long TensorFlow.js step).
 */

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
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

export function benchTatami(steps: number, batch: number): Record<string, { median_ms: number; runs: number[] }> {
  const out: Record<string, { median_ms: number; runs: number[] }> = {};
  for (const m of benchModels) {
    setSeed(0);
    const model = m.build();
    model.compile(m.compile());
    const [x, y] = randomBatch([batch, ...m.inputShape]);
    const runs: number[] = [];
    for (let i = 0; i < steps + 2; i++) {
      const t0 = performance.now();
      trainStep(model, x, y);
      if (i >= 2) runs.push(performance.now() - t0);
    }
    out[m.name] = { median_ms: median(runs), runs };
  }
  return out;
}

export function benchTorch(steps: number, batch: number): Record<string, unknown> | null {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return null;
  const r = spawnSync(py, [`${__dirname}/../../bench/torch_step.py`, '--steps', String(steps), '--batch', String(batch), '--threads', String(os.availableParallelism())], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch peer unavailable: ${(r.stderr || '').trim().split('\n').pop()}\n`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const steps = arg('steps', 10);
  const batch = arg('batch', 128);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tatami training-step benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} cores (${cpu}), Node ${process.version}`);
  console.log(`backend: ${backend().name}; batch ${batch}; median of ${steps} steps after 2 warm-up steps`);
  const tatami = benchTatami(steps, batch);
  const torch = benchTorch(steps, batch);
  const rows = benchModels.map((m) => {
    const t = tatami[m.name].median_ms;
    const p = torch ? (torch[m.name] as { median_ms: number }).median_ms : NaN;
    return { model: `${m.name} (seed ${m.seed})`, tatami: t, torch: p, ratio: p / t };
  });
  console.log('');
  console.log('| model | tatami ms/step | PyTorch ms/step | tatami speed-up |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.model} | ${r.tatami.toFixed(1)} | ${Number.isNaN(r.torch) ? 'n/a' : r.torch.toFixed(1)} | ${Number.isNaN(r.ratio) ? 'n/a' : r.ratio.toFixed(2) + 'x'} |`);
  }
  if (torch) console.log(`\nPyTorch ${torch.torch as string}, ${torch.threads as number} threads`);
  const tfjs = process.argv.includes('--no-tfjs') ? null : await benchTfjs(batch);
  if (tfjs) {
    const t = tatami['mnist-cnn'].median_ms;
    console.log(`TensorFlow.js ${tfjs.version} (pure-JS cpu backend), seed 001, one step: ${(tfjs.ms / 1000).toFixed(1)} s — tatami ${(tfjs.ms / t).toFixed(0)}x faster`);
  } else {
    console.log('TensorFlow.js: not installed (npm install --no-save @tensorflow/tfjs@4.22 to include its pure-JS backend)');
  }
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt >= 0) fs.writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ tatami, torch, rows }, null, 2));
}

if (require.main === module) void main();
