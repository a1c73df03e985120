import * as fs from 'node:fs';
import * as path from 'node:path';

// Small CIFAR-10 copies in the real binary format (cifar-10-batches-bin/: records of a label
// byte then 1024 R, 1024 G, 1024 B bytes), since the real dataset cannot be fetched here.

/** One colour per class, so that a model can learn something in one epoch. */
const PALETTE: Array<[number, number, number]> = [
  [200, 40, 40], [40, 200, 40], [40, 40, 200], [200, 200, 40], [200, 40, 200],
  [40, 200, 200], [230, 130, 30], [120, 60, 20], [240, 240, 240], [20, 20, 20],
];

/** A deterministic pseudo-random byte stream (a linear congruential generator). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

/** `n` records: class i % 10, a square of the class colour on a noisy ground. */
export function cifarRecords(n: number, seed: number): Buffer {
  const rnd = noise(seed);
  const b = Buffer.alloc(n * 3073);
  for (let i = 0; i < n; i++) {
    const label = i % 10;
    const at = i * 3073;
    b[at] = label;
    const x0 = 4 + (rnd() % 8);
    const y0 = 4 + (rnd() % 8);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const inside = x >= x0 && x < x0 + 16 && y >= y0 && y < y0 + 16;
        for (let c = 0; c < 3; c++) b[at + 1 + c * 1024 + y * 32 + x] = inside ? PALETTE[label][c] : 96 + (rnd() % 64);
      }
    }
  }
  return b;
}

/**
 * Writes `<dir>/cifar-10-batches-bin/` with five training batches of `perBatch` records and a
 * test batch of `test` records; returns `dir`.
 */
export function writeCifar10Bin(dir: string, perBatch = 20, test = 40): string {
  const bin = path.join(dir, 'cifar-10-batches-bin');
  fs.mkdirSync(bin, { recursive: true });
  for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(bin, `data_batch_${i}.bin`), cifarRecords(perBatch, i));
  fs.writeFileSync(path.join(bin, 'test_batch.bin'), cifarRecords(test, 99));
  return dir;
}
