import fc from 'fast-check';
import { zipSync } from 'fflate';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as tt from '../../src/index';
import * as tf from '../../src/tfjs/index';
import { readIdxSync, idxToTensor } from '../../src/data/idx';
import { parseBinaryBatch, parsePythonBatch } from '../../src/data/cifar';
import { parsePickle } from '../../src/data/pickle';
import { readTar } from '../../src/data/tar';
import { decodeImage } from '../../src/preprocessing/image';
import { loadWeightFile } from '../../src/saving/application_weights';
import { readZip } from '../../src/saving/zip_read';
import { hdf5CaseLimitMs } from './limits';
import { applyJsonMutations, countNodes, describeJsonMutation, jsonMutationArb } from './json_mutate';
import { applyMutations, describeMutation, mutationsArb } from './mutate';
import * as seeds from './seeds';
import type { Files } from './seeds';

/**
 * The readers under fuzz: how to make damaged inputs from valid seeds (main process) and how to
 * read them (the child process). Each reader has one documented error class; any other
 * exception is a finding.
 */

export interface Case {
  files: Files;
  desc: string;
}

export interface ReaderSpec {
  name: string;
  errorClass: 'DataFileError' | 'ModelFileError';
  /** Time limit of a case (default PLAIN_CASE_LIMIT_MS): past the reader's own limits (limits.ts). */
  limitMs?(files: Files): number;
  /** Extra time for the first case in a child, which loads the reader's modules (default WARM_UP_MS). */
  warmUpMs?: number;
  /** Arbitrary damaged inputs, built from the reader's seeds. */
  cases(): Promise<fc.Arbitrary<Case>>;
  /** Reads the case's files from `dir`; resolves when they load, throws when refused. */
  load(dir: string, names: string[]): Promise<void>;
}

const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

/** Offsets of every occurrence of `sig` in `b`, shifted by each of `plus`. */
function after(b: Uint8Array, sig: number[], plus: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + sig.length <= b.length && out.length < 400; i++) {
    if (sig.every((s, k) => b[i + k] === s)) out.push(...plus.map((p) => i + p));
  }
  return out;
}

/** Where a format keeps its sizes, counts and offsets: the fields a lying file would change. */
function fieldsOf(name: string, b: Uint8Array): number[] {
  if (/\.idx$/.test(name)) return [2, 3, 4, 8, 12];
  if (/\.(keras|zip)$/.test(name)) {
    return [...after(b, [0x50, 0x4b, 3, 4], [14, 18, 22, 26, 28]), ...after(b, [0x50, 0x4b, 1, 2], [16, 20, 24, 28, 30, 32, 42]), ...after(b, [0x50, 0x4b, 5, 6], [8, 10, 12, 16, 20])];
  }
  if (/\.h5$/.test(name)) {
    const sigs = [[0x89, 0x48, 0x44, 0x46], [0x4f, 0x48, 0x44, 0x52], [0x54, 0x52, 0x45, 0x45], [0x48, 0x45, 0x41, 0x50], [0x53, 0x4e, 0x4f, 0x44], [0x47, 0x43, 0x4f, 0x4c]];
    return sigs.flatMap((s) => after(b, s, [4, 5, 6, 8, 12, 16, 24, 32, 40]));
  }
  if (/\.tar$/.test(name)) return after(b, [0x75, 0x73, 0x74, 0x61, 0x72], [-257 + 124, -257 + 148, -257 + 156]);
  if (/\.png$/.test(name)) return [8, 16, 20, 24, 25, ...after(b, [0x49, 0x44, 0x41, 0x54], [-4])];
  if (/\.bmp$/.test(name)) return [2, 10, 14, 18, 22, 28, 30, 46];
  if (/\.jpg$/.test(name)) return after(b, [0xff, 0xc0], [2, 5, 7, 9]).concat(after(b, [0xff, 0xc4], [2]), after(b, [0xff, 0xda], [2, 4]));
  if (/\.gif$/.test(name)) return [6, 8, 10, ...after(b, [0x2c], [5, 7, 9])];
  if (/\.bin$/.test(name)) return [0, 3073, 6146];
  // pickles: the length after BINSTRING, BINBYTES, BINUNICODE, BINBYTES8, FRAME, LONG4
  return [0x54, 0x42, 0x58, 0x8e, 0x95, 0x8b, 0x55, 0x43, 0x8c].flatMap((op) => after(b, [op], [1])).slice(0, 200);
}

/** Byte damage to one file of a seed (the others kept as they are). */
function byteCases(seedFiles: Files[]): fc.Arbitrary<Case> {
  return fc.oneof(...seedFiles.map((files) => {
    const names = Object.keys(files);
    return fc.constantFrom(...names).chain((target) => {
      const b = files[target];
      return mutationsArb(b.length, fieldsOf(target, b)).map((ms) => ({
        files: { ...files, [target]: applyMutations(b, ms) },
        desc: `${target}: ${ms.map(describeMutation).join('; ')}`,
      }));
    });
  }));
}

// ---- zip entry names: ../, absolute, drive letters, duplicates
const HOSTILE_NAMES = ['../config.json', '/config.json', '/etc/passwd', 'a/../../config.json', 'C:\\config.json', 'C:/model.weights.h5', '..\\model.weights.h5', 'config.json\0.txt', './config.json', 'a/b/../../../model.weights.h5'];

function zipNameCases(seedFiles: Files[]): fc.Arbitrary<Case> {
  return fc.oneof(...seedFiles.map((files) => {
    const [zipName, bytes] = Object.entries(files)[0];
    const entries = readZip(bytes, zipName);
    const names = Object.keys(entries);
    return fc.record({ from: fc.constantFrom(...names), to: fc.constantFrom(...HOSTILE_NAMES), keep: fc.boolean() }).map(({ from, to, keep }) => {
      const renamed: Record<string, Uint8Array> = Object.create(null);
      for (const n of names) if (n !== from || keep) renamed[n] = entries[n];
      renamed[to] = entries[from];
      return { files: { [zipName]: zipSync(renamed, { level: 0 }) }, desc: `${zipName}: entry '${from}' ${keep ? 'copied' : 'renamed'} to ${JSON.stringify(to)}` };
    });
  }));
}

async function expectNothing(p: Promise<unknown>): Promise<void> {
  await p;
}

const idx: ReaderSpec = {
  name: 'idx',
  errorClass: 'DataFileError',
  cases: async () => byteCases(seeds.idxSeeds()),
  load: async (dir, names) => {
    idxToTensor(readIdxSync(join(dir, names[0])));
  },
};

const CIFAR10 = { binaryLabelRanges: [10], binaryLabelIndex: 0, pythonKey: 'labels', numClasses: 10, dtype: 'uint8' as const };

const cifarBinary: ReaderSpec = {
  name: 'cifar-binary',
  errorClass: 'DataFileError',
  cases: async () => byteCases(seeds.cifarBinarySeeds()),
  load: async (dir, names) => {
    parseBinaryBatch(new Uint8Array(readFileSync(join(dir, names[0]))), CIFAR10, names[0]);
  },
};

const cifarPickle: ReaderSpec = {
  name: 'cifar-pickle',
  errorClass: 'DataFileError',
  cases: async () => byteCases(seeds.pickleSeeds()),
  load: async (dir, names) => {
    const b = new Uint8Array(readFileSync(join(dir, names[0])));
    // the pickle reader on its own first (parsePythonBatch turns every failure into a DataFileError)
    parsePickle(b, names[0]);
    const labels = names[0] === 'train' ? { ...CIFAR10, pythonKey: 'fine_labels', numClasses: 100, dtype: 'int32' as const } : CIFAR10;
    if (!names[0].endsWith('.pickle')) parsePythonBatch(b, labels, names[0]);
  },
};

const tar: ReaderSpec = {
  name: 'tar',
  errorClass: 'DataFileError',
  cases: async () => byteCases(seeds.tarSeeds()),
  load: (dir, names) => expectNothing(readTar(join(dir, names[0]))),
};

const image: ReaderSpec = {
  name: 'image',
  errorClass: 'DataFileError',
  cases: async () => byteCases(await seeds.imageSeeds()),
  load: async (dir, names) => {
    const b = new Uint8Array(readFileSync(join(dir, names[0])));
    await decodeImage(b, 'rgb', names[0]);
  },
};

const keras: ReaderSpec = {
  name: 'keras',
  limitMs: hdf5CaseLimitMs(1),
  errorClass: 'ModelFileError',
  cases: async () => {
    const s = await seeds.kerasSeeds();
    return fc.oneof({ weight: 9, arbitrary: byteCases(s) }, { weight: 1, arbitrary: zipNameCases(s) });
  },
  load: (dir, names) => expectNothing(tt.loadModel(join(dir, names[0]))),
};

const h5: ReaderSpec = {
  name: 'h5',
  limitMs: hdf5CaseLimitMs(1),
  errorClass: 'ModelFileError',
  cases: async () => byteCases(await seeds.h5Seeds()),
  load: async (dir, names) => {
    const file = join(dir, names[0]);
    if (file.endsWith('.weights.h5')) await seeds.smallModel().loadWeights(file);
    else await tt.loadModel(file);
  },
};

const applicationWeights: ReaderSpec = {
  name: 'application-weights',
  errorClass: 'ModelFileError',
  limitMs: hdf5CaseLimitMs(1), // the structure probe is timed; the read in place after it is not
  cases: async () => byteCases(await seeds.applicationWeightSeeds()),
  load: (dir, names) => expectNothing(loadWeightFile(seeds.smallModel(false), join(dir, names[0]))),
};

const config: ReaderSpec = {
  name: 'json-config',
  limitMs: hdf5CaseLimitMs(1),
  errorClass: 'ModelFileError',
  cases: async () => {
    const s = await seeds.configSeeds();
    return fc.oneof(...s.map(({ config: doc, files }) => jsonMutationArb(countNodes(doc as never)).map((ms) => {
      const text = applyJsonMutations(doc as never, ms);
      const zip = zipSync({ 'metadata.json': files['metadata.json'] ?? new Uint8Array(2), 'config.json': Buffer.from(text), 'model.weights.h5': files['model.weights.h5'] }, { level: 0 });
      return { files: { 'c.keras': zip }, desc: `config.json: ${ms.map(describeJsonMutation).join('; ')}` };
    })));
  },
  load: (dir, names) => expectNothing(tt.loadModel(join(dir, names[0]))),
};

const tfjs: ReaderSpec = {
  name: 'tfjs',
  errorClass: 'ModelFileError',
  cases: async () => {
    const s = await seeds.tfjsSeeds();
    const doc = JSON.parse(Buffer.from(s[0]['model.json']).toString('utf8'));
    const structural = jsonMutationArb(countNodes(doc)).map((ms) => ({
      files: { ...s[0], 'model.json': new Uint8Array(Buffer.from(applyJsonMutations(doc, ms))) },
      desc: `model.json: ${ms.map(describeJsonMutation).join('; ')}`,
    }));
    return fc.oneof({ weight: 3, arbitrary: structural }, { weight: 2, arbitrary: byteCases(s) });
  },
  load: (dir) => expectNothing(tf.loadLayersModel(`file://${join(dir, 'model.json')}`)),
};

export const READERS: ReaderSpec[] = [idx, cifarBinary, cifarPickle, tar, image, keras, h5, applicationWeights, config, tfjs];

/**
 * Readers that check the harness itself, not fuzzed: one that never returns (a loop on the main
 * thread, which no reader limit can stop), which the harness must count as a hang and recover from.
 */
export const HARNESS_CHECKS: ReaderSpec[] = [{
  name: 'harness-hang',
  errorClass: 'DataFileError',
  limitMs: () => 1000,
  warmUpMs: 0,
  cases: async () => fc.constant({ files: { 'x.bin': new Uint8Array(1) }, desc: 'never returns' }),
  load: async () => {
    for (;;); // eslint-disable-line no-empty
  },
}];

export function readerNamed(name: string): ReaderSpec {
  const r = [...READERS, ...HARNESS_CHECKS].find((x) => x.name === name);
  if (!r) throw new Error(`no fuzzed reader '${name}' (readers: ${READERS.map((x) => x.name).join(', ')})`);
  return r;
}

export { u32le };
