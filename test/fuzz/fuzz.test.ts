import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READERS } from './readers';
import { Child, formatCounts, fuzzReader } from './runner';

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
