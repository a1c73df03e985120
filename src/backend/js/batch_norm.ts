// Reference batch-normalization kernels over a channels-last buffer viewed as (rows, C): every
// per-channel statistic accumulates in float64, the elementwise passes compute in float64 and
// round once on store.

/** mean[c] = Σ x / rows; variance[c] = Σ (x − mean)² / rows (biased), two passes over x. */
export function batchNormStats(x: Float32Array, channels: number, mean: Float64Array, variance: Float64Array): void {
  const C = channels;
  const rows = x.length / C;
  mean.fill(0);
  variance.fill(0);
  for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) mean[c] += x[i + c];
  for (let c = 0; c < C; c++) mean[c] /= rows;
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) {
      const d = x[i + c] - mean[c];
      variance[c] += d * d;
    }
  }
  for (let c = 0; c < C; c++) variance[c] /= rows;
}

/** y (rows, C) = (x − mean[c])·scale[c] + offset[c]; y may alias x. */
export function batchNormApply(x: Float32Array, mean: Float32Array, scale: Float32Array, offset: Float32Array,
  y: Float32Array, channels: number): void {
  const C = channels;
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) y[i + c] = (x[i + c] - mean[c]) * scale[c] + offset[c];
  }
}

/** sumDy[c] = Σ dy; sumDyXc[c] = Σ dy·(x − mean[c]), over the rows of dy and x (rows, C). */
export function batchNormGradSums(dy: Float32Array, x: Float32Array, mean: Float32Array, sumDy: Float64Array,
  sumDyXc: Float64Array, channels: number): void {
  const C = channels;
  sumDy.fill(0);
  sumDyXc.fill(0);
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) {
      const g = dy[i + c];
      sumDy[c] += g;
      sumDyXc[c] += g * (x[i + c] - mean[c]);
    }
  }
}

/** dx (rows, C) = dy·k[c] − a[c] − (x − mean[c])·b[c]: the training-mode input gradient. */
export function batchNormGradInput(dy: Float32Array, x: Float32Array, mean: Float32Array, k: Float32Array,
  a: Float32Array, b: Float32Array, dx: Float32Array, channels: number): void {
  const C = channels;
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) dx[i + c] = dy[i + c] * k[c] - a[c] - (x[i + c] - mean[c]) * b[c];
  }
}
