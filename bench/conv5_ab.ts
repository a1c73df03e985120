/**
 * Same-run A/B of the 5x5 convolution kernels: the direct lowering (TATAMI_WINOGRAD5=0) against
 * Winograd F(2x2, 5x5) / F(5x5, 2x2) (winograd5.ts), calls alternated in one process, CPU time per
 * call (run with TATAMI_THREADS=1), medians; and each pass's float32 error against a float64 sum on
 * sampled outputs, as max |error| / max |exact| (the task's bar: 1e-5).
 *   node dist/bench/conv5_ab.js [--reps 7] [--only lenet]
 */
import type { Conv2DInfo } from '../src/backend/backend';
import { createWasmBackend } from '../src/backend/wasm/index';
import { Rng } from '../src/util/rng';
import { filter64, forward64, input64 } from './conv_reference';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '7'));
const only = opt('only', '');

function info(batch: number, inH: number, inC: number, outC: number, same: boolean): Conv2DInfo {
  const outH = same ? inH : inH - 4, p = same ? 2 : 0;
  return {
    batch, inH, inW: inH, inC, outH, outW: outH, outC, kH: 5, kW: 5, strideH: 1, strideW: 1, dilationH: 1,
    dilationW: 1, padTop: p, padLeft: p,
  };
}

const allShapes: [string, Conv2DInfo][] = [
  ['lenet conv2 14x14x20->50 same b128', info(128, 14, 20, 50, true)],
  ['lenet conv2 14x14x20->50 same b32', info(32, 14, 20, 50, true)],
  ['5x5 32x32x64->64 same b32', info(32, 32, 64, 64, true)],
  ['5x5 28x28x32->64 valid b64', info(64, 28, 32, 64, false)],
  ['inceptionv3 5x5 21x21x48->64 same b8', info(8, 21, 48, 64, true)],
  ['5x5 16x16x128->128 same b8', info(8, 16, 128, 128, true)],
  ['5x5 16x16x256->256 same b4', info(4, 16, 256, 256, true)],
];
const shapes = allShapes.filter(([n]) => n.includes(only));

const be = createWasmBackend({ threads: Number(process.env.TATAMI_THREADS ?? 1) })!;
const rng = new Rng(7);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const pick = (n: number) => Math.floor(rng.uniform() * n);

/** max |got - exact| / max |exact| over the sampled indices. */
function relError(got: Float32Array, idx: number[], exact: number[]): number {
  let e = 0, m = 0;
  idx.forEach((i, j) => { e = Math.max(e, Math.abs(got[i] - exact[j])); m = Math.max(m, Math.abs(exact[j])); });
  return e / m;
}

const modes: [string, string | undefined][] = [['direct', '0'], ['F(2,5)', undefined]];
const setMode = (v: string | undefined) => { if (v === undefined) delete process.env.TATAMI_WINOGRAD5; else process.env.TATAMI_WINOGRAD5 = v; };

console.log(`${be.threads} thread(s), CPU ms per call (median of ${reps}); error = max |error| / max |exact| against float64`);
for (const [name, c] of shapes) {
  const x = be.alloc(c.batch * c.inH * c.inW * c.inC), w = be.alloc(25 * c.inC * c.outC);
  const y = be.alloc(c.batch * c.outH * c.outW * c.outC), dy = be.alloc(y.length), dx = be.alloc(x.length), dw = be.alloc(w.length);
  // relu-like activations (a quarter zero), He-scaled weights, a signed gradient
  for (let i = 0; i < x.length; i++) x[i] = Math.max(0, rng.uniform() * 4 - 1);
  const wScale = Math.sqrt(2 / (25 * c.inC));
  for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * wScale;
  for (let i = 0; i < dy.length; i++) dy[i] = (rng.uniform() * 2 - 1) * 1e-3;
  const yIdx: number[] = [], yExact: number[] = [], xIdx: number[] = [], xExact: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const [n, oh, ow, k] = [pick(c.batch), pick(c.outH), pick(c.outW), pick(c.outC)];
    yIdx.push(((n * c.outH + oh) * c.outW + ow) * c.outC + k);
    yExact.push(forward64(x, w, c, n, oh, ow, k));
    const [ih, iw, ci] = [pick(c.inH), pick(c.inW), pick(c.inC)];
    xIdx.push(((n * c.inH + ih) * c.inW + iw) * c.inC + ci);
    xExact.push(input64(dy, w, c, n, ih, iw, ci));
  }
  const wIdx: number[] = [], wExact: number[] = [];
  for (let i = 0; i < 100; i++) {
    const [kh, kw, ci, k] = [pick(5), pick(5), pick(c.inC), pick(c.outC)];
    wIdx.push(((kh * 5 + kw) * c.inC + ci) * c.outC + k);
    wExact.push(filter64(x, dy, c, kh, kw, ci, k));
  }
  const times = modes.map(() => [[], [], []] as number[][]);
  const errs: string[] = [];
  for (let r = 0; r <= reps; r++) {
    modes.forEach(([, v], i) => {
      setMode(v);
      const t0 = cpu();
      be.conv2d(x, w, y, c);
      const t1 = cpu();
      be.conv2dBackpropInput(dy, w, dx, c);
      const t2 = cpu();
      be.conv2dBackpropFilter(x, dy, dw, c);
      const t3 = cpu();
      if (r > 0) { times[i][0].push(t1 - t0); times[i][1].push(t2 - t1); times[i][2].push(t3 - t2); }
      else errs.push([relError(y, yIdx, yExact), relError(dx, xIdx, xExact), relError(dw, wIdx, wExact)].map((e) => e.toExponential(1)).join(' / '));
    });
  }
  console.log(name);
  modes.forEach(([m], i) => {
    const [f, bi, bf] = times[i].map(median);
    console.log(`  ${m.padEnd(7)} forward ${f.toFixed(2).padStart(7)}  input grad ${bi.toFixed(2).padStart(7)}  filter grad ${bf.toFixed(2).padStart(7)} ms   error ${errs[i]}`);
  });
  for (const a of [x, w, y, dy, dx, dw]) be.free(a);
}
setMode(undefined);
console.log(`load ${require('node:os').loadavg()[0].toFixed(1)}`);
process.exit(0);
