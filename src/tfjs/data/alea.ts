/**
 * Baagøe's Alea generator with his Mash seeding, the generator behind tf.data's shuffle (the
 * seedrandom package's `alea`), so that a seeded shuffle gives tfjs's order. Written from the
 * published algorithm: three lags of 32-bit fractions and a carry.
 */
export interface Alea {
  (): number;
  int32(): number;
}

function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data: string) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * 2.3283064365386963e-10;
  };
}

export function alea(seed: string | number): Alea {
  const m = mash();
  let s0 = m(' ');
  let s1 = m(' ');
  let s2 = m(' ');
  let c = 1;
  const key = String(seed);
  s0 -= m(key);
  if (s0 < 0) s0 += 1;
  s1 -= m(key);
  if (s1 < 0) s1 += 1;
  s2 -= m(key);
  if (s2 < 0) s2 += 1;
  const next = (() => {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    return s2;
  }) as Alea;
  next.int32 = () => (next() * 0x100000000) | 0;
  return next;
}
