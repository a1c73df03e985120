import fc from 'fast-check';

/**
 * Byte-level damage to a valid file, as fast-check arbitraries (so runs are seeded and
 * reproducible): bit flips, truncation, inserted and deleted bytes, and size fields overwritten
 * with huge or off-by-one values. `fields` lists the offsets of a format's known size/offset
 * fields; damage lands on them as often as anywhere else.
 */

export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'field'; at: number; width: 1 | 2 | 4 | 8; littleEndian: boolean; value: number };

/** Values a lying size field takes: the extremes, signed wrap-arounds, and near the real length. */
function fieldValues(length: number): number[] {
  return [0, 1, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 40, 2 ** 53 - 1, length - 1, length, length + 1, length * 2];
}

export function mutationArb(length: number, fields: number[] = []): fc.Arbitrary<Mutation> {
  const n = Math.max(1, length);
  const at = fields.length ? fc.oneof(fc.nat(n - 1), fc.constantFrom(...fields)) : fc.nat(n - 1);
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat(n - 1) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(n), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(n - 1), count: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant('field' as const), at, width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      littleEndian: fc.boolean(), value: fc.constantFrom(...fieldValues(length)),
    }),
  );
}

/** One to four mutations of a file of `length` bytes. */
export function mutationsArb(length: number, fields: number[] = []): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(length, fields), { minLength: 1, maxLength: 4 });
}

export function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      if (m.at >= b.length) return b;
      const out = b.slice();
      out[m.at] ^= m.mask;
      return out;
    }
    case 'truncate':
      return b.slice(0, Math.min(m.length, b.length));
    case 'insert': {
      const at = Math.min(m.at, b.length);
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b.subarray(0, at));
      out.set(m.bytes, at);
      out.set(b.subarray(at), at + m.bytes.length);
      return out;
    }
    case 'delete': {
      const out = new Uint8Array(Math.max(0, b.length - Math.min(m.count, Math.max(0, b.length - m.at))));
      out.set(b.subarray(0, Math.min(m.at, b.length)));
      out.set(b.subarray(Math.min(m.at + m.count, b.length)), Math.min(m.at, b.length));
      return out;
    }
    case 'field': {
      if (m.at + m.width > b.length) return b;
      const out = b.slice();
      let v = BigInt(Math.floor(m.value)) & ((1n << BigInt(8 * m.width)) - 1n);
      for (let i = 0; i < m.width; i++) {
        out[m.littleEndian ? m.at + i : m.at + m.width - 1 - i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return out;
    }
  }
}

export function applyMutations(b: Uint8Array, ms: Mutation[]): Uint8Array {
  return ms.reduce(applyMutation, b);
}

export function describeMutation(m: Mutation): string {
  switch (m.kind) {
    case 'flip': return `flip ${m.at}^0x${m.mask.toString(16)}`;
    case 'truncate': return `truncate to ${m.length}`;
    case 'insert': return `insert ${m.bytes.length} bytes at ${m.at}`;
    case 'delete': return `delete ${m.count} bytes at ${m.at}`;
    case 'field': return `u${8 * m.width}${m.littleEndian ? 'le' : 'be'} at ${m.at} = ${m.value}`;
  }
}
