import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Tensor } from '../src/tensor/tensor';
import { scope } from '../src/tensor/engine';
import { noGrad } from '../src/autograd/tape';
import { backend } from '../src/backend/registry';
import { setSeed } from '../src/util/rng';
import { trainStep } from '../src/training/step';
import { inceptionV3, mobileNetV2, resNet50 } from '../src/applications/index';
import type { LayersModel } from '../src/models/functional';
import { SGD } from '../src/optimizers/index';
import { profileBackend } from './kernel_profile';

/**
 * `npm run bench:apps`: Keras's application networks (random weights, with the 1,000-class top) on
 * tatami beside torchvision's same networks on PyTorch (Debian's python3-torch, 2 threads), in the
 * same run: images per second of inference at batch 32, and milliseconds per training step
 * (forward, backward, SGD with momentum). Medians of --runs timed runs after one warm-up.
 * The training batch is 8: a ResNet50 step holds about 240 MB per image (activations kept for the
 * backward pass and their gradients), so batch 16 passes the wasm backend's 4 GiB memory.
 * Options: --runs N (default 3), --train-batch N (default 8), --only resnet50,mobilenetv2,inceptionv3,
 * --no-torch, --profile (one training step per network, time per kernel), --json FILE.
 */

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Net {
  name: string;
  size: number;
  build: () => LayersModel;
}

const NETS: Net[] = [
  { name: 'resnet50', size: 224, build: () => resNet50({ weights: null }) },
  { name: 'mobilenetv2', size: 224, build: () => mobileNetV2({ weights: null }) },
  { name: 'inceptionv3', size: 190, build: () => inceptionV3({ weights: null, inputShape: [190, 190, 3] }) },
];

function randomImages(n: number, size: number): Tensor {
  const x = Tensor.empty([n, size, size, 3]);
  const v = x.f32;
  for (let i = 0; i < v.length; i++) v[i] = Math.random() * 2 - 1;
  return x;
}

function oneHot(n: number, classes: number): Tensor {
  const y = Tensor.empty([n, classes]);
  for (let i = 0; i < n; i++) y.f32[i * classes + Math.floor(Math.random() * classes)] = 1;
  return y;
}

function timeRuns(runs: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    fn();
    if (i > 0) out.push(performance.now() - t0);
  }
  return out;
}

export interface NetResult { inference_ms: number[]; train_ms: number[]; images_per_s: number; train_ms_median: number }

function benchTatami(net: Net, runs: number, inferBatch: number, trainBatch: number): NetResult {
  setSeed(0);
  const model = net.build();
  model.compile({ optimizer: new SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'categoricalCrossentropy' });
  const x = randomImages(inferBatch, net.size);
  const inference = timeRuns(runs, () => scope(() => noGrad(() => model.forward(x, false))));
  const xt = trainBatch === inferBatch ? x : randomImages(trainBatch, net.size);
  const y = oneHot(trainBatch, 1000);
  const train = timeRuns(runs, () => trainStep(model, xt, y));
  return { inference_ms: inference, train_ms: train, images_per_s: (inferBatch * 1000) / median(inference), train_ms_median: median(train) };
}

/** The peer's environment: as this process has it, minus the OpenBLAS overrides that would slow it. */
function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function benchTorch(nets: Net[], runs: number, inferBatch: number, trainBatch: number): Record<string, unknown> | null {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return null;
  const r = spawnSync(py, [`${__dirname}/../../bench/torch_apps.py`, '--runs', String(runs), '--infer-batch', String(inferBatch),
    '--train-batch', String(trainBatch), '--threads', '2', '--nets', nets.map((n) => `${n.name}:${n.size}`).join(',')],
  { encoding: 'utf8', env: peerEnv(), maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch peer unavailable: ${(r.stderr || '').trim().split('\n').slice(-3).join(' / ')}\n`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function profile(net: Net, trainBatch: number): void {
  setSeed(0);
  const model = net.build();
  model.compile({ optimizer: new SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'categoricalCrossentropy' });
  const x = randomImages(trainBatch, net.size);
  const y = oneHot(trainBatch, 1000);
  trainStep(model, x, y);
  const prof = profileBackend(backend());
  const t0 = performance.now();
  trainStep(model, x, y);
  const total = performance.now() - t0;
  const rows = prof.stop();
  console.log(`\nprofile: ${net.name} ${net.size}x${net.size}, one training step at batch ${trainBatch}: ${total.toFixed(0)} ms`);
  console.log('| kernel | calls | ms | share |');
  console.log('|---|---:|---:|---:|');
  let kernels = 0;
  for (const r of rows) {
    kernels += r.ms;
    if (r.ms >= total * 0.005) console.log(`| ${r.name} | ${r.calls} | ${r.ms.toFixed(0)} | ${((100 * r.ms) / total).toFixed(1)}% |`);
  }
  console.log(`| (outside kernels: ops, autograd, allocation) | | ${(total - kernels).toFixed(0)} | ${((100 * (total - kernels)) / total).toFixed(1)}% |`);
}

function main(): void {
  const runs = Number(arg('runs', '3'));
  const inferBatch = 32;
  const trainBatch = Number(arg('train-batch', '8'));
  const only = arg('only', '').split(',').filter((s) => s !== '');
  const nets = NETS.filter((n) => only.length === 0 || only.includes(n.name));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tatami applications benchmark — ${new Date().toISOString()}, ${os.availableParallelism()} cores (${cpu}), Node ${process.version}`);
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`backend: ${backend().name}; inference batch ${inferBatch}, training batch ${trainBatch}; median of ${runs} runs after 1 warm-up`);
  if (process.argv.includes('--profile')) {
    for (const net of nets) profile(net, trainBatch);
    return;
  }
  const tatami: Record<string, NetResult> = {};
  for (const net of nets) tatami[net.name] = benchTatami(net, runs, inferBatch, trainBatch);
  const torch = process.argv.includes('--no-torch') ? null : benchTorch(nets, runs, inferBatch, trainBatch);
  console.log('');
  console.log('| network | input | tatami img/s (inference) | PyTorch img/s | tatami ms/step (training) | PyTorch ms/step | tatami speed-up inference / training |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const net of nets) {
    const t = tatami[net.name];
    const p = torch ? (torch[net.name] as NetResult) : null;
    const fmt = (v: number | undefined, d: number) => (v === undefined ? 'n/a' : v.toFixed(d));
    const ratio = p ? `${(t.images_per_s / p.images_per_s).toFixed(2)}x / ${(p.train_ms_median / t.train_ms_median).toFixed(2)}x` : 'n/a';
    console.log(`| ${net.name} | ${net.size}x${net.size} | ${fmt(t.images_per_s, 1)} | ${fmt(p?.images_per_s, 1)} | ${fmt(t.train_ms_median, 0)} | ${fmt(p?.train_ms_median, 0)} | ${ratio} |`);
  }
  if (torch) console.log(`\nPyTorch ${torch.torch as string}, torchvision ${torch.torchvision as string}, ${torch.threads as number} threads, BLAS: ${torch.blas as string}`);
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt >= 0) fs.writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ tatami, torch }, null, 2));
}

if (require.main === module) main();
