import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/saving/index';
import * as apps from '../../src/applications/index';
import { main, type CliIO } from '../../src/cli/main';
import { imgToArray, loadImg, saveImg } from '../../src/preprocessing/image';
import { randomUniform, stack } from '../../src/ops/index';
import type { Tensor } from '../../src/tensor/tensor';

// `tatami predict --model NAME photo.jpg`: Keras's ImageNet networks from their weight files.
// The weights here are a random MobileNetV2 saved under Keras's file name; the printed classes
// must be those of the same network computed through the library.

function capture(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (s) => void out.push(s), error: (s) => void err.push(s), stream: process.stdout };
}

describe('tatami predict --model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tatami-predict-app-'));
  const photos = [join(dir, 'a.png'), join(dir, 'b.png')];

  it('without the weight file: exit 1 and the error naming the file, where to put it and where Keras publishes it', async () => {
    await saveImg(photos[0], randomUniform([40, 50, 3], 0, 255), { scale: false });
    const io = capture();
    const code = await main(['predict', '--model', 'resnet50', '--weights-dir', join(dir, 'empty'), photos[0]], io);
    assert.equal(code, 1);
    assert.match(io.err.join('\n'), /tatami predict: resnet50: the ImageNet weight file 'resnet50_weights_tf_dim_ordering_tf_kernels\.h5' was not found in .*empty.*keras-applications\/resnet\/resnet50_weights_tf_dim_ordering_tf_kernels\.h5/);
  });

  it('bad command lines exit 2', async () => {
    for (const argv of [['--model', 'alexnet', photos[0]], ['--model', 'vgg16'], ['--model', 'vgg16', '--dataset', 'mnist', photos[0]]]) {
      const io = capture();
      assert.equal(await main(['predict', ...argv], io), 2, argv.join(' '));
    }
  });

  it('with the file: the top-5 ImageNet classes of each photo, as the network computes them', async () => {
    await saveImg(photos[1], randomUniform([300, 200, 3], 0, 255), { scale: false });
    const m = apps.mobileNetV2({ weights: null });
    await m.save(join(dir, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5'));
    const x = apps.mobileNetV2.preprocessInput(stack(await Promise.all(photos.map(async (p) => imgToArray(await loadImg(p, { targetSize: [224, 224] }))))));
    const expected = apps.mobileNetV2.decodePredictions(m.predict(x) as Tensor, 5);
    const io = capture();
    assert.equal(await main(['predict', '--model', 'mobilenetv2', '--weights-dir', dir, '--json', ...photos], io), 0, io.err.join('\n'));
    const got = JSON.parse(io.out.join('\n')) as { file: string; top: { id: string; name: string; score: number }[] }[];
    assert.deepEqual(got.map((g) => g.file), photos);
    got.forEach((g, i) => {
      assert.deepEqual(g.top.map((t) => t.id), expected[i].map((e) => e[0]));
      g.top.forEach((t, k) => assert.ok(Math.abs(t.score - expected[i][k][2]) < 1e-6));
    });
    const text = capture();
    assert.equal(await main(['predict', '--model', 'mobilenetv2', '--weights-dir', dir, '--top', '2', photos[0]], text), 0);
    assert.equal(text.out.length, 3);
    assert.match(text.out[1], new RegExp(`^  ${expected[0][0][0]}  ${expected[0][0][1].replace(/[()]/g, '.')}\\s+\\d+\\.\\d\\d%$`));
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
