import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWeightFile } from '../../src/saving/application_weights';
import { ModelFileError } from '../../src/saving/files';
import { writeH5File } from '../../src/saving/h5_write';
import { applicationWeightSeeds, smallModel } from '../fuzz/seeds';

// Weights read in place (h5_disk.ts) are first walked by a worker kept between files, under a
// time limit: a probe past the limit is a ModelFileError, and the next file gets a new worker.

describe('HDF5 in place: the probing worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-h5-probe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('reads files one after another, stops a probe past its time limit, and works again after it', async () => {
    const file = join(dir, 'w.h5');
    writeFileSync(file, (await applicationWeightSeeds())[0]['w.h5']);
    const want = { layers: 3, weights: 8, values: 265 };
    assert.deepEqual(await loadWeightFile(smallModel(false), file), want);
    assert.deepEqual(await loadWeightFile(smallModel(false), file), want);
    // a file whose structure takes far longer than 1 ms to walk (thousands of groups): the small
    // one can be walked within 1 ms by a warm worker
    const slow = join(dir, 'slow.h5');
    await writeH5File(slow, (root) => {
      for (let i = 0; i < 3000; i++) root.create_group(`g${i}`).create_group('inner');
    });
    const saved = process.env.TATAMI_HDF5_TIME_LIMIT_MS;
    process.env.TATAMI_HDF5_TIME_LIMIT_MS = '1';
    try {
      await assert.rejects(loadWeightFile(smallModel(false), slow),
        (e: Error) => e instanceof ModelFileError && /did not finish reading its structure within 0 s \(stopped\)/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env.TATAMI_HDF5_TIME_LIMIT_MS;
      else process.env.TATAMI_HDF5_TIME_LIMIT_MS = saved;
    }
    assert.deepEqual(await loadWeightFile(smallModel(false), file), want);
  });
});
