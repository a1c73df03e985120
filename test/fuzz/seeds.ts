import { gzipSync } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tt from '../../src/index';
import * as tf from '../../src/tfjs/index';
import { resetNames } from '../../src/layers/layer';
import { encodeIdx } from '../../src/data/idx';
import { encodeBmp } from '../../src/preprocessing/bmp';
import { readZip } from '../../src/saving/zip_read';
import { repoRoot } from '../helpers/fixtures';

/**
 * Valid files of every format the readers take, made here (small) or taken from the committed
 * fixtures (written by Python, Keras and NumPy): what the fuzz harness damages.
 */

export type Files = Record<string, Uint8Array>;

/** A small deterministic model with every kind of weight (kernel, bias, batch-norm statistics). */
export function smallModel(compiled = true): tt.Sequential {
  resetNames();
  tt.setSeed(11);
  const m = tt.sequential([
    tt.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2], activation: 'relu' }),
    tt.layers.batchNormalization(),
    tt.layers.flatten(),
    tt.layers.dense({ units: 4, activation: 'softmax' }),
  ]);
  if (compiled) m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

function functionalModel(): tt.LayersModel {
  resetNames();
  tt.setSeed(12);
  const a = tt.input({ shape: [5] });
  const b = tt.input({ shape: [3] });
  const x = tt.layers.dense({ units: 4, activation: 'relu' }).apply(a) as tt.SymbolicTensor;
  const y = tt.layers.concatenate().apply([x, b]) as tt.SymbolicTensor;
  const z = tt.layers.dense({ units: 2 }).apply(y) as tt.SymbolicTensor;
  return tt.model({ inputs: [a, b], outputs: z });
}

const fixture = (...p: string[]) => new Uint8Array(readFileSync(join(repoRoot(), 'test', 'fixtures', ...p)));

function bytesOf(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

export function idxSeeds(): Files[] {
  const images = encodeIdx(bytesOf(1, 2 * 4 * 5), [2, 4, 5]);
  return [
    { 'x.idx': images },
    { 'y.idx': encodeIdx(Uint8Array.of(3, 1, 4, 1, 5, 9, 2, 6), [8]) },
    { 'f.idx': encodeIdx(Float32Array.of(1.5, -2, 3, 0.25, 1e-3, 7), [3, 2]) },
    { 's.idx': encodeIdx(Int16Array.of(-3, 300, 7, 9), [2, 2]) },
    { 'x.idx.gz': new Uint8Array(gzipSync(images)) },
  ];
}

export function cifarBinarySeeds(): Files[] {
  const rec = (label: number, seed: number) => Uint8Array.of(label, ...bytesOf(seed, 3072));
  const three = new Uint8Array([...rec(3, 1), ...rec(9, 2), ...rec(0, 3)]);
  return [{ 'data_batch_1.bin': three }];
}

export function pickleSeeds(): Files[] {
  return [
    { data_batch_1: fixture('cifar', 'cifar-10-batches-py', 'data_batch_1') },
    { train: fixture('cifar', 'cifar-100-python', 'train') },
    { 'misc_p2.pickle': fixture('cifar', 'misc_p2.pickle') },
    { 'misc_p4.pickle': fixture('cifar', 'misc_p4.pickle') },
    { 'misc_p5.pickle': fixture('cifar', 'misc_p5.pickle') },
  ];
}

/** A ustar archive of the given files (the format of CIFAR's .tar.gz downloads). */
export function makeTar(files: Files): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = new Uint8Array(512);
    const put = (at: number, s: string) => h.set(Buffer.from(s, 'latin1'), at);
    put(0, name);
    put(100, '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, data.length.toString(8).padStart(11, '0') + '\0');
    put(136, '00000000000\0');
    put(156, '0');
    put(257, 'ustar\0');
    put(263, '00');
    put(148, '        ');
    const sum = h.reduce((a, b) => a + b, 0);
    put(148, sum.toString(8).padStart(6, '0') + '\0 ');
    blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return new Uint8Array(Buffer.concat(blocks));
}

export function tarSeeds(): Files[] {
  const tar = makeTar({ 'cifar-10-batches-bin/data_batch_1.bin': cifarBinarySeeds()[0]['data_batch_1.bin'].subarray(0, 3073), 'cifar-10-batches-bin/readme.html': Buffer.from('<p>hello</p>') });
  return [{ 'a.tar': tar }, { 'a.tar.gz': new Uint8Array(gzipSync(tar)) }];
}

export async function imageSeeds(): Promise<Files[]> {
  const sharp = require('sharp') as typeof import('sharp').default;
  const raw = (c: number) => ({ raw: { width: 7, height: 5, channels: c as 3 | 4 } });
  const px3 = Buffer.from(bytesOf(5, 7 * 5 * 3));
  const px4 = Buffer.from(bytesOf(6, 7 * 5 * 4));
  const palette = new Uint8Array(54 + 4 * 4 + 4 * 5); // 8-bit, 4 colours, 3x5 pixels padded to 4
  const v = new DataView(palette.buffer);
  palette.set([0x42, 0x4d]);
  v.setUint32(2, palette.length, true);
  v.setUint32(10, 54 + 16, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, 3, true);
  v.setInt32(22, 5, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 8, true);
  v.setUint32(46, 4, true);
  palette.set([0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 9, 9, 9, 0], 54);
  for (let i = 0; i < 20; i++) palette[70 + i] = i % 4;
  return [
    { 'a.png': new Uint8Array(await sharp(px3, raw(3)).png().toBuffer()) },
    { 'b.png': new Uint8Array(await sharp(px4, raw(4)).png({ palette: true }).toBuffer()) },
    { 'c.jpg': new Uint8Array(await sharp(px3, raw(3)).jpeg({ quality: 80 }).toBuffer()) },
    { 'd.gif': new Uint8Array(await sharp(px4, raw(4)).gif().toBuffer()) },
    { 'e.bmp': encodeBmp(px3, 7, 5, 3) },
    { 'f.bmp': palette },
  ];
}

/** Saves with tatami into a temporary folder and returns the files' bytes. */
async function saved(write: (dir: string) => Promise<void>): Promise<Files> {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-fuzz-seed-'));
  try {
    await write(dir);
    const out: Files = {};
    for (const f of readdirSync(dir)) out[f] = new Uint8Array(readFileSync(join(dir, f)));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function kerasSeeds(): Promise<Files[]> {
  return [
    await saved((d) => smallModel().save(join(d, 'm.keras'))),
    await saved((d) => functionalModel().save(join(d, 'f.keras'))),
    { 'k.keras': fixture('keras_files', 'keras3_sequential.keras') },
    { 'kf.keras': fixture('keras_files', 'keras3_functional.keras') },
  ];
}

export async function h5Seeds(): Promise<Files[]> {
  return [
    await saved((d) => smallModel().save(join(d, 'm.h5'))),
    await saved((d) => smallModel().saveWeights(join(d, 'm.weights.h5'))),
    { 'k2.h5': fixture('keras_files', 'keras2_sequential.h5') },
  ];
}

/** Legacy-layout weights, as Keras's application weights are published. */
export async function applicationWeightSeeds(): Promise<Files[]> {
  return [await saved((d) => smallModel(false).saveWeights(join(d, 'w.h5')))];
}

/** The config.json of .keras files (tatami's and Keras's), with the weights they go with. */
export async function configSeeds(): Promise<{ config: unknown; files: Files }[]> {
  const out = [];
  for (const files of await kerasSeeds()) {
    const [name, bytes] = Object.entries(files)[0];
    const entries = readZip(bytes, name);
    out.push({ config: JSON.parse(Buffer.from(entries['config.json']).toString('utf8')), files: entries });
  }
  return out;
}

export async function tfjsSeeds(): Promise<Files[]> {
  resetNames();
  tt.setSeed(13);
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
  return [await saved(async (d) => { await m.save(`file://${d}`); })];
}
