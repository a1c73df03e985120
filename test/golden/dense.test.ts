import { describe, it } from 'node:test';
import * as ops from '../../src/ops/index';
import { gradients } from '../../src/autograd/tape';
import type { Tensor } from '../../src/tensor/tensor';
import { layers } from '../../src/layers/index';
import { assertAllClose } from '../helpers/assert';
import { backendLabel, kernelBackends, onBackend } from '../helpers/backends';
import { loadFixture, toTensor, type FixtureArray } from '../helpers/fixtures';

// Golden values for Dense (dense.json) and matmul (matmul.json): y and the gradients of sum(y*dy).

interface DenseCase {
  name: string;
  x: FixtureArray; kernel: FixtureArray; bias: FixtureArray;
  dy: FixtureArray; y: FixtureArray; dx: FixtureArray; dkernel: FixtureArray; dbias: FixtureArray;
}
interface MatMulCase {
  name: string;
  a: FixtureArray; b: FixtureArray; dy: FixtureArray; y: FixtureArray; da: FixtureArray; db: FixtureArray;
}

const dense = loadFixture<{ cases: DenseCase[] }>('dense').cases;
const matmul = loadFixture<{ cases: MatMulCase[] }>('matmul').cases;

function checkDense(c: DenseCase, y: Tensor, x: Tensor, k: Tensor, b: Tensor, label: string): void {
  assertAllClose(y, c.y, `${label} y`);
  const [dx, dk, db] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [x, k, b]);
  assertAllClose(dx, c.dx, `${label} dx`);
  assertAllClose(dk, c.dkernel, `${label} dkernel`);
  assertAllClose(db, c.dbias, `${label} dbias`);
}

for (const kind of kernelBackends()) {
  describe(`golden dense [${backendLabel(kind)}]`, () => {
    for (const c of dense) {
      it(`${c.name}: ops.dense`, () => onBackend(kind, () => {
        const [x, k, b] = [toTensor(c.x), toTensor(c.kernel), toTensor(c.bias)];
        for (const s of [x, k, b]) s.requiresGrad = true;
        checkDense(c, ops.dense(x, k, b), x, k, b, `${c.name} (ops.dense)`);
      }));
      it(`${c.name}: Dense layer`, () => onBackend(kind, () => {
        const x = toTensor(c.x);
        x.requiresGrad = true;
        const layer = layers.dense({ units: c.kernel.shape[1] });
        layer.build([null, c.kernel.shape[0]]);
        layer.setWeights([toTensor(c.kernel), toTensor(c.bias)]);
        const [k, b] = layer.weights;
        checkDense(c, layer.invoke(x), x, k, b, `${c.name} (Dense layer)`);
      }));
    }
  });

  describe(`golden matMul [${backendLabel(kind)}]`, () => {
    for (const c of matmul) {
      it(c.name, () => onBackend(kind, () => {
        const [a, b] = [toTensor(c.a, 'a'), toTensor(c.b, 'b')];
        a.requiresGrad = true;
        b.requiresGrad = true;
        // batch dimensions broadcast as in NumPy and tfjs (the gradients sum over broadcast axes)
        const y = ops.matMul(a, b);
        assertAllClose(y, c.y, `${c.name} y`);
        const [da, db] = gradients(ops.sum(ops.mul(y, toTensor(c.dy, 'dy'))), [a, b]);
        assertAllClose(da, c.da, `${c.name} da`);
        assertAllClose(db, c.db, `${c.name} db`);
      }));
    }
  });
}
