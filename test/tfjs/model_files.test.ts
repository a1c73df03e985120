/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import { assertClose } from '../helpers/assert';

// TensorFlow.js's layers-model files both ways: what tatami/tfjs saves loads in @tensorflow/tfjs
// and predicts the same, and what @tensorflow/tfjs saves loads in tatami/tfjs likewise.

type TF = any;

function convnet(tf: TF) {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.3 }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

function functionalBn(tf: TF) {
  const x = tf.input({ shape: [6] });
  const a = tf.layers.dense({ units: 5, activation: 'relu' }).apply(x);
  const b = tf.layers.batchNormalization().apply(a);
  const c = tf.layers.dense({ units: 5, activation: 'tanh' }).apply(x);
  const d = tf.layers.add().apply([b, c]);
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(d) });
}

/** Gives batch norm non-trivial moving statistics so they are checked too. */
function perturb(tf: TF, m: any): void {
  m.setWeights(m.getWeights().map((w: any, i: number) => w.add(tf.randomUniform(w.shape, 0.1, 0.5 + i / 10))));
}

const inputs = { convnet: [4, 10, 10, 2], functionalBn: [4, 6] } as const;
/**
 * tfjs against tatami on the same float32 weights: perturb() makes every dense weight positive, so
 * the convnet's logits reach the tens and their rounding (different summation orders) carries through
 * softmax. Over 200 random draws the worst output differed by median 1.2e-7, 95th percentile 7.1e-6,
 * largest 1.07e-5: a bar of 1e-5 failed about one draw in a hundred.
 */
const CROSS_LIBRARY_TOL = 5e-5;
const makers = { convnet, functionalBn };

for (const kind of ['convnet', 'functionalBn'] as const) {
  test(`${kind}: model.save('file://dir') by tatami loads in @tensorflow/tfjs and predicts the same`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tatami-tfjs-'));
    const m = makers[kind](tt);
    perturb(tt, m);
    const result: any = await m.save(`file://${dir}`);
    assert.ok(result.modelArtifactsInfo.weightDataBytes > 0);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    assert.ok(json.weightsManifest[0].weights.every((w: any) => w.dtype === 'float32'));
    const bin = readFileSync(path.join(dir, 'weights.bin'));
    const loaded = await tfjs.loadLayersModel(tfjs.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }));
    const x = tt.randomUniform([...inputs[kind]]);
    const want = m.predict(x) as tt.Tensor;
    const got = loaded.predict(tfjs.tensor(x.dataSync() as Float32Array, x.shape)) as tfjs.Tensor;
    assert.deepEqual(got.shape, want.shape);
    assertClose(got.dataSync() as Float32Array, want.dataSync(), CROSS_LIBRARY_TOL, 'tfjs predictions of the tatami model');
    // and back into tatami from the same files
    const again = await tt.loadLayersModel(`file://${dir}/model.json`);
    assertClose((again.predict(x) as tt.Tensor).dataSync(), want.dataSync(), 0, 'reloaded in tatami');
  });

  test(`${kind}: a model saved by @tensorflow/tfjs loads in tatami/tfjs and predicts the same`, async () => {
    const m = makers[kind](tfjs);
    perturb(tfjs, m);
    let artifacts: any = null;
    await m.save(tfjs.io.withSaveHandler(async (a: any) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    // written the way tfjs-node's file:// handler writes them
    const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-saved-'));
    writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    const loaded = await tt.loadLayersModel(`file://${dir}/model.json`);
    const fromMemory = await tt.loadLayersModel(tt.io.fromMemory(artifacts));
    const x = tfjs.randomUniform([...inputs[kind]]);
    const want = m.predict(x) as tfjs.Tensor;
    for (const model of [loaded, fromMemory]) {
      const got = model.predict(tt.tensor(x.dataSync() as Float32Array, x.shape)) as tt.Tensor;
      assert.deepEqual(got.shape, want.shape);
      assertClose(got.dataSync(), want.dataSync() as Float32Array, CROSS_LIBRARY_TOL, 'tatami predictions of the tfjs model');
    }
  });
}

test('converter-style files: layer-prefixed weight names with :0 suffixes, split over several shards', async () => {
  const m = convnet(tt);
  perturb(tt, m);
  let artifacts: any = null;
  await m.save(tt.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: {} as any };
  }));
  const dir = mkdtempSync(path.join(tmpdir(), 'converted-'));
  const bytes = Buffer.from(artifacts.weightData);
  const cut = 100; // shards split mid-weight, as the converter's 4 MB shards do
  writeFileSync(path.join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
  writeFileSync(path.join(dir, 'group1-shard2of2.bin'), bytes.subarray(cut));
  const weights = artifacts.weightSpecs.map((w: any) => ({ ...w, name: `sequential/${w.name}:0` }));
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
    format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: artifacts.modelTopology },
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights }],
  }));
  const loaded = await tt.loadLayersModel(`file://${dir}/model.json`);
  const x = tt.randomUniform([2, 10, 10, 2]);
  assertClose((loaded.predict(x) as tt.Tensor).dataSync(), (m.predict(x) as tt.Tensor).dataSync(), 0, 'converted files');
});

test('model files tatami cannot read fail with a clear error', async () => {
  const m = convnet(tt);
  let artifacts: any = null;
  await m.save(tt.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: {} as any };
  }));
  const quantized = { ...artifacts, weightSpecs: artifacts.weightSpecs.map((w: any) => ({ ...w, quantization: { dtype: 'uint8' } })) };
  await assert.rejects(tt.loadLayersModel(tt.io.fromMemory(quantized)), /quantized; tatami reads float32 weights only/);
  const renamed = { ...artifacts, weightSpecs: artifacts.weightSpecs.map((w: any) => ({ ...w, name: `x${w.name}` })) };
  await assert.rejects(tt.loadLayersModel(tt.io.fromMemory(renamed)), /no weight for 'conv2d/);
  await assert.rejects(m.save('https://example.invalid/model'), /Cannot find any save handlers/);
});
