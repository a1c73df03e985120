import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killRun } from './kill';

// SIGKILL during model.save (.keras, .h5), saveWeights and a ModelCheckpoint callback, at seeded
// random moments (the 100-kill run: npm run fuzz:kill). After every kill the file loads and holds
// one complete version; the temporaries of killed writers are removed by the next write.

const KILLS = Number(process.env.TATAMI_KILL_TEST_KILLS ?? 8);

describe(`kill -9 during writes (${KILLS} kills)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('leaves the old file or the new one, never a damaged one', async (t) => {
    const r = await killRun(dir, KILLS, 2026);
    t.diagnostic(`${r.kills} kills: ${r.old} old versions, ${r.newer} new versions, ${r.damaged.length} damaged; ` +
      `${r.leftoverTemporaries} temporaries left by killed writers, ${r.leftoverAfterNextWrite} after the next write`);
    assert.equal(r.kills, KILLS);
    assert.deepEqual(r.damaged, []);
    assert.equal(r.old + r.newer, KILLS);
    assert.equal(r.leftoverAfterNextWrite, 0);
  });
});
