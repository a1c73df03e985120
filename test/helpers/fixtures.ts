import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor';

/**
 * Loader for the golden-value fixtures in test/fixtures (schema in test/fixtures/README.md):
 * every array is {shape, data} with data flat in row-major order.
 */

export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** The repository root: the nearest ancestor with package.json (works from src and from dist). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`fixtures: no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

const cache = new Map<string, unknown>();

/** Parsed test/fixtures/<name>.json (cached: several test files read the same fixture). */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  if (!cache.has(name)) {
    const file = join(repoRoot(), 'test', 'fixtures', name.endsWith('.json') ? name : `${name}.json`);
    cache.set(name, JSON.parse(readFileSync(file, 'utf8')));
  }
  return cache.get(name) as T;
}

function checkArray(a: FixtureArray, what: string): void {
  assert.ok(a && Array.isArray(a.shape) && Array.isArray(a.data), `${what}: not a {shape, data} array`);
  const size = a.shape.reduce((x, y) => x * y, 1);
  assert.equal(a.data.length, size, `${what}: shape [${a.shape}] needs ${size} values, has ${a.data.length}`);
}

/**
 * A fresh float32 tensor (allocated by the active backend) holding the fixture's values; the
 * inputs are float32-exact, so this reproduces them bit for bit.
 */
export function toTensor(a: FixtureArray, what = 'array'): Tensor {
  checkArray(a, what);
  const t = Tensor.empty(a.shape.slice());
  t.f32.set(a.data);
  return t;
}

/** An int32 tensor (class ids). */
export function toIntTensor(a: FixtureArray, what = 'array'): Tensor {
  checkArray(a, what);
  const t = Tensor.empty(a.shape.slice(), 'int32');
  t.values.set(a.data);
  return t;
}
