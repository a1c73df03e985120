import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tt from '../../src/index';
import { formatValue } from '../../src/callbacks/py_format';
import { FakeModel, capture, drive, tempDir, tinyProblem, valLosses } from './fakes';

// Expected behaviour and messages follow Keras 3's keras/src/callbacks/model_checkpoint.py
// (messages start with '\n', as Keras prints them to end a progress-bar line).

describe('modelCheckpoint', () => {
  it('saveBestOnly + saveWeightsOnly with a formatted filename (seed 002, Keras 3 spelling)', async () => {
    const dir = tempDir();
    const template = path.join(dir, 'weights/val_loss{val_loss:.3f}.weights.h5');
    const model = new FakeModel();
    const cb = tt.callbacks.modelCheckpoint({ filepath: template, monitor: 'val_loss', verbose: 1, saveBestOnly: true, saveWeightsOnly: true });
    const { text } = await capture(() => drive([cb], model, valLosses([0.1, 0.0718, 0.08, 0.05])));
    const f = (v: string) => path.join(dir, `weights/val_loss${v}.weights.h5`);
    assert.equal(text, [
      `\nEpoch 1: val_loss improved from inf to 0.10000, saving model to ${f('0.100')}`,
      `\nEpoch 1: finished saving model to ${f('0.100')}`,
      `\nEpoch 2: val_loss improved from 0.10000 to 0.07180, saving model to ${f('0.072')}`,
      `\nEpoch 2: finished saving model to ${f('0.072')}`,
      '\nEpoch 3: val_loss did not improve from 0.07180',
      `\nEpoch 4: val_loss improved from 0.07180 to 0.05000, saving model to ${f('0.050')}`,
      `\nEpoch 4: finished saving model to ${f('0.050')}`,
      '',
    ].join('\n'));
    assert.deepEqual(model.saves.map((s) => [s.kind, path.basename(s.path), s.value]), [
      ['saveWeights', 'val_loss0.100.weights.h5', 0], ['saveWeights', 'val_loss0.072.weights.h5', 1], ['saveWeights', 'val_loss0.050.weights.h5', 3],
    ]);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'weights')).sort(), ['val_loss0.050.weights.h5', 'val_loss0.072.weights.h5', 'val_loss0.100.weights.h5']);
    assert.equal(cb.best, 0.05);
  });

  it('saves the whole model every epoch with model.save(path, { overwrite: true })', async () => {
    const dir = tempDir();
    const model = new FakeModel();
    const cb = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'ckpt-{epoch:02d}-{loss:.4f}.keras'), verbose: 1 });
    const { lines } = await capture(() => drive([cb], model, valLosses([0.3, 0.2])));
    assert.deepEqual(model.saves.map((s) => [s.kind, path.basename(s.path), s.options]), [
      ['save', 'ckpt-01-1.0000.keras', { overwrite: true }], ['save', 'ckpt-02-0.5000.keras', { overwrite: true }],
    ]);
    assert.equal(lines[0], `Epoch 1: saving model to ${path.join(dir, 'ckpt-01-1.0000.keras')}`);
  });

  it("accepts Keras 2's `period` as 'every N epochs', with a deprecation warning", async () => {
    const dir = tempDir();
    const model = new FakeModel();
    const { warnings } = await capture(async () => {
      const cb = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'w{epoch}.weights.h5'), saveWeightsOnly: true, saveBestOnly: true, period: 3 });
      await drive([cb], model, valLosses([0.9, 0.8, 0.7, 0.1, 0.2, 0.75, 0.05]));
    });
    // epochs 3 and 6 (1-based) are considered; 6 is worse than 3
    assert.deepEqual(model.saves.map((s) => path.basename(s.path)), ['w3.weights.h5']);
    assert.match(warnings[0], /`period` is deprecated/);
  });

  it('saveFreq N counts batches across epochs and fills {batch}', async () => {
    const dir = tempDir();
    const model = new FakeModel();
    const cb = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'e{epoch}-b{batch}-{loss:.1f}.keras'), saveFreq: 2 });
    await drive([cb], model, valLosses([1, 1]), 3, (e, b) => ({ loss: e + b / 10 }));
    assert.deepEqual(model.saves.map((s) => path.basename(s.path)), ['e1-b2-0.1.keras', 'e2-b1-1.0.keras', 'e2-b3-1.2.keras']);
  });

  it("infers 'max' for val_accuracy and starts from initialValueThreshold", async () => {
    const dir = tempDir();
    const model = new FakeModel();
    const cb = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'best.keras'), monitor: 'val_accuracy', saveBestOnly: true, initialValueThreshold: 0.9, verbose: 1 });
    const { lines } = await capture(() => drive([cb], model, [0.8, 0.95, 0.93].map((a) => ({ val_accuracy: a }))));
    assert.equal(model.saves.length, 1);
    assert.equal(lines[0], 'Epoch 1: val_accuracy did not improve from 0.90000');
    assert.match(lines[1], /^Epoch 2: val_accuracy improved from 0\.90000 to 0\.95000, saving model to .*best\.keras$/);
  });

  it('warns and saves when the monitored value is missing', async () => {
    const dir = tempDir();
    const model = new FakeModel();
    const cb = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'm.h5'), saveBestOnly: true });
    const { warnings } = await capture(() => drive([cb], model, [{ loss: 1 }]));
    assert.equal(model.saves.length, 1);
    assert.deepEqual(warnings, ['UserWarning: Can save best model only with val_loss available.\n']);
  });

  it('rejects bad filepaths and options with clear errors', async () => {
    assert.throws(() => tt.callbacks.modelCheckpoint({ filepath: 'w.hdf5', saveWeightsOnly: true }), /must end in `\.weights\.h5`/);
    assert.throws(() => tt.callbacks.modelCheckpoint({ filepath: 'model.pt' }), /must end in `\.keras`/);
    assert.throws(() => tt.callbacks.modelCheckpoint({ filepath: 'm.keras', saveFreq: 'batch' as never }), /Unrecognized saveFreq/);
    assert.throws(() => tt.callbacks.modelCheckpoint({} as never), /filepath \(a string\) is required/);
    const dir = tempDir();
    const bad = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, '{val_acc:.2f}.keras') });
    await assert.rejects(drive([bad], new FakeModel(), [{ loss: 1, val_loss: 2 }]),
      /Failed to format this callback filepath: ".*\{val_acc:\.2f\}\.keras"\. Reason: 'val_acc' \(available: epoch, loss, val_loss\)/);
    const noSave = new FakeModel();
    Object.defineProperty(noSave, 'save', { value: undefined });
    await assert.rejects(drive([tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'x.keras') })], noSave, [{ val_loss: 1 }]),
      /model 'fake' has no save\(path\)/);
    fs.mkdirSync(path.join(dir, 'isdir.keras'));
    await assert.rejects(drive([tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'isdir.keras') })], new FakeModel(), [{ val_loss: 1 }]),
      /non-directory filepath/);
  });

  it('a real fit writes Keras weight files and .keras models through the model\'s own save', async () => {
    const { model, x, y } = tinyProblem(5);
    const dir = tempDir();
    const best = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'weights/val_loss{val_loss:.3f}.weights.h5'), saveBestOnly: true, saveWeightsOnly: true });
    const every = tt.callbacks.modelCheckpoint({ filepath: path.join(dir, 'ckpt/ckpt-{epoch:02d}.keras') });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [best, every] });
    const improved = new Set<string>();
    let low = Infinity;
    for (const v of history.history.val_loss) if (v < low) improved.add(`val_loss${formatValue((low = v), '.3f')}.weights.h5`);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'weights')).sort(), [...improved].sort());
    assert.deepEqual(fs.readdirSync(path.join(dir, 'ckpt')).sort(), ['ckpt-01.keras', 'ckpt-02.keras', 'ckpt-03.keras']);
    const head = (f: string, n: number) => fs.readFileSync(f).subarray(0, n);
    for (const f of improved) assert.deepEqual(head(path.join(dir, 'weights', f), 8), Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'));
    assert.deepEqual(head(path.join(dir, 'ckpt', 'ckpt-03.keras'), 2), Buffer.from('PK'));
  });
});
