import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setSeed } from '../../src/util/rng';
import { datasets } from '../../src/data/index';
import type { LayersModel } from '../../src/models/functional';
import { loadModel } from '../../src/saving/index';
import { scaleImages } from '../../src/cli/prepare';
import { classSubset, labelledSample, type LabelledImages } from '../../src/cli/examples/transfer_data';
import { baseOf, freezeBase, FREEZE_BELOW, pretrainNet, scratchNet, unfreezeFrom, withHead } from '../../src/cli/examples/transfer_net';
import { pretrain, transferNet, transferPhase1, transferPhase2 } from '../../src/cli/examples/transfer_phases';
import { run } from './capture';

// The fashion-transfer example (seed 003's fine-tuning, on Fashion-MNIST) at a small size: the
// networks' layers and trainable counts as Keras gives them, what each phase may and may not
// change, and the whole `tatami train fashion-transfer` on a few hundred real images.

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

// Keras's parameter counts of the base's convolutions (3x3, 16-32-64 filters) and of the head
// (GlobalAveragePooling2D over 64 channels → Dense(128) → Dense(5)).
const CONV = { block1_conv1: 9 * 16 + 16, block1_conv2: 9 * 16 * 16 + 16, block2_conv1: 9 * 16 * 32 + 32,
  block2_conv2: 9 * 32 * 32 + 32, block3_conv1: 9 * 32 * 64 + 64, block3_conv2: 9 * 64 * 64 + 64 };
const HEAD = 64 * 128 + 128 + 128 * 5 + 5;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const TOP_BLOCKS = CONV.block2_conv1 + CONV.block2_conv2 + CONV.block3_conv1 + CONV.block3_conv2;
const params = (net: LayersModel) => sum(net.trainableWeights.map((w) => w.size));

/** Every layer's weights by layer name, copied. */
function snapshot(net: LayersModel): Map<string, Float32Array[]> {
  return new Map(net.layers.map((l) => [l.name, l.getWeights().map((t) => Float32Array.from(t.values as Float32Array))]));
}

function same(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((w, i) => w.length === b[i].length && w.every((v, j) => v === b[i][j]));
}

describe('fashion-transfer: the networks', () => {
  it('the base has VGG\'s block names; phase 2 freezes layers[:4], leaving blocks 2-3 and the head', () => {
    const net = withHead(baseOf(pretrainNet(5)), 5, 'transfer');
    assert.deepEqual(net.layers.map((l) => l.name), ['input_layer', 'block1_conv1', 'block1_conv2', 'block1_pool', 'block2_conv1', 'block2_conv2', 'block2_pool',
      'block3_conv1', 'block3_conv2', 'block3_pool', 'global_average_pooling2d', 'dense', 'dense_1']);
    assert.equal(net.layers[FREEZE_BELOW].name, 'block2_conv1');
    assert.equal(net.countParams(), sum(Object.values(CONV)) + HEAD);
    assert.equal(scratchNet(5).countParams(), net.countParams(), 'from scratch is the same network');
  });

  it('trainable weights: the head alone in phase 1, blocks 2-3 and the head in phase 2 (as Keras counts them)', () => {
    const base = baseOf(pretrainNet(5));
    const net = withHead(base, 5, 'transfer');
    freezeBase(base);
    assert.equal(net.trainableWeights.length, 4);
    assert.equal(params(net), HEAD);
    assert.equal(sum(net.nonTrainableWeights.map((w) => w.size)), sum(Object.values(CONV)));
    unfreezeFrom(net);
    assert.equal(net.trainableWeights.length, 12);
    assert.equal(params(net), TOP_BLOCKS + HEAD);
  });
});

describe('fashion-transfer: the phases on real Fashion-MNIST', () => {
  let source: LabelledImages;
  let target: LabelledImages;
  let dir: string;
  before(async () => {
    setSeed(3);
    const [[xTr, yTr]] = await datasets.fashionMnist.loadData();
    const n = 1500;
    const x = scaleImages(xTr, 'image', Int32Array.from({ length: n }, (_, i) => i));
    const labels = yTr.values.subarray(0, n);
    source = classSubset(x, labels, 0, 5);
    target = labelledSample(x, labels, 5, 5, 200);
    dir = tmp('tatami-transfer-');
  });

  it('picks a balanced labelled sample and renumbers the target classes from 0', () => {
    const counts = [0, 0, 0, 0, 0];
    for (const c of target.y.values) counts[c]++;
    assert.deepEqual(counts, [40, 40, 40, 40, 40]);
    assert.ok(source.x.shape[0] > 600 && [...source.y.values].every((c) => c >= 0 && c < 5));
  });

  it('phase 1 changes only the head, phase 2 only blocks 2-3 and the head', async () => {
    const quiet = { verbose: 0 as const };
    const baseFile = path.join(dir, 'base.keras');
    await pretrain(source, 5, { ...quiet, epochs: 1, batchSize: 64 }, baseFile);
    const saved = snapshot(await loadModel<LayersModel>(baseFile));
    const net = await transferNet(baseFile, 5);
    const initial = snapshot(net);
    const p1 = await transferPhase1(net, target, { ...quiet, epochs: 1, batchSize: 26, validationSplit: 0.2, patience: 2 }, dir);
    assert.ok(fs.existsSync(path.join(dir, 'model_file.keras')), 'the best model was checkpointed');
    assert.notEqual(p1.model, net, 'the best model is reloaded from its file');
    const after1 = snapshot(p1.model);
    for (const name of Object.keys(CONV)) assert.ok(same(after1.get(name)!, saved.get(name)!), `${name} frozen in phase 1`);
    for (const name of ['dense', 'dense_1']) assert.ok(!same(after1.get(name)!, initial.get(name)!), `${name} trained in phase 1`);
    assert.equal(p1.model.trainableWeights.length, 4, 'the reloaded model keeps its base frozen');

    const p2 = await transferPhase2(p1.model, target, { ...quiet, epochs: 1, batchSize: 26, validationSplit: 0.2 });
    assert.equal(p2.model.optimizer!.constructor.name, 'SGD');
    const after2 = snapshot(p2.model);
    for (const name of ['block1_conv1', 'block1_conv2']) assert.ok(same(after2.get(name)!, saved.get(name)!), `${name} frozen in phase 2`);
    for (const name of ['block2_conv1', 'block2_conv2', 'block3_conv1', 'block3_conv2', 'dense', 'dense_1']) assert.ok(!same(after2.get(name)!, after1.get(name)!), `${name} trained in phase 2`);
  });
});

describe('fashion-transfer: tatami train', () => {
  it('pretrains, transfers and trains from scratch, and reports each step', async () => {
    const dir = tmp('tatami-fashion-transfer-');
    const r = await run('train', 'fashion-transfer', '--limit', '1000', '--test-limit', '300', '--epochs', '1', '--out', dir, '--verbose', '0', '--no-report');
    assert.equal(r.code, 0, r.out + r.err);
    for (const f of ['base.keras', 'model_file.keras', 'scratch_best.keras', 'scratch.keras', 'model.keras', 'results.json']) assert.ok(fs.existsSync(path.join(dir, f)), `${f} written`);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
    assert.deepEqual(results.classNames, ['Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    const table = results.table as Array<{ split: string; accuracy: number; 'trainable params': number }>;
    assert.equal(table.length, 4);
    assert.deepEqual(table.map((t) => t['trainable params']), [sum(Object.values(CONV)) + 576 * 128 + 128 + 128 * 5 + 5, HEAD,
      TOP_BLOCKS + HEAD, sum(Object.values(CONV)) + HEAD]);
    assert.equal(results.results.testAccuracy, table[2].accuracy, 'the run\'s model is the phase 2 model');
    assert.match(r.out, /\| test, classes 5-9, from scratch/);
    const resumed = await run('train', 'fashion-transfer', '--resume', '--out', dir);
    assert.equal(resumed.code, 2);
    assert.match(resumed.err, /cannot be resumed/);
  });
});
