import type { ConvEpilogue, NumericArray, ReduceOp } from '../backend';

// Reductions over the middle axis of x viewed as (outer, n, inner).

export function reduce(op: ReduceOp, x: NumericArray, outer: number, n: number, inner: number, out: NumericArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner + i];
        if (op === 'sum') acc += v;
        else if (op === 'prod') acc *= v;
        else if (op === 'max') acc = v > acc || Number.isNaN(v) ? v : acc;
        else acc = v < acc || Number.isNaN(v) ? v : acc;
      }
      out[o * inner + i] = acc;
    }
  }
}

export function argMax(x: NumericArray, outer: number, n: number, inner: number, out: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let at = 0;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner + i];
        if (v > best) {
          best = v;
          at = k;
        }
      }
      out[o * inner + i] = at;
    }
  }
}

export function softmax(x: Float32Array, y: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const b = r * n;
    let m = -Infinity;
    for (let k = 0; k < n; k++) if (x[b + k] > m) m = x[b + k];
    let s = 0;
    for (let k = 0; k < n; k++) {
      const e = Math.exp(x[b + k] - m);
      y[b + k] = e;
      s += e;
    }
    for (let k = 0; k < n; k++) y[b + k] /= s;
  }
}

export function logSoftmax(x: Float32Array, y: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const b = r * n;
    let m = -Infinity;
    for (let k = 0; k < n; k++) if (x[b + k] > m) m = x[b + k];
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.exp(x[b + k] - m);
    const lse = m + Math.log(s);
    for (let k = 0; k < n; k++) y[b + k] = x[b + k] - lse;
  }
}

export function biasAdd(x: Float32Array, bias: Float32Array, out: Float32Array, channels: number, relu = false): void {
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) out[i + c] = x[i + c] + bias[c];
    if (relu) for (let c = 0; c < channels; c++) out[i + c] = out[i + c] <= 0 ? 0 : out[i + c]; // NaN stays NaN
  }
}

/** y = relu?(y + bias) per the epilogue (Backend.conv2d). */
export function convEpilogue(y: Float32Array, epilogue: ConvEpilogue | undefined, channels: number): void {
  if (!epilogue) return;
  if (epilogue.bias) biasAdd(y, epilogue.bias, y, channels, epilogue.relu);
  else if (epilogue.relu) for (let i = 0; i < y.length; i++) y[i] = y[i] <= 0 ? 0 : y[i]; // NaN stays NaN
}

export function biasGrad(dy: Float32Array, db: Float32Array, channels: number, reluY?: Float32Array, dx?: Float32Array): void {
  if ((reluY === undefined) !== (dx === undefined)) throw new Error('biasGrad: reluY and dx go together');
  db.fill(0);
  for (let i = 0; i < dy.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const g = reluY && !(reluY[i + c] > 0) ? 0 : dy[i + c];
      if (dx) dx[i + c] = g;
      db[c] += g;
    }
  }
}
