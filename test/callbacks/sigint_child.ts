import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tt from '../../src/index';

/**
 * The child process of sigint.test.ts: `node sigint_child.js <mode> <dir>`, mode 'fit' (a long
 * fit with slow batches, ModelCheckpoint and TensorBoard; prints each batch, then a JSON line
 * about how fit ended), 'slow-end' (onTrainEnd takes 30 s) or 'after' (a short fit, then 30 s
 * of waiting outside fit). node --test runs every .js under test/: without arguments it does nothing.
 */

const openFds = () => (process.platform === 'linux' ? fs.readdirSync('/proc/self/fd').length : -1);
const say = (s: string) => process.stdout.write(s + '\n');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function main(mode: string, dir: string): Promise<void> {
  tt.setSeed(1);
  const model = tt.sequential([tt.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tt.layers.dense({ units: 1 })]);
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tt.randomNormal([64, 3]);
  const y = tt.randomNormal([64, 1]);
  const fdsBefore = openFds();
  let batches = 0;
  let trainEnd = false;
  const watch = tt.callbacks.lambdaCallback({
    onBatchEnd: async (batch: number) => {
      batches++;
      say(`batch ${batches}`);
      await sleep(mode === 'after' ? 0 : 25);
    },
    onTrainEnd: async () => {
      trainEnd = true;
      say('train end');
      if (mode === 'slow-end') await sleep(30_000);
    },
  });
  const history = await model.fit(x, y, {
    epochs: mode === 'after' ? 1 : 1000, batchSize: 8, verbose: 0,
    callbacks: [
      tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'last.keras') }),
      tt.callbacks.tensorBoard({ logDir: path.join(dir, 'log') }),
      watch,
    ],
  });
  say(JSON.stringify({
    interrupted: history.interrupted, stopTraining: model.stopTraining, trainEnd, batches, epochs: history.epoch.length,
    sigintListeners: process.listenerCount('SIGINT'), fdsLeaked: openFds() - fdsBefore,
  }));
  if (mode === 'after') {
    say('fit done');
    await sleep(30_000);
    say('still alive');
  }
}

if (require.main === module && process.argv.length >= 4) {
  main(process.argv[2], process.argv[3]).catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
