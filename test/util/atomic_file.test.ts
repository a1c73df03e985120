import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/util/atomic_file';
import { TatamiError } from '../../src/util/errors';

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-atomic-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

class CustomError extends Error {}

describe('atomic file writes', () => {
  it('sync: writes into new folders, replaces by default, leaves no temporary file', () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'a', 'b', 'x.txt');
      writeFileAtomicSync(f, 'first');
      writeFileAtomicSync(f, new Uint8Array([104, 105]));
      assert.equal(fs.readFileSync(f, 'utf8'), 'hi');
      assert.deepEqual(fs.readdirSync(path.dirname(f)), ['x.txt']);
    } finally {
      cleanup();
    }
  });

  it('sync: overwrite false keeps the existing file and says so, in the caller\'s error class', () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'x.txt');
      writeFileAtomicSync(f, 'keep');
      assert.throws(() => writeFileAtomicSync(f, 'new', { overwrite: false }), (e: Error) => e instanceof TatamiError && /already exists/.test(e.message));
      assert.throws(() => writeFileAtomicSync(f, 'new', { overwrite: false, error: (m) => new CustomError(m) }), CustomError);
      assert.equal(fs.readFileSync(f, 'utf8'), 'keep');
    } finally {
      cleanup();
    }
  });

  it('sync: a target that cannot be replaced fails with the file named and no temporary left', () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'isdir');
      fs.mkdirSync(path.join(f, 'inner'), { recursive: true });
      assert.throws(() => writeFileAtomicSync(f, 'x'), new RegExp(`cannot write '${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
      assert.deepEqual(fs.readdirSync(dir), ['isdir']);
    } finally {
      cleanup();
    }
  });

  it('async: the same contract', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'sub', 'y.svg');
      await writeFileAtomic(f, '<svg/>');
      await writeFileAtomic(f, '<svg></svg>');
      assert.equal(fs.readFileSync(f, 'utf8'), '<svg></svg>');
      await assert.rejects(writeFileAtomic(f, 'z', { overwrite: false }), /already exists/);
      assert.deepEqual(fs.readdirSync(path.dirname(f)), ['y.svg']);
    } finally {
      cleanup();
    }
  });
});
