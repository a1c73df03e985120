import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// the main entry point loads the saving module that ModelCheckpoint needs
import '../src/index';
import { examples } from '../src/cli/examples/index';
import { prepareData } from '../src/cli/prepare';
import { fitExample } from '../src/cli/fit_example';
import { backend } from '../src/backend/registry';
import { live } from '../src/tensor/engine';
import { setSeed } from '../src/util/rng';
import { reclaimStats } from '../src/tensor/reclaim';
import { EarlyStopping } from '../src/callbacks/early_stopping';
import { backupAndRestore } from '../src/callbacks/backup_and_restore';
import type { CallbackLike } from '../src/callbacks/callback';
import type { Sequential } from '../src/models/sequential';

/**
 * Long-run memory soak: trains a built-in seed example for N epochs (its own callbacks, minus
 * EarlyStopping so every epoch runs) and records after each epoch the process RSS, the JS heap,
 * the ArrayBuffers outside the arena, the wasm arena (bytes in use and total size) and the live
 * tensor count.
 *
 *   node dist/bench/soak.js mnist-mlp --epochs 50 [--limit N] [--backup] [--log soak.jsonl]
 *
 * --backup puts a BackupAndRestore first, as `tatami train` does (the main job's callbacks).
 * Prints one line per epoch, then a summary: RSS after epoch 1, the last epoch and the largest,
 * and the drift from epoch 1 in percent (the issue asks for under 5%).
 */

interface Sample {
  epoch: number;
  seconds: number;
  rssMB: number;
  heapMB: number;
  /** The JS heap's size (used + free pages V8 keeps). */
  heapTotalMB: number;
  /** Memory of C++ objects bound to JS objects, ArrayBuffers included. */
  externalMB: number;
  /** ArrayBuffers outside the wasm arena: the dataset's pixels, h5wasm's memory once a backup or checkpoint is written. */
  arrayBuffersMB: number;
  arenaLiveMB: number;
  arenaMB: number;
  tensors: number;
  /** Forced collections so far (values made outside fit's scopes past the budget). */
  reclaims: number;
  loss: number;
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const MB = 1 / (1024 * 1024);

function arenaBytes(): { used: number; total: number } {
  const b = backend() as { liveBytes?: () => number; memoryBytes?: () => number };
  return { used: b.liveBytes?.() ?? 0, total: b.memoryBytes?.() ?? 0 };
}

async function run(): Promise<void> {
  const name = process.argv[2];
  const ex = examples[name];
  if (!ex) throw new Error(`unknown example '${name}'; one of ${Object.keys(examples).join(', ')}`);
  const epochs = Number(flag('--epochs') ?? ex.epochs);
  const limit = flag('--limit') === undefined ? undefined : Number(flag('--limit'));
  const logPath = flag('--log');
  setSeed(1);
  const data = await prepareData(ex, { limit });
  const model = ex.buildModel() as Sequential;
  model.compile(ex.compileArgs());
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `tatami-soak-${name}-`));
  const own = (ex.callbacks?.(runDir) ?? []).filter((c) => !(c instanceof EarlyStopping));
  if (process.argv.includes('--backup')) own.unshift(backupAndRestore({ backupDir: path.join(runDir, 'backup') }));
  const samples: Sample[] = [];
  const t0 = Date.now();
  const log = logPath ? fs.openSync(logPath, 'a') : null;
  console.log(`# soak ${name}: ${epochs} epochs, batch ${ex.batchSize}, callbacks ${own.map((c) => c.constructor.name).join(', ') || 'none'}, backend ${backend().name}, `
    + `node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);
  const recorder: CallbackLike = {
    onEpochEnd(epoch: number, logs?: Record<string, number>) {
      const mem = process.memoryUsage();
      const arena = arenaBytes();
      const s: Sample = {
        epoch: epoch + 1, seconds: Math.round((Date.now() - t0) / 1000),
        rssMB: +(mem.rss * MB).toFixed(1), heapMB: +(mem.heapUsed * MB).toFixed(1), heapTotalMB: +(mem.heapTotal * MB).toFixed(1),
        externalMB: +(mem.external * MB).toFixed(1), arrayBuffersMB: +(mem.arrayBuffers * MB).toFixed(1),
        arenaLiveMB: +(arena.used * MB).toFixed(1), arenaMB: +(arena.total * MB).toFixed(1),
        tensors: live.tensors, reclaims: reclaimStats().reclaims, loss: +(logs?.loss ?? NaN).toFixed(4),
      };
      samples.push(s);
      const line = JSON.stringify(s);
      console.log(line);
      if (log !== null) fs.writeSync(log, `${line}\n`);
    },
  };
  await fitExample(model, ex, data, { batchSize: ex.batchSize, epochs, verbose: 0, callbacks: [...own, recorder] });
  fs.rmSync(runDir, { recursive: true, force: true });
  const first = samples[0];
  const last = samples[samples.length - 1];
  const max = samples.reduce((m, s) => (s.rssMB > m.rssMB ? s : m), first);
  const drift = ((last.rssMB - first.rssMB) / first.rssMB) * 100;
  const maxDrift = ((max.rssMB - first.rssMB) / first.rssMB) * 100;
  const summary = `# ${name}: RSS after epoch 1 ${first.rssMB} MB, after epoch ${last.epoch} ${last.rssMB} MB `
    + `(${drift >= 0 ? '+' : ''}${drift.toFixed(1)}%), largest ${max.rssMB} MB at epoch ${max.epoch} (+${maxDrift.toFixed(1)}%); `
    + `arena ${first.arenaMB} -> ${last.arenaMB} MB, in use ${first.arenaLiveMB} -> ${last.arenaLiveMB} MB; `
    + `live tensors ${first.tensors} -> ${last.tensors}; ${last.seconds} s`;
  console.log(summary);
  if (log !== null) {
    fs.writeSync(log, `${summary}\n`);
    fs.closeSync(log);
  }
}

run().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
