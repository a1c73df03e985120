import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { ModelFileError } from '../../src/saving/files';
import { loadMemoryBuild, type H5Group } from '../../src/saving/h5';
import { writeH5, writeH5File } from '../../src/saving/h5_write';
import { writeKeras3Weights } from '../../src/saving/keras3_weights';
import { tempDir } from './io_helpers';

// HDF5 files are written in place through h5wasm's Node build (h5_write.ts). The files must be
// those the browser build's memory FS made before, byte for byte, and a failed write must leave
// the folder as it was.

async function trainedModel(): Promise<tt.Sequential> {
  resetNames();
  tt.setSeed(11);
  const m = tt.sequential([
    tt.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tt.randomNormal([8, 8, 8, 2]);
  const y = tt.oneHot(tt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32'), 3);
  await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  return m;
}

/** The same file built in the browser build's memory FS, as writeH5 did before. */
async function inMemory(fn: (root: H5Group) => void): Promise<Uint8Array> {
  const { h5, fs } = await loadMemoryBuild();
  const name = '/tatami-write-test.h5';
  const f = new h5.File(name, 'w');
  try {
    fn(f);
  } finally {
    f.close();
  }
  const bytes = fs.readFile(name).slice();
  fs.unlink(name);
  return bytes;
}

const second = () => Math.floor(Date.now() / 1000);

describe('HDF5 writes on disk', () => {
  it('saveWeights writes the bytes the in-memory build wrote', async () => {
    const m = await trainedModel();
    const { dir, cleanup } = tempDir('h5write');
    try {
      const file = join(dir, 'w.weights.h5');
      await inMemory(() => undefined); // both builds loaded before timing
      await m.saveWeights(file);
      // HDF5 stamps objects with the time in seconds: compare two writes made within one second
      for (let attempt = 0; ; attempt++) {
        const t = second();
        const memory = await inMemory((root) => writeKeras3Weights(root, m, true));
        await m.saveWeights(file);
        if (second() !== t && attempt < 5) continue;
        assert.equal(second(), t, 'the two writes kept crossing a second boundary');
        assert.deepEqual(readFileSync(file), Buffer.from(memory));
        break;
      }
      assert.deepEqual(readdirSync(dir), ['w.weights.h5']);
    } finally {
      cleanup();
    }
  });

  it('a failed write leaves the old file and no temporary', async () => {
    const { dir, cleanup } = tempDir('h5write');
    try {
      const file = join(dir, 'x.h5');
      writeFileSync(file, 'old');
      await assert.rejects(writeH5File(file, () => {
        throw new ModelFileError('stop here');
      }), (e: Error) => e instanceof ModelFileError && e.message === 'stop here');
      // h5wasm's own failure: 2 values for a shape of 3
      await assert.rejects(writeH5File(file, (root) => {
        root.create_dataset({ name: 'a', data: new Float32Array(2), shape: [3], dtype: '<f' });
      }), (e: Error) => e instanceof ModelFileError && /^HDF5 write failed: /.test(e.message));
      await assert.rejects(writeH5File(file, () => undefined, { overwrite: false }), (e: Error) => e instanceof ModelFileError && /already exists/.test(e.message));
      assert.equal(readFileSync(file, 'utf8'), 'old');
      assert.deepEqual(readdirSync(dir), ['x.h5']);
      // a folder that cannot be made: its parent is a file
      await assert.rejects(writeH5File(join(file, 'y.h5'), () => undefined), (e: Error) => e instanceof ModelFileError && /cannot write/.test(e.message));
      await assert.rejects(writeH5(join(file, 'y.keras'), () => undefined), (e: Error) => e instanceof ModelFileError && /cannot write/.test(e.message));
    } finally {
      cleanup();
    }
  });

  it('writeH5 (the weights of a .keras zip) reads back its file and removes it', async () => {
    const { dir, cleanup } = tempDir('h5write');
    try {
      const bytes = await writeH5(join(dir, 'm.keras'), (root) => root.create_group('g'));
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      cleanup();
    }
  });
});
