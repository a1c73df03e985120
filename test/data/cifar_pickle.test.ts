import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePickle, PyBytes, PyDict, isNdArray, type NdArray, type PickleValue } from '../../src/data/pickle';
import { TatamiError } from '../../src/util/errors';

// Fixtures written by test/fixtures/make_cifar_fixtures.py with Debian's python3 and numpy.
const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cifar');
const read = (f: string): Uint8Array => fs.readFileSync(path.join(FIX, f));

function dict(v: PickleValue): PyDict {
  assert.ok(v instanceof PyDict);
  return v;
}
function arr(v: PickleValue | undefined): NdArray {
  assert.ok(isNdArray(v));
  return v;
}

describe('parsePickle', () => {
  for (const proto of [2, 4, 5]) {
    it(`reads numbers, strings, containers and NumPy arrays at protocol ${proto}`, () => {
      const d = dict(parsePickle(read(`misc_p${proto}.pickle`)));
      assert.equal(d.get('text'), 'héllo');
      const b = d.get('bytes');
      assert.ok(b instanceof PyBytes);
      assert.deepEqual(Array.from(b.bytes), [0, 255]);
      assert.deepEqual(d.get('ints'), [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2n ** 62n, -(2n ** 70n)]);
      assert.deepEqual(d.get('floats'), [1.5, -0, 1e300]);
      assert.ok(Object.is((d.get('floats') as number[])[1], -0));
      assert.deepEqual(d.get('flags'), [null, true, false]);
      const nested = dict(d.get('nested')!);
      assert.deepEqual(nested.get('a'), [1, [2, 3]]);
      assert.deepEqual(nested.get('e'), []);
      const i64 = arr(d.get('i64'));
      assert.equal(i64.dtype, 'i8');
      assert.deepEqual(i64.shape, [3]);
      assert.deepEqual(Array.from(new BigInt64Array(new Uint8Array(i64.data).buffer)), [-1n, 2n, 3n]);
      const f4 = arr(d.get('f4be'));
      assert.equal(f4.dtype, 'f4');
      assert.equal(f4.littleEndian, false);
      assert.deepEqual(f4.shape, [1, 2]);
      const dv = new DataView(f4.data.buffer, f4.data.byteOffset, 8);
      assert.deepEqual([dv.getFloat32(0, false), dv.getFloat32(4, false)], [1.5, -2]);
      const fo = arr(d.get('fortran'));
      assert.equal(fo.dtype, 'u1');
      assert.deepEqual(fo.shape, [2, 3]);
      // arange(6).reshape(2, 3) stored column by column
      assert.equal(fo.fortranOrder, proto < 5 ? true : fo.fortranOrder);
      assert.deepEqual(Array.from(fo.data), fo.fortranOrder ? [0, 3, 1, 4, 2, 5] : [0, 1, 2, 3, 4, 5]);
      const empty = arr(d.get('empty'));
      assert.deepEqual(empty.shape, [0, 3]);
      assert.equal(empty.data.length, 0);
    });
  }

  it('reads the Python 2 style CIFAR batch (BINSTRING keys and data) as bytes', () => {
    const d = dict(parsePickle(read('cifar-10-batches-py/data_batch_1')));
    assert.deepEqual(d.keys(), ["b'batch_label'", "b'data'", "b'filenames'", "b'labels'"]);
    assert.equal(String(d.get('batch_label')), 'training batch 0 of 5');
    const data = arr(d.get('data'));
    assert.deepEqual(data.shape, [2, 3072]);
    // image 1, channel G (c = 1), y = 2, x = 3: (37 + 16 + 9 + 101) % 256
    assert.equal(data.data[3072 + 1024 + 2 * 32 + 3], (37 + 16 + 9 + 101) % 256);
    assert.deepEqual(d.get('labels'), [0, 3]);
  });

  it('refuses to call anything but the NumPy and bytes constructors', () => {
    assert.throws(() => parsePickle(read('evil.pickle'), 'evil.pickle'), (e: Error) => {
      assert.ok(e instanceof TatamiError);
      assert.match(e.message, /^evil\.pickle: .*refusing to load the Python global os\.system/);
      return true;
    });
    assert.throws(() => parsePickle(read('object_array.pickle'), 'obj'), /obj: .*(object|Python objects)/);
  });

  it('names a truncated pickle and unknown opcodes', () => {
    const full = read('cifar-10-batches-py/data_batch_4');
    for (const n of [0, 1, 40, 3000, full.length - 1]) {
      assert.throws(() => parsePickle(full.subarray(0, n), 'cut'), /^DataFileError: cut: truncated pickle/);
    }
    assert.throws(() => parsePickle(Uint8Array.from([0x80, 0x02, 0x01, 0x2e]), 'x'), /x: .*opcode 0x01/);
    assert.throws(() => parsePickle(Uint8Array.from([0x80, 0x06, 0x4e, 0x2e]), 'x'), /protocol 6/);
    assert.throws(() => parsePickle(Buffer.from('\x89PNG\r\n\x1a\n'), 'photo.png'), /photo\.png: /);
  });
});
