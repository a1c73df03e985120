/**
 * Same-run A/B of the 3x3 convolution kernels: direct lowering, Winograd F(2x2, 3x3) and F(4x4, 3x3)
 * for the forward and input-gradient passes, calls alternated in one process, CPU time per call
 * (run with TATAMI_THREADS=1), medians; and each one's float32 error against a float64 direct sum
 * on sampled outputs, as max |error| / max |y|.
 *   node dist/bench/conv_ab.js [--reps 7] [--shape seed|resnet|all]
 */
import type { Conv2DInfo } from '../src/backend/backend';
import { createWasmBackend } from '../src/backend/wasm/index';
import { Rng } from '../src/util/rng';
import { filter64, forward64 } from './conv_reference';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '7'));
const which = opt('shape', 'all');

function info(batch: number, inH: number, inW: number, inC: number, outC: number, same: boolean): Conv2DInfo {
  const outH = same ? inH : inH - 2, outW = same ? inW : inW - 2, p = same ? 1 : 0;
  return {
    batch, inH, inW, inC, outH, outW, outC, kH: 3, kW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
    padTop: p, padLeft: p,
  };
}

const allShapes: [string, Conv2DInfo][] = [
  ['seed001 conv2 26x26x32->24x24x64 b128', info(128, 26, 26, 32, 64, false)],
  ['seed001 conv1-like 28x28x8->26x26x32 b128', info(128, 28, 28, 8, 32, false)],
  ['resnet50 56x56x64->64 same b8', info(8, 56, 56, 64, 64, true)],
  ['resnet50 28x28x128->128 same b8', info(8, 28, 28, 128, 128, true)],
  ['resnet50 14x14x256->256 same b8', info(8, 14, 14, 256, 256, true)],
  ['resnet50 7x7x512->512 same b8', info(8, 7, 7, 512, 512, true)],
  ['cifar 32x32x32->32 same b32', info(32, 32, 32, 32, 32, true)],
  ['inceptionv3 45x45x80->43x43x192 b8', info(8, 45, 45, 80, 192, false)],
];
const shapes = allShapes.filter(([n]) => which === 'all' || n.startsWith(which));

const be = createWasmBackend({ threads: Number(process.env.TATAMI_THREADS ?? 1) })!;
const rng = new Rng(7);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

const modes: [string, Record<string, string>][] = [
  ['direct', { TATAMI_WINOGRAD: '0' }],
  ['F(2,3)', { TATAMI_WINOGRAD_TILE: '2' }],
  ['F(4,3)', {}],
];
function withEnv<T>(env: Record<string, string>, f: () => T): T {
  const keys = ['TATAMI_WINOGRAD', 'TATAMI_WINOGRAD_TILE'];
  const saved = keys.map((k) => process.env[k]);
  for (const k of keys) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return f();
  } finally {
    keys.forEach((k, i) => { if (saved[i] === undefined) delete process.env[k]; else process.env[k] = saved[i]; });
  }
}

for (const [name, c] of shapes) {
  const x = be.alloc(c.batch * c.inH * c.inW * c.inC);
  const w = be.alloc(9 * c.inC * c.outC);
  const y = be.alloc(c.batch * c.outH * c.outW * c.outC);
  const dx = be.alloc(x.length);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform() * 2 - 1;
  const wScale = Math.sqrt(2 / (9 * c.inC));
  for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * wScale;
  const dy = be.alloc(y.length);
  for (let i = 0; i < dy.length; i++) dy[i] = rng.uniform() * 2 - 1;
  // errors of the forward pass on 3000 sampled outputs
  const picks: number[][] = [];
  for (let i = 0; i < 3000; i++) {
    picks.push([Math.floor(rng.uniform() * c.batch), Math.floor(rng.uniform() * c.outH), Math.floor(rng.uniform() * c.outW),
      Math.floor(rng.uniform() * c.outC)]);
  }
  const exact = picks.map(([n, oh, ow, k]) => forward64(x, w, c, n, oh, ow, k));
  const scale = Math.max(...exact.map(Math.abs));
  const times: Record<string, { fwd: number[]; bin: number[]; bfil: number[] }> = {};
  const dw = be.alloc(w.length);
  const fpicks: number[][] = [];
  for (let i = 0; i < 150; i++) fpicks.push([Math.floor(rng.uniform() * 3), Math.floor(rng.uniform() * 3), Math.floor(rng.uniform() * c.inC), Math.floor(rng.uniform() * c.outC)]);
  const fexact = fpicks.map(([kh, kw, ci, k]) => filter64(x, dy, c, kh, kw, ci, k));
  const fscale = Math.max(...fexact.map(Math.abs));
  const ferrs: Record<string, number> = {};
  const errs: Record<string, number> = {};
  for (const [m, env] of modes) {
    times[m] = { fwd: [], bin: [], bfil: [] };
    withEnv(env, () => be.conv2d(x, w, y, c));
    let e = 0;
    picks.forEach(([n, oh, ow, k], i) => {
      e = Math.max(e, Math.abs(y[((n * c.outH + oh) * c.outW + ow) * c.outC + k] - exact[i]));
    });
    errs[m] = e / scale;
    withEnv(env, () => be.conv2dBackpropFilter(x, dy, dw, c));
    e = 0;
    fpicks.forEach(([kh, kw, ci, k], i) => { e = Math.max(e, Math.abs(dw[((kh * 3 + kw) * c.inC + ci) * c.outC + k] - fexact[i])); });
    ferrs[m] = e / fscale;
  }
  for (let r = 0; r < reps; r++) {
    for (const [m, env] of modes) {
      withEnv(env, () => {
        let t0 = cpu();
        be.conv2d(x, w, y, c);
        times[m].fwd.push(cpu() - t0);
        t0 = cpu();
        be.conv2dBackpropInput(dy, w, dx, c);
        times[m].bin.push(cpu() - t0);
        t0 = cpu();
        be.conv2dBackpropFilter(x, dy, dw, c);
        times[m].bfil.push(cpu() - t0);
      });
    }
  }
  console.log(name);
  for (const [m] of modes) {
    console.log(`  ${m.padEnd(7)} forward ${median(times[m].fwd).toFixed(2).padStart(8)} ms  backpropInput ${median(times[m].bin).toFixed(2).padStart(8)} ms  backpropFilter ${median(times[m].bfil).toFixed(2).padStart(8)} ms  error/max: fwd ${errs[m].toExponential(2)} filter ${ferrs[m].toExponential(2)}`);
  }
}
process.exit(0);
