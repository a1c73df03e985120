import * as tt from '../../src/index';
import { backend } from '../../src/backend/registry';
import { reclaimStats } from '../../src/tensor/reclaim';

/**
 * The child process of reclaim.test.ts: `node reclaim_child.js <loop> <op> <iterations>`, loop
 * 'sync', 'async' (an await between iterations) or 'tidy' (each iteration in tt.tidy); op
 * 'matmul' (a.matMul(a).relu().sum().dataSync(), a 512x512) or 'mul' (a.mul(2).relu().sum(), the
 * same 2 MB of temporaries per iteration at a fraction of the time). Prints one JSON line: the
 * largest RSS seen (sampled every 50 iterations), the wasm memory's size, the reclaims run and a
 * checksum. node --test runs every .js under test/: without arguments it does nothing.
 */

async function main(loop: string, op: string, iterations: number): Promise<void> {
  tt.setSeed(3);
  const a = tt.randomUniform([512, 512], -0.05, 0.05);
  const step = op === 'matmul' ? () => a.matMul(a).relu().sum().dataSync()[0] : () => a.mul(2).relu().sum().dataSync()[0];
  let peak = 0;
  let check = 0;
  for (let i = 0; i < iterations; i++) {
    check += loop === 'tidy' ? tt.tidy(step) : step();
    if (loop === 'async') await new Promise<void>((r) => setImmediate(r));
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const b = backend() as { name: string; memoryBytes?: () => number };
  process.stdout.write(`${JSON.stringify({
    backend: b.name, peakRssMB: Math.round(peak / 2 ** 20), wasmMB: Math.round((b.memoryBytes?.() ?? 0) / 2 ** 20),
    reclaims: reclaimStats().reclaims, gcMs: reclaimStats().gcMs, check,
  })}\n`);
}

const [loop, op, n] = process.argv.slice(2);
if (loop !== undefined) {
  main(loop, op, Number(n)).then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
}
