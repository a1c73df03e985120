import { loadavg } from 'node:os';
import { READERS } from '../test/fuzz/readers';
import { formatCounts, fuzzReader } from '../test/fuzz/runner';

/**
 * The long fuzz run: `npm run fuzz` (default 10,000 cases per reader; TATAMI_FUZZ_CASES,
 * TATAMI_FUZZ_SEED and TATAMI_FUZZ_READERS=idx,keras to change it). Prints the counts per reader
 * and keeps the files of every finding in TATAMI_FUZZ_FINDINGS (default /tmp/tatami-fuzz-findings).
 */
async function main(): Promise<void> {
  const cases = Number(process.env.TATAMI_FUZZ_CASES ?? 10_000);
  const seed = Number(process.env.TATAMI_FUZZ_SEED ?? 13);
  const only = process.env.TATAMI_FUZZ_READERS?.split(',');
  const saveFindingsTo = process.env.TATAMI_FUZZ_FINDINGS ?? '/tmp/tatami-fuzz-findings';
  console.log(`fuzz: ${cases} cases per reader, seed ${seed}, per-case limits from test/fuzz/limits.ts; findings kept in ${saveFindingsTo}`);
  let bad = 0;
  for (const spec of READERS.filter((r) => !only || only.includes(r.name))) {
    const t0 = Date.now();
    const load0 = loadavg()[0];
    const c = await fuzzReader(spec, { cases, seed, saveFindingsTo, onProgress: (p) => console.log(`  ... ${formatCounts(p)}`) });
    console.log(`${formatCounts(c)}; ${((Date.now() - t0) / 1000).toFixed(0)} s, load average ${load0.toFixed(1)} at start, ${loadavg()[1].toFixed(1)} (5 min) at end`);
    for (const f of c.findings.slice(0, 5)) console.log(`  ${f.kind}: ${f.desc}\n    ${f.detail.split('\n').join('\n    ')}`);
    bad += c.wrongError + c.unclearMessage + c.crashes + c.hangs + c.bigAlloc;
  }
  console.log(bad === 0 ? 'fuzz: no findings' : `fuzz: ${bad} findings`);
  process.exitCode = bad === 0 ? 0 : 1;
}

void main();
