import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../src/cli/main';

/**
 * `npm run reproduce`: trains every built-in seed example on real MNIST with `tatami train`
 * (full settings, seed 1), then seed 003's fine-tuning on Fashion-MNIST (fashion-transfer), and
 * prints the results tables that README.md records.
 * Options: --only name[,name], --out DIR (default runs/reproduce).
 */

const SEEDS: [string, string, string][] = [
  ['mnist-cnn', '001', '≥ 99.1%'],
  ['mnist-tutorial-cnn', '004', '≥ 99.0%'],
  ['mnist-simple-cnn', '000', '≥ 98.0%'],
  ['mnist-mlp', '002', '≥ 98.0%'],
];

async function run(): Promise<void> {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : null;
  const outAt = process.argv.indexOf('--out');
  const root = path.resolve(outAt >= 0 ? process.argv[outAt + 1] : 'runs/reproduce');
  const rows: string[] = [];
  for (const [name, seed, target] of SEEDS) {
    if (only && !only.includes(name)) continue;
    const dir = path.join(root, name);
    const code = await main(['train', name, '--out', dir, '--seed', '1', '--verbose', '2']);
    if (code !== 0) throw new Error(`tatami train ${name} exited with ${code}`);
    const r = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
    const hist = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
    rows.push(`| ${name} (seed ${seed}) | ${hist.epoch.length} | ${r.results.testLoss.toFixed(4)} | ${(r.results.testAccuracy * 100).toFixed(2)}% | ${target} | ${r.reference} | ${(r.results.trainSeconds / 60).toFixed(1)} min |`);
  }
  const transfer = !only || only.includes(TRANSFER) ? await fashionTransfer(path.join(root, TRANSFER)) : [];
  if (rows.length) {
    console.log('\n| example | epochs | test loss | test accuracy | target | seed reported | training time |');
    console.log('|---|---:|---:|---:|---|---|---:|');
    for (const r of rows) console.log(r);
  }
  for (const r of transfer) console.log(r);
}

const TRANSFER = 'fashion-transfer';

/** Seed 003's fine-tuning on Fashion-MNIST: its table (one row per step) as README.md has it. */
async function fashionTransfer(dir: string): Promise<string[]> {
  const t0 = Date.now();
  const code = await main(['train', TRANSFER, '--out', dir, '--seed', '1', '--verbose', '2']);
  if (code !== 0) throw new Error(`tatami train ${TRANSFER} exited with ${code}`);
  const r = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  const table = r.table as Array<{ split: string; epochs: number; 'trainable params': number; loss: number; accuracy: number; seconds: number }>;
  return [
    `\n${TRANSFER}: ${((Date.now() - t0) / 60000).toFixed(1)} min in all`,
    '| step | epochs | trainable params | test loss | test accuracy | time |',
    '|---|---:|---:|---:|---:|---:|',
    ...table.map((t) => `| ${t.split} | ${t.epochs} | ${t['trainable params'].toLocaleString('en-US')} | ${t.loss.toFixed(4)} | ${(t.accuracy * 100).toFixed(2)}% | ${t.seconds} s |`),
  ];
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
