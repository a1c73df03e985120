// Jumping ahead in the xoshiro128** stream: the state after k draws, against drawing k times.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { xoshiroJump } from '../../src/util/xoshiro_jump';

function stepped(seed: number[], k: number): number[] {
  let [s0, s1, s2, s3] = seed.map((w) => w >>> 0);
  for (let i = 0; i < k; i++) {
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
  }
  return [s0, s1, s2, s3].map((w) => w >>> 0);
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
