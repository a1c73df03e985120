import type { TestContext } from 'node:test';

/**
 * For a test whose reference is outside this repository (Debian's python3 packages, Debian's
 * Fashion-MNIST files): a developer without the package sees the test skipped with the reason;
 * CI, whose .ci/run installs every such package, fails instead, so a broken install cannot pass
 * as a skip.
 */
export function oracleMissing(t: TestContext, reason: string): void {
  if (process.env.CI === 'true') throw new Error(`${reason} (CI installs it in .ci/run, so it must be there)`);
  t.skip(reason);
}
