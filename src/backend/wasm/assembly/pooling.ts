import { AvgPoolArgs, AvgPoolBwdArgs, MaxPoolArgs, MaxPoolBwdArgs, PoolGeometry } from '../layout';
import { argI, argP, param, zeroF } from './common';
import { maxpool2x2, maxpool2x2_bwd } from './pool2x2';

// Pooling over NHWC buffers, split over images. The geometry is a PoolGeometry block at `ip`
// (../layout.ts).


/** 2x2 windows at stride 2, no padding, whole windows only, C a multiple of 4 (pool2x2.ts). */
// @ts-ignore: decorator
@inline function is2x2(ip: usize): bool {
  return param(ip, PoolGeometry.poolH) == 2 && param(ip, PoolGeometry.poolW) == 2
    && param(ip, PoolGeometry.strideH) == 2 && param(ip, PoolGeometry.strideW) == 2
    && param(ip, PoolGeometry.padTop) == 0 && param(ip, PoolGeometry.padLeft) == 0
    && (param(ip, PoolGeometry.channels) & 3) == 0
    && param(ip, PoolGeometry.outH) * 2 <= param(ip, PoolGeometry.inH)
    && param(ip, PoolGeometry.outW) * 2 <= param(ip, PoolGeometry.inW);
}

/** y = window max, am = flat input index of the first max (-1 for an all-padding window). */
export function maxpool(args: usize): void {
  const ip = argP(args, MaxPoolArgs.geometry);
  const x = argP(args, MaxPoolArgs.x);
  const y = argP(args, MaxPoolArgs.y);
  const am = argP(args, MaxPoolArgs.argmax);
  const n0 = argI(args, MaxPoolArgs.imageStart);
  const n1 = argI(args, MaxPoolArgs.imageEnd);
  const inH = param(ip, PoolGeometry.inH), inW = param(ip, PoolGeometry.inW), C = param(ip, PoolGeometry.channels);
  const outH = param(ip, PoolGeometry.outH), outW = param(ip, PoolGeometry.outW);
  const pH = param(ip, PoolGeometry.poolH), pW = param(ip, PoolGeometry.poolW), sH = param(ip, PoolGeometry.strideH);
  const sW = param(ip, PoolGeometry.strideW), pT = param(ip, PoolGeometry.padTop);
  const pL = param(ip, PoolGeometry.padLeft);
  if (is2x2(ip)) {
    maxpool2x2(x, y, am, n0, n1, inH, inW, C, outH, outW);
    return;
  }
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = max(oh * sH - pT, 0), h1 = min(oh * sH - pT + pH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = max(ow * sW - pL, 0), w1 = min(ow * sW - pL + pW, inW);
        const ob = <usize>((n * outH + oh) * outW + ow) * <usize>C << 2;
        if (h0 >= h1 || w0 >= w1) {
          zeroF(y + ob, C);
          for (let c = 0; c < C; c++) store<i32>(am + ob + (<usize>c << 2), -1);
          continue;
        }
        const first = ((n * inH + h0) * inW + w0) * C;
        for (let c = 0; c < C4; c += 4) {
          let best = v128.load(x + (<usize>(first + c) << 2));
          let at = i32x4.add(i32x4.splat(first + c), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const i = ((n * inH + ih) * inW + iw) * C + c;
              const v = v128.load(x + (<usize>i << 2));
              const gt = f32x4.gt(v, best);
              best = v128.bitselect(v, best, gt);
              at = v128.bitselect(i32x4.add(i32x4.splat(i), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0)), at, gt);
            }
          }
          v128.store(y + ob + (<usize>c << 2), best);
          v128.store(am + ob + (<usize>c << 2), at);
        }
        for (let c = C4; c < C; c++) {
          let best = load<f32>(x + (<usize>(first + c) << 2));
          let at = first + c;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const i = ((n * inH + ih) * inW + iw) * C + c;
              const v = load<f32>(x + (<usize>i << 2));
              if (v > best) { best = v; at = i; }
            }
          }
          store<f32>(y + ob + (<usize>c << 2), best);
          store<i32>(am + ob + (<usize>c << 2), at);
        }
      }
    }
  }
}

/** dx (images n0..n1, zeroed here) += dy scattered to the argmax positions. */
export function maxpool_bwd(args: usize): void {
  const ip = argP(args, MaxPoolBwdArgs.geometry);
  const dy = argP(args, MaxPoolBwdArgs.dy);
  const am = argP(args, MaxPoolBwdArgs.argmax);
  const dx = argP(args, MaxPoolBwdArgs.dx);
  const n0 = argI(args, MaxPoolBwdArgs.imageStart);
  const n1 = argI(args, MaxPoolBwdArgs.imageEnd);
  const inH = param(ip, PoolGeometry.inH), inW = param(ip, PoolGeometry.inW), C = param(ip, PoolGeometry.channels);
  const outH = param(ip, PoolGeometry.outH), outW = param(ip, PoolGeometry.outW);
  if (is2x2(ip)) {
    maxpool2x2_bwd(dy, am, dx, n0, n1, inH, inW, C, outH, outW);
    return;
  }
  const inSz = inH * inW * C, outSz = outH * outW * C;
  zeroF(dx + (<usize>(n0 * inSz) << 2), (n1 - n0) * inSz);
  for (let o = n0 * outSz, e = n1 * outSz; o < e; o++) {
    const at = load<i32>(am + (<usize>o << 2));
    if (at >= 0) {
      const d = dx + (<usize>at << 2);
      store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>o << 2)));
    }
  }
}

/** y = mean over the valid (non-padding) cells of each window. */
export function avgpool(args: usize): void {
  const ip = argP(args, AvgPoolArgs.geometry);
  const x = argP(args, AvgPoolArgs.x);
  const y = argP(args, AvgPoolArgs.y);
  const n0 = argI(args, AvgPoolArgs.imageStart);
  const n1 = argI(args, AvgPoolArgs.imageEnd);
  const inH = param(ip, PoolGeometry.inH), inW = param(ip, PoolGeometry.inW), C = param(ip, PoolGeometry.channels);
  const outH = param(ip, PoolGeometry.outH), outW = param(ip, PoolGeometry.outW);
  const pH = param(ip, PoolGeometry.poolH), pW = param(ip, PoolGeometry.poolW), sH = param(ip, PoolGeometry.strideH);
  const sW = param(ip, PoolGeometry.strideW), pT = param(ip, PoolGeometry.padTop);
  const pL = param(ip, PoolGeometry.padLeft);
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = max(oh * sH - pT, 0), h1 = min(oh * sH - pT + pH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = max(ow * sW - pL, 0), w1 = min(ow * sW - pL + pW, inW);
        const ob = y + (<usize>((n * outH + oh) * outW + ow) * <usize>C << 2);
        const count = max(h1 - h0, 0) * max(w1 - w0, 0);
        for (let c = 0; c < C4; c += 4) {
          let s = f32x4.splat(0);
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              s = f32x4.add(s, v128.load(x + (<usize>(((n * inH + ih) * inW + iw) * C + c) << 2)));
            }
          }
          if (count > 0) s = f32x4.div(s, f32x4.splat(<f32>count));
          v128.store(ob + (<usize>c << 2), s);
        }
        for (let c = C4; c < C; c++) {
          let s: f32 = 0;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) s += load<f32>(x + (<usize>(((n * inH + ih) * inW + iw) * C + c) << 2));
          }
          if (count > 0) s /= <f32>count;
          store<f32>(ob + (<usize>c << 2), s);
        }
      }
    }
  }
}

/** dx (images n0..n1, zeroed here) += dy / count spread over each window. */
export function avgpool_bwd(args: usize): void {
  const ip = argP(args, AvgPoolBwdArgs.geometry);
  const dy = argP(args, AvgPoolBwdArgs.dy);
  const dx = argP(args, AvgPoolBwdArgs.dx);
  const n0 = argI(args, AvgPoolBwdArgs.imageStart);
  const n1 = argI(args, AvgPoolBwdArgs.imageEnd);
  const inH = param(ip, PoolGeometry.inH), inW = param(ip, PoolGeometry.inW), C = param(ip, PoolGeometry.channels);
  const outH = param(ip, PoolGeometry.outH), outW = param(ip, PoolGeometry.outW);
  const pH = param(ip, PoolGeometry.poolH), pW = param(ip, PoolGeometry.poolW), sH = param(ip, PoolGeometry.strideH);
  const sW = param(ip, PoolGeometry.strideW), pT = param(ip, PoolGeometry.padTop);
  const pL = param(ip, PoolGeometry.padLeft);
  const inSz = inH * inW * C;
  zeroF(dx + (<usize>(n0 * inSz) << 2), (n1 - n0) * inSz);
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = max(oh * sH - pT, 0), h1 = min(oh * sH - pT + pH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = max(ow * sW - pL, 0), w1 = min(ow * sW - pL + pW, inW);
        const count = max(h1 - h0, 0) * max(w1 - w0, 0);
        if (count == 0) continue;
        const g = dy + (<usize>((n * outH + oh) * outW + ow) * <usize>C << 2);
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const d = dx + (<usize>(((n * inH + ih) * inW + iw) * C) << 2);
            for (let c = 0; c < C; c++) {
              const o = <usize>c << 2;
              store<f32>(d + o, load<f32>(d + o) + load<f32>(g + o) / <f32>count);
            }
          }
        }
      }
    }
  }
}
