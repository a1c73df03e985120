/**
 * Per-call time of the small-model GEMM shapes (seed 002 MLP at batch 32 and 128, the seed 001 dense
 * layer) on the wasm backend, with 1 and 2 threads: median microseconds of back-to-back calls and
 * GFLOP/s. --cpu reports process CPU time instead of wall time (for a loaded machine, 1 thread).
 *   node dist/bench/gemm_shapes.js [--reps 200] [--cpu] [--shapes 32x784x256,784x32x256tA]
 */
import { createWasmBackend, type WasmBackend } from '../src/backend/wasm/index';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '200'));
const useCpu = argv.includes('--cpu');
const clock = useCpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();

const DEFAULT = [
  '32x784x256', '784x32x256tA', '32x256x128', '32x128x256tB', '256x32x128tA', '32x128x10', '32x10x128tB',
  '128x784x256', '784x128x256tA', '128x128x256tB', '128x9216x128', '9216x128x128tA', '128x128x9216tB',
];
const shapes = opt('shapes', DEFAULT.join(',')).split(',').map((s) => {
  const m = /^(\d+)x(\d+)x(\d+)(tA)?(tB)?$/.exec(s);
  if (m === null) throw new Error(`bad shape ${s}: want MxKxN[tA][tB]`);
  return { name: s, M: +m[1], K: +m[2], N: +m[3], tA: m[4] !== undefined, tB: m[5] !== undefined };
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const threadCounts = useCpu ? [1] : [1, 2];
const bes = threadCounts.map((t) => [t, createWasmBackend({ threads: t })!] as [number, WasmBackend]);
// let workers boot
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
console.log(`shape            ${threadCounts.map((t) => `${t} thr: us   GFLOP/s`).join('   ')}`);
for (const s of shapes) {
  const cols: string[] = [];
  for (const [, be] of bes) {
    const a = be.alloc(s.M * s.K), b = be.alloc(s.K * s.N), c = be.alloc(s.M * s.N);
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(i);
    for (let i = 0; i < b.length; i++) b[i] = Math.cos(i);
    const ts: number[] = [];
    const inner = Math.max(1, Math.floor(2e6 / (s.M * s.K * s.N)));
    for (let r = 0; r < reps + 5; r++) {
      const t0 = clock();
      for (let i = 0; i < inner; i++) be.matMul(a, b, c, s.M, s.K, s.N, s.tA, s.tB);
      if (r >= 5) ts.push((clock() - t0) / inner);
    }
    const ms = median(ts);
    cols.push(`${(ms * 1000).toFixed(1).padStart(10)} ${(2 * s.M * s.K * s.N / ms / 1e6).toFixed(1).padStart(8)}`);
    be.free(a); be.free(b); be.free(c);
  }
  console.log(`${s.name.padEnd(16)} ${cols.join('   ')}`);
}
console.log(`load ${require('node:os').loadavg()[0].toFixed(1)}`);
process.exit(0);
