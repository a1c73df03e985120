/**
 * Same-run A/B of a wasm tuning knob on whole training steps: the thread hand-off threshold
 * (MIN_GEMM_MADDS_PER_THREAD), alternating A and B every round so load drifts hit both alike.
 * Median ms per step of each variant (wall time, or process CPU time with --cpu).
 *   node dist/bench/step_ab.js [--only mnist-mlp@32,...] [--rounds 15] [--steps 10] [--a 524288] [--b 2097152] [--cpu]
 */
import * as context from '../src/backend/wasm/context';
import { trainStep } from '../src/training/step';
import { benchStepSetup } from './models';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const only = opt('only', 'mnist-mlp@32,mnist-mlp@128,mnist-tutorial-cnn@32,mnist-tutorial-cnn@128,lenet@128').split(',');
const rounds = Number(opt('rounds', '15'));
const steps = Number(opt('steps', '10'));
const variants = [Number(opt('a', String(1 << 19))), Number(opt('b', String(1 << 21)))];
const useCpu = argv.includes('--cpu');
const clock = useCpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();
const knobs = context as unknown as { MIN_GEMM_MADDS_PER_THREAD: number };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const key of only) {
  const [name, b] = key.split('@');
  const batch = Number(b);
  const { model, x, y } = benchStepSetup(name, batch);
  const times: number[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, vi) => {
      knobs.MIN_GEMM_MADDS_PER_THREAD = v;
      trainStep(model, x, y);
      for (let s = 0; s < steps; s++) {
        const t0 = clock();
        trainStep(model, x, y);
        times[vi].push(clock() - t0);
      }
    });
  }
  const med = times.map(median);
  console.log(`${key.padEnd(24)} ${variants.map((v, i) => `${v}: ${med[i].toFixed(2)} ms`).join('  ')}  B/A ${(med[1] / med[0]).toFixed(2)}`);
}
console.log(`load ${require('node:os').loadavg()[0].toFixed(1)}`);
process.exit(0);
