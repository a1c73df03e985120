// The active backend: wasm by default when it loads; TATAMI_BACKEND and TATAMI_THREADS override.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const registry = path.resolve(__dirname, '../../src/backend/registry.js');

function activeBackend(env: Record<string, string>): string {
  const script = `const b = require(${JSON.stringify(registry)}).backend(); console.log(b.name + ' ' + (b.threads ?? 1));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, TATAMI_BACKEND: '', TATAMI_THREADS: '', ...env }, encoding: 'utf8', timeout: 20000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('the wasm backend is the default and TATAMI_BACKEND=js forces the reference', () => {
  assert.match(activeBackend({}), /^wasm \d+$/);
  assert.equal(activeBackend({ TATAMI_BACKEND: 'js' }), 'js 1');
  assert.match(activeBackend({ TATAMI_BACKEND: 'wasm' }), /^wasm \d+$/);
});

test('TATAMI_THREADS sets the thread count', () => {
  assert.equal(activeBackend({ TATAMI_THREADS: '1' }), 'wasm 1');
  assert.equal(activeBackend({ TATAMI_THREADS: '3' }), 'wasm 3');
});
