import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { FakeModel, drive, tempDir, tinyProblem } from './fakes';
import { oracleMissing } from '../helpers/oracles';

// Expected files follow Keras 3's keras/src/callbacks/csv_logger.py, written through Python's
// csv module (excel dialect: '\r\n' line ends; floats as str(float)).

const LOGS = [
  { loss: 0.5, accuracy: 0.75, val_loss: 0.0718, val_accuracy: 0.9832 },
  { loss: 0.1 + 0.2, accuracy: 1, val_loss: 1e-5, val_accuracy: 0.5 },
];

describe('csvLogger', () => {
  it('writes sorted keys and Python-formatted values', async () => {
    const file = path.join(tempDir(), 'log.csv');
    await drive([tt.callbacks.csvLogger({ filename: file })], new FakeModel(), LOGS);
    assert.equal(fs.readFileSync(file, 'utf8'),
      'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,0.9832,0.0718\r\n1,1.0,0.30000000000000004,0.5,1e-05\r\n');
  });

  it('append keeps one header; overwrite starts afresh; separator', async () => {
    const file = path.join(tempDir(), 'log.csv');
    await drive([tt.callbacks.csvLogger({ filename: file, separator: ';' })], new FakeModel(), LOGS.slice(0, 1));
    await drive([tt.callbacks.csvLogger({ filename: file, separator: ';', append: true })], new FakeModel(), LOGS.slice(1));
    assert.equal(fs.readFileSync(file, 'utf8'),
      'epoch;accuracy;loss;val_accuracy;val_loss\r\n0;0.75;0.5;0.9832;0.0718\r\n0;1.0;0.30000000000000004;0.5;1e-05\r\n');
    await drive([tt.callbacks.csvLogger({ filename: file })], new FakeModel(), LOGS.slice(1));
    assert.equal(fs.readFileSync(file, 'utf8').split('\r\n').length, 3);
    const empty = path.join(tempDir(), 'empty.csv');
    fs.writeFileSync(empty, '');
    await drive([tt.callbacks.csvLogger({ filename: empty, append: true })], new FakeModel(), LOGS.slice(0, 1));
    assert.match(fs.readFileSync(empty, 'utf8'), /^epoch,accuracy/);
  });

  it('missing keys are NA; bad options are named', async () => {
    const file = path.join(tempDir(), 'log.csv');
    await drive([tt.callbacks.csvLogger({ filename: file })], new FakeModel(), [{ a: 1, b: 2 }, { a: 3 }]);
    assert.equal(fs.readFileSync(file, 'utf8'), 'epoch,a,b\r\n0,1.0,2.0\r\n1,3.0,NA\r\n');
    assert.throws(() => tt.callbacks.csvLogger({ filename: 'x.csv', separator: '::' }), /separator must be a 1-character string/);
    await assert.rejects(drive([tt.callbacks.csvLogger({ filename: path.join(tempDir(), 'no/such/dir/x.csv') })], new FakeModel(), LOGS),
      /csvLogger: cannot open '.*x\.csv' for writing/);
  });

  it("a real fit's log reads back with Python's csv module", async (t) => {
    const { model, x, y } = tinyProblem();
    const file = path.join(tempDir(), 'train.csv');
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [tt.callbacks.csvLogger({ filename: file })] });
    if (!fs.existsSync('/usr/bin/python3')) return oracleMissing(t, 'no /usr/bin/python3');
    const script = 'import csv,json,sys\nprint(json.dumps([{k: float(v) for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1], newline=""))]))';
    const rows = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, number>[];
    assert.deepEqual(rows.map((r) => r.epoch), [0, 1, 2]);
    for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) assert.deepEqual(rows.map((r) => r[k]), history.history[k]);
  });
});
