// matMul spec: every wasm build and thread count against the JS reference, and 1 vs 2 threads identical.
import { test } from 'node:test';
import { assertIdentical, assertScaledClose as assertClose } from '../helpers/assert';
import { js, on, rand, wasm1, wasm2, wasmBackends } from './helpers';

const shapes: [number, number, number][] = [
  [1, 1, 1], [5, 7, 3], [6, 8, 8], [13, 17, 19], [12, 16, 24], [7, 1000, 9], [3, 5, 600], [37, 400, 21],
  [300, 100, 70], [64, 288, 64], [130, 9, 32], [9, 130, 600],
  // short row-major products read B in place (M <= 48, N a multiple of 8), 4-row tiles for the last
  // 8 or 4 rows; big enough to split over 2 threads by columns (32x784x256) and by rows (130x300x120)
  [14, 40, 16], [47, 20, 8], [20, 30, 1040], [32, 784, 256], [28, 500, 600], [130, 300, 120],
];

for (const [M, K, N] of shapes) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      test(`matMul M=${M} K=${K} N=${N} transA=${transA} transB=${transB}`, () => {
        const a = rand(M * K);
        const b = rand(K * N);
        const init = rand(M * N);
        for (const accumulate of [false, true]) {
          const want = init.slice();
          js.matMul(a, b, want, M, K, N, transA, transB, accumulate);
          const outs: Float32Array[] = [];
          for (const [label, be] of wasmBackends) {
            const out = on(be, init);
            be.matMul(on(be, a), on(be, b), out, M, K, N, transA, transB, accumulate);
            assertClose(out, want, `${label} accumulate=${accumulate}`);
            outs.push(out);
            // plain (non-wasm-memory) arrays are copied in and out
            const plain = init.slice();
            be.matMul(a, b, plain, M, K, N, transA, transB, accumulate);
            assertClose(plain, want, `${label} plain arrays accumulate=${accumulate}`);
          }
          if (wasm1 && wasm2) assertIdentical(outs[0], outs[1], 'matMul 2 threads vs 1');
        }
      });
    }
  }
}
