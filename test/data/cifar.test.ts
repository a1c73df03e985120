import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { datasets, cifar10, cifar100 } from '../../src/data/index';
import { parseTar } from '../../src/data/tar';
import type { Tensor } from '../../src/tensor/tensor';
import { oracleMissing } from '../helpers/oracles';

// Small copies in both CIFAR formats: the Python batches are the committed fixtures made by
// test/fixtures/make_cifar_fixtures.py; the binary ones are written here with the same pixels:
// pixel (i, y, x, c) of a batch with offset k is (50k + 37i + 8y + 3x + 101c) % 256, label (k + 3i) % 10.

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cifar');
const PY10 = path.join(FIX, 'cifar-10-batches-py');
const PY100 = path.join(FIX, 'cifar-100-python');
const px = (k: number, i: number, y: number, x: number, c: number): number => (50 * k + 37 * i + 8 * y + 3 * x + 101 * c) % 256;

/** One binary record set: label byte(s) then R, G, B planes. */
function binaryBatch(k: number, n: number, labelsOf: (i: number) => number[]): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const r = Buffer.alloc(3072);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) r[c * 1024 + y * 32 + x] = px(k, i, y, x, c);
    parts.push(Buffer.from(labelsOf(i)), r);
  }
  return Buffer.concat(parts);
}

/** A ustar archive of `files` (name -> bytes), with directory entries as tar itself writes. */
function tar(files: Record<string, Uint8Array>): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string): Buffer => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write(type, 156);
    h.write('ustar\0' + '00', 257);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const dirs = new Set<string>();
  for (const [name, data] of Object.entries(files)) {
    const dir = path.posix.dirname(name);
    if (dir !== '.' && !dirs.has(dir)) {
      dirs.add(dir);
      blocks.push(header(dir + '/', 0, '5'));
    }
    blocks.push(header(name, data.length, '0'), Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const PY_NAMES = ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'];
let tmp: string;
let bin10: string; // cifar-10-batches-bin/ with 2 images per batch
let bin100: string;

function mk(...parts: string[]): string {
  const p = path.join(tmp, ...parts);
  fs.mkdirSync(p, { recursive: true });
  return p;
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-cifar-'));
  bin10 = mk('bin', 'cifar-10-batches-bin');
  PY_NAMES.forEach((name, k) => fs.writeFileSync(path.join(bin10, name + '.bin'), binaryBatch(k, 2, (i) => [(k + 3 * i) % 10])));
  bin100 = mk('bin100', 'cifar-100-binary');
  const lab100 = (k: number) => (i: number) => [(k + 7 * i) % 20, (k + 37 * i) % 100];
  fs.writeFileSync(path.join(bin100, 'train.bin'), binaryBatch(6, 3, lab100(6)));
  fs.writeFileSync(path.join(bin100, 'test.bin'), binaryBatch(7, 2, lab100(7)));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function checkCifar10(d: [[Tensor, Tensor], [Tensor, Tensor]]): void {
  const [[xTrain, yTrain], [xTest, yTest]] = d;
  assert.deepEqual(xTrain.shape, [10, 32, 32, 3]);
  assert.deepEqual(yTrain.shape, [10, 1]);
  assert.deepEqual(xTest.shape, [2, 32, 32, 3]);
  assert.deepEqual(yTest.shape, [2, 1]);
  for (const t of [xTrain, yTrain, xTest, yTest]) assert.equal(t.dtype, 'uint8');
  // Every pixel at (n, y, x, c), channels last; train image n is image n % 2 of batch n / 2.
  const x = xTrain.values;
  for (let n = 0; n < 10; n++) {
    for (let y = 0; y < 32; y++) for (let xx = 0; xx < 32; xx++) for (let c = 0; c < 3; c++) {
      if (x[((n * 32 + y) * 32 + xx) * 3 + c] !== px(n >> 1, n & 1, y, xx, c)) assert.fail(`pixel (${n}, ${y}, ${xx}, ${c})`);
    }
  }
  assert.equal(xTest.values[((1 * 32 + 31) * 32 + 2) * 3 + 1], px(5, 1, 31, 2, 1));
  assert.deepEqual(Array.from(yTrain.values), [0, 3, 1, 4, 2, 5, 3, 6, 4, 7]);
  assert.deepEqual(Array.from(yTest.values), [5, 8]);
}

describe('datasets.cifar10', () => {
  it('has the class names and is registered', () => {
    assert.deepEqual(cifar10.classNames, ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    assert.equal(datasets.cifar10, cifar10);
    assert.equal(datasets.cifar100.fineClassNames.length, 100);
    assert.equal(datasets.cifar100.coarseClassNames.length, 20);
  });

  it('reads the Python batches (pickles of protocols 2 to 5, Python 2 style included)', async () => {
    checkCifar10(await cifar10.loadData(PY10));
    checkCifar10(await cifar10.loadData(FIX)); // the folder holding cifar-10-batches-py/
  });

  it('reads the binary batches, with the same result', async () => {
    checkCifar10(await cifar10.loadData(bin10));
    checkCifar10(await cifar10.loadData(path.dirname(bin10)));
  });

  it('reads both official archives, made here and by tar(1)', async () => {
    const py: Record<string, Uint8Array> = {};
    for (const f of PY_NAMES) py[`cifar-10-batches-py/${f}`] = fs.readFileSync(path.join(PY10, f));
    const bin: Record<string, Uint8Array> = {};
    for (const f of PY_NAMES) bin[`cifar-10-batches-bin/${f}.bin`] = fs.readFileSync(path.join(bin10, f + '.bin'));
    const dir = mk('archives');
    fs.writeFileSync(path.join(dir, 'cifar-10-python.tar.gz'), zlib.gzipSync(tar(py)));
    fs.writeFileSync(path.join(dir, 'bin.tar'), tar(bin));
    checkCifar10(await cifar10.loadData(path.join(dir, 'cifar-10-python.tar.gz')));
    checkCifar10(await cifar10.loadData(dir)); // found under its official name
    checkCifar10(await cifar10.loadData(path.join(dir, 'bin.tar'))); // plain tar, any name
    const sys = mk('systar');
    execFileSync('tar', ['czf', path.join(sys, 'cifar-10-binary.tar.gz'), '-C', path.dirname(bin10), 'cifar-10-batches-bin']);
    checkCifar10(await cifar10.loadData(sys));
  });

  it("finds a copy through TATAMI_CIFAR10_DIR, then Keras's cache (KERAS_HOME or ~/.keras)", async () => {
    const saved = { env: process.env.TATAMI_CIFAR10_DIR, home: process.env.KERAS_HOME };
    try {
      process.env.TATAMI_CIFAR10_DIR = bin10;
      checkCifar10(await cifar10.loadData());
      delete process.env.TATAMI_CIFAR10_DIR;
      // Keras 3 extracts its download into cifar-10-batches-py-target/cifar-10-batches-py/.
      const k3 = mk('keras3', 'datasets', 'cifar-10-batches-py-target', 'cifar-10-batches-py');
      for (const f of PY_NAMES) fs.copyFileSync(path.join(PY10, f), path.join(k3, f));
      process.env.KERAS_HOME = path.join(tmp, 'keras3');
      checkCifar10(await cifar10.loadData());
      // Keras 3 keeps the downloaded archive as cifar-10-batches-py-target_archive.
      const arch = mk('keras3b', 'datasets');
      const py: Record<string, Uint8Array> = {};
      for (const f of PY_NAMES) py[`cifar-10-batches-py/${f}`] = fs.readFileSync(path.join(PY10, f));
      fs.writeFileSync(path.join(arch, 'cifar-10-batches-py-target_archive'), zlib.gzipSync(tar(py)));
      process.env.KERAS_HOME = path.join(tmp, 'keras3b');
      checkCifar10(await cifar10.loadData());
      process.env.KERAS_HOME = path.join(tmp, 'nothing-here');
      await assert.rejects(cifar10.loadData(), (e: Error) => {
        assert.match(e.message, /CIFAR-10 not found in Keras's cache/);
        assert.match(e.message, /https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar-10-python\.tar\.gz/);
        assert.ok(e.message.includes(path.join(tmp, 'nothing-here', 'datasets')));
        assert.match(e.message, /TATAMI_CIFAR10_DIR/);
        return true;
      });
    } finally {
      for (const [k, v] of [['TATAMI_CIFAR10_DIR', saved.env], ['KERAS_HOME', saved.home]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('says what to get when the given folder holds no copy', async () => {
    const empty = mk('empty');
    await assert.rejects(cifar10.loadData(empty), (e: Error) => {
      assert.match(e.message, /CIFAR-10 not found in the given path/);
      assert.ok(e.message.includes(empty));
      assert.match(e.message, /cifar-10-python\.tar\.gz.*cifar-10-binary\.tar\.gz/);
      return true;
    });
    await assert.rejects(cifar10.loadData(path.join(tmp, 'nope')), /no such file or folder/);
  });
});

describe('datasets.cifar10 on damaged or foreign files', () => {
  const copy = (from: string, to: string, ext = ''): string => {
    const d = mk(to);
    for (const f of PY_NAMES) fs.copyFileSync(path.join(from, f + ext), path.join(d, f + ext));
    return d;
  };

  it('names a missing batch file', async () => {
    const d = copy(bin10, 'missing', '.bin');
    fs.rmSync(path.join(d, 'data_batch_3.bin'));
    await assert.rejects(cifar10.loadData(d), new RegExp(`${path.join(d, 'data_batch_3.bin').replace(/[.]/g, '\\.')} is missing`));
  });

  it('names a truncated binary batch', async () => {
    const d = copy(bin10, 'trunc', '.bin');
    const f = path.join(d, 'test_batch.bin');
    fs.truncateSync(f, 3073 + 100);
    await assert.rejects(cifar10.loadData(d), (e: Error) => {
      assert.ok(e.message.startsWith(f + ': 3173 bytes is not a whole number of 3073-byte records'), e.message);
      return true;
    });
  });

  it('names a truncated Python batch', async () => {
    const d = copy(PY10, 'trunc-py');
    const f = path.join(d, 'data_batch_2');
    fs.truncateSync(f, 5000);
    await assert.rejects(cifar10.loadData(d), new RegExp(`^DataFileError: ${f}: truncated pickle`));
  });

  it('refuses foreign files under CIFAR names', async () => {
    const d = copy(bin10, 'foreign', '.bin');
    // a CIFAR-100 record set: 3074-byte records
    fs.writeFileSync(path.join(d, 'data_batch_1.bin'), binaryBatch(0, 3073, () => [1, 2]).subarray(0, 3074 * 3073));
    await assert.rejects(cifar10.loadData(d), /data_batch_1\.bin: record \d+ has label \d+, outside 0\.\.9/);
    fs.writeFileSync(path.join(d, 'data_batch_1.bin'), binaryBatch(0, 2, () => [1, 2]));
    await assert.rejects(cifar10.loadData(d), /data_batch_1\.bin: 6148 bytes is not a whole number of 3073-byte records/);
    const p = copy(PY10, 'foreign-py');
    fs.copyFileSync(path.join(FIX, 'misc_p4.pickle'), path.join(p, 'data_batch_4'));
    await assert.rejects(cifar10.loadData(p), /data_batch_4: no NumPy array under b'data'/);
    fs.copyFileSync(path.join(PY100, 'test'), path.join(p, 'data_batch_4'));
    await assert.rejects(cifar10.loadData(p), /data_batch_4: no list of labels under b'labels'/);
    fs.copyFileSync(path.join(FIX, 'evil.pickle'), path.join(p, 'data_batch_4'));
    await assert.rejects(cifar10.loadData(p), /data_batch_4: .*refusing to load the Python global os\.system/);
  });

  it('names a truncated, damaged or unrelated archive', async () => {
    const d = mk('bad-archives');
    const py: Record<string, Uint8Array> = {};
    for (const f of PY_NAMES) py[`cifar-10-batches-py/${f}`] = fs.readFileSync(path.join(PY10, f));
    const t = tar(py);
    const cut = path.join(d, 'cut.tar');
    fs.writeFileSync(cut, t.subarray(0, 9000));
    await assert.rejects(cifar10.loadData(cut), new RegExp(`${cut}: truncated tar archive`));
    const gzCut = path.join(d, 'cut.tar.gz');
    const gz = zlib.gzipSync(t);
    fs.writeFileSync(gzCut, gz.subarray(0, gz.length >> 1));
    await assert.rejects(cifar10.loadData(gzCut), new RegExp(`${gzCut}: damaged or truncated gzip`));
    const other = path.join(d, 'other.tar.gz');
    fs.writeFileSync(other, zlib.gzipSync(tar({ 'photos/cat.jpg': Buffer.from('not a cat') })));
    await assert.rejects(cifar10.loadData(other), new RegExp(`${other}: not a CIFAR-10 archive .*found photos/cat\\.jpg`));
    const notTar = path.join(d, 'notes.txt');
    fs.writeFileSync(notTar, 'x'.repeat(2000));
    await assert.rejects(cifar10.loadData(notTar), new RegExp(`${notTar}: not a tar archive`));
    const partial = { ...py };
    delete partial['cifar-10-batches-py/test_batch'];
    fs.writeFileSync(path.join(d, 'partial.tar'), tar(partial));
    await assert.rejects(cifar10.loadData(path.join(d, 'partial.tar')), /partial\.tar: the archive has no cifar-10-batches-py\/test_batch/);
  });

  it('parseTar keeps names of GNU long-name entries', () => {
    const long = 'a/'.repeat(70) + 'file';
    const dir = mk('long', path.dirname(long));
    fs.writeFileSync(path.join(dir, 'file'), 'hello');
    const root = path.join(tmp, 'long');
    const gnu = execFileSync('tar', ['cf', '-', '--format=gnu', '-C', root, long]);
    const pax = execFileSync('tar', ['cf', '-', '--format=pax', '-C', root, long]);
    for (const b of [gnu, pax]) {
      const e = parseTar(b).find((x) => x.name === long);
      assert.ok(e, 'long name entry');
      assert.equal(Buffer.from(e.data).toString(), 'hello');
    }
  });
});

describe('datasets.cifar100', () => {
  const check = (d: [[Tensor, Tensor], [Tensor, Tensor]], mode: 'fine' | 'coarse'): void => {
    const [[xTrain, yTrain], [xTest, yTest]] = d;
    assert.deepEqual(xTrain.shape, [3, 32, 32, 3]);
    assert.deepEqual(xTest.shape, [2, 32, 32, 3]);
    assert.deepEqual(yTrain.shape, [3, 1]);
    assert.equal(yTrain.dtype, 'int32');
    assert.equal(xTrain.values[((2 * 32 + 5) * 32 + 7) * 3 + 2], px(6, 2, 5, 7, 2));
    assert.equal(xTest.values[((1 * 32 + 0) * 32 + 31) * 3 + 0], px(7, 1, 0, 31, 0));
    const lab = (k: number, i: number) => (mode === 'fine' ? (k + 37 * i) % 100 : (k + 7 * i) % 20);
    assert.deepEqual(Array.from(yTrain.values), [0, 1, 2].map((i) => lab(6, i)));
    assert.deepEqual(Array.from(yTest.values), [0, 1].map((i) => lab(7, i)));
  };

  it('reads fine and coarse labels from both distributions', async () => {
    for (const dir of [PY100, FIX, bin100, path.dirname(bin100)]) {
      check(await cifar100.loadData(dir), 'fine');
      check(await cifar100.loadData(dir, { labelMode: 'coarse' }), 'coarse');
    }
    const arch = path.join(mk('c100'), 'cifar-100-binary.tar.gz');
    execFileSync('tar', ['czf', arch, '-C', path.dirname(bin100), 'cifar-100-binary']);
    check(await cifar100.loadData(arch, { labelMode: 'coarse' }), 'coarse');
  });

  it('refuses a bad label mode and CIFAR-10 files', async () => {
    // @ts-expect-error: checked at run time too
    await assert.rejects(cifar100.loadData(PY100, { labelMode: 'medium' }), /labelMode must be 'fine' or 'coarse'/);
    // @ts-expect-error: checked at run time too
    await assert.rejects(cifar100.loadData(PY100, { mode: 'fine' }), /unknown option 'mode'/);
    const d = mk('c100-foreign', 'cifar-100-binary');
    fs.copyFileSync(path.join(bin10, 'data_batch_1.bin'), path.join(d, 'train.bin'));
    fs.copyFileSync(path.join(bin100, 'test.bin'), path.join(d, 'test.bin'));
    await assert.rejects(cifar100.loadData(d), /train\.bin: 6146 bytes is not a whole number of 3074-byte records/);
    await assert.rejects(cifar100.loadData(PY10), /CIFAR-100 not found in the given path/);
  });
});

describe('datasets.cifar10 against Keras arithmetic on pickles written by Debian python3 + numpy', () => {
  const PY = '/usr/bin/python3';
  const hasNumpy = fs.existsSync(PY) && (() => {
    try {
      execFileSync(PY, ['-c', 'import numpy']);
      return true;
    } catch {
      return false;
    }
  })();

  const total = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };

  it('agrees with NumPy reshape/transpose as keras.datasets does', async (t) => {
    if (!hasNumpy) return oracleMissing(t, 'needs /usr/bin/python3 with numpy (apt-get install python3-numpy)');
    const out = mk('random');
    const script = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'make_cifar_fixtures.py');
    const ref = JSON.parse(execFileSync(PY, [script, '--random', out, '7', '3']).toString());
    const [[xTrain, yTrain], [xTest, yTest]] = await cifar10.loadData(out);
    const r = ref.cifar10;
    assert.deepEqual(xTrain.shape, r.trainShape);
    assert.deepEqual(xTest.shape, r.testShape);
    let s = 0;
    let w = 0;
    xTrain.values.forEach((v, i) => {
      s += v;
      w += v * (i % 3);
    });
    assert.equal(s, r.trainSum);
    assert.equal(w, r.weightedTrainSum);
    assert.equal(total(xTest.values), r.testSum);
    assert.deepEqual(Array.from(yTrain.values), r.yTrain);
    assert.deepEqual(Array.from(yTest.values), r.yTest);
    for (const [[n, y, x, c], v] of r.picks) assert.equal(xTrain.values[((n * 32 + y) * 32 + x) * 3 + c], v);
    for (const mode of ['fine', 'coarse'] as const) {
      const [[a, ya], [b, yb]] = await cifar100.loadData(out, { labelMode: mode });
      for (const [x, y, name] of [[a, ya, 'train'], [b, yb, 'test']] as const) {
        const q = ref[`cifar100_${name}`];
        assert.equal(total(x.values), q.sum);
        assert.deepEqual(Array.from(x.values.subarray((1 * 32 + 2) * 3, (1 * 32 + 2) * 3 + 3)), q.first);
        assert.deepEqual(Array.from(y.values), q[mode]);
      }
    }
  });
});
