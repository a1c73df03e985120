import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killRun } from '../test/fuzz/kill';

/** `npm run fuzz:kill`: 100 SIGKILLs during model.save / saveWeights / ModelCheckpoint (TATAMI_KILLS to change). */
async function main(): Promise<void> {
  const kills = Number(process.env.TATAMI_KILLS ?? 100);
  const dir = mkdtempSync(join(tmpdir(), 'tatami-kill-'));
  try {
    const t0 = Date.now();
    const r = await killRun(dir, kills, Number(process.env.TATAMI_KILL_SEED ?? 7));
    console.log(`${r.kills} kills during .keras/.h5 saves, saveWeights and ModelCheckpoint: ${r.old} found the old complete file, ` +
      `${r.newer} the new complete file, ${r.damaged.length} damaged; ${r.leftoverTemporaries} temporaries left by the killed writers, ` +
      `${r.leftoverAfterNextWrite} after the next write; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    for (const d of r.damaged) console.log(`  damaged (${d.mode}): ${d.reason}`);
    process.exitCode = r.damaged.length === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
