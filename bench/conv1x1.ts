/**
 * 1x1 stride-1 convolutions of ResNet50/InceptionV3 training (batch 8): the wasm backend's
 * convolution kernels against the same products as plain matMuls (X (P x inC) · W (inC x outC),
 * dY · W^T, X^T · dY), median milliseconds per call. --cpu: process CPU time (use with 1 thread).
 *   node dist/bench/conv1x1.js [--reps 9] [--batch 8] [--cpu]
 */
import type { Conv2DInfo } from '../src/backend/backend';
import { createWasmBackend } from '../src/backend/wasm/index';

const argv = process.argv.slice(2);
const opt = (n: string, d: string) => (argv.includes('--' + n) ? argv[argv.indexOf('--' + n) + 1] : d);
const reps = Number(opt('reps', '9'));
const batch = Number(opt('batch', '8'));
const useCpu = argv.includes('--cpu');
const clock = useCpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();
const be = createWasmBackend({})!;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = clock();
    fn();
    ts.push(clock() - t0);
  }
  return median(ts);
}

const shapes: [number, number, number][] = [
  [56, 64, 64], [56, 64, 256], [56, 256, 64], [28, 128, 512], [28, 512, 128], [14, 256, 1024], [14, 1024, 256],
  [7, 512, 2048], [7, 2048, 512], [35, 288, 64], [17, 768, 192], [8, 2048, 320],
];
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
console.log(`batch ${batch}, ${be.threads} thread(s), ${useCpu ? 'CPU' : 'wall'} ms: conv kernel / matMul`);
console.log('map x inC->outC        forward           input grad        filter grad');
for (const [hw, inC, outC] of shapes) {
  const c: Conv2DInfo = {
    batch, inH: hw, inW: hw, inC, outH: hw, outW: hw, outC, kH: 1, kW: 1,
    strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0,
  };
  const P = batch * hw * hw;
  const x = be.alloc(P * inC), w = be.alloc(inC * outC), y = be.alloc(P * outC), dx = be.alloc(P * inC), dw = be.alloc(inC * outC);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
  for (let i = 0; i < w.length; i++) w[i] = Math.cos(i);
  for (let i = 0; i < y.length; i++) y[i] = Math.sin(0.3 * i);
  const f = [time(() => be.conv2d(x, w, y, c)), time(() => be.matMul(x, w, y, P, inC, outC, false, false))];
  const bi = [time(() => be.conv2dBackpropInput(y, w, dx, c)), time(() => be.matMul(y, w, dx, P, outC, inC, false, true))];
  const bf = [time(() => be.conv2dBackpropFilter(x, y, dw, c)), time(() => be.matMul(x, y, dw, inC, P, outC, true, false))];
  const cell = (v: number[]) => `${v[0].toFixed(2).padStart(7)} /${v[1].toFixed(2).padStart(7)}`;
  console.log(`${`${hw}x${hw} ${inC}->${outC}`.padEnd(20)} ${cell(f)}   ${cell(bi)}   ${cell(bf)}`);
  for (const a of [x, w, y, dx, dw]) be.free(a);
}
process.exit(0);
