/**
 * CPU time of one training step of a Keras application by backend kernel, the convolutions keyed by
 * kind and shape (kHxkW/stride inH x inW x inC -> outH x outW x outC), so a profile says which conv
 * shapes take the time. Run with TATAMI_THREADS=1 for CPU times that add up.
 *   node dist/bench/conv_shapes.js [resnet50|inceptionv3] [batch 8]
 */
import type { Conv2DInfo } from '../src/backend/backend';
import { backend } from '../src/backend/registry';
import { Tensor } from '../src/tensor/tensor';
import { setSeed } from '../src/util/rng';
import { trainStep } from '../src/training/step';
import { inceptionV3, resNet50 } from '../src/applications/index';
import { SGD } from '../src/optimizers/index';

const which = process.argv[2] ?? 'resnet50';
const batch = Number(process.argv[3] ?? 8);
if (which !== 'resnet50' && which !== 'inceptionv3') throw new Error(`conv_shapes: unknown network '${which}' (resnet50, inceptionv3)`);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const be = backend() as unknown as Record<string, unknown>;
const totals = new Map<string, [number, number]>();
let recording = false;
for (const k of Object.keys(be)) {
  const f = be[k];
  if (typeof f !== 'function' || ['alloc', 'free', 'allocUninit', 'allocInt32'].includes(k)) continue;
  be[k] = (...a: unknown[]) => {
    const t0 = cpu();
    const r = (f as (...a: unknown[]) => unknown)(...a);
    if (recording) {
      let key = k;
      if (k.startsWith('conv2d')) {
        const c = a[3] as Conv2DInfo;
        key = `${k} ${c.depthwise ? 'dw ' : ''}${c.kH}x${c.kW}/${c.strideH} ${c.inH}x${c.inW}x${c.inC}->${c.outH}x${c.outW}x${c.outC}`;
      }
      const e = totals.get(key) ?? [0, 0];
      e[0] += cpu() - t0;
      e[1]++;
      totals.set(key, e);
    }
    return r;
  };
}
setSeed(0);
const size = which === 'inceptionv3' ? 190 : 224;
const model = which === 'inceptionv3' ? inceptionV3({ weights: null, inputShape: [190, 190, 3] }) : resNet50({ weights: null });
model.compile({ optimizer: new SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'categoricalCrossentropy' });
const x = Tensor.empty([batch, size, size, 3]);
for (let i = 0; i < x.f32.length; i++) x.f32[i] = Math.random() * 2 - 1;
const y = Tensor.empty([batch, 1000]);
for (let i = 0; i < batch; i++) y.f32[i * 1000 + i] = 1;
trainStep(model, x, y);
recording = true;
const c0 = cpu();
trainStep(model, x, y);
const total = cpu() - c0;
const rows = [...totals].sort((a, b) => b[1][0] - a[1][0]);
const kinds = new Map<string, number>();
for (const [k, [ms]] of rows) {
  const kind = k.replace(/ \d+x\d+x\d+->.*/, '');
  kinds.set(kind, (kinds.get(kind) ?? 0) + ms);
}
console.log(`${which} batch ${batch}: step ${total.toFixed(0)} ms CPU`);
for (const [k, ms] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${ms.toFixed(1).padStart(9)}  ${k}`);
console.log('--- by shape (ms, calls)');
for (const [k, [ms, n]] of rows.slice(0, 30)) console.log(`${ms.toFixed(1).padStart(9)} ${String(n).padStart(3)}  ${k}`);
process.exit(0);
