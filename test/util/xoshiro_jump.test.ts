// Jumping ahead in the xoshiro128** stream (matrix powers): the state after k draws, against k updates.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { advance } from '../../src/util/rng';
import { xoshiroJump } from '../../src/util/xoshiro_jump';

/** The state after k draws, one update at a time (Rng's own update). */
function stepped(seed: number[], k: number): number[] {
  const s = Uint32Array.from(seed);
  for (let i = 0; i < k; i++) advance(s);
  return Array.from(s);
}

test('xoshiroJump gives the state k draws later', () => {
  const seed = [0x9e3779b9 | 1, 0x7f4a7c15, -12345, 0x3c6ef372];
  for (const k of [0, 1, 2, 3, 4, 5, 31, 64, 1000, 65536, 150001, 1 << 20]) {
    assert.deepEqual(xoshiroJump(seed, k), stepped(seed, k), `k = ${k}`);
  }
  // jumps compose: 70,000 then 80,001 is 150,001
  assert.deepEqual(xoshiroJump(xoshiroJump(seed, 70000), 80001), xoshiroJump(seed, 150001));
});

test('xoshiroJump rejects a negative or fractional step count', () => {
  assert.throws(() => xoshiroJump([1, 2, 3, 4], -1), /non-negative integer/);
  assert.throws(() => xoshiroJump([1, 2, 3, 4], 1.5), /non-negative integer/);
});
