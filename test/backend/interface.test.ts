// The kernel boundary: every Backend member exists on every backend, and code above the backend
// reaches kernels only through the registry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Backend } from '../../src/backend/backend';
import { allBackends, wasmBackends } from './helpers';

/**
 * Every member of Backend. `satisfies` makes the compiler reject this list when the interface
 * gains or loses a member, so the test below cannot fall behind the interface.
 */
const MEMBERS = {
  name: true, alloc: true, allocUninit: true, free: true,
  matMul: true, conv2d: true, conv2dBackpropInput: true, conv2dBackpropFilter: true,
  maxPool: true, maxPoolBackward: true, avgPool: true, avgPoolBackward: true,
  unary: true, unaryGrad: true, binary: true, affine: true,
  reduce: true, argMax: true, softmax: true, logSoftmax: true, biasAdd: true, biasGrad: true,
  optimizerStep: true, dropout: true, dropoutGrad: true, transpose: true, resampleImages: true,
  batchNormStats: true, batchNormApply: true, batchNormGradSums: true, batchNormGradInput: true,
} as const satisfies Record<keyof Backend, true>;

test('every kernel of the Backend interface is a function on every backend', () => {
  assert.ok(wasmBackends.length > 0, 'the wasm backend loads (dist/wasm built, WebAssembly SIMD present)');
  for (const [label, be] of allBackends) {
    for (const key of Object.keys(MEMBERS) as (keyof Backend)[]) {
      if (key === 'name') assert.equal(typeof be.name, 'string', `${label}: name`);
      else assert.equal(typeof be[key], 'function', `${label}: ${key} is ${typeof be[key]}`);
    }
  }
});

const SRC = path.resolve(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Module paths a file imports (import ... from, export ... from, require, import()). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found;
}

test('src/ops and src/optimizers import only backend/registry and backend/backend from the backend', () => {
  const backendDir = path.join(SRC, 'backend');
  const allowed = new Set([path.join(backendDir, 'registry'), path.join(backendDir, 'backend')]);
  let checked = 0;
  for (const folder of ['ops', 'optimizers']) {
    const files = sourceFiles(path.join(SRC, folder));
    assert.ok(files.length > 0, `found the sources of src/${folder} (${files.length} files)`);
    for (const file of files) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec).replace(/\.(js|ts)$/, '');
        checked++;
        if (target.startsWith(backendDir + path.sep) && !allowed.has(target)) {
          assert.fail(`${path.relative(SRC, file)} imports ${spec}: outside src/backend, use backend() from backend/registry`);
        }
      }
    }
  }
  assert.ok(checked > 20, `read the imports (${checked})`);
});

test('the import scan sees a forbidden import', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tatami-imports-'));
  const file = path.join(tmp, 'x.ts');
  fs.writeFileSync(file, "import { binary as jsBinary } from '../backend/js/elementwise';\nimport type { B } from './b';\n");
  assert.deepEqual(importsOf(file), ['../backend/js/elementwise', './b']);
  fs.rmSync(tmp, { recursive: true });
});
