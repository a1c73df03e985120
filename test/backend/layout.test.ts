// The wasm call layout (src/backend/wasm/layout.ts): both sides address every field by name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { jobKernels } from '../../src/backend/wasm/context';
import { JOBS, JOB_FNS, fieldList, writeFields } from '../../src/backend/wasm/kernels';
import { ConvGeometry, ConvFwdArgs } from '../../src/backend/wasm/layout';

const ASSEMBLY = path.resolve(__dirname, '../../../src/backend/wasm/assembly');

test('a layout lists its fields in slot order, without count', () => {
  const f = fieldList(ConvFwdArgs);
  assert.deepEqual(f.names, ['geometry', 'x', 'packedW', 'y', 'rowStart', 'rowEnd', 'chunkRows', 'scratch', 'bias', 'relu']);
  assert.deepEqual(f.slots, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(f.count, 10);
  assert.equal(fieldList(ConvGeometry).count, 15);
  for (const fn of JOB_FNS) assert.equal(fieldList(JOBS[fn]).names.length, fieldList(JOBS[fn]).count, fn);
});

test('writing a block by name fills every slot and rejects a missing field', () => {
  const block = new Float64Array(10).fill(-1);
  const args = { geometry: 10, x: 11, packedW: 12, y: 13, rowStart: 14, rowEnd: 15, chunkRows: 16, scratch: 17, bias: 18, relu: 1 };
  writeFields(block, fieldList(ConvFwdArgs), args, 'conv_fwd');
  assert.deepEqual([...block], [10, 11, 12, 13, 14, 15, 16, 17, 18, 1]);
  assert.throws(() => writeFields(block, fieldList(ConvFwdArgs), { geometry: 1, x: 2 }, 'conv_fwd'),
    /wasm call conv_fwd: field 'packedW' is undefined/);
});

test('a module whose exports do not take argument blocks is refused with a clear error', () => {
  const exports: Record<string, unknown> = {};
  for (const f of JOB_FNS) exports[f] = (args: number) => args;
  assert.equal(typeof jobKernels(exports).gemm, 'function');
  exports.conv_fwd = (a: number, b: number) => a + b;
  assert.throws(() => jobKernels(exports), /export conv_fwd is missing or does not take one argument block \(rebuild/);
  delete exports.conv_fwd;
  assert.throws(() => jobKernels(exports), /export conv_fwd is missing/);
});

test('the AssemblyScript kernels read blocks by layout name, never by a written index', () => {
  const files = fs.readdirSync(ASSEMBLY).filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes('conv.ts') && files.includes('pooling.ts'), `assembly sources found: ${files}`);
  let reads = 0;
  const exportsSeen = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(ASSEMBLY, file), 'utf8');
    for (const m of text.matchAll(/\b(param|argI|argP|argF|argU32)\(\s*\w+\s*,\s*([^)]*)\)/g)) {
      reads++;
      assert.match(m[2].trim(), /^[A-Z]\w*(Args|Geometry)\.\w+$/, `${file}: ${m[0]} reads a slot by index`);
    }
    // every job export takes exactly one argument block
    for (const fn of JOB_FNS) {
      const sig = text.match(new RegExp(`export function ${fn}\\(([^)]*)\\)`));
      if (!sig) continue;
      exportsSeen.add(fn);
      assert.equal(sig[1].trim(), 'args: usize', `${file}: ${fn}(${sig[1]})`);
    }
  }
  assert.ok(reads > 100, `checked the block reads (${reads})`);
  assert.deepEqual([...exportsSeen].sort(), [...JOB_FNS].sort(), 'every job is defined in assembly/');
});
