import type { Pool2DInfo } from '../backend';

// Reference pooling kernels over NHWC buffers.

export function maxPool(x: Float32Array, y: Float32Array, argmax: Int32Array, p: Pool2DInfo): void {
  const C = p.channels;
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const yBase = ((n * p.outH + oh) * p.outW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let kh = 0; kh < p.poolH; kh++) {
            const ih = oh * p.strideH + kh - p.padTop;
            if (ih < 0 || ih >= p.inH) continue;
            for (let kw = 0; kw < p.poolW; kw++) {
              const iw = ow * p.strideW + kw - p.padLeft;
              if (iw < 0 || iw >= p.inW) continue;
              const i = ((n * p.inH + ih) * p.inW + iw) * C + c;
              if (x[i] > best || at < 0) {
                best = x[i];
                at = i;
              }
            }
          }
          y[yBase + c] = at < 0 ? 0 : best;
          argmax[yBase + c] = at;
        }
      }
    }
  }
}

export function maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, _p: Pool2DInfo): void {
  dx.fill(0);
  for (let i = 0; i < dy.length; i++) {
    const at = argmax[i];
    if (at >= 0) dx[at] += dy[i];
  }
}

function windowCount(p: Pool2DInfo, oh: number, ow: number): number {
  const h0 = Math.max(oh * p.strideH - p.padTop, 0);
  const h1 = Math.min(oh * p.strideH - p.padTop + p.poolH, p.inH);
  const w0 = Math.max(ow * p.strideW - p.padLeft, 0);
  const w1 = Math.min(ow * p.strideW - p.padLeft + p.poolW, p.inW);
  return Math.max(h1 - h0, 0) * Math.max(w1 - w0, 0);
}

export function avgPool(x: Float32Array, y: Float32Array, p: Pool2DInfo): void {
  const C = p.channels;
  y.fill(0);
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const yBase = ((n * p.outH + oh) * p.outW + ow) * C;
        const count = windowCount(p, oh, ow);
        for (let kh = 0; kh < p.poolH; kh++) {
          const ih = oh * p.strideH + kh - p.padTop;
          if (ih < 0 || ih >= p.inH) continue;
          for (let kw = 0; kw < p.poolW; kw++) {
            const iw = ow * p.strideW + kw - p.padLeft;
            if (iw < 0 || iw >= p.inW) continue;
            const xBase = ((n * p.inH + ih) * p.inW + iw) * C;
            for (let c = 0; c < C; c++) y[yBase + c] += x[xBase + c];
          }
        }
        if (count > 0) for (let c = 0; c < C; c++) y[yBase + c] /= count;
      }
    }
  }
}

export function avgPoolBackward(dy: Float32Array, dx: Float32Array, p: Pool2DInfo): void {
  const C = p.channels;
  dx.fill(0);
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const yBase = ((n * p.outH + oh) * p.outW + ow) * C;
        const count = windowCount(p, oh, ow);
        if (count === 0) continue;
        for (let kh = 0; kh < p.poolH; kh++) {
          const ih = oh * p.strideH + kh - p.padTop;
          if (ih < 0 || ih >= p.inH) continue;
          for (let kw = 0; kw < p.poolW; kw++) {
            const iw = ow * p.strideW + kw - p.padLeft;
            if (iw < 0 || iw >= p.inW) continue;
            const xBase = ((n * p.inH + ih) * p.inW + iw) * C;
            for (let c = 0; c < C; c++) dx[xBase + c] += dy[yBase + c] / count;
          }
        }
      }
    }
  }
}
