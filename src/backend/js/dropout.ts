// Reference inverted-dropout kernels. The mask comes from a local xoshiro128** stream seeded with
// four words (kept in registers: a per-element method call was most of dropout's cost); the wasm
// kernels draw the same stream, so both backends give identical masks.

/** y = keep ? x * scale : 0 with keep = (draw >= threshold); keep gets the 0/1 mask. */
export function dropout(x: Float32Array, y: Float32Array, keep: Uint8Array, seed: readonly number[], threshold: number, scale: number): void {
  let [s0, s1, s2, s3] = seed;
  for (let i = 0; i < x.length; i++) {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const k = r >= threshold ? 1 : 0;
    keep[i] = k;
    y[i] = k ? x[i] * scale : 0;
  }
}

/** dx = keep ? dy * scale : 0. */
export function dropoutGrad(dy: Float32Array, keep: Uint8Array, scale: number, dx: Float32Array): void {
  for (let i = 0; i < dy.length; i++) dx[i] = keep[i] ? dy[i] * scale : 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
