// The Winograd kernels' weight transform U = G g Gᵀ for every (input channel c, output channel k),
// in float64 and rounded once to float32, packed per position xi (a² of them) as ceil(K/8) panels of
// (rows x 8): U[xi] at u + xi*uStride, (c, k) at (k >> 3)*rows*8 + c*8 + (k & 7) floats.
// Two output channels at a time, one per f64x2 lane. The JS loop it replaces spent 0.3 ms of each
// 1.4 ms forward pass of seed 004's 13x13x32 -> 64 layer at batch 32, serially, on the main thread.
//
// g(kh, kw, c, k) = w[base + kh*sH + kw*sW + c*sC + k*sK] (strides may be negative): so the same
// code reads HWIO weights and the spatially flipped, channel-swapped view the input gradient needs.
// transform: 2 = F(2x2, 3x3) (a = 4), 4 = F(4x4, 3x3) (a = 6), 5 = F(2x2, 5x5) (a = 6). All three use
// the points 0, ±1, ±2 (2: 0, ±1) and ∞ with the scales of winograd.ts / winograd5.ts.
import { argI, argP } from './common';
import { WinoPackArgs } from '../layout';

/**
 * c0·x0 + c1·x1 + c2·x2 in this order, zero coefficients included: the same float64 operations as
 * the JS transform this kernel replaced, so the packed weights (and every result) stay bit-identical.
 */
// @ts-ignore: decorator
@inline function dot3(c0: f64, c1: f64, c2: f64, x0: v128, x1: v128, x2: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(c0), x0), f64x2.mul(f64x2.splat(c1), x1)), f64x2.mul(f64x2.splat(c2), x2));
}

/** G of F(2x2, 3x3) (points 0, ±1, ∞) on (g0, g1, g2): its four rows at p + i*step. */
// @ts-ignore: decorator
@inline function rows2(g0: v128, g1: v128, g2: v128, p: usize, step: usize): void {
  v128.store(p, dot3(1, 0, 0, g0, g1, g2));
  v128.store(p + step, dot3(0.5, 0.5, 0.5, g0, g1, g2));
  v128.store(p + 2 * step, dot3(0.5, -0.5, 0.5, g0, g1, g2));
  v128.store(p + 3 * step, dot3(0, 0, 1, g0, g1, g2));
}

/** G of F(4x4, 3x3) on (g0, g1, g2): s_l (1, p, p²)·g at p = 0, 1, -1, 2, -2 (s = 1/4, -1/6, -1/6, 1/24, 1/24), then g2. */
// @ts-ignore: decorator
@inline function rows4(g0: v128, g1: v128, g2: v128, p: usize, step: usize): void {
  v128.store(p, dot3(1.0 / 4, 0, 0, g0, g1, g2));
  v128.store(p + step, dot3(-1.0 / 6, -1.0 / 6, -1.0 / 6, g0, g1, g2));
  v128.store(p + 2 * step, dot3(-1.0 / 6, 1.0 / 6, -1.0 / 6, g0, g1, g2));
  v128.store(p + 3 * step, dot3(1.0 / 24, 1.0 / 12, 1.0 / 6, g0, g1, g2));
  v128.store(p + 4 * step, dot3(1.0 / 24, -1.0 / 12, 1.0 / 6, g0, g1, g2));
  v128.store(p + 5 * step, dot3(0, 0, 1, g0, g1, g2));
}

/** G of F(2x2, 5x5) on (g0..g4): s_l (1, p, p², p³, p⁴)·g at the same points and scales, then g4. */
// @ts-ignore: decorator
@inline function rows5(g0: v128, g1: v128, g2: v128, g3: v128, g4: v128, p: usize, step: usize): void {
  const even = f64x2.add(f64x2.add(g0, g2), g4);
  const odd = f64x2.add(g1, g3);
  const even2 = f64x2.add(f64x2.add(g0, f64x2.mul(f64x2.splat(4), g2)), f64x2.mul(f64x2.splat(16), g4));
  const odd2 = f64x2.add(f64x2.mul(f64x2.splat(2), g1), f64x2.mul(f64x2.splat(8), g3));
  v128.store(p, f64x2.div(g0, f64x2.splat(4)));
  v128.store(p + step, f64x2.div(f64x2.neg(f64x2.add(even, odd)), f64x2.splat(6)));
  v128.store(p + 2 * step, f64x2.div(f64x2.neg(f64x2.sub(even, odd)), f64x2.splat(6)));
  v128.store(p + 3 * step, f64x2.div(f64x2.add(even2, odd2), f64x2.splat(24)));
  v128.store(p + 4 * step, f64x2.div(f64x2.sub(even2, odd2), f64x2.splat(24)));
  v128.store(p + 5 * step, g4);
}

/** (w[i0], w[i1]) as float64 lanes. */
// @ts-ignore: decorator
@inline function pair(w: usize, i0: i32, i1: i32): v128 {
  return f64x2.replace_lane(f64x2.splat(<f64>load<f32>(w + (<usize>i0 << 2))), 1, <f64>load<f32>(w + (<usize>i1 << 2)));
}

/** Packs U for input channels [channelStart, channelEnd) (threads split them). */
export function wino_pack(args: usize): void {
  const w = argP(args, WinoPackArgs.w);
  const u = argP(args, WinoPackArgs.packedU);
  const transform = argI(args, WinoPackArgs.transform);
  const K = argI(args, WinoPackArgs.outC);
  const rows = argI(args, WinoPackArgs.panelRows);
  const base = argI(args, WinoPackArgs.base);
  const sH = argI(args, WinoPackArgs.strideH);
  const sW = argI(args, WinoPackArgs.strideW);
  const sC = argI(args, WinoPackArgs.strideC);
  const sK = argI(args, WinoPackArgs.strideK);
  const uStride = <usize>argI(args, WinoPackArgs.uStride) << 2;
  const c0 = argI(args, WinoPackArgs.channelStart);
  const c1 = argI(args, WinoPackArgs.channelEnd);
  const tmp = argP(args, WinoPackArgs.scratch);
  const r = transform === 5 ? 5 : 3; // taps per side
  const a = transform === 2 ? 4 : 6; // points per side
  // t = G g: row i, column j at t + (i*r + j)*16; v = t Gᵀ: (i, j) at v + (i*a + j)*16
  const t = tmp;
  const v = tmp + 30 * 16;
  for (let c = c0; c < c1; c++) {
    for (let k = 0; k < K; k += 2) {
      const o0 = base + c * sC + k * sK;
      const o1 = k + 1 < K ? o0 + sK : o0; // an odd K's last channel fills both lanes
      for (let j = 0; j < r; j++) {
        const q0 = o0 + j * sW, q1 = o1 + j * sW;
        const p = t + (<usize>j << 4), step = <usize>r << 4;
        if (transform === 5) {
          rows5(pair(w, q0, q1), pair(w, q0 + sH, q1 + sH), pair(w, q0 + 2 * sH, q1 + 2 * sH),
            pair(w, q0 + 3 * sH, q1 + 3 * sH), pair(w, q0 + 4 * sH, q1 + 4 * sH), p, step);
        } else if (transform === 4) {
          rows4(pair(w, q0, q1), pair(w, q0 + sH, q1 + sH), pair(w, q0 + 2 * sH, q1 + 2 * sH), p, step);
        } else {
          rows2(pair(w, q0, q1), pair(w, q0 + sH, q1 + sH), pair(w, q0 + 2 * sH, q1 + 2 * sH), p, step);
        }
      }
      for (let i = 0; i < a; i++) {
        const ti = t + <usize>(i * r) * 16;
        const p = v + <usize>(i * a) * 16;
        if (transform === 5) {
          rows5(v128.load(ti), v128.load(ti, 16), v128.load(ti, 32), v128.load(ti, 48), v128.load(ti, 64), p, 16);
        } else if (transform === 4) {
          rows4(v128.load(ti), v128.load(ti, 16), v128.load(ti, 32), p, 16);
        } else {
          rows2(v128.load(ti), v128.load(ti, 16), v128.load(ti, 32), p, 16);
        }
      }
      const dst = u + ((<usize>(k >> 3) * <usize>rows * 8 + <usize>c * 8 + <usize>(k & 7)) << 2);
      const both = k + 1 < K;
      for (let xi = 0; xi < a * a; xi++) {
        const f = f32x4.demote_f64x2_zero(v128.load(v + (<usize>xi << 4)));
        const d = dst + <usize>xi * uStride;
        if (both) v128.store64_lane(d, f, 0);
        else store<f32>(d, f32x4.extract_lane(f, 0));
      }
    }
  }
}
