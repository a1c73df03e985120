import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Backend, ResampleInfo } from '../src/backend/backend';
import { backend, setBackend } from '../src/backend/registry';
import { createJsBackend } from '../src/backend/js/index';
import { createWasmBackend } from '../src/backend/wasm/index';
import { layers } from '../src/layers/index';
import { sequential } from '../src/models/sequential';
import { optimizers } from '../src/optimizers/index';
import { affineMatrix, IDENTITY, MATRIX_STRIDE } from '../src/preprocessing/affine_matrix';
import { ImageDataGenerator } from '../src/preprocessing/image_data_generator';
import { drawTransform } from '../src/preprocessing/transform_params';
import { Tensor } from '../src/tensor/tensor';
import { trainStep } from '../src/training/step';
import { Rng, setSeed } from '../src/util/rng';

/**
 * `npm run bench`, after the step benchmarks: the cost of seed 003's augmentation (widthShift 0.1,
 * heightShift 0.1, horizontalFlip on 128 CIFAR-sized 32x32x3 images) against its training step.
 * Medians of milliseconds per batch for: ImageDataGenerator.flow's whole batch production (batches
 * disposed after use, as fit does, and kept), the resampleImages kernel alone, each on the js and
 * the wasm backend; a training step of the seed 003 net; PyTorch's equivalent when torchvision is
 * installed (bench/torch_augment.py). Options: --runs N (batches), --steps N (training steps).
 */

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median ms of fn over `runs` calls after 3 warm-up calls. */
function time(runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const BATCH = 128;
const H = 32, W = 32, C = 3;
const OPTIONS = { widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true };

/** The seed 003 net (Keras's cifar10_cnn example), RMSprop as the seed compiles it. */
function seed003() {
  const model = sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [H, W, C] }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.dropout({ rate: 0.25 }),
    layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.dropout({ rate: 0.25 }),
    layers.flatten(),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function images(n: number): [Tensor, Tensor] {
  const rng = new Rng(3);
  const x = Tensor.fromArray(Float32Array.from({ length: n * H * W * C }, () => rng.uniform()), [n, H, W, C]);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(rng.uniform() * 10)] = 1;
  return [x, Tensor.fromArray(y, [n, 10])];
}

function flowMs(x: Tensor, y: Tensor, runs: number, dispose: boolean): number {
  const it = new ImageDataGenerator(OPTIONS).flow(x, y, { batchSize: BATCH, seed: 1 });
  return time(runs, () => {
    const [xb, yb] = it.next().value;
    if (dispose) {
      xb.dispose();
      yb.dispose();
    }
  });
}

function kernelMs(b: Backend, runs: number): number {
  const rng = new Rng(4);
  const matrices = new Float64Array(BATCH * MATRIX_STRIDE);
  const flips = new Uint8Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const p = drawTransform(new ImageDataGenerator(OPTIONS).ranges, H, W, rng);
    matrices.set(affineMatrix(p, H, W) ?? IDENTITY, i * MATRIX_STRIDE);
    flips[i] = p.flipHorizontal ? 1 : 0;
  }
  const n = BATCH * H * W * C;
  const x = b.alloc(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform();
  const y = b.alloc(n);
  const info: ResampleInfo = {
    batch: BATCH, inH: H, inW: W, channels: C, outH: H, outW: W, family: 'ndimage', interpolation: 'bilinear', fillMode: 'nearest', fillValue: 0,
  };
  const ms = time(runs, () => b.resampleImages(x, matrices, flips, y, info));
  b.free(x);
  b.free(y);
  return ms;
}

function torchFigures(runs: number, steps: number): Record<string, number | string> | null {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return null;
  const r = spawnSync(py, [`${__dirname}/../../bench/torch_augment.py`, '--runs', String(runs), '--steps', String(steps),
    '--threads', String(os.availableParallelism())], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch peer unavailable: ${(r.stderr || '').trim().split('\n').pop()}\n`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function main(): void {
  const runs = arg('runs', 30);
  const steps = arg('steps', 5);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const wasm = createWasmBackend();
  if (!wasm) throw new Error('the wasm backend did not load (npm run build:wasm)');
  const js = createJsBackend();
  console.log(`\ntatami augmentation benchmark (seed 003) — ${os.availableParallelism()} cores (${cpu}), Node ${process.version}, wasm ${wasm.threads} threads`);
  console.log(`batch ${BATCH} x ${H}x${W}x${C}, ${JSON.stringify(OPTIONS)}; medians of ${runs} batches, ${steps} training steps; load average ${os.loadavg()[0].toFixed(1)}`);
  const [x, y] = images(1024);
  const rows: [string, number, number][] = [];
  const prev = backend();
  const per: Record<string, { kept: number; disposed: number; kernel: number }> = {};
  for (const [name, b] of [['js', js], ['wasm', wasm]] as const) {
    setBackend(b);
    per[name] = { disposed: flowMs(x, y, runs, true), kept: flowMs(x, y, runs, false), kernel: kernelMs(b, runs) };
  }
  setBackend(wasm);
  setSeed(0);
  const model = seed003();
  const [xs, ys] = images(BATCH);
  const step = time(steps, () => trainStep(model, xs, ys));
  setBackend(prev);
  rows.push(['flow() batch, disposed after use', per.js.disposed, per.wasm.disposed]);
  rows.push(['flow() batch, kept (left to GC)', per.js.kept, per.wasm.kept]);
  rows.push(['resampleImages kernel alone', per.js.kernel, per.wasm.kernel]);
  console.log('');
  console.log('| ms per batch of 128 | js backend | wasm backend |');
  console.log('|---|---:|---:|');
  for (const [what, a, b] of rows) console.log(`| ${what} | ${a.toFixed(2)} | ${b.toFixed(2)} |`);
  console.log(`| seed 003 training step (wasm) | | ${step.toFixed(1)} |`);
  console.log(`augmentation / step (wasm, disposed): ${((100 * per.wasm.disposed) / step).toFixed(1)}% (budget 10%)`);

  const torch = torchFigures(runs, steps);
  if (torch) {
    console.log(`\nPyTorch ${torch.torch}, torchvision ${torch.torchvision}, ${torch.threads} threads:`);
    console.log(`  per-image RandomAffine(translate=0.1) + RandomHorizontalFlip, stacked: ${(torch.per_image_ms as number).toFixed(2)} ms`);
    console.log(`  batched affine_grid + grid_sample (bilinear, border) + flips:        ${(torch.batched_ms as number).toFixed(2)} ms`);
    console.log(`  seed 003 training step: ${(torch.step_ms as number).toFixed(1)} ms; per-image augmentation / step ${((100 * (torch.per_image_ms as number)) / (torch.step_ms as number)).toFixed(1)}%`);
  } else {
    console.log('\nPyTorch/torchvision not installed: no peer figures');
  }
}

main();
process.exit(0);
