import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tt from '../../src/index';
import { resetNames } from '../../src/layers/layer';
import { columnWidths, wrapCell } from '../../src/models/summary';
import { repoRoot } from '../helpers/fixtures';

// The expected tables were printed by Keras 3 itself (test/models/keras_reference.py builds the
// same models); the tests compare whole strings, character for character.

/** The reference file's summaries, one per 'Model: "..."' block, in the script's order. */
function kerasSummaries(columns: number): string[] {
  const text = readFileSync(join(repoRoot(), 'test', 'models', `keras_summaries_${columns}.txt`), 'utf8');
  return text.split(/\n(?=Model: ")/).map((b) => b.replace(/\n+$/, ''));
}

/** Runs fn with $COLUMNS set as Keras's reference run had it. */
function withColumns<T>(columns: number, fn: () => T): T {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = String(columns);
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
}

function seed004(): tt.Sequential {
  resetNames();
  return tt.sequential([
    tt.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }),
    tt.layers.maxPooling2d({ poolSize: [2, 2] }),
    tt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
    tt.layers.maxPooling2d({ poolSize: [2, 2] }),
    tt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
    tt.layers.flatten(),
    tt.layers.dense({ units: 64, activation: 'relu' }),
    tt.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

function twoHeads(): tt.LayersModel {
  const x = tt.input({ shape: [28, 28, 1], name: 'image' });
  const c = tt.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x);
  const p = tt.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(c);
  const f = tt.layers.flatten({ name: 'flatten' }).apply(p);
  const d = tt.layers.dense({ units: 32, activation: 'relu', name: 'shared_features_dense_layer' }).apply(f);
  const digits = tt.layers.dense({ units: 10, activation: 'softmax', name: 'digits' }).apply(d);
  const parity = tt.layers.dense({ units: 2, activation: 'softmax', name: 'parity' }).apply(d);
  const m = tt.model({ inputs: x, outputs: [digits, parity], name: 'two_heads' });
  m.getLayer('conv').trainable = false;
  return m;
}

function mlp(): tt.LayersModel {
  const i = tt.input({ shape: [784], name: 'pixels' });
  const h = tt.layers.dense({ units: 64, activation: 'relu', name: 'hidden' }).apply(i);
  const o = tt.layers.dense({ units: 10, activation: 'softmax', name: 'out' }).apply(h);
  return tt.model({ inputs: i, outputs: o, name: 'mlp' });
}

describe('summary (Keras 3 text)', () => {
  for (const columns of [80, 120]) {
    it(`seed 004 Sequential prints exactly Keras 3's table (${columns}-column terminal)`, () => {
      const want = kerasSummaries(columns)[0];
      const lines: string[] = [];
      withColumns(columns, () => seed004().summary((l) => lines.push(l)));
      assert.equal(lines.join('\n'), want);
      assert.match(want, / Total params: 93,322 \(364\.54 KB\)/);
    });

    it(`functional model with two heads: Connected to, wrapping, frozen layer (${columns} columns)`, () => {
      assert.equal(withColumns(columns, () => twoHeads().summaryText()), kerasSummaries(columns)[1]);
    });

    it(`a functional chain prints its input layer and no Connected to (${columns} columns)`, () => {
      assert.equal(withColumns(columns, () => mlp().summaryText()), kerasSummaries(columns)[2]);
    });
  }

  it('lineLength as an argument, as Keras line_length', () => {
    const lines: string[] = [];
    withColumns(80, () => mlp().summary(70, undefined, (l: string) => lines.push(l)));
    assert.equal(lines.join('\n'), kerasSummaries(80)[3]);
    assert.equal(mlp().summaryText({ lineLength: 70 }), kerasSummaries(80)[3]);
  });

  it('column widths follow rich: Keras positions, then shrunk evenly to fit the borders', () => {
    assert.deepEqual(columnWidths(76, [0.45, 0.8, 1]), [31, 22, 13]);
    assert.deepEqual(columnWidths(76, [0.3, 0.56, 0.74, 1]), [19, 17, 10, 17]);
    assert.deepEqual(columnWidths(88, [0.45, 0.8, 1]), [36, 27, 15]);
    assert.throws(() => columnWidths(10, [0.3, 0.56, 0.74, 1]), /Insufficient console width/);
  });

  it('cells wrap between words; a word too long for a line ends in an ellipsis', () => {
    assert.deepEqual(wrapCell('(None, 30, 30, 32)', 17), ['(None, 30, 30,   ', '32)              ']);
    assert.deepEqual(wrapCell('dense_1[0][0], dense_2[0][0]', 17), ['dense_1[0][0],   ', 'dense_2[0][0]    ']);
    assert.deepEqual(wrapCell('max_pooling2d[0][0], max_pooling2d_1[0][0]', 17), ['max_pooling2d[0]…', 'max_pooling2d_1[…']);
    assert.deepEqual(wrapCell('1,234', 10, true), ['     1,234']);
  });

  it('counts optimizer variables after training, as Keras 3 (iteration, learning rate, slots)', async () => {
    const m = tt.sequential([tt.layers.inputLayer({ inputShape: [4] }), tt.layers.dense({ units: 3 })]);
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    assert.doesNotMatch(m.summaryText(), /Optimizer params/);
    await m.fit(tt.zeros([2, 4]), tt.zeros([2, 3]), { verbose: 0 });
    const text = m.summaryText();
    // Keras 3.15 prints these lines for the same model after one Adam step.
    assert.match(text, / Total params: 47 \(188\.00 B\)\n Trainable params: 15 \(60\.00 B\)\n Non-trainable params: 0 \(0\.00 B\)\n Optimizer params: 32 \(128\.00 B\)$/);
  });
});
