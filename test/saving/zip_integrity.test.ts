import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { crc32 } from '../../src/util/crc32';
import { readZip } from '../../src/saving/zip_read';
import { repoRoot, snapshot, tempDir } from './io_helpers';

// A .keras file is a zip; every entry's CRC-32 and sizes are checked on read, as Python's
// zipfile does when Keras loads it, so a flipped byte is an error naming the entry, not a
// silently changed weight.

function mlp(): tt.Sequential {
  resetNames();
  tt.setSeed(5);
  return tt.sequential([
    tt.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

const namesEntry = (file: string, entry: string) => (e: Error) => {
  assert.equal(e.name, 'ModelFileError', e.message);
  assert.ok(e.message.includes(file), `names the file: ${e.message}`);
  assert.ok(e.message.includes(`'${entry}'`), `names the entry: ${e.message}`);
  return true;
};

describe('crc32', () => {
  it('gives the standard check value and continues across chunks', () => {
    const text = new TextEncoder().encode('123456789');
    assert.equal(crc32(text), 0xcbf43926); // the CRC-32 (ISO-HDLC) check value
    assert.equal(crc32(new Uint8Array(0)), 0);
    const a = Uint8Array.from({ length: 1001 }, (_, i) => (i * 31) & 255);
    assert.equal(crc32(a.subarray(500), crc32(a.subarray(0, 500))), crc32(a));
  });
});

describe('zip archives judged by Python zipfile', () => {
  const dir = join(repoRoot(), 'test', 'saving', 'zips');
  const { cases } = JSON.parse(readFileSync(join(dir, 'verdicts.json'), 'utf8')) as {
    cases: Record<string, { ok: boolean; entries?: Record<string, string>; error?: string }>;
  };
  // Python reads a stored entry whose directory states a larger size than it has (the CRC of the
  // bytes it finds matches); tatami refuses sizes that disagree, as the brief of the reader says.
  const stricter = new Set(['central_size_too_large']);

  it('has the cases', () => assert.ok(Object.keys(cases).length >= 15));
  for (const [name, v] of Object.entries(cases)) {
    it(`${name}: ${v.ok && !stricter.has(name) ? 'reads the same bytes' : 'is a ModelFileError'}`, () => {
      const bytes = readFileSync(join(dir, `${name}.zip`));
      if (v.ok && !stricter.has(name)) {
        const got = readZip(bytes, name);
        assert.deepEqual(Object.keys(got).sort(), Object.keys(v.entries!).sort());
        for (const [entry, b64] of Object.entries(v.entries!)) assert.deepEqual(Buffer.from(got[entry]), Buffer.from(b64, 'base64'), entry);
        return;
      }
      assert.throws(() => readZip(bytes, name), (e: Error) => {
        assert.equal(e.name, 'ModelFileError', e.message);
        assert.ok(e.message.includes(`'${name}'`), e.message);
        // when Python names the entry (bad CRC, header mismatch), so does tatami
        const entry = /for file '([^']+)'|directory '([^']+)'/.exec(v.error ?? '');
        if (entry) assert.ok(e.message.includes(`'${entry[1] ?? entry[2]}'`), `${e.message} vs ${v.error}`);
        return true;
      });
    });
  }
});

describe('a flipped byte in a saved .keras file', () => {
  let dir = '';
  let cleanup = () => {};
  let good: Buffer;
  let at = 0;
  let size = 0;
  before(async () => {
    ({ dir, cleanup } = tempDir('crc'));
    const m = mlp();
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await m.save(join(dir, 'good.keras'));
    good = readFileSync(join(dir, 'good.keras'));
    // the archive is stored (uncompressed), so the entry's bytes appear as they are
    const weights = readZip(good, 'good.keras')['model.weights.h5'];
    size = weights.length;
    at = good.indexOf(Buffer.from(weights));
    assert.ok(at > 0 && good.indexOf(Buffer.from(weights), at + 1) < 0);
  });
  after(() => cleanup());

  for (const frac of [0, 0.1, 0.3, 0.5, 0.9, 1]) {
    it(`at ${frac * 100}% of model.weights.h5: loadModel and loadWeights refuse it, the model is unchanged`, async () => {
      const bad = Buffer.from(good);
      bad[at + Math.min(size - 1, Math.floor(frac * size))] ^= 0x10;
      const f = join(dir, `flip${frac}.keras`);
      writeFileSync(f, bad);
      await assert.rejects(tt.loadModel(f), namesEntry(f, 'model.weights.h5'));
      const target = mlp();
      target.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      const before = snapshot(target);
      await assert.rejects(target.loadWeights(f), namesEntry(f, 'model.weights.h5'));
      snapshot(target).forEach((v, i) => assert.deepEqual(v, before[i], `weight ${i} untouched`));
    });
  }

  it('the undamaged file still loads', async () => {
    const m = await tt.loadModel(join(dir, 'good.keras'));
    assert.equal(m.weights.length, 4);
  });

  it('a damaged deflated entry (fflate, level 6) names the entry', () => {
    const zip = Buffer.from(zipSync({ 'config.json': new TextEncoder().encode('{"a": 1}'.repeat(50)) }));
    const dataAt = 30 + 'config.json'.length + 3; // inside the deflate stream
    zip[dataAt] ^= 0xff;
    assert.throws(() => readZip(zip, 'z.keras'), namesEntry('z.keras', 'config.json'));
  });

  it('an entry whose directory claims a huge size is refused before any allocation', () => {
    const zip = Buffer.from(zipSync({ 'model.weights.h5': new Uint8Array(100) }, { level: 6 }));
    const cd = zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    zip.writeUInt32LE(0xfffffff0, cd + 24); // uncompressed size ≈ 4 GB from a few compressed bytes
    assert.throws(() => readZip(zip, 'bomb.keras'), (e: Error) => namesEntry('bomb.keras', 'model.weights.h5')(e) && /claims 4294967280 bytes/.test(e.message));
  });

  it('an entry named __proto__ is an entry like any other', () => {
    // fflate cannot write that name: write another of the same length and rename it in both headers
    const zip = Buffer.from(zipSync({ __proto_x: new Uint8Array([1]) }));
    const renamed = Buffer.from(zip.toString('latin1').replaceAll('__proto_x', '__proto__'), 'latin1');
    const got = readZip(renamed, 'p.keras');
    assert.deepEqual(Object.keys(got), ['__proto__']);
    assert.equal(Object.getPrototypeOf(got), null);
  });
});
