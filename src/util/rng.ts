import { ValueError } from './errors';

/**
 * Seeded pseudo-random numbers (xoshiro128**), shared by initializers, shuffling and dropout,
 * so that `setSeed(n)` makes a whole run repeatable.
 */
export class Rng {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    // splitmix32 expands one 32-bit seed into the four state words
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spare = null;
  }

  /** The generator's whole state (four words and the cached normal), to save and resume a run. */
  getState(): RngState {
    return { s: Array.from(this.s), spare: this.spare };
  }

  /** Puts back a state from getState(): the numbers that follow are the ones that followed then. */
  setState(state: RngState): void {
    const ok = state && Array.isArray(state.s) && state.s.length === 4 && state.s.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
      && (state.spare === null || typeof state.spare === 'number');
    if (!ok || state.s.every((w) => w === 0)) throw new ValueError(`Rng.setState: not a generator state: ${JSON.stringify(state)}`);
    this.s.set(state.s);
    this.spare = state.spare;
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    advance(s);
    return result;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Normal truncated to two standard deviations, as Keras's truncated_normal. */
  truncatedNormal(): number {
    for (;;) {
      const v = this.normal();
      if (v >= -2 && v <= 2) return v;
    }
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

/** xoshiro128**'s state update (the draw is taken from s[1] before it), in place. */
export function advance(s: Uint32Array): void {
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
}

export interface RngState {
  s: number[];
  spare: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The process-wide generator; `setSeed` reseeds it. */
export const globalRng = new Rng((Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0);

export function setSeed(seed: number): void {
  globalRng.seed(seed);
}
