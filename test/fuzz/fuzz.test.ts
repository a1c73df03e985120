import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hdf5TimeLimitMs } from '../../src/saving/h5';
import { CHILD_ENV, PLAIN_CASE_LIMIT_MS } from './limits';
import { READERS, readerNamed } from './readers';
import { Child, caseLimitMs, formatCounts, fuzzReader, runFiles } from './runner';

// A bounded fuzz run of every file reader (the long one: npm run fuzz, bench/fuzz.ts): seeded
// damaged files, each read in a child process with a time limit. Every case loads or is refused
// with the reader's own error class and a message; no other exception, crash, hang or
// allocation of hundreds of MB.

const SEED = Number(process.env.TATAMI_FUZZ_SEED ?? 2026);
/** Readers that build models and read HDF5 take ~50-100 ms a case; the others a few ms. */
const HEAVY = new Set(['keras', 'h5', 'application-weights', 'json-config']);
const cases = (name: string) => Number(process.env.TATAMI_FUZZ_TEST_CASES ?? (HEAVY.has(name) ? 20 : 60));

describe(`fuzz: damaged files of every format (seed ${SEED})`, () => {
  const child = new Child(); // one start-up for all readers; restarted after a crash or hang
  after(() => child.stop());
  for (const spec of READERS) {
    it(`${spec.name}: every case loads or throws ${spec.errorClass}; no crash, hang or big allocation`, async (t) => {
      const c = await fuzzReader(spec, { cases: cases(spec.name), seed: SEED, child });
      t.diagnostic(formatCounts(c));
      const findings = c.findings.map((f) => `${f.kind}: ${f.desc}: ${f.detail.split('\n')[0]}`);
      assert.deepEqual(findings, []);
      assert.equal(c.loaded + c.rejected, c.cases);
      assert.ok(c.rejected > 0, 'the damage is seen: some cases are refused');
    });
  }
});

describe('fuzz harness: time limits', () => {
  it('an HDF5 case may take longer than the reader lets HDF5 read, so a read the reader stops is its error, not a hang', () => {
    const files = { 'm.keras': new Uint8Array(40_000) };
    for (const name of ['keras', 'h5', 'application-weights', 'json-config']) {
      const limit = caseLimitMs(readerNamed(name), files);
      assert.ok(limit > hdf5TimeLimitMs(40_000, CHILD_ENV) + 5000, `${name}: ${limit} ms`);
    }
    assert.equal(caseLimitMs(readerNamed('idx'), files), PLAIN_CASE_LIMIT_MS);
  });
  it('a reader that never returns is counted as a hang, and the next case runs in a new child', async () => {
    const child = new Child();
    try {
      const t0 = performance.now();
      assert.equal(await runFiles(child, readerNamed('harness-hang'), { 'x.bin': new Uint8Array(1) }), 'hang');
      assert.ok(performance.now() - t0 < 15_000);
      const c = await fuzzReader(readerNamed('harness-hang'), { cases: 1, seed: 1, child });
      assert.equal(c.hangs, 1);
      assert.equal(c.findings[0].kind, 'hang');
      const r = await runFiles(child, readerNamed('idx'), { 'x.idx': new Uint8Array(3) });
      assert.ok(typeof r === 'object' && 'outcome' in r && r.outcome === 'rejected', JSON.stringify(r));
    } finally {
      child.stop();
    }
  });
});
