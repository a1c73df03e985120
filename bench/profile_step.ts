/**
 * Where a training step goes: every backend kernel wrapped with a timer, milliseconds per step by
 * kernel (and by conv shape for the convolutions), for one bench model.
 *   node dist/bench/profile_step.js [--model mnist-cnn] [--batch 128] [--steps 8] [--cpu] [--median]
 */
import { backend } from '../src/backend/registry';
import type { Conv2DInfo } from '../src/backend/backend';
import { trainStep } from '../src/training/step';
import { benchStepSetup } from './models';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const name = opt('model', 'mnist-cnn');
const batch = Number(opt('batch', '128'));
const steps = Number(opt('steps', '8'));

// --cpu: process CPU time instead of wall time (robust on a loaded machine; meaningful with TATAMI_THREADS=1)
const useCpu = argv.includes('--cpu');
const clock = useCpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();
const totals = new Map<string, number>();
/** Per step: milliseconds by kernel key (medians over steps are robust to preemption on a loaded machine). */
const perStep: Map<string, number>[] = [];
let current = new Map<string, number>();
let recording = false;
const be = backend() as unknown as Record<string, unknown>;
for (const k of Object.keys(be)) {
  const f = be[k];
  if (typeof f !== 'function' || k === 'alloc' || k === 'free' || k === 'allocUninit') continue;
  be[k] = (...args: unknown[]) => {
    const t0 = clock();
    const r = (f as (...a: unknown[]) => unknown)(...args);
    if (recording) {
      let key = k;
      if (k.startsWith('conv2d')) {
        const c = args[3] as Conv2DInfo;
        key = `${k} ${c.inH}x${c.inW}x${c.inC}->${c.outH}x${c.outW}x${c.outC}`;
      } else if (k === 'matMul') key = `matMul ${args[3]}x${args[4]}x${args[5]}${args[6] ? ' tA' : ''}${args[7] ? ' tB' : ''}`;
      else if (k === 'unary' || k === 'unaryGrad' || k === 'binary') key = `${k} ${args[0] as string}`;
      const dt = clock() - t0;
      totals.set(key, (totals.get(key) ?? 0) + dt);
      current.set(key, (current.get(key) ?? 0) + dt);
    }
    return r;
  };
}

const { model, x, y } = benchStepSetup(name, batch);
for (let i = 0; i < 2; i++) trainStep(model, x, y);
recording = true;
const t0 = performance.now();
const c0 = process.cpuUsage();
const stepMs: number[] = [];
for (let i = 0; i < steps; i++) {
  const s0 = clock();
  trainStep(model, x, y);
  stepMs.push(clock() - s0);
  perStep.push(current);
  current = new Map();
}
const total = (performance.now() - t0) / steps;
const median = (xs: number[]) => { const q = [...xs].sort((a, b) => a - b); return q[Math.floor(q.length / 2)]; };
const cpu = process.cpuUsage(c0);
let inKernels = 0;
const rows = [...totals].sort((a, b) => b[1] - a[1]);
for (const [k, v] of rows) {
  inKernels += v / steps;
  console.log(`${(v / steps).toFixed(2).padStart(8)} ms  ${k}`);
}
if (argv.includes('--median')) {
  // medians over steps, per kernel and for the step: a preempted step does not count
  let sum = 0;
  const med = rows.map(([k]) => [k, median(perStep.map((m) => m.get(k) ?? 0))] as [string, number]).sort((a, b) => b[1] - a[1]);
  console.log('medians over steps:');
  for (const [k, v] of med) {
    sum += v;
    console.log(`${v.toFixed(3).padStart(8)} ms  ${k}`);
  }
  const st = median(stepMs);
  console.log(`${st.toFixed(3).padStart(8)} ms  step median (${(st - sum).toFixed(3)} outside kernels)`);
}
console.log(`${total.toFixed(1).padStart(8)} ms  step (${(total - inKernels).toFixed(1)} outside kernels); CPU time ${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} ms per step (all threads); load ${require('node:os').loadavg()[0].toFixed(1)}`);
