/**
 * Per-call CPU time of the convolutions that take the lowering (non-Winograd) paths in ResNet50
 * (batch 8, 224x224) and InceptionV3 (190x190) training, and of two Winograd 3x3 layers (seed 001's
 * conv2 at batch 128, ResNet50's 56x56x64, --only wino): forward, input and filter gradient, median
 * milliseconds over --reps calls. Run with TATAMI_THREADS=1; for an A/B between two builds, run
 * both builds' copies of this file in alternation and compare medians. --env NAME=a,b,...: the same
 * calls in one process with the environment variable NAME at each value ('-' unset), alternated
 * call by call (a same-run A/B of a kernel switch such as TATAMI_WINOGRAD).
 *   node dist/bench/conv_calls.js [--reps 5] [--only 7x7x512] [--env TATAMI_WINOGRAD=-,0]
 */
import type { Conv2DInfo } from '../src/backend/backend';
import { createWasmBackend } from '../src/backend/wasm/index';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '5'));
const only = opt('only', '');
const [envName, envValues] = opt('env', '=-').split('=');
const settings = envValues.split(',');
const be = createWasmBackend({ threads: Number(process.env.TATAMI_THREADS ?? 1) })!;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** name, input size, inC, outC, kernel, stride, 'same' padding */
const shapes: [string, number, number, number, number, number, number, number, boolean][] = [
  ['r50 3x3 7x7x512->512', 8, 7, 7, 512, 512, 3, 3, true],
  ['wino s001 conv2 26x26x32->64', 128, 26, 26, 32, 64, 3, 3, false],
  ['wino r50 3x3 56x56x64->64', 8, 56, 56, 64, 64, 3, 3, true],
  ['r50 1x1/2 56x56x256->128', 8, 56, 56, 256, 128, 1, 1, false],
  ['r50 1x1/2 28x28x512->1024', 8, 28, 28, 512, 1024, 1, 1, false],
  ['r50 1x1/2 14x14x1024->2048', 8, 14, 14, 1024, 2048, 1, 1, false],
  ['r50 7x7/2 224x224x3->64', 8, 230, 230, 3, 64, 7, 7, false],
  ['i3 1x7 10x10x192->192', 8, 10, 10, 192, 192, 1, 7, true],
  ['i3 7x1 10x10x160->160', 8, 10, 10, 160, 160, 7, 1, true],
  ['i3 3x3/2 21x21x288->384', 8, 21, 21, 288, 384, 3, 3, false],
  ['i3 5x5 21x21x48->64', 8, 21, 21, 48, 64, 5, 5, true],
];

function info(batch: number, inH: number, inW: number, inC: number, outC: number, kH: number, kW: number, same: boolean,
  stride: number): Conv2DInfo {
  const outH = same ? Math.ceil(inH / stride) : Math.floor((inH - kH) / stride) + 1;
  const outW = same ? Math.ceil(inW / stride) : Math.floor((inW - kW) / stride) + 1;
  const padTop = same ? Math.floor(Math.max(0, (outH - 1) * stride + kH - inH) / 2) : 0;
  const padLeft = same ? Math.floor(Math.max(0, (outW - 1) * stride + kW - inW) / 2) : 0;
  return { batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, padTop, padLeft };
}

Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
console.log(`${be.threads} thread(s), CPU ms per call (median of ${reps}): forward / input grad / filter grad${envName === '' ? '' : `; ${envName} = ${settings.join(' | ')}`}`);
for (const [name, batch, inH, inW, inC, outC, kH, kW, same] of shapes) {
  if (only && !name.includes(only)) continue;
  const stride = name.includes('/2') ? 2 : 1;
  const c = info(batch, inH, inW, inC, outC, kH, kW, same, stride);
  const x = be.alloc(batch * inH * inW * inC), w = be.alloc(kH * kW * inC * outC);
  const y = be.alloc(batch * c.outH * c.outW * outC), dx = be.alloc(x.length), dw = be.alloc(w.length);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
  for (let i = 0; i < w.length; i++) w[i] = Math.cos(i) * 0.05;
  const t: number[][][] = settings.map(() => [[], [], []]);
  for (let r = 0; r <= reps; r++) {
    settings.forEach((v, i) => {
      if (envName !== '') {
        if (v === '-') delete process.env[envName];
        else process.env[envName] = v;
      }
      const t0 = cpu();
      be.conv2d(x, w, y, c);
      const t1 = cpu();
      be.conv2dBackpropInput(y, w, dx, c);
      const t2 = cpu();
      be.conv2dBackpropFilter(x, y, dw, c);
      const t3 = cpu();
      if (r > 0) { t[i][0].push(t1 - t0); t[i][1].push(t2 - t1); t[i][2].push(t3 - t2); }
    });
  }
  const cells = t.map((ti) => ti.map((v) => median(v).toFixed(2).padStart(8)).join(' '));
  console.log(`${name.padEnd(30)} ${cells.join('  |')}`);
  for (const a of [x, w, y, dx, dw]) be.free(a);
}
console.log(`load ${require('node:os').loadavg()[0].toFixed(1)}`);
process.exit(0);
