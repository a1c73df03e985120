/**
 * Means and standard deviations for ImageDataGenerator's normalisation, over channels-last
 * float32 data, accumulated in float64 (NumPy sums float32 pairwise; both are far inside 1e-4).
 */

/** Per-channel mean over every image and pixel of data (·, c), as np.mean(x, axis=(0, 1, 2)). */
export function channelMeans(data: Float32Array, c: number): Float64Array {
  const sum = new Float64Array(c);
  for (let i = 0; i < data.length; i += c) for (let k = 0; k < c; k++) sum[k] += data[i + k];
  const count = data.length / c;
  for (let k = 0; k < c; k++) sum[k] /= count;
  return sum;
}

/** Per-channel population standard deviation (ddof 0, as np.std). */
export function channelStds(data: Float32Array, c: number): Float64Array {
  const mean = channelMeans(data, c);
  const ss = new Float64Array(c);
  for (let i = 0; i < data.length; i += c) {
    for (let k = 0; k < c; k++) {
      const d = data[i + k] - mean[k];
      ss[k] += d * d;
    }
  }
  const count = data.length / c;
  for (let k = 0; k < c; k++) ss[k] = Math.sqrt(ss[k] / count);
  return ss;
}

/** Mean and population standard deviation of data[offset, offset + size). */
export function meanStd(data: Float32Array, offset: number, size: number): [number, number] {
  let s = 0;
  for (let i = offset; i < offset + size; i++) s += data[i];
  const mean = s / size;
  let ss = 0;
  for (let i = offset; i < offset + size; i++) {
    const d = data[i] - mean;
    ss += d * d;
  }
  return [mean, Math.sqrt(ss / size)];
}
