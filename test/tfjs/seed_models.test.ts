/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import { wrapModel } from '../../src/tfjs/model';
import { examples } from '../../src/cli/examples/index';
import { assertClose } from '../helpers/assert';

// The seed models (000 mnist-simple-cnn, 001 mnist-cnn, 002 mnist-mlp, 004 mnist-tutorial-cnn)
// through TensorFlow.js's files: tatami's model.json loads in @tensorflow/tfjs and predicts the
// same, and the model.json @tensorflow/tfjs writes for that model loads back in tatami alike.
// (test/tfjs/model_files.test.ts does the same for a functional model with batch norm.)

const SEEDS = { 'mnist-simple-cnn': '000', 'mnist-cnn': '001', 'mnist-mlp': '002', 'mnist-tutorial-cnn': '004' } as const;

function readArtifacts(dir: string): any {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) };
}

for (const [name, seed] of Object.entries(SEEDS)) {
  test(`seed ${seed} (${name}): tatami's model.json predicts the same in @tensorflow/tfjs, and tfjs's model.json in tatami`, async () => {
    const m = wrapModel(examples[name].buildModel() as any);
    // weights that are not the initializer's, so that every one of them is checked
    m.setWeights(m.getWeights().map((w) => w.mul(0.8).add(tt.randomUniform(w.shape, -0.02, 0.02))));
    const dir = mkdtempSync(path.join(tmpdir(), `seed-${seed}-`));
    await m.save(`file://${dir}`);
    const inTfjs = await tfjs.loadLayersModel(tfjs.io.fromMemory(readArtifacts(dir)));
    assert.equal(inTfjs.countParams(), m.countParams());
    const shape = [3, ...(m.inputs[0].shape.slice(1) as number[])];
    const x = tt.randomUniform(shape);
    const xTfjs = tfjs.tensor(x.dataSync() as Float32Array, shape);
    const want = m.predict(x) as tt.Tensor;
    const got = inTfjs.predict(xTfjs) as tfjs.Tensor;
    assert.deepEqual(got.shape, want.shape);
    assertClose(got.dataSync() as Float32Array, want.dataSync(), 1e-5, `${name} in tfjs`);
    assert.ok(Math.max(...Array.from(want.dataSync())) < 0.99, 'the softmax is not saturated, so the comparison sees every weight');

    // the reverse: tfjs changes the weights and writes the files (as tfjs-node's file:// handler lays them out)
    inTfjs.setWeights(inTfjs.getWeights().map((w) => w.mul(0.9)));
    let artifacts: any = null;
    await inTfjs.save(tfjs.io.withSaveHandler(async (a: any) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const back = mkdtempSync(path.join(tmpdir(), `seed-${seed}-tfjs-`));
    writeFileSync(path.join(back, 'weights.bin'), Buffer.from(artifacts.weightData));
    writeFileSync(path.join(back, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    const inTatami = await tt.loadLayersModel(`file://${back}/model.json`);
    const wantBack = inTfjs.predict(xTfjs) as tfjs.Tensor;
    assertClose((inTatami.predict(x) as tt.Tensor).dataSync(), wantBack.dataSync() as Float32Array, 1e-5, `${name} back in tatami`);
    assert.ok(Math.max(...Array.from(wantBack.sub(got).abs().dataSync())) > 1e-4, 'the scaled weights changed the predictions');
  });
}
