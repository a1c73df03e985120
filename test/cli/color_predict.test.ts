import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import * as tt from '../../src/index';
import { cropRegion, prepareColorImage } from '../../src/cli/color_input';
import { run } from './capture';
import { writeCifar10Bin } from './cifar_fixture';

// Color models on the command line: predict on photos (crop, resize, / 255, class names) and
// evaluate on CIFAR-10.

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A 120x80 JPEG-free photo (PNG, so colours stay exact): red on the left 80 columns, blue on the right 40. */
async function redBluePhoto(file: string): Promise<string> {
  const w = 120;
  const h = 80;
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set(x < 80 ? [220, 30, 30] : [30, 30, 220], (y * w + x) * 3);
  await sharp(b, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return file;
}

/** Columns of a (h, w, 3) image whose pixel is more red than blue, in row `y`. */
function redColumns(data: Float32Array, w: number, y: number): number {
  let n = 0;
  for (let x = 0; x < w; x++) if (data[(y * w + x) * 3] > data[(y * w + x) * 3 + 2]) n++;
  return n;
}

describe('color photos for a model', () => {
  it('crop the centre, the top-left (the book\'s way) or nothing, then resize', async () => {
    assert.deepEqual(cropRegion(120, 80, 32, 32, 'center'), [20, 0, 80, 80]);
    assert.deepEqual(cropRegion(120, 80, 32, 32, 'top-left'), [0, 0, 80, 80]);
    assert.deepEqual(cropRegion(120, 80, 32, 32, 'none'), [0, 0, 120, 80]);
    assert.deepEqual(cropRegion(50, 100, 32, 32, 'center'), [0, 25, 50, 50]);
    const file = await redBluePhoto(path.join(tmp('tatami-photo-'), 'photo.png'));
    const topLeft = await prepareColorImage(file, { height: 32, width: 32, crop: 'top-left' });
    assert.equal(redColumns(topLeft.data, 32, 16), 32, 'the top-left square is all red');
    const centre = await prepareColorImage(file, { height: 32, width: 32, crop: 'center' });
    // columns 20..99 of the photo: 60 red then 20 blue, i.e. 24 and 8 of 32
    assert.equal(redColumns(centre.data, 32, 16), 24);
    const all = await prepareColorImage(file, { height: 32, width: 32, crop: 'none' });
    assert.ok(Math.abs(redColumns(all.data, 32, 16) - 21) <= 1, 'two thirds red');
    assert.ok(Math.abs(topLeft.data[0] - 220 / 255) < 0.02 && Math.abs(topLeft.data[2] - 30 / 255) < 0.02, 'values / 255');
    assert.equal(topLeft.data.length, 32 * 32 * 3);
  });

  it('a missing or foreign file is a clear error', async () => {
    await assert.rejects(prepareColorImage('/no/such/photo.jpg', { height: 32, width: 32 }), /no such image file: '\/no\/such\/photo\.jpg'/);
    const junk = path.join(tmp('tatami-junk-'), 'junk.png');
    fs.writeFileSync(junk, 'not an image');
    await assert.rejects(prepareColorImage(junk, { height: 32, width: 32 }), /cannot read '.*junk\.png' as an image/);
  });
});

describe('tatami predict and evaluate with a CIFAR-10 model', () => {
  let runDir: string;
  let dataDir: string;
  let photo: string;

  before(async () => {
    dataDir = writeCifar10Bin(tmp('tatami-cifar-'), 10, 30);
    runDir = tmp('tatami-cifar-run-');
    const r = await run('train', 'cifar10-cnn', '--data', dataDir, '--epochs', '1', '--out', runDir, '--verbose', '0', '--no-report');
    assert.equal(r.code, 0, r.out + r.err);
    photo = await redBluePhoto(path.join(tmp('tatami-photo-'), 'photo.png'));
  });

  it('predicts a photo with the run\'s class names and shows what the model saw', async () => {
    const show = path.join(tmp('tatami-show-'), 'seen.png');
    const r = await run('predict', runDir, photo, '--top', '10', '--show', show);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /photo\.png {2}\(centre 80x80 of 120x80, resized to 32x32\)/);
    for (const name of ['airplane', 'automobile', 'truck']) assert.match(r.out, new RegExp(`^  ${name} +\\d+\\.\\d\\d%$`, 'm'));
    const png = PNG.sync.read(fs.readFileSync(show));
    let red = 0;
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] > 180 && png.data[i + 2] < 80) red++;
      if (png.data[i + 2] > 180 && png.data[i] < 80) blue++;
    }
    // the centre crop: three quarters red, one quarter blue
    assert.ok(red > 1000 && blue > 300 && Math.abs(red / blue - 3) < 0.5, `red ${red}, blue ${blue}`);
  });

  it('--json gives the crop region; the best checkpoint predicts too', async () => {
    const r = await run('predict', path.join(runDir, 'model_file.keras'), photo, '--crop', 'top-left', '--json', '--top', '1');
    assert.equal(r.code, 0, r.err);
    const [res] = JSON.parse(r.out);
    assert.deepEqual(res.region, [0, 0, 80, 80]);
    assert.equal(res.top.length, 1);
    assert.ok(tt.datasets.cifar10.classNames.includes(res.top[0].name));
  });

  it('a color model refuses the grey options, and a grey one --crop', async () => {
    const r = await run('predict', runDir, photo, '--fit', 'fill');
    assert.equal(r.code, 2);
    assert.match(r.err, /--fit applies to grey models; this model takes color images \(use --crop\)/);
    assert.equal((await run('predict', runDir, photo, '--crop', 'middle')).code, 2);
    const greyFile = path.join(tmp('tatami-grey-'), 'grey.keras');
    await tt.sequential([tt.layers.flatten({ inputShape: [28, 28, 1] }), tt.layers.dense({ units: 10, activation: 'softmax' })]).save(greyFile);
    const grey = await run('predict', greyFile, photo, '--crop', 'center');
    assert.equal(grey.code, 2);
    assert.match(grey.err, /--crop applies to color models; this model takes grey images/);
    const own = await run('predict', greyFile, photo, '--fit', 'fill');
    assert.equal(own.code, 0, own.err);
  });

  it('without class names from a run, a color model names classes by number; --dataset cifar10 names them', async () => {
    const bare = path.join(tmp('tatami-bare-'), 'model.keras');
    fs.copyFileSync(path.join(runDir, 'model.keras'), bare);
    const r = await run('predict', bare, photo, '--json', '--top', '10');
    assert.deepEqual(JSON.parse(r.out)[0].top.map((t: { name: string }) => t.name).sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const named = await run('predict', bare, photo, '--json', '--dataset', 'cifar10', '--top', '1');
    const [res] = JSON.parse(named.out);
    assert.equal(res.top[0].name, tt.datasets.cifar10.classNames[res.top[0].class]);
  });

  it('evaluates on CIFAR-10 with per-class rows and the confusion matrix', async () => {
    const out = path.join(tmp('tatami-eval-'), 'cm.png');
    const r = await run('evaluate', runDir, '--data', dataDir, '--out', out, '--json');
    assert.equal(r.code, 0, r.err);
    const res = JSON.parse(r.out);
    assert.equal(res.dataset, 'cifar10');
    assert.equal(res.samples, 30);
    assert.deepEqual(res.perClass.map((c: { class: string }) => c.class), tt.datasets.cifar10.classNames);
    assert.ok(fs.existsSync(out));
    const named = await run('evaluate', path.join(runDir, 'model.keras'), '--dataset', 'cifar10', '--data', dataDir, '--limit', '10');
    assert.equal(named.code, 0, named.err);
    assert.match(named.out, /on 10 cifar10 test images/);
    assert.match(named.out, /^automobile +\d+ +\d+ /m);
  });

  it('visualize draws the first layer\'s kernels in color and CIFAR-10 predictions', async () => {
    const dir = tmp('tatami-vis-');
    const f = await run('visualize', runDir, 'filters', '--channel', 'rgb', '--out', path.join(dir, 'f.png'));
    assert.equal(f.code, 0, f.err);
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'f.png')));
    let colored = 0;
    for (let i = 0; i < png.data.length; i += 4) if (Math.max(png.data[i], png.data[i + 1], png.data[i + 2]) - Math.min(png.data[i], png.data[i + 1], png.data[i + 2]) > 60) colored++;
    assert.ok(colored > 1000, `${colored} colored pixels`);
    const deeper = await run('visualize', runDir, 'filters', '--layer', '3', '--channel', 'rgb', '--out', path.join(dir, 'g.png'));
    assert.equal(deeper.code, 1);
    assert.match(deeper.err, /inputChannel 'rgb' needs 3 input channels, the kernel has 32/);
    const p = await run('visualize', runDir, 'predictions', '--data', dataDir, '--images', '10', '--out', path.join(dir, 'p.svg'));
    assert.equal(p.code, 0, p.err);
    assert.match(fs.readFileSync(path.join(dir, 'p.svg'), 'utf8'), />true: automobile</);
  });
});
