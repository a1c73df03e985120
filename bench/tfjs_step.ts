/* eslint-disable @typescript-eslint/no-explicit-any */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tt from '../src/tfjs/index';
import { benchModels } from './models';
import { setSeed } from '../src/util/rng';
import { backend } from '../src/backend/registry';

/**
 * The seed 001 training step written the TensorFlow.js way, three ways:
 * - tatami's own API (Keras semantics): model.fit on tensors;
 * - the same program through `tatami/tfjs`: tf.sequential, tf.train.adadelta, model.fit, and
 *   model.fitDataset over a tf.data pipeline;
 * - @tensorflow/tfjs's pure-JS CPU backend (one step: it takes minutes), when installed.
 * `node dist/bench/tfjs_step.js [--steps 2] [--rounds 15] [--no-tfjs]`. The tatami runs alternate
 * round by round (the order rotating), so the machine's load falls on all of them; per-step time
 * is an epoch of `steps` batches of 128 divided by `steps`; median and minimum over the rounds
 * after one warm-up round.
 * `benchTfjs` is also npm run bench's TensorFlow.js peer.
 */

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Keras's mnist_cnn written with a tfjs-style namespace (tatami/tfjs or @tensorflow/tfjs). */
export function seed001(tf: any): any {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adadelta(1.0, 0.95, 1e-7), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** One training step of seed 001 at `batch` on @tensorflow/tfjs's pure-JS backend, or null when it is not installed. */
export async function benchTfjs(batch: number): Promise<{ ms: number; cpuMs: number; version: string } | null> {
  let tf: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require('@tensorflow/tfjs');
  } catch {
    return null;
  }
  await tf.setBackend('cpu');
  const model = seed001(tf);
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await model.trainOnBatch(x, y);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, version: tf.version_core as string };
}

/**
 * What the tatami/tfjs layer adds per step, measured where the step itself is tiny (a dense
 * layer on 8 samples): the same model and SGD rule through tatami's fit and tatami/tfjs's fit.
 */
async function wrapperCost(rounds: number): Promise<{ own: number; tfjs: number }> {
  const steps = 200;
  const x = tt.randomUniform([steps * 8, 4]);
  const y = tt.randomUniform([steps * 8, 2]);
  const build = () => {
    const m = tt.sequential({ layers: [tt.layers.dense({ units: 2, inputShape: [4] })] });
    m.compile({ optimizer: tt.train.sgd(0.01), loss: 'meanSquaredError' });
    return m;
  };
  const own = build().core;
  const viaTfjs = build();
  const t: { own: number[]; tfjs: number[] } = { own: [], tfjs: [] };
  for (let r = 0; r <= rounds; r++) {
    for (const k of (r % 2 ? ['own', 'tfjs'] : ['tfjs', 'own']) as ('own' | 'tfjs')[]) {
      const t0 = performance.now();
      if (k === 'own') await own.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0 });
      else await viaTfjs.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0 });
      if (r > 0) t[k].push(((performance.now() - t0) / steps) * 1000);
    }
  }
  return { own: median(t.own), tfjs: median(t.tfjs) };
}

async function main(): Promise<void> {
  const steps = arg('steps', 2);
  const rounds = arg('rounds', 15);
  const batch = 128;
  const n = steps * batch;
  console.log(`seed 001 step through tatami/tfjs — ${new Date().toISOString().slice(0, 16)}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model}), Node ${process.version}, backend ${backend().name}, ${process.env.TATAMI_THREADS ?? os.availableParallelism()} threads, load average ${os.loadavg()[0].toFixed(1)}`);
  setSeed(0);
  const x = tt.randomUniform([n, 28, 28, 1]);
  const y = tt.oneHot(tt.floor(tt.randomUniform([n], 0, 10)).cast('int32'), 10);
  const own = benchModels.find((m) => m.name === 'mnist-cnn')!;
  const core = own.build();
  core.compile(own.compile());
  const viaTfjs = seed001(tt);
  // the same tatami/tfjs program with Keras's Adadelta kernel: the wrapper's own cost alone
  const viaTfjsKerasRule = seed001(tt);
  viaTfjsKerasRule.compile({ optimizer: own.compile().optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const ds = tt.data.array(Array.from({ length: steps }, (_, i) => ({
    xs: tt.slice(x, [i * batch, 0, 0, 0], [batch, 28, 28, 1]), ys: tt.slice(y, [i * batch, 0], [batch, 10]),
  })));
  const ways: [string, () => Promise<unknown>][] = [
    ["tatami's own API (model.fit)", () => core.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 })],
    ['tatami/tfjs model.fit', () => viaTfjs.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 })],
    ["tatami/tfjs model.fit, Keras's Adadelta", () => viaTfjsKerasRule.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 })],
    ['tatami/tfjs model.fitDataset (tf.data)', () => viaTfjs.fitDataset(ds, { epochs: 1, verbose: 0 })],
  ];
  const times: Record<string, number[]> = Object.fromEntries(ways.map(([k]) => [k, []]));
  // CPU time (all threads) per step: the work done, which a busy machine disturbs less than the clock
  const cpu: Record<string, number[]> = Object.fromEntries(ways.map(([k]) => [k, []]));
  for (let r = 0; r <= rounds; r++) {
    // the order rotates each round, so no way always runs after the same one
    for (let j = 0; j < ways.length; j++) {
      const [k, run] = ways[(j + r) % ways.length];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await run();
      const c = process.cpuUsage(c0);
      if (r > 0) {
        times[k].push((performance.now() - t0) / steps);
        cpu[k].push((c.user + c.system) / 1000 / steps);
      }
    }
  }
  const base = times[ways[0][0]];
  console.log(`\n${rounds} rounds of a ${steps}-step epoch each (batch ${batch}), alternated; ms per step`);
  console.log('| way | median ms/step | min ms/step | median vs own API | min vs own API | median CPU ms/step | CPU vs own API |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;
  const baseCpu = median(cpu[ways[0][0]]);
  for (const [k, ts] of Object.entries(times)) {
    console.log(`| ${k} | ${median(ts).toFixed(1)} | ${Math.min(...ts).toFixed(1)} | ${pct(median(ts), median(base))} | ` +
      `${pct(Math.min(...ts), Math.min(...base))} | ${median(cpu[k]).toFixed(1)} | ${pct(median(cpu[k]), baseCpu)} |`);
  }
  const cost = await wrapperCost(rounds);
  console.log(`\nper-step cost of the tatami/tfjs layer (dense 4->2, batch 8, 200 steps per epoch, ${rounds} rounds): ` +
    `own ${cost.own.toFixed(0)} us, tatami/tfjs ${cost.tfjs.toFixed(0)} us per step, difference ${(cost.tfjs - cost.own).toFixed(0)} us ` +
    `= ${(((cost.tfjs - cost.own) / 1000 / median(base)) * 100).toFixed(3)}% of the seed 001 median step above`);
  const tfjs = process.argv.includes('--no-tfjs') ? null : await benchTfjs(batch);
  if (tfjs) console.log(`\n@tensorflow/tfjs ${tfjs.version} pure-JS cpu backend, one step: ${(tfjs.ms / 1000).toFixed(1)} s wall, ` +
    `${(tfjs.cpuMs / 1000).toFixed(1)} s CPU (${(tfjs.ms / median(base)).toFixed(0)}x tatami's median step; CPU ${(tfjs.cpuMs / baseCpu).toFixed(0)}x)`);
  else console.log('\n@tensorflow/tfjs: skipped or not installed');
}

if (require.main === module) void main();
