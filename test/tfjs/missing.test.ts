/* eslint-disable @typescript-eslint/no-explicit-any */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import * as tfjs from '@tensorflow/tfjs';
import * as tt from '../../src/tfjs/index';
import * as missingOps from '../../src/tfjs/missing_ops';
import { ABSENT, PARTIAL } from '../../src/tfjs/missing_names';

// What tatami/tfjs does not implement fails with NotImplementedError naming the tfjs function and
// the nearest tatami one, never "undefined is not a function"; what it implements is untouched.

const TF = tt as any;

function assertMissing(f: () => unknown, path: string, nearest: RegExp): void {
  assert.throws(f, (e: any) => {
    assert.equal(e.name, 'NotImplementedError');
    assert.ok(e instanceof tt.NotImplementedError);
    assert.match(e.message, new RegExp(`^tf\\.${path.replace('.', '\\.')} is not implemented by tatami/tfjs; `));
    assert.match(e.message, nearest);
    return true;
  });
}

test('the documented examples: tf.browser.fromPixels, tf.signal.stft, tf.layers.lstm, tf.conv3d', () => {
  assertMissing(() => tt.browser.fromPixels, 'browser.fromPixels', /loadImg and imgToArray from 'tatami'/);
  assertMissing(() => TF.signal.stft(tt.ones([8]), 4, 2), 'signal.stft', /no signal processing/);
  assertMissing(() => tt.layers.lstm, 'layers.lstm', /no recurrent layers/);
  assertMissing(() => tt.conv3d(), 'conv3d', /nearest: tf\.conv2d/);
  assertMissing(() => new (tt.AdamOptimizer as any)(0.1), 'AdamOptimizer', /tf\.train\.adam\(\)/);
  assertMissing(() => tt.layers.conv1d, 'layers.conv1d', /tf\.layers\.conv2d/);
  assertMissing(() => tt.io.browserHTTPRequest, 'io.browserHTTPRequest', /file:\/\//);
  assertMissing(() => tt.data.webcam, 'data.webcam', /loadImg/);
  // the types name them too, so a TypeScript tfjs program compiles and fails at run time, clearly
  const typed: typeof tt.layers.gru extends tt.Missing ? true : false = true;
  assert.equal(typed, true);
});

test('every tfjs name on the missing lists is a real tfjs name and throws NotImplementedError', () => {
  const tf = tfjs as any;
  for (const [ns, names] of Object.entries(PARTIAL)) {
    for (const name of names) {
      assert.ok(name in tf[ns], `tf.${ns}.${name} exists in @tensorflow/tfjs`);
      assertMissing(() => TF[ns][name], `${ns}.${name}`, /./);
    }
  }
  for (const [ns, names] of Object.entries(ABSENT)) {
    for (const name of names) {
      assert.ok(name in tf[ns], `tf.${ns}.${name} exists in @tensorflow/tfjs`);
      assertMissing(() => TF[ns][name], `${ns}.${name}`, /./);
    }
  }
  const stubs = Object.keys(missingOps);
  assert.ok(stubs.length > 100);
  for (const name of stubs) {
    assert.ok(name in tf, `tf.${name} exists in @tensorflow/tfjs`);
    // a name tatami/tfjs implements itself takes precedence over the stub
    if ((TF[name] as any).notImplemented) assertMissing(() => TF[name](), name, /./);
  }
});

test('guarded namespaces keep their members, their keys and plain-object behaviour', () => {
  const layer = tt.layers.dense({ units: 2, inputShape: [3] });
  assert.equal(layer.className, 'Dense');
  assert.ok(Object.keys(tt.layers).includes('conv2d'));
  assert.equal((tt.layers as any).notATfjsName, undefined, 'a name tfjs does not have either reads as undefined');
  assert.equal(typeof tt.train.adam, 'function');
  assert.equal(typeof tt.data.array, 'function');
  assert.equal(tt.util.sizeFromShape([2, 3]), 6);
  // inspection, JSON and await probe absent namespaces without an error
  assert.doesNotThrow(() => inspect(tt.signal));
  assert.doesNotThrow(() => JSON.stringify(tt.browser));
  assert.ok('stft' in tt.signal);
});

test('the compiled entry point imported as a namespace (import * as tf) gives the same errors', async () => {
  const tf: any = await import('../../src/tfjs/index');
  assertMissing(() => tf.browser.fromPixels(null), 'browser.fromPixels', /loadImg/);
  assertMissing(() => tf.sin(tf.ones([2])), 'sin', /./);
  assert.equal(typeof tf.tensor2d, 'function');
});
