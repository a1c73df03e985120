import { ConvGeometry, DepthwiseBwdFilterArgs, DepthwiseBwdInputArgs, DepthwiseFwdArgs } from '../layout';
import { argI, argP, madd, param } from './common';

// Depthwise convolution with depth multiplier 1: x (N, inH, inW, C), w (kH, kW, C), y (N, outH,
// outW, C); the geometry is a ConvGeometry block (../layout.ts). Every output sums its taps in the
// order of the reference kernel (backend/js/conv.ts), so results differ from it only by rounding
// (float32 steps here, float64 products there), and no sum depends on the split over threads:
// - forward and input gradient: one pixel at a time, 16 channels in registers, taps gathered;
// - filter gradient: per channel range, dw itself is the accumulator, pixels in ascending order.

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Output rows [rowStart, rowEnd) of the (N·outH) rows of y. */
export function depthwise_fwd(args: usize): void {
  const ip = argP(args, DepthwiseFwdArgs.geometry);
  const x = argP(args, DepthwiseFwdArgs.x);
  const w = argP(args, DepthwiseFwdArgs.w);
  const y = argP(args, DepthwiseFwdArgs.y);
  const r0 = argI(args, DepthwiseFwdArgs.rowStart);
  const r1 = argI(args, DepthwiseFwdArgs.rowEnd);
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), C = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW);
  const sH = param(ip, ConvGeometry.strideH), sW = param(ip, ConvGeometry.strideW);
  const dH = param(ip, ConvGeometry.dilationH), dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  for (let r = r0; r < r1; r++) {
    const n = r / outH, oh = r % outH;
    for (let ow = 0; ow < outW; ow++) {
      const yb = at(y, (r * outW + ow) * C);
      let c = 0;
      for (; c + 16 <= C; c += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - pT;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - pL;
            if (iw < 0 || iw >= inW) continue;
            const xp = at(x, ((n * inH + ih) * inW + iw) * C + c);
            const wp = at(w, (kh * kW + kw) * C + c);
            a0 = madd(v128.load(xp), v128.load(wp), a0);
            a1 = madd(v128.load(xp, 16), v128.load(wp, 16), a1);
            a2 = madd(v128.load(xp, 32), v128.load(wp, 32), a2);
            a3 = madd(v128.load(xp, 48), v128.load(wp, 48), a3);
          }
        }
        const yp = at(yb, c);
        v128.store(yp, a0); v128.store(yp, a1, 16); v128.store(yp, a2, 32); v128.store(yp, a3, 48);
      }
      for (; c + 4 <= C; c += 4) {
        let a = f32x4.splat(0);
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - pT;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - pL;
            if (iw < 0 || iw >= inW) continue;
            a = madd(v128.load(at(x, ((n * inH + ih) * inW + iw) * C + c)), v128.load(at(w, (kh * kW + kw) * C + c)), a);
          }
        }
        v128.store(at(yb, c), a);
      }
      for (; c < C; c++) {
        let a: f32 = 0;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - pT;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - pL;
            if (iw < 0 || iw >= inW) continue;
            a += load<f32>(at(x, ((n * inH + ih) * inW + iw) * C + c)) * load<f32>(at(w, (kh * kW + kw) * C + c));
          }
        }
        store<f32>(at(yb, c), a);
      }
    }
  }
}

/**
 * The output position that tap k of an input coordinate i reads from (-1 when none):
 * o = (i + pad − k·dil) / stride when that divides exactly and lands in [0, outSize).
 */
// @ts-ignore: decorator
@inline function source(i: i32, k: i32, pad: i32, dil: i32, stride: i32, outSize: i32): i32 {
  const t = i + pad - k * dil;
  if (t < 0) return -1;
  const o = t / stride;
  return o * stride === t && o < outSize ? o : -1;
}

/**
 * Input rows [rowStart, rowEnd) of the (N·inH) rows of dx, gathered from dy: taps run in
 * descending order so the contributions arrive in ascending output order, as the reference adds them.
 */
export function depthwise_bwd_input(args: usize): void {
  const ip = argP(args, DepthwiseBwdInputArgs.geometry);
  const dy = argP(args, DepthwiseBwdInputArgs.dy);
  const w = argP(args, DepthwiseBwdInputArgs.w);
  const dx = argP(args, DepthwiseBwdInputArgs.dx);
  const r0 = argI(args, DepthwiseBwdInputArgs.rowStart);
  const r1 = argI(args, DepthwiseBwdInputArgs.rowEnd);
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), C = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW);
  const sH = param(ip, ConvGeometry.strideH), sW = param(ip, ConvGeometry.strideW);
  const dH = param(ip, ConvGeometry.dilationH), dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  for (let r = r0; r < r1; r++) {
    const n = r / inH, ih = r % inH;
    for (let iw = 0; iw < inW; iw++) {
      const xb = at(dx, (r * inW + iw) * C);
      let c = 0;
      for (; c + 16 <= C; c += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let kh = kH - 1; kh >= 0; kh--) {
          const oh = source(ih, kh, pT, dH, sH, outH);
          if (oh < 0) continue;
          for (let kw = kW - 1; kw >= 0; kw--) {
            const ow = source(iw, kw, pL, dW, sW, outW);
            if (ow < 0) continue;
            const gp = at(dy, ((n * outH + oh) * outW + ow) * C + c);
            const wp = at(w, (kh * kW + kw) * C + c);
            a0 = madd(v128.load(gp), v128.load(wp), a0);
            a1 = madd(v128.load(gp, 16), v128.load(wp, 16), a1);
            a2 = madd(v128.load(gp, 32), v128.load(wp, 32), a2);
            a3 = madd(v128.load(gp, 48), v128.load(wp, 48), a3);
          }
        }
        const p = at(xb, c);
        v128.store(p, a0); v128.store(p, a1, 16); v128.store(p, a2, 32); v128.store(p, a3, 48);
      }
      for (; c + 4 <= C; c += 4) {
        let a = f32x4.splat(0);
        for (let kh = kH - 1; kh >= 0; kh--) {
          const oh = source(ih, kh, pT, dH, sH, outH);
          if (oh < 0) continue;
          for (let kw = kW - 1; kw >= 0; kw--) {
            const ow = source(iw, kw, pL, dW, sW, outW);
            if (ow < 0) continue;
            a = madd(v128.load(at(dy, ((n * outH + oh) * outW + ow) * C + c)), v128.load(at(w, (kh * kW + kw) * C + c)), a);
          }
        }
        v128.store(at(xb, c), a);
      }
      for (; c < C; c++) {
        let a: f32 = 0;
        for (let kh = kH - 1; kh >= 0; kh--) {
          const oh = source(ih, kh, pT, dH, sH, outH);
          if (oh < 0) continue;
          for (let kw = kW - 1; kw >= 0; kw--) {
            const ow = source(iw, kw, pL, dW, sW, outW);
            if (ow < 0) continue;
            a += load<f32>(at(dy, ((n * outH + oh) * outW + ow) * C + c)) * load<f32>(at(w, (kh * kW + kw) * C + c));
          }
        }
        store<f32>(at(xb, c), a);
      }
    }
  }
}

/** First output coordinate whose tap (offset = k·dil − pad) lands inside [0, inSize), and one past the last. */
// @ts-ignore: decorator
@inline function firstValid(offset: i32, stride: i32): i32 {
  // smallest o >= 0 with o·stride + offset >= 0
  return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
}

// @ts-ignore: decorator
@inline function endValid(offset: i32, stride: i32, inSize: i32, outSize: i32): i32 {
  // one past the largest o with o·stride + offset < inSize
  const lim = inSize - offset;
  if (lim <= 0) return 0;
  return min((lim + stride - 1) / stride, outSize);
}

/** dw[:, :, channelStart:channelEnd] = Σ over every pixel of x·dy, accumulated in place in dw. */
export function depthwise_bwd_filter(args: usize): void {
  const ip = argP(args, DepthwiseBwdFilterArgs.geometry);
  const x = argP(args, DepthwiseBwdFilterArgs.x);
  const dy = argP(args, DepthwiseBwdFilterArgs.dy);
  const dw = argP(args, DepthwiseBwdFilterArgs.dw);
  const c0 = argI(args, DepthwiseBwdFilterArgs.channelStart);
  const c1 = argI(args, DepthwiseBwdFilterArgs.channelEnd);
  const N = param(ip, ConvGeometry.batch);
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), C = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW);
  const sH = param(ip, ConvGeometry.strideH), sW = param(ip, ConvGeometry.strideW);
  const dH = param(ip, ConvGeometry.dilationH), dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  for (let t = 0; t < kH * kW; t++) {
    for (let c = c0; c < c1; c++) store<f32>(at(dw, t * C + c), 0);
  }
  const xs = sW * C; // floats between the inputs of neighbouring output columns
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const gRow = (n * outH + oh) * outW * C;
      for (let kh = 0; kh < kH; kh++) {
        const ih = oh * sH + kh * dH - pT;
        if (ih < 0 || ih >= inH) continue;
        const xRow = (n * inH + ih) * inW * C;
        for (let kw = 0; kw < kW; kw++) {
          const off = kw * dW - pL;
          const o0 = firstValid(off, sW);
          const o1 = endValid(off, sW, inW, outW);
          if (o0 >= o1) continue;
          const wp = at(dw, (kh * kW + kw) * C);
          let c = c0;
          for (; c + 16 <= c1; c += 16) {
            let a0 = v128.load(at(wp, c)), a1 = v128.load(at(wp, c), 16);
            let a2 = v128.load(at(wp, c), 32), a3 = v128.load(at(wp, c), 48);
            let xp = at(x, xRow + (o0 * sW + off) * C + c);
            let gp = at(dy, gRow + o0 * C + c);
            for (let ow = o0; ow < o1; ow++) {
              a0 = madd(v128.load(xp), v128.load(gp), a0);
              a1 = madd(v128.load(xp, 16), v128.load(gp, 16), a1);
              a2 = madd(v128.load(xp, 32), v128.load(gp, 32), a2);
              a3 = madd(v128.load(xp, 48), v128.load(gp, 48), a3);
              xp += <usize>xs << 2;
              gp += <usize>C << 2;
            }
            v128.store(at(wp, c), a0); v128.store(at(wp, c), a1, 16);
            v128.store(at(wp, c), a2, 32); v128.store(at(wp, c), a3, 48);
          }
          for (; c + 4 <= c1; c += 4) {
            let a = v128.load(at(wp, c));
            let xp = at(x, xRow + (o0 * sW + off) * C + c);
            let gp = at(dy, gRow + o0 * C + c);
            for (let ow = o0; ow < o1; ow++) {
              a = madd(v128.load(xp), v128.load(gp), a);
              xp += <usize>xs << 2;
              gp += <usize>C << 2;
            }
            v128.store(at(wp, c), a);
          }
          for (; c < c1; c++) {
            let a = load<f32>(at(wp, c));
            for (let ow = o0; ow < o1; ow++) {
              a += load<f32>(at(x, xRow + (ow * sW + off) * C + c)) * load<f32>(at(dy, gRow + ow * C + c));
            }
            store<f32>(at(wp, c), a);
          }
        }
      }
    }
  }
}
