import type { NumericArray } from '../backend';

// Reference GEMM: out (M,N) = op(a) op(b). A plain i-k-j loop over row-major buffers.

export function matMul(a: Float32Array, b: Float32Array, out: Float32Array, M: number, K: number, N: number,
  transA: boolean, transB: boolean, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, M * N);
  // strides of op(a) (M,K) and op(b) (K,N)
  const aRow = transA ? 1 : K;
  const aCol = transA ? M : 1;
  const bRow = transB ? 1 : N;
  const bCol = transB ? K : 1;
  if (!transB) {
    for (let i = 0; i < M; i++) {
      const o = i * N;
      for (let k = 0; k < K; k++) {
        const av = a[i * aRow + k * aCol];
        if (av === 0) continue;
        const bo = k * bRow;
        for (let j = 0; j < N; j++) out[o + j] += av * b[bo + j];
      }
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * aRow + k * aCol] * b[k * bRow + j * bCol];
      out[i * N + j] += s;
    }
  }
}

export function transpose(x: NumericArray, shape: readonly number[], perm: readonly number[], out: NumericArray): void {
  const r = shape.length;
  const inStr = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) {
    inStr[i] = acc;
    acc *= shape[i];
  }
  const outShape = perm.map((p) => shape[p]);
  const srcStr = perm.map((p) => inStr[p]);
  const idx = new Array<number>(r).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src];
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      src += srcStr[d];
      if (idx[d] < outShape[d]) break;
      src -= srcStr[d] * outShape[d];
      idx[d] = 0;
    }
  }
}
