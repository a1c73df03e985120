import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The HDF5 C library prints its error stack ("HDF5-DIAG: Error detected in HDF5 ...") to stderr
// when a call fails; a user loading a damaged file must see only tatami's error, which carries
// HDF5's most specific line instead. Run in a child process to capture its stderr.

describe('HDF5: a damaged file prints nothing of its own', () => {
  it('loading damaged weights (Node build in place, in-memory build) gives ModelFileError with HDF5\'s diagnosis and no HDF5-DIAG on stderr', () => {
    const r = spawnSync(process.execPath, [join(__dirname, 'h5_quiet_child.js')], {
      env: { ...process.env, TATAMI_H5_QUIET_CHILD: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    for (const [i, how] of ['in place', 'in memory'].entries()) {
      assert.match(lines[i], new RegExp(`^${how}: ModelFileError: '.*w\\.h5' is damaged: incorrect metadata checksum`));
    }
    assert.doesNotMatch(r.stderr, /HDF5-DIAG|#000:|major:/, r.stderr);
  });
});
