/**
 * Jumping ahead in a xoshiro128** stream (the generator of rng.ts and of the dropout kernels): the
 * state update is linear over GF(2), a 128 x 128 bit matrix T, so the state k draws later is
 * T^k · state. The powers T^(2^j) are squared once and kept; a jump is then at most one
 * matrix-vector product per bit of k. Dropout uses it to split one stream over threads and still
 * draw, element by element, the mask a single sequential pass draws.
 */

import { advance } from './rng';

/** A 128 x 128 bit matrix as its 128 columns (the images of the unit states), 4 words each. */
type BitMatrix = Uint32Array;

/** out = m · v (v and out: 4 words, distinct from m's storage). */
function apply(m: BitMatrix, v: Uint32Array, out: Uint32Array): void {
  let a = 0, b = 0, c = 0, d = 0;
  for (let i = 0; i < 128; i++) {
    if ((v[i >>> 5] >>> (i & 31)) & 1) {
      a ^= m[4 * i];
      b ^= m[4 * i + 1];
      c ^= m[4 * i + 2];
      d ^= m[4 * i + 3];
    }
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

/** powers[j] = T^(2^j), filled on demand. */
const powers: BitMatrix[] = [];

function power(j: number): BitMatrix {
  while (powers.length <= j) {
    const m = new Uint32Array(512);
    if (powers.length === 0) {
      for (let i = 0; i < 128; i++) {
        const col = m.subarray(4 * i, 4 * i + 4);
        col[i >>> 5] = 1 << (i & 31);
        advance(col);
      }
    } else {
      const prev = powers[powers.length - 1];
      for (let i = 0; i < 128; i++) apply(prev, prev.subarray(4 * i, 4 * i + 4), m.subarray(4 * i, 4 * i + 4));
    }
    powers.push(m);
  }
  return powers[j];
}

/** The four state words `steps` draws after `seed` (steps: a non-negative integer below 2^53). */
export function xoshiroJump(seed: readonly number[], steps: number): [number, number, number, number] {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`xoshiroJump: steps must be a non-negative integer, got ${steps}`);
  let v = Uint32Array.from(seed);
  let w = new Uint32Array(4);
  for (let j = 0, k = steps; k > 0; j++, k = Math.floor(k / 2)) {
    if (k % 2 === 1) {
      apply(power(j), v, w);
      [v, w] = [w, v];
    }
  }
  return [v[0], v[1], v[2], v[3]];
}
