/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import { alea } from '../../src/tfjs/data/alea';

// tf.data on @tensorflow/tfjs and tatami/tfjs: the same pipelines give the same element
// streams (tensors compared by shape, dtype and values), the same sizes and the same errors.

type TF = any;

/** An element as plain data: tensors become { shape, dtype, values }. */
function plain(tf: TF, v: any): any {
  if (v instanceof tf.Tensor) return { shape: v.shape, dtype: v.dtype, values: Array.from(v.dataSync() as ArrayLike<number>) };
  if (Array.isArray(v)) return v.map((x) => plain(tf, x));
  if (v != null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(tf, x)]));
  return v;
}

async function stream(tf: TF, make: (tf: TF) => any): Promise<{ size: unknown; elements: any[] }> {
  const ds = make(tf);
  const elements = (await ds.toArray()).map((e: any) => plain(tf, e));
  return { size: ds.size, elements };
}

async function same(make: (tf: TF) => any, label: string, size?: number | null): Promise<any[]> {
  const want = await stream(tfjs, make);
  const got = await stream(tt, make);
  // tfjs's zip of a nested structure reports size NaN (it takes Math.min over the non-Dataset
  // branches); tatami gives the shortest leaf's size, which the test states
  assert.deepEqual(got.size, size === undefined ? want.size : size, `${label}: size`);
  assert.deepEqual(got.elements, want.elements, `${label}: elements`);
  return got.elements;
}

const pipelines: Record<string, (tf: TF) => any> = {
  'array of numbers': (tf) => tf.data.array([1, 2, 3, 4, 5]),
  'batch with a small last batch': (tf) => tf.data.array([1, 2, 3, 4, 5]).batch(2),
  'batch without the small last batch': (tf) => tf.data.array([1, 2, 3, 4, 5]).batch(2, false),
  'batch of arrays': (tf) => tf.data.array([[1, 2], [3, 4], [5, 6]]).batch(2),
  'batch of nested objects of tensors': (tf) => tf.data.array([0, 1, 2, 3, 4]).map((i: number) => ({
    xs: tf.tensor1d([i, i * 2]), ys: { a: tf.scalar(i), b: [i, -i] },
  })).batch(3),
  'map filter take skip': (tf) => tf.data.array([1, 2, 3, 4, 5, 6, 7, 8, 9]).map((x: number) => x * 10).filter((x: number) => x % 20 === 0).skip(1).take(2),
  'repeat and take': (tf) => tf.data.array([1, 2, 3]).repeat(3).take(7),
  'repeat forever has size Infinity': (tf) => tf.data.array([1, 2]).repeat().take(5),
  'concatenate and prefetch': (tf) => tf.data.array([1, 2]).concatenate(tf.data.array([3, 4, 5])).prefetch(2),
  'zip then batch as { xs, ys }': (tf) => tf.data.zip({ xs: tf.data.array([[1, 2], [3, 4], [5, 6]]), ys: tf.data.array([0, 1, 0]) }).batch(2),
  'generator': (tf) => tf.data.generator(function* () {
    for (let i = 0; i < 4; i++) yield { xs: tf.tensor1d([i, i + 0.5]), ys: tf.scalar(i % 2) };
  }).batch(3),
  'async generator': (tf) => tf.data.generator(async function* () {
    for (let i = 0; i < 3; i++) yield i * i;
  }),
  'mapAsync': (tf) => tf.data.array([1, 2, 3]).mapAsync(async (x: number) => tf.scalar(x).square()),
  'skip more than size': (tf) => tf.data.array([1, 2]).skip(5),
  'take from a filter has no size': (tf) => tf.data.array([1, 2, 3]).filter((x: number) => x > 1).take(5),
};

for (const [label, make] of Object.entries(pipelines)) {
  test(`tf.data: ${label} gives tfjs's elements and size`, async () => {
    await same(make, label);
  });
}

test('tf.data: zip of a nested structure gives tfjs\'s elements, and the shortest size', async () => {
  await same((tf) => tf.data.zip([tf.data.array([1, 2, 3]), { b: tf.data.array(['a', 'b']) }]), 'nested zip', 2);
});

test('tf.data: batch stacks tensors into the documented shapes', async () => {
  const got = await same((tf) => tf.data.array([0, 1, 2, 3, 4]).map((i: number) => ({ xs: tf.ones([2, 3]).mul(i), ys: tf.oneHot(i % 3, 3) })).batch(2), 'stack');
  assert.deepEqual(got.map((b) => b.xs.shape), [[2, 2, 3], [2, 2, 3], [1, 2, 3]]);
  assert.deepEqual(got[0].ys.shape, [2, 3]);
});

test('alea gives the seedrandom numbers tf.data shuffles with', () => {
  // (the seedrandom package is what @tensorflow/tfjs-data draws from)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const seedrandom = require('seedrandom');
  for (const seed of ['1', 'hello', '-123456789', '42']) {
    const want = seedrandom.alea(seed);
    const got = alea(seed);
    for (let i = 0; i < 50; i++) assert.equal(got(), want(), `seed ${seed} draw ${i}`);
    for (let i = 0; i < 10; i++) assert.equal(got.int32(), want.int32(), `seed ${seed} int32 ${i}`);
  }
});

test('tf.data: shuffle with a seed gives tfjs order, each pass anew, reproducibly', async () => {
  const make = (tf: TF) => tf.data.array(Array.from({ length: 20 }, (_, i) => i)).shuffle(7, 'abc');
  const wantDs = make(tfjs);
  const gotDs = make(tt);
  const want = [await wantDs.toArray(), await wantDs.toArray()];
  const got = [await gotDs.toArray(), await gotDs.toArray()];
  assert.deepEqual(got, want, 'the same order as tfjs, pass by pass');
  assert.notDeepEqual(got[0], got[1], 'reshuffled each pass');
  for (const pass of got) assert.deepEqual([...pass].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i), 'a permutation');
  assert.deepEqual(await make(tt).toArray(), got[0], 'the same seed gives the same first pass');
  // reshuffleEachIteration false: the first pass is tfjs's, and (as tfjs documents, though its
  // code draws a new seed) every pass repeats it
  const fixed = tt.data.array([1, 2, 3, 4, 5, 6, 7, 8]).shuffle(3, '7', false);
  const first = await fixed.toArray();
  assert.deepEqual(first, await tfjs.data.array([1, 2, 3, 4, 5, 6, 7, 8]).shuffle(3, '7', false).toArray());
  assert.deepEqual(await fixed.toArray(), first, 'reshuffleEachIteration false repeats its order');
  // a shuffled batch pipeline as tfjs tutorials write it
  await same((tf) => tf.data.array([1, 2, 3, 4, 5, 6, 7, 8]).shuffle(100, 'x').batch(3), 'shuffle then batch');
});

test('tf.data: iterator(), forEachAsync and a Dataset as an async iterable', async () => {
  const ds = tt.data.array([1, 2, 3]);
  const it = await ds.iterator();
  assert.deepEqual(await it.next(), { value: 1, done: false });
  assert.deepEqual(await it.next(), { value: 2, done: false });
  assert.deepEqual(await it.next(), { value: 3, done: false });
  assert.deepEqual(await it.next(), { value: null, done: true });
  assert.deepEqual(await it.next(), { value: null, done: true });
  const seen: number[] = [];
  await ds.forEachAsync((x) => seen.push(x));
  assert.deepEqual(seen, [1, 2, 3]);
  const again: number[] = [];
  for await (const x of ds) again.push(x);
  assert.deepEqual(again, [1, 2, 3]);
});

test('tf.data: tensors are freed as tfjs frees them (map, batch, forEachAsync); the array\'s own tensors survive', async () => {
  const source = [tt.tensor1d([1, 2]), tt.tensor1d([3, 4]), tt.tensor1d([5, 6])];
  const before = tt.memory().numTensors;
  const ds = tt.data.array(source).map((x) => x.mul(2)).batch(2);
  await ds.forEachAsync(() => undefined);
  assert.equal(tt.memory().numTensors, before, 'no tensor left behind by map, batch and forEachAsync');
  assert.ok(source.every((t) => !t.isDisposed));
  const batches = await ds.toArray() as tt.Tensor[];
  assert.equal(tt.memory().numTensors, before + 2, 'toArray gives the two batches and keeps nothing else');
  tt.dispose(batches);
});

test('tf.data: errors as tfjs words them', async () => {
  for (const tf of [tfjs, tt] as TF[]) {
    assert.throws(() => tf.data.array([1]).shuffle(), /requires bufferSize/);
    assert.throws(() => tf.data.array([1]).prefetch(), /requires bufferSize/);
    await assert.rejects(tf.data.array([1]).repeat().toArray(), /Can not convert infinite data stream to array/);
    assert.throws(() => tf.data.zip(3), /must be an object or array/);
    await assert.rejects(tf.data.generator(function* () {
      yield 1;
      throw new Error('boom');
    }).toArray(), /Error thrown while iterating through a dataset: boom/);
  }
  await assert.rejects(tt.data.array([{ a: 'x' }, { a: 'y' }]).batch(2).toArray(), /no string tensors/);
});

function writeCsv(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tatami-csv-'));
  const file = path.join(dir, 'data.csv');
  writeFileSync(file, text);
  return `file://${file}`;
}

test('tf.data.csv: header, labels, dtypes, defaults, quotes and delimiters as tfjs reads them', async () => {
  const url = writeCsv('a,b,label,name\r\n1,2.5,0,"x, y"\n3,,1,z\n-4,1e3,1,"q"""\n');
  const configs: Record<string, any> = {
    'header, no configs': {},
    'a label column': { columnConfigs: { label: { isLabel: true } } },
    'int32, bool, a default': { columnConfigs: { a: { dtype: 'int32' }, b: { default: 7 }, label: { isLabel: true, dtype: 'bool' } } },
    'configured columns only': { columnConfigs: { b: { default: -1 }, label: { isLabel: true } }, configuredColumnsOnly: true },
  };
  for (const [label, config] of Object.entries(configs)) {
    await same((tf) => tf.data.csv(url, config), `csv ${label}`);
  }
  const semi = writeCsv('1;2;3\n4;5;6\n');
  await same((tf) => tf.data.csv(semi, { hasHeader: false, columnNames: ['x', 'y', 'z'], delimiter: ';' }), 'csv without header');
  const spaces = writeCsv('x y\n1  2\n3 4\n');
  await same((tf) => tf.data.csv(spaces, { delimWhitespace: true }), 'csv delimWhitespace');
  for (const tf of [tfjs, tt] as TF[]) {
    assert.deepEqual(await tf.data.csv(url).columnNames(), ['a', 'b', 'label', 'name']);
    await assert.rejects(tf.data.csv(url, { columnConfigs: { nope: {} } }).toArray(), /"nope" provided in columnConfigs does not match any of the column names/);
    await assert.rejects(tf.data.csv(url, { columnConfigs: { b: { required: true } } }).toArray(), /Required column b is empty/);
    await assert.rejects(tf.data.csv(semi, { hasHeader: false }).toArray(), /Column names must be provided/);
  }
  assert.throws(() => tt.data.csv('https://example.invalid/x.csv'), /file:\/\/' paths/);
});

test('tf.data.csv: the tfjs tutorial pipeline (labels, map to arrays, batch) gives tfjs\'s batches', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => `${i},${i * 2},${i % 3},${i % 2}`);
  const url = writeCsv(`f1,f2,f3,y\n${rows.join('\n')}\n`);
  await same((tf) => tf.data.csv(url, { columnConfigs: { y: { isLabel: true } } })
    .map(({ xs, ys }: any) => ({ xs: Object.values(xs), ys: Object.values(ys) })).batch(3), 'csv tutorial');
});
