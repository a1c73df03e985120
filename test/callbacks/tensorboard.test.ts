import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { crc32c, maskedCrc32c } from '../../src/callbacks/tensorboard/crc32c';
import { ProtoWriter } from '../../src/callbacks/tensorboard/protobuf';
import { histogramOf } from '../../src/callbacks/tensorboard/event_file';
import { FakeModel, drive, tempDir, tinyProblem } from './fakes';
import { oracleMissing } from '../helpers/oracles';

// The event files are read back by test/crosscheck/read_events.py: Google's protobuf runtime
// (Debian python3-protobuf) with TensorBoard's field numbers, and crcmod's CRC-32C for every
// record. Tags and steps follow Keras 3's keras/src/callbacks/tensorboard.py.

const PYTHON = '/usr/bin/python3';
const READER = [path.resolve(__dirname, '../../../test/crosscheck/read_events.py'), path.resolve('test/crosscheck/read_events.py')]
  .find((p) => fs.existsSync(p));

/** Why the Python reader cannot run here, or null. */
function readerMissing(): string | null {
  if (!READER) return 'test/crosscheck/read_events.py not found';
  const r = spawnSync(PYTHON, ['-c', 'import google.protobuf, crcmod'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'needs /usr/bin/python3 with python3-protobuf and python3-crcmod';
}

interface FileDump {
  file_version: string;
  records: number;
  scalars: Record<string, [number, number][]>;
  histograms: Record<string, { step: number; min: number; max: number; num: number; sum: number; sum_squares: number; bucket_limit: number[]; bucket: number[] }[]>;
  texts: Record<string, [number, string][]>;
  plugins: Record<string, string>;
  data_classes: Record<string, number>;
  wall_times_increasing: boolean;
}

function readEvents(dir: string): Record<string, FileDump> {
  return JSON.parse(execFileSync(PYTHON, [READER!, dir], { encoding: 'utf8' }));
}

/** The one event file under `sub` of the dump. */
function only(dump: Record<string, FileDump>, sub: string): [string, FileDump] {
  const hits = Object.entries(dump).filter(([p]) => path.basename(path.dirname(p)) === sub);
  assert.equal(hits.length, 1, `one event file in ${sub}/`);
  return hits[0];
}

describe('TensorBoard event files', () => {
  it('CRC-32C and its TFRecord mask match the published check values', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    assert.equal(crc32c(ascii('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    assert.equal(crc32c(new Uint8Array(0)), 0);
    const c = crc32c(ascii('abc'));
    assert.equal(maskedCrc32c(ascii('abc')), ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  it('encodes protobuf varints, doubles and nested messages', () => {
    const hex = (w: ProtoWriter) => Buffer.from(w.finish()).toString('hex');
    assert.equal(hex(new ProtoWriter().int(1, 150)), '089601');
    assert.equal(hex(new ProtoWriter().int(2, 2 ** 40)), '108080808080' + '20');
    assert.equal(hex(new ProtoWriter().int(1, -1)), '08ffffffffffffffffff01');
    assert.equal(hex(new ProtoWriter().string(2, 'testing')), '120774657374696e67');
    assert.equal(hex(new ProtoWriter().double(1, 1)), '09000000000000f03f');
    assert.equal(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150))), '1a03089601');
  });

  it("histogramOf: TensorBoard's equal-width buckets", () => {
    const h = histogramOf([0, 1, 2, 3, 10], 5);
    assert.deepEqual(h.bucket, [2, 2, 0, 0, 1]);
    assert.deepEqual(h.bucketLimit, [2, 4, 6, 8, 10]);
    assert.equal(h.sumSquares, 114);
    assert.deepEqual(histogramOf([4, 4]), { min: 4, max: 4, num: 2, sum: 8, sumSquares: 32, bucketLimit: [4.5], bucket: [2] });
  });

  it('a real fit writes train/ and validation/ files that an independent reader decodes', async (t) => {
    const missing = readerMissing();
    if (missing) return oracleMissing(t, missing);
    const logDir = tempDir('tatami-tb-');
    const { model, x, y } = tinyProblem(11);
    const tb = tt.callbacks.tensorBoard({ logDir, histogramFreq: 1 });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0,
      callbacks: [tt.callbacks.reduceLROnPlateau({ monitor: 'loss', minDelta: 10, patience: 1 }), tb] });
    const names = fs.readdirSync(path.join(logDir, 'train'));
    assert.equal(names.length, 1);
    assert.match(names[0], /^events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+\.v2$/);
    const dump = readEvents(logDir);
    const [, train] = only(dump, 'train');
    const [, val] = only(dump, 'validation');
    const f32 = (a: number[]) => a.map(Math.fround);
    const steps = (s: [number, number][]) => s.map(([step]) => step);
    const values = (s: [number, number][]) => s.map(([, v]) => v);
    for (const file of [train, val]) {
      assert.equal(file.file_version, 'brain.Event:2');
      assert.ok(file.wall_times_increasing);
    }
    assert.deepEqual(Object.keys(train.scalars).sort(), ['epoch_accuracy', 'epoch_learning_rate', 'epoch_loss']);
    assert.deepEqual(steps(train.scalars.epoch_loss), [0, 1, 2]);
    assert.deepEqual(values(train.scalars.epoch_loss), f32(history.history.loss));
    assert.deepEqual(values(train.scalars.epoch_accuracy), f32(history.history.accuracy));
    // Keras reads the optimizer's rate at TensorBoard's own epoch end, after ReduceLROnPlateau
    // (earlier in the list) has cut it; history keeps the rate the epoch trained with.
    const lr1 = Math.fround(Math.fround(0.01) * 0.1);
    assert.deepEqual(values(train.scalars.epoch_learning_rate), f32([0.01, lr1, lr1 * 0.1]));
    assert.deepEqual(history.history.learning_rate, f32([0.01, 0.01, lr1]));
    // fit's validation runs onTestEnd, so Keras 3 also logs evaluation_*_vs_iterations there
    assert.deepEqual(Object.keys(val.scalars).sort(), ['epoch_accuracy', 'epoch_loss', 'evaluation_accuracy_vs_iterations', 'evaluation_loss_vs_iterations']);
    assert.deepEqual(values(val.scalars.epoch_loss), f32(history.history.val_loss));
    assert.deepEqual(values(val.scalars.epoch_accuracy), f32(history.history.val_accuracy));
    assert.equal(train.plugins.epoch_loss, 'scalars');
    assert.equal(train.data_classes.epoch_loss, 1);
    // one histogram per weight per epoch, tagged '<layer>/<weight>/histogram'
    const tags = model.weights.map((w) => `${w.name}/histogram`);
    assert.deepEqual(Object.keys(train.histograms).sort(), tags.slice().sort());
    assert.match(tags[0], /^dense(_\d+)?\/kernel\/histogram$/);
    model.weights.forEach((w, i) => {
      const series = train.histograms[tags[i]];
      assert.deepEqual(series.map((h) => h.step), [0, 1, 2]);
      const last = series[2];
      const v = Array.from(w.values);
      assert.equal(last.num, v.length);
      assert.equal(last.min, Math.min(...v));
      assert.equal(last.max, Math.max(...v));
      assert.ok(Math.abs(last.sum - v.reduce((a, b) => a + b, 0)) < 1e-9);
      assert.equal(last.bucket.reduce((a, b) => a + b, 0), v.length);
      assert.equal(last.bucket_limit.length, last.bucket.length);
    });
    assert.deepEqual(tb.eventFiles.map((p) => path.basename(path.dirname(p))), ['train', 'validation']);
  });

  it('batch scalars, the model config summary and evaluation scalars', async (t) => {
    const missing = readerMissing();
    if (missing) return oracleMissing(t, missing);
    const logDir = tempDir('tatami-tb-');
    const model = new FakeModel() as FakeModel & { toJSON(): unknown };
    model.toJSON = () => ({ class_name: 'Sequential', config: { name: 'fake' } });
    model.optimizer!.iterations = 7;
    const tb = tt.callbacks.tensorBoard({ logDir, updateFreq: 2 });
    await drive([tb], model, [{ loss: 0.5 }, { loss: 0.25 }], 3, (e, b) => ({ loss: e + b }));
    tb.onTestEnd({ loss: 0.125, accuracy: 0.75 });
    const dump = readEvents(logDir);
    const [, train] = only(dump, 'train');
    // global batches 1..6; every 2nd is written
    assert.deepEqual(train.scalars.batch_loss, [[2, 1], [4, 1], [6, 3]]);
    assert.deepEqual(train.texts.keras, [[0, JSON.stringify(model.toJSON())]]);
    assert.equal(train.plugins.keras, 'graph_keras_model');
    const [, val] = only(dump, 'validation');
    assert.deepEqual(val.scalars, { evaluation_loss_vs_iterations: [[7, 0.125]], evaluation_accuracy_vs_iterations: [[7, 0.75]] });
  });

  it('the reader rejects a corrupted record (it really checks the CRCs)', async (t) => {
    const missing = readerMissing();
    if (missing) return oracleMissing(t, missing);
    const logDir = tempDir('tatami-tb-');
    const tb = tt.callbacks.tensorBoard({ logDir });
    await drive([tb], new FakeModel(), [{ loss: 0.5, val_loss: 0.7 }]);
    const file = tb.eventFiles[0];
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 0x01;
    fs.writeFileSync(file, bytes);
    const r = spawnSync(PYTHON, [READER!, file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /data CRC mismatch/);
  });

  it('names bad options', () => {
    assert.throws(() => tt.callbacks.tensorBoard({ histogramFreq: -1 }), /histogramFreq must be an integer >= 0/);
    assert.throws(() => tt.callbacks.tensorBoard({ updateFreq: 'step' as never }), /updateFreq must be 'epoch', 'batch' or a positive integer/);
    assert.throws(() => tt.callbacks.tensorBoard({ log_dir: 'x' } as never), /unknown option 'log_dir'/);
  });
});
