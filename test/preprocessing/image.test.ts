import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { image, loadImg, imgToArray, arrayToImg, saveImg } from '../../src/preprocessing/index';
import { resizePixels } from '../../src/preprocessing/resize';
import { Tensor } from '../../src/tensor/tensor';

let tmp: string;
before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-img-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** (h, w, c) pixels with value (7y + 13x + 60c) % 256, distinct enough to see any misplacement. */
function pattern(h: number, w: number, c: number): Uint8Array {
  const d = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) d[(y * w + x) * c + k] = (7 * y + 13 * x + 60 * k) % 256;
  return d;
}
async function write(name: string, data: Uint8Array, w: number, h: number, c: number): Promise<string> {
  const f = path.join(tmp, name);
  await sharp(data, { raw: { width: w, height: h, channels: c as 3 } }).toFile(f);
  return f;
}

describe('loadImg', () => {
  it('reads PNG pixels exactly, in each color mode', async () => {
    const rgb = pattern(5, 7, 3);
    const f = await write('p.png', rgb, 7, 5, 3);
    const img = await loadImg(f);
    assert.deepEqual([img.height, img.width, img.channels], [5, 7, 3]);
    assert.deepEqual(Array.from(img.data), Array.from(rgb));
    const g = await loadImg(f, { colorMode: 'grayscale' });
    assert.equal(g.channels, 1);
    // PIL's L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16 at (y 2, x 3)
    const [r, gg, b] = rgb.subarray((2 * 7 + 3) * 3, (2 * 7 + 3) * 3 + 3);
    assert.equal(g.data[2 * 7 + 3], (19595 * r + 38470 * gg + 7471 * b + 0x8000) >> 16);
    const a = await loadImg(f, { colorMode: 'rgba' });
    assert.equal(a.channels, 4);
    assert.deepEqual(Array.from(a.data.subarray(4 * 9, 4 * 10)), [...Array.from(rgb.subarray(27, 30)), 255]);
  });

  it('drops or keeps alpha, and widens grey', async () => {
    const rgba = pattern(3, 4, 4);
    const f = await write('a.png', rgba, 4, 3, 4);
    const img = await loadImg(f, { colorMode: 'rgba' });
    assert.deepEqual(Array.from(img.data), Array.from(rgba));
    const rgb = await loadImg(f);
    assert.deepEqual(Array.from(rgb.data.subarray(0, 6)), [rgba[0], rgba[1], rgba[2], rgba[4], rgba[5], rgba[6]]);
    const grey = pattern(3, 4, 1);
    const gf = await write('g.png', grey, 4, 3, 1);
    const w = await loadImg(gf);
    assert.equal(w.channels, 3);
    assert.deepEqual(Array.from(w.data.subarray(9, 12)), [grey[3], grey[3], grey[3]]);
  });

  it('reads JPEG (lossy, close), GIF and BMP', async () => {
    const flat = new Uint8Array(16 * 16 * 3).map((_, i) => [200, 40, 90][i % 3]);
    const j = await loadImg(await write('f.jpg', flat, 16, 16, 3));
    for (let i = 0; i < j.data.length; i++) assert.ok(Math.abs(j.data[i] - flat[i]) <= 4, `jpeg value ${i}`);
    const gif = await loadImg(await write('f.gif', flat, 16, 16, 3));
    assert.deepEqual([gif.height, gif.width, gif.channels], [16, 16, 3]);
    for (let i = 0; i < gif.data.length; i++) assert.ok(Math.abs(gif.data[i] - flat[i]) <= 8, `gif value ${i}`);
    const rgb = pattern(5, 7, 3);
    const bmp = path.join(tmp, 'p.bmp');
    await saveImg(bmp, imgToArray({ width: 7, height: 5, channels: 3, data: rgb }), { scale: false });
    assert.deepEqual(Array.from((await loadImg(bmp)).data), Array.from(rgb));
    // an 8-bit palette bitmap, bottom-up, as Windows writes: 2x2 with a 2-color palette
    const b = Buffer.alloc(54 + 8 + 8);
    b.write('BM');
    b.writeUInt32LE(b.length, 2);
    b.writeUInt32LE(62, 10);
    b.writeUInt32LE(40, 14);
    b.writeInt32LE(2, 18);
    b.writeInt32LE(2, 22);
    b.writeUInt16LE(1, 26);
    b.writeUInt16LE(8, 28);
    b.writeUInt32LE(2, 46);
    Buffer.from([255, 0, 0, 0, 0, 128, 255, 0]).copy(b, 54); // blue, orange (BGR0)
    Buffer.from([0, 1, 0, 0, 1, 1, 0, 0]).copy(b, 62); // bottom row: blue orange; top row: orange orange
    fs.writeFileSync(path.join(tmp, 'pal.bmp'), b);
    const p = await loadImg(path.join(tmp, 'pal.bmp'));
    assert.deepEqual(Array.from(p.data), [255, 128, 0, 255, 128, 0, 0, 0, 255, 255, 128, 0]);
  });

  it('resizes with half-pixel centres: nearest, bilinear and antialiased shrinking', async () => {
    const row = new Uint8Array([0, 100]);
    assert.deepEqual(Array.from(resizePixels(row, 1, 2, 1, 1, 4, 'bilinear', false)), [0, 25, 75, 100]);
    const four = new Uint8Array([10, 20, 30, 40]);
    assert.deepEqual(Array.from(resizePixels(four, 1, 4, 1, 1, 2, 'nearest', false)), [20, 40]);
    assert.deepEqual(Array.from(resizePixels(four, 1, 4, 1, 1, 2, 'bilinear', false)), [15, 35]);
    // PIL's antialiased bilinear over a shrink of 2 weighs 4 taps 1:3:3:1 (edge taps dropped)
    assert.deepEqual(Array.from(resizePixels(four, 1, 4, 1, 1, 2, 'bilinear', true)).map((v) => +v.toFixed(4)), [
      +((10 * 3 + 20 * 3 + 30) / 7).toFixed(4),
      +((20 + 30 * 3 + 40 * 3) / 7).toFixed(4),
    ]);
    const f = await write('r.png', pattern(4, 4, 3), 4, 4, 3);
    const img = await loadImg(f, { targetSize: [2, 2] }); // Keras's default: nearest
    const src = pattern(4, 4, 3);
    assert.deepEqual(Array.from(img.data.subarray(0, 3)), Array.from(src.subarray((1 * 4 + 1) * 3, (1 * 4 + 1) * 3 + 3)));
    const wide = await write('w.png', pattern(4, 8, 3), 8, 4, 3);
    const sq = await loadImg(wide, { targetSize: [4, 4], keepAspectRatio: true });
    const s2 = pattern(4, 8, 3);
    assert.deepEqual(Array.from(sq.data.subarray(0, 3)), Array.from(s2.subarray(2 * 3, 2 * 3 + 3))); // centre crop from x = 2
  });

  it('names unreadable files and refuses unknown options', async () => {
    await assert.rejects(loadImg(path.join(tmp, 'none.png')), /loadImg: cannot read .*none\.png \(ENOENT\)/);
    fs.writeFileSync(path.join(tmp, 'text.png'), 'hello');
    await assert.rejects(loadImg(path.join(tmp, 'text.png')), /text\.png: cannot decode the image/);
    fs.writeFileSync(path.join(tmp, 'cut.bmp'), Buffer.from('BM' + 'x'.repeat(60)));
    await assert.rejects(loadImg(path.join(tmp, 'cut.bmp')), /cut\.bmp: /);
    const f = await write('o.png', pattern(2, 2, 3), 2, 2, 3);
    await assert.rejects(loadImg(f, { interpolation: 'hamming' }), /interpolation 'hamming' is not supported/);
    // @ts-expect-error: checked at run time too
    await assert.rejects(loadImg(f, { colourMode: 'rgb' }), /unknown option 'colourMode'/);
    // @ts-expect-error: checked at run time too
    await assert.rejects(loadImg(f, { colorMode: 'cmyk' }), /colorMode must be/);
  });
});

describe('imgToArray, arrayToImg, saveImg', () => {
  it('converts to float32 (H, W, C) and back, scaling as Keras', () => {
    const img = { width: 2, height: 1, channels: 3 as const, data: new Uint8Array([0, 128, 255, 1, 2, 3]) };
    const x = imgToArray(img);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual(x.shape, [1, 2, 3]);
    assert.deepEqual(Array.from(x.values), [0, 128, 255, 1, 2, 3]);
    const t = Tensor.fromArray(new Float32Array([-1, 0, 1, 3]), [2, 2, 1]);
    assert.deepEqual(Array.from(arrayToImg(t).data), [0, 64, 128, 255]);
    assert.deepEqual(Array.from(arrayToImg(t, { scale: false }).data), [0, 0, 1, 3]);
    assert.throws(() => arrayToImg(Tensor.fromArray(new Float32Array(4), [1, 2, 2])), /expected a \(height, width, 1\|3\|4\) tensor/);
    assert.equal(image.imgToArray, imgToArray);
  });

  it('saves PNG losslessly and refuses an unknown extension', async () => {
    const data = pattern(3, 5, 3);
    const x = imgToArray({ width: 5, height: 3, channels: 3, data });
    const f = path.join(tmp, 'saved.png');
    await saveImg(f, x, { scale: false });
    assert.deepEqual(Array.from((await loadImg(f)).data), Array.from(data));
    await saveImg(path.join(tmp, 'saved.jpg'), x);
    assert.equal((await loadImg(path.join(tmp, 'saved.jpg'))).width, 5);
    await assert.rejects(saveImg(path.join(tmp, 'x.xyz'), x), /cannot tell the format of .*x\.xyz/);
  });
});
