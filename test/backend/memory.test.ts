// The wasm backend's allocator and pool: zeroed blocks, reuse, growth, foreign arrays, exit.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { wasm2, wasmBackends } from './helpers';

test('alloc returns zeroed views that survive memory growth', () => {
  const be = wasm2!;
  const a = be.alloc(1000);
  assert.ok(a.every((v) => v === 0));
  a.fill(5);
  be.free(a);
  const b = be.alloc(1000);
  assert.ok(b.every((v) => v === 0), 'a reused block is zeroed');
  b.fill(1.5);
  const before = be.memoryBytes();
  const big = be.alloc(64 << 20); // forces a grow
  assert.ok(be.memoryBytes() > before);
  assert.equal(b[999], 1.5, 'views made before a grow stay valid');
  big[big.length - 1] = 2;
  be.free(big);
  be.free(b);
  be.free(b); // double free is ignored
  be.free(new Float32Array(4)); // foreign arrays are ignored
});

test('workers see memory grown after they started', () => {
  const be = wasm2!;
  const M = 400, K = 300, N = 200;
  const pad = be.alloc(96 << 20); // grow, so a, b, out lie past the memory the workers started with
  const a = be.alloc(M * K).fill(0.5);
  const b = be.alloc(K * N).fill(2);
  const out = be.alloc(M * N);
  be.matMul(a, b, out, M, K, N, false, false);
  assert.ok(out.every((v) => v === K), 'every element is K * 0.5 * 2');
  for (const buf of [pad, a, b, out]) be.free(buf);
});

test('memory stays flat over repeated alloc/free of the same sizes', () => {
  const be = wasm2!;
  for (let i = 0; i < 3; i++) be.free(be.alloc(123457));
  const size = be.memoryBytes();
  const live = be.liveBytes();
  for (let i = 0; i < 200; i++) {
    const bufs = [be.alloc(123457), be.alloc(1000), be.alloc(77)];
    for (const buf of bufs) be.free(buf);
  }
  assert.equal(be.memoryBytes(), size);
  assert.equal(be.liveBytes(), live);
});

test('backend names and variants', () => {
  for (const [label, be] of wasmBackends) {
    assert.equal(be.name, 'wasm', label);
    assert.ok(be.variant === 'relaxed' || be.variant === 'simd', label);
  }
});

test('a process using the thread pool exits by itself', () => {
  const index = path.resolve(__dirname, '../../src/backend/wasm/index.js');
  const script = `
    const { createWasmBackend } = require(${JSON.stringify(index)});
    const be = createWasmBackend({ threads: 2 });
    const a = be.alloc(300 * 300), out = be.alloc(300 * 300);
    a.fill(1);
    be.matMul(a, a, out, 300, 300, 300, false, false);
    if (out[0] !== 300) throw new Error('bad result ' + out[0]);
    console.log('done');`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 20000, encoding: 'utf8' });
  assert.equal(r.error, undefined, 'the process did not exit in time');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /done/);
});
