import { describe, it } from 'node:test';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { assertAllClose } from '../helpers/assert';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for broadcasting binary ops and reductions (elementwise.json): y and the
// gradients of sum(y*dy), summed back to each input's shape.

interface BinaryCase {
  name: string;
  op: 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'pow';
  a: FixtureArray; b: FixtureArray; dy: FixtureArray; y: FixtureArray; da: FixtureArray; db: FixtureArray;
}
interface ReductionCase {
  name: string;
  op: 'sum' | 'mean' | 'max' | 'min';
  axis: number[] | null;
  keepDims: boolean;
  x: FixtureArray; dy: FixtureArray; y: FixtureArray; dx: FixtureArray;
}

const fixture = loadFixture<{ binary: BinaryCase[]; reductions: ReductionCase[] }>('elementwise');

const binaryOps: Record<BinaryCase['op'], (a: Tensor, b: Tensor) => Tensor> = {
  add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div, maximum: ops.maximum, minimum: ops.minimum, pow: ops.pow,
};
const reductions: Record<ReductionCase['op'], (x: Tensor, axis?: number[], keepDims?: boolean) => Tensor> = {
  sum: ops.sum, mean: ops.mean, max: ops.max, min: ops.min,
};

describe('golden binary ops with broadcasting', () => {
  for (const c of fixture.binary) {
    it(`${c.name}: [${c.a.shape}] ${c.op} [${c.b.shape}]`, () => {
      const a = toTensor(c.a, 'a');
      const b = toTensor(c.b, 'b');
      a.requiresGrad = true;
      b.requiresGrad = true;
      const y = binaryOps[c.op](a, b);
      assertAllClose(y, c.y, `${c.name} y`);
      const [da, db] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [a, b]);
      assertAllClose(da, c.da, `${c.name} da`);
      assertAllClose(db, c.db, `${c.name} db`);
    });
  }
});

describe('golden reductions', () => {
  for (const c of fixture.reductions) {
    it(`${c.name}: ${c.op}(axis ${c.axis === null ? 'all' : `[${c.axis}]`}, keepDims ${c.keepDims})`, () => {
      const x = toTensor(c.x, 'x');
      x.requiresGrad = true;
      const y = reductions[c.op](x, c.axis ?? undefined, c.keepDims);
      assertAllClose(y, c.y, `${c.name} y`);
      const [dx] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [x]);
      assertAllClose(dx, c.dx, `${c.name} dx`);
    });
  }
});
