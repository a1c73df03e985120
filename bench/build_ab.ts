/**
 * Same-process A/B of whole builds: each argument is a directory holding a built copy of the
 * project (its dist/, e.g. `cp -r dist /tmp/before/` before a change to the wasm kernels), each
 * loaded with its own wasm module. CPU time (run with TATAMI_THREADS=1), alternated call by call
 * so load drifts hit every build alike; medians.
 *   --conv: the three passes of seed 001's conv2 (batch 128) and ResNet50's 56x56x64 3x3 (batch 8),
 *           on a relu-like input with a blank band and a dense output gradient; max |difference|
 *           of the first build's results against the last's ("same bits" when identical)
 *   --step [--model mnist-cnn] [--batch 128]: training steps
 *   node dist/bench/build_ab.js --conv|--step [--reps 11] DIR_A DIR_B ...
 */
import * as path from 'node:path';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '11'));
const valued = new Set(['--reps', '--model', '--batch']);
const dirs = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1])).map((d) => path.resolve(d));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const label = (d: string) => path.basename(d);
const load = (d: string, m: string) => require(path.join(d, 'dist', m));

interface Conv { batch: number; inH: number; inW: number; inC: number; outH: number; outW: number; outC: number;
  kH: number; kW: number; strideH: number; strideW: number; dilationH: number; dilationW: number; padTop: number; padLeft: number }

function conv(): void {
  const bes = dirs.map((d) => load(d, 'src/backend/wasm/index').createWasmBackend({ threads: Number(process.env.TATAMI_THREADS ?? 1) }));
  for (const [name, N, H, C, K, pad] of [['s001 conv2 26x26x32->64', 128, 26, 32, 64, 0], ['r50 56x56x64->64', 8, 56, 64, 64, 1]] as const) {
    const oH = H - 2 + 2 * pad;
    const c: Conv = { batch: N, inH: H, inW: H, inC: C, outH: oH, outW: oH, outC: K, kH: 3, kW: 3, strideH: 1, strideW: 1,
      dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad };
    const bufs = bes.map((be) => {
      const x = be.alloc(N * H * H * C), w = be.alloc(9 * C * K), y = be.alloc(N * oH * oH * K);
      const dy = be.alloc(y.length), dx = be.alloc(x.length), dw = be.alloc(w.length);
      for (let i = 0; i < x.length; i++) x[i] = Math.floor(i / C) % H < 4 ? 0 : Math.max(0, Math.sin(i));
      for (let i = 0; i < w.length; i++) w[i] = Math.cos(i) * 0.05;
      for (let i = 0; i < dy.length; i++) dy[i] = Math.sin(i * 0.7);
      return { x, w, y, dy, dx, dw } as Record<string, Float32Array>;
    });
    const t = bes.map(() => [[], [], []] as number[][]);
    for (let r = 0; r <= reps; r++) {
      bes.forEach((be, i) => {
        const b = bufs[i];
        const t0 = cpu(); be.conv2d(b.x, b.w, b.y, c);
        const t1 = cpu(); be.conv2dBackpropInput(b.dy, b.w, b.dx, c);
        const t2 = cpu(); be.conv2dBackpropFilter(b.x, b.dy, b.dw, c);
        const t3 = cpu();
        if (r > 0) { t[i][0].push(t1 - t0); t[i][1].push(t2 - t1); t[i][2].push(t3 - t2); }
      });
    }
    const diff = (k: string) => {
      const a = bufs[0][k], b = bufs[bufs.length - 1][k];
      let m = 0, same = true;
      for (let j = 0; j < a.length; j++) { m = Math.max(m, Math.abs(a[j] - b[j])); same &&= Object.is(a[j], b[j]); }
      return same ? 'same bits' : m.toExponential(1);
    };
    console.log(`${name}: forward / input grad / filter grad ms`);
    t.forEach((ti, i) => console.log(`  ${label(dirs[i]).padEnd(16)} ${ti.map((v) => median(v).toFixed(2).padStart(7)).join(' ')}`));
    console.log(`  first vs last: y ${diff('y')}, dx ${diff('dx')}, dw ${diff('dw')}`);
  }
}

function step(): void {
  const runs = dirs.map((d) => {
    const { trainStep } = load(d, 'src/training/step');
    const setup = load(d, 'bench/models').benchStepSetup(opt('model', 'mnist-cnn'), Number(opt('batch', '128')));
    return { trainStep, ...setup, t: [] as number[] };
  });
  for (let i = 0; i <= reps; i++) {
    for (const r of runs) {
      const t0 = cpu();
      r.trainStep(r.model, r.x, r.y);
      if (i > 0) r.t.push(cpu() - t0);
    }
  }
  console.log(`${opt('model', 'mnist-cnn')} batch ${opt('batch', '128')}, ms CPU per step (medians of ${reps}): `
    + runs.map((r, i) => `${label(dirs[i])} ${median(r.t).toFixed(1)}`).join(' | '));
}

if (argv.includes('--step')) step();
else conv();
console.log(`load ${require('node:os').loadavg()[0].toFixed(1)}`);
process.exit(0);
