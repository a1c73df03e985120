/**
 * Same-run A/B of a whole training step: steps alternate between the default kernels and an
 * environment override (default TATAMI_WINOGRAD_TILE=2: Winograd's 2x2 tiles in place of
 * F(4x4, 3x3) / F(3x3, 4x4)), CPU time per step (run with TATAMI_THREADS=1), medians.
 *   node dist/bench/conv_step_ab.js [--model mnist-cnn] [--batch 128] [--steps 10] [--env NAME=VALUE]
 */
import { trainStep } from '../src/training/step';
import { benchStepSetup } from './models';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const name = opt('model', 'mnist-cnn');
const batch = Number(opt('batch', '128'));
const steps = Number(opt('steps', '10'));
const [envName, envValue] = opt('env', 'TATAMI_WINOGRAD_TILE=2').split('=');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

const { model, x, y } = benchStepSetup(name, batch);
const current: number[] = [];
const override: number[] = [];
for (let i = 0; i < steps + 1; i++) {
  for (const alt of [false, true]) {
    if (alt) process.env[envName] = envValue;
    else delete process.env[envName];
    const t0 = cpu();
    trainStep(model, x, y);
    if (i > 0) (alt ? override : current).push(cpu() - t0);
  }
}
delete process.env[envName];
console.log(`${name} batch ${batch}: default ${median(current).toFixed(1)} ms CPU per step, with ${envName}=${envValue} ${median(override).toFixed(1)} ms (medians of ${steps}; load ${require('node:os').loadavg()[0].toFixed(1)})`);
process.exit(0);
