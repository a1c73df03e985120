import { ConvGeometry, ThinFilterArgs, ThinFwdArgs } from '../layout';
import { argI, argP, epilogue4, madd, param } from './common';

// The filter gradient of convolutions over inputs with few channels (a network's first layer: 1 or
// 3 channels), stride 1, no dilation, output channels a multiple of 4: their T = kH·kW·C taps make
// the lowering's GEMM (T x K) = (T x P)·(P x K) a product of 9 or 27 short rows, so this kernel
// loops over the P pixels with a pair of taps and 16 channels in registers, and the channels past
// the last multiple of 16 (LeNet's 20) four at a time with four taps. The input is already padded: the geometry block is that of a 'valid' convolution
// (padTop = padLeft = 0) over (batch, inH, inW, inC). w is HWIO, i.e. a (T x K) matrix whose row t is
// the tap (kh, kw, c) = (t / (kW·C), t / C % kW, t % C), at byte offset offs[t] from a pixel's window.

/** Byte offsets of the T taps inside a pixel's input window, as i32 at `offs`. */
function tapOffsets(ip: usize, offs: usize): i32 {
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW);
  const C = param(ip, ConvGeometry.inC), W = param(ip, ConvGeometry.inW);
  let t = 0;
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      for (let c = 0; c < C; c++) {
        store<i32>(offs + (<usize>t << 2), ((kh * W + kw) * C + c) << 2);
        t++;
      }
    }
  }
  return t;
}

/**
 * dw(t, k) = Σ_p x(window(p) + t) dy(p, k) for the passes [passStart, passEnd). The first
 * ceil(T/2)·(K/16) passes (K rounded down to 16) each cover taps 2·(q / (K/16)) and the next one (if
 * any) and channels 16·(q % (K/16)) .. +16: 8 accumulators, 4 dy vectors and a splat stay within the
 * 16 vector registers (3 taps spilled: 12.9 ms against 10.3 for the lowering on a 32x32x3 -> 32
 * batch of 128). The rest (thinTail) cover 4 taps and 4 of the remaining channels each. Per output
 * row a pass sums its pixels in registers and adds that row's sum to dw: rows in order, so the
 * result is the same whichever thread runs the pass.
 */
export function thin_filter(args: usize): void {
  const ip = argP(args, ThinFilterArgs.geometry);
  const x = argP(args, ThinFilterArgs.x);
  const dy = argP(args, ThinFilterArgs.dy);
  const dw = argP(args, ThinFilterArgs.dw);
  const q0 = argI(args, ThinFilterArgs.passStart), q1 = argI(args, ThinFilterArgs.passEnd);
  const offs = argP(args, ThinFilterArgs.scratch);
  const T = tapOffsets(ip, offs);
  const K = param(ip, ConvGeometry.outC);
  const groups = K >> 4;
  const main = ((T + 1) >> 1) * groups;
  const ldk = <usize>K << 2;
  for (let q = q0; q < q1; q++) {
    if (q >= main) {
      const tq = q - main, tailGroups = (K & 15) >> 2;
      const t0 = 4 * (tq / tailGroups), k = (K & ~15) + ((tq % tailGroups) << 2);
      for (let t = t0; t < min(t0 + 4, T); t++) v128.store(dw + <usize>t * ldk + (<usize>k << 2), f32x4.splat(0));
      continue;
    }
    const t0 = 2 * (q / groups), k = (q % groups) << 4;
    const dwq = dw + <usize>t0 * ldk + (<usize>k << 2);
    memory.fill(dwq, 0, 64);
    if (t0 + 1 < T) memory.fill(dwq + ldk, 0, 64);
  }
  const N = param(ip, ConvGeometry.batch), H = param(ip, ConvGeometry.inH), W = param(ip, ConvGeometry.inW);
  const C = param(ip, ConvGeometry.inC), oH = param(ip, ConvGeometry.outH), oW = param(ip, ConvGeometry.outW);
  for (let r = 0; r < N * oH; r++) {
    const n = r / oH, oh = r % oH;
    const xr = x + (<usize>((n * H + oh) * W) * <usize>C << 2);
    const dyr = dy + <usize>r * <usize>oW * ldk;
    const xStep = <usize>C << 2;
    for (let q = q0; q < q1; q++) {
      if (q >= main) {
        thinTail(q - main, T, K, offs, xr, xStep, dyr, dw, oW);
        continue;
      }
      const t0 = 2 * (q / groups), k = (q % groups) << 4;
      const dwq = dw + <usize>t0 * ldk + (<usize>k << 2);
      const o0 = <usize>load<i32>(offs + (<usize>t0 << 2));
      let d = dyr + (<usize>k << 2);
      if (t0 + 1 < T) {
        const o1 = <usize>load<i32>(offs + (<usize>t0 << 2), 4);
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        let xp = xr;
        for (let ow = 0; ow < oW; ow++) {
          const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
          const u = v128.load32_splat(xp + o0);
          a0 = madd(u, d0, a0); a1 = madd(u, d1, a1); a2 = madd(u, d2, a2); a3 = madd(u, d3, a3);
          const v = v128.load32_splat(xp + o1);
          b0 = madd(v, d0, b0); b1 = madd(v, d1, b1); b2 = madd(v, d2, b2); b3 = madd(v, d3, b3);
          d += ldk;
          xp += xStep;
        }
        addRow(dwq, a0, a1, a2, a3);
        addRow(dwq + ldk, b0, b1, b2, b3);
      } else {
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
        let xp = xr;
        for (let ow = 0; ow < oW; ow++) {
          const u = v128.load32_splat(xp + o0);
          a0 = madd(u, v128.load(d), a0); a1 = madd(u, v128.load(d, 16), a1);
          a2 = madd(u, v128.load(d, 32), a2); a3 = madd(u, v128.load(d, 48), a3);
          d += ldk;
          xp += xStep;
        }
        addRow(dwq, a0, a1, a2, a3);
      }
    }
  }
}

/**
 * Tail pass tq over one output row: taps 4·(tq / G) .. +4 (fewer at the end) and channels
 * K16 + 4·(tq % G) .. +4, G = (K mod 16) / 4 groups of four past the last multiple of 16.
 */
// @ts-ignore: decorator
@inline function thinTail(tq: i32, T: i32, K: i32, offs: usize, xr: usize, xStep: usize, dyr: usize, dw: usize, oW: i32): void {
  const tailGroups = (K & 15) >> 2;
  const t0 = 4 * (tq / tailGroups), k = (K & ~15) + ((tq % tailGroups) << 2);
  const nt = min(4, T - t0);
  const ldk = <usize>K << 2;
  // missing taps at the end read tap t0 again and are not stored
  const o0 = <usize>load<i32>(offs + (<usize>t0 << 2));
  const o1 = nt > 1 ? <usize>load<i32>(offs + (<usize>(t0 + 1) << 2)) : o0;
  const o2 = nt > 2 ? <usize>load<i32>(offs + (<usize>(t0 + 2) << 2)) : o0;
  const o3 = nt > 3 ? <usize>load<i32>(offs + (<usize>(t0 + 3) << 2)) : o0;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let d = dyr + (<usize>k << 2), xp = xr;
  for (let ow = 0; ow < oW; ow++) {
    const dv = v128.load(d);
    a0 = madd(v128.load32_splat(xp + o0), dv, a0);
    a1 = madd(v128.load32_splat(xp + o1), dv, a1);
    a2 = madd(v128.load32_splat(xp + o2), dv, a2);
    a3 = madd(v128.load32_splat(xp + o3), dv, a3);
    d += ldk;
    xp += xStep;
  }
  const p = dw + <usize>t0 * ldk + (<usize>k << 2);
  v128.store(p, f32x4.add(v128.load(p), a0));
  if (nt > 1) v128.store(p + ldk, f32x4.add(v128.load(p + ldk), a1));
  if (nt > 2) v128.store(p + 2 * ldk, f32x4.add(v128.load(p + 2 * ldk), a2));
  if (nt > 3) v128.store(p + 3 * ldk, f32x4.add(v128.load(p + 3 * ldk), a3));
}

/** Adds four vectors to the 16 floats at p. */
// @ts-ignore: decorator
@inline function addRow(p: usize, a0: v128, a1: v128, a2: v128, a3: v128): void {
  v128.store(p, f32x4.add(v128.load(p), a0));
  v128.store(p, f32x4.add(v128.load(p, 16), a1), 16);
  v128.store(p, f32x4.add(v128.load(p, 32), a2), 32);
  v128.store(p, f32x4.add(v128.load(p, 48), a3), 48);
}

/** The 4x4 transpose of (a0..a3): lane j of a_i becomes lane i of the j-th result, epilogued and stored at p + j*ldy. */
// @ts-ignore: decorator
@inline function transposeStore(a0: v128, a1: v128, a2: v128, a3: v128, p: usize, ldy: usize, n: i32, bk: v128,
  epi: bool, relu: i32): void {
  const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
  let p0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), p1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  let p2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), p3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  if (epi) {
    p0 = epilogue4(p0, bk, relu); p1 = epilogue4(p1, bk, relu);
    p2 = epilogue4(p2, bk, relu); p3 = epilogue4(p3, bk, relu);
  }
  if (n > 0) v128.store(p, p0);
  if (n > 1) v128.store(p + ldy, p1);
  if (n > 2) v128.store(p + 2 * ldy, p2);
  if (n > 3) v128.store(p + 3 * ldy, p3);
}

/**
 * The forward pass over one input channel (a first layer over grey images), output channels a
 * multiple of 4, rows [rowStart, rowEnd) of the N·outH output rows: per 8 output pixels of a row
 * and 4 channels, 8 accumulators hold (4 pixels x 1 channel) vectors, each tap adds its two vectors
 * of consecutive input pixels times a splat weight, and a 4x4 transpose turns them into NHWC
 * pixels, with the bias and relu applied as they are stored. (12 pixels, 12 accumulators, spilled:
 * 6.1-6.3 ms against 4.3-4.7 for LeNet's 5x5 -> 20 at batch 128.) x is the padded input with at
 * least 16 floats of slack past its end (the last block of a row reads past the row). w is HWIO (T x K).
 * scratch: 4*T bytes of tap offsets.
 */
export function thin_fwd(args: usize): void {
  const ip = argP(args, ThinFwdArgs.geometry);
  const x = argP(args, ThinFwdArgs.x);
  const w = argP(args, ThinFwdArgs.w);
  const y = argP(args, ThinFwdArgs.y);
  const r0 = argI(args, ThinFwdArgs.rowStart), r1 = argI(args, ThinFwdArgs.rowEnd);
  const bias = argP(args, ThinFwdArgs.bias), relu = argI(args, ThinFwdArgs.relu);
  const epi = bias != 0 || relu != 0;
  const offs = argP(args, ThinFwdArgs.scratch);
  const T = tapOffsets(ip, offs);
  const H = param(ip, ConvGeometry.inH), W = param(ip, ConvGeometry.inW);
  const oH = param(ip, ConvGeometry.outH), oW = param(ip, ConvGeometry.outW);
  const K = param(ip, ConvGeometry.outC);
  const ldk = <usize>K << 2;
  for (let r = r0; r < r1; r++) {
    const n = r / oH, oh = r % oH;
    const xr = x + (<usize>((n * H + oh) * W) << 2);
    const yr = y + <usize>r * <usize>oW * ldk;
    for (let ow = 0; ow < oW; ow += 8) {
      const xb = xr + (<usize>ow << 2);
      const yb = yr + <usize>ow * ldk;
      for (let k = 0; k < K; k += 4) {
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        let wp = w + (<usize>k << 2);
        for (let t = 0; t < T; t++) {
          const xp = xb + <usize>load<i32>(offs + (<usize>t << 2));
          const x0 = v128.load(xp), x1 = v128.load(xp, 16);
          let s = v128.load32_splat(wp);
          a0 = madd(x0, s, a0); b0 = madd(x1, s, b0);
          s = v128.load32_splat(wp, 4);
          a1 = madd(x0, s, a1); b1 = madd(x1, s, b1);
          s = v128.load32_splat(wp, 8);
          a2 = madd(x0, s, a2); b2 = madd(x1, s, b2);
          s = v128.load32_splat(wp, 12);
          a3 = madd(x0, s, a3); b3 = madd(x1, s, b3);
          wp += ldk;
        }
        const bk = bias != 0 ? v128.load(bias + (<usize>k << 2)) : f32x4.splat(0);
        const left = oW - ow;
        const p = yb + (<usize>k << 2);
        transposeStore(a0, a1, a2, a3, p, ldk, min(4, left), bk, epi, relu);
        transposeStore(b0, b1, b2, b3, p + 4 * ldk, ldk, min(4, left - 4), bk, epi, relu);
      }
    }
  }
}
