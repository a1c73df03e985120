import type { Conv2DInfo } from '../src/backend/backend';

// Single outputs of a stride-1 convolution (NHWC input, HWIO weights, kernel c.kH x c.kW) summed
// in float64: the exact values the conv A/B benches measure the kernels' float32 error against.

/** y[n, oh, ow, k]. */
export function forward64(x: Float32Array, w: Float32Array, c: Conv2DInfo, n: number, oh: number, ow: number, k: number): number {
  let s = 0;
  for (let kh = 0; kh < c.kH; kh++) {
    const ih = oh + kh - c.padTop;
    if (ih < 0 || ih >= c.inH) continue;
    for (let kw = 0; kw < c.kW; kw++) {
      const iw = ow + kw - c.padLeft;
      if (iw < 0 || iw >= c.inW) continue;
      const xb = ((n * c.inH + ih) * c.inW + iw) * c.inC, wb = (kh * c.kW + kw) * c.inC * c.outC + k;
      for (let ci = 0; ci < c.inC; ci++) s += x[xb + ci] * w[wb + ci * c.outC];
    }
  }
  return s;
}

/** dx[n, ih, iw, ci]. */
export function input64(dy: Float32Array, w: Float32Array, c: Conv2DInfo, n: number, ih: number, iw: number, ci: number): number {
  let s = 0;
  for (let kh = 0; kh < c.kH; kh++) {
    const oh = ih - kh + c.padTop;
    if (oh < 0 || oh >= c.outH) continue;
    for (let kw = 0; kw < c.kW; kw++) {
      const ow = iw - kw + c.padLeft;
      if (ow < 0 || ow >= c.outW) continue;
      const db = ((n * c.outH + oh) * c.outW + ow) * c.outC, wb = ((kh * c.kW + kw) * c.inC + ci) * c.outC;
      for (let k = 0; k < c.outC; k++) s += dy[db + k] * w[wb + k];
    }
  }
  return s;
}

/** dw[kh, kw, ci, k]. */
export function filter64(x: Float32Array, dy: Float32Array, c: Conv2DInfo, kh: number, kw: number, ci: number, k: number): number {
  let s = 0;
  for (let n = 0; n < c.batch; n++) {
    for (let oh = 0; oh < c.outH; oh++) {
      const ih = oh + kh - c.padTop;
      if (ih < 0 || ih >= c.inH) continue;
      for (let ow = 0; ow < c.outW; ow++) {
        const iw = ow + kw - c.padLeft;
        if (iw < 0 || iw >= c.inW) continue;
        s += x[((n * c.inH + ih) * c.inW + iw) * c.inC + ci] * dy[((n * c.outH + oh) * c.outW + ow) * c.outC + k];
      }
    }
  }
  return s;
}
