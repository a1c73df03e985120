import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWeightFile } from '../../src/saving/application_weights';
import { applicationWeightSeeds, smallModel } from '../fuzz/seeds';

/**
 * Child process of h5_quiet.test.ts: loads a damaged weights file through both HDF5 builds (the
 * Node build reads application weights in place, the in-memory build reads loadWeights's
 * bytes) and prints each error on stdout, so the test can see what reached stderr. Does nothing
 * unless started by that test (node --test also runs every .js under test/).
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-h5-quiet-'));
  try {
    const bytes = Buffer.from((await applicationWeightSeeds())[0]['w.h5']);
    bytes[1000] ^= 0x52; // inside an object header: HDF5 prints its error stack about the checksum
    const file = join(dir, 'w.h5');
    writeFileSync(file, bytes);
    const loads: [string, () => Promise<unknown>][] = [
      ['in place', () => loadWeightFile(smallModel(false), file)],
      ['in memory', () => smallModel(false).loadWeights(file)],
    ];
    for (const [how, load] of loads) {
      try {
        await load();
        console.log(`${how}: loaded`);
      } catch (e) {
        console.log(`${how}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.TATAMI_H5_QUIET_CHILD === '1') void main();
