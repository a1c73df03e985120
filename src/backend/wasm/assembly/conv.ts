import { ConvBwdFilterArgs, ConvBwdInputArgs, ConvFwdArgs, ConvFwdIndArgs, ConvGeometry } from '../layout';
import { argI, argP, copyF, param, rowsEpilogue, zeroF } from './common';
import { MR, mk6x8, mk6x8o, packB, packSliver, setTile } from './gemm';

// Convolutions over NHWC input with HWIO kernels, lowered to the GEMM micro-kernel in chunks of
// output rows (never a whole-batch im2col). The geometry is a ConvGeometry block at `ip`, the job's
// arguments a block laid out by ../layout.ts (both read through common.ts).


/**
 * Writes taps [t0, t1) of the im2col rows of output pixels [row0, row0 + R) to dst (row stride
 * ldd bytes). A tap is (kh, kw, ci); out-of-bounds taps are zero.
 */
export function im2col_rows(ip: usize, x: usize, row0: i32, R: i32, t0: i32, t1: i32, dst: usize, ldd: usize): void {
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), inC = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW), sH = param(ip, ConvGeometry.strideH);
  const sW = param(ip, ConvGeometry.strideW), dH = param(ip, ConvGeometry.dilationH);
  const dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  const seg = kW * inC;
  let p = row0;
  let ow = p % outW;
  let t = p / outW;
  let oh = t % outH;
  let n = t / outH;
  for (let r = 0; r < R; r++) {
    const drow = dst + <usize>r * ldd;
    const iw0 = ow * sW - pL;
    const rowFits = dW == 1 && iw0 >= 0 && iw0 + kW <= inW;
    for (let kh = 0; kh < kH; kh++) {
      const sb = kh * seg;
      if (sb + seg <= t0) continue;
      if (sb >= t1) break;
      const ih = oh * sH + kh * dH - pT;
      if (ih < 0 || ih >= inH) {
        const lo = max(sb, t0), hi = min(sb + seg, t1);
        zeroF(drow + (<usize>(lo - t0) << 2), hi - lo);
        continue;
      }
      const xrow = x + (<usize>((n * inH + ih) * inW) * <usize>inC << 2);
      if (rowFits) {
        const lo = max(sb, t0), hi = min(sb + seg, t1);
        copyF(drow + (<usize>(lo - t0) << 2), xrow + (<usize>(iw0 * inC + lo - sb) << 2), hi - lo);
        continue;
      }
      for (let kw = 0; kw < kW; kw++) {
        const tb = sb + kw * inC;
        const lo = max(tb, t0), hi = min(tb + inC, t1);
        if (lo >= hi) continue;
        const iw = ow * sW + kw * dW - pL;
        const d = drow + (<usize>(lo - t0) << 2);
        if (iw < 0 || iw >= inW) zeroF(d, hi - lo);
        else copyF(d, xrow + (<usize>(iw * inC + lo - tb) << 2), hi - lo);
      }
    }
    if (++ow == outW) {
      ow = 0;
      if (++oh == outH) { oh = 0; n++; }
    }
  }
}

/**
 * y rows [r0, r1) (output pixels over the whole batch) = im2col(x) · W, W packed by packB as
 * ceil(outC/8) panels of (K x 8). Rows are lowered R at a time into scratch; each chunk's rows then
 * get the epilogue (bias, relu; none when bias is 0) while in cache.
 * scratch: R*K*4 + 24*K + 64 bytes.
 */
export function conv_fwd(args: usize): void {
  const ip = argP(args, ConvFwdArgs.geometry);
  const x = argP(args, ConvFwdArgs.x);
  const wp = argP(args, ConvFwdArgs.packedW);
  const y = argP(args, ConvFwdArgs.y);
  const r0 = argI(args, ConvFwdArgs.rowStart);
  const r1 = argI(args, ConvFwdArgs.rowEnd);
  const R = argI(args, ConvFwdArgs.chunkRows);
  const scratch = argP(args, ConvFwdArgs.scratch);
  const bias = argP(args, ConvFwdArgs.bias);
  const relu = argI(args, ConvFwdArgs.relu);
  const inC = param(ip, ConvGeometry.inC), outC = param(ip, ConvGeometry.outC), kH = param(ip, ConvGeometry.kH);
  const kW = param(ip, ConvGeometry.kW);
  const K = kH * kW * inC;
  const N = outC;
  const panels = (N + 7) >> 3;
  const direct = kH == 1 && kW == 1 && param(ip, ConvGeometry.strideH) == 1 && param(ip, ConvGeometry.strideW) == 1
    && param(ip, ConvGeometry.padTop) == 0 && param(ip, ConvGeometry.padLeft) == 0
    && param(ip, ConvGeometry.inH) == param(ip, ConvGeometry.outH)
    && param(ip, ConvGeometry.inW) == param(ip, ConvGeometry.outW);
  const col = scratch;
  const sl = scratch + <usize>R * <usize>K * 4;
  const ldc = <usize>N << 2;
  for (let c0 = r0; c0 < r1; c0 += R) {
    const rows = min(R, r1 - c0);
    let A: usize, lda: usize;
    if (direct) {
      A = x + (<usize>c0 * <usize>inC << 2);
      lda = <usize>inC << 2;
    } else {
      im2col_rows(ip, x, c0, rows, 0, K, col, <usize>K << 2);
      A = col;
      lda = <usize>K << 2;
    }
    for (let i = 0; i < rows; i += MR) {
      const mr = min(MR, rows - i);
      let ai = A + <usize>i * lda, rs = lda, ks: usize = 4;
      if (mr < MR) {
        packSliver(ai, lda, 4, mr, K, sl);
        ai = sl; rs = 4; ks = 24;
      }
      const ci = y + <usize>(c0 + i) * ldc;
      for (let p = 0; p < panels; p++) {
        setTile(mr, min(8, N - (p << 3)), 0);
        mk6x8(ai, rs, ks, wp + <usize>p * <usize>K * 32, K, ci + (<usize>p << 5), ldc);
      }
    }
    if (bias) rowsEpilogue(y + <usize>c0 * ldc, rows, N, bias, relu);
  }
}

/**
 * conv_fwd without lowering: for each sliver of 6 output pixels and each kernel row kh, the six
 * input segments (kW*inC contiguous floats when dilW = 1 and the window fits) are read in place by
 * the offset micro-kernel, accumulating over kh in C. Segments that hit padding are built in a
 * small per-pixel slot (or point at zeros). For segments of at least a few dozen floats.
 * scratch: 7*kW*inC*4 + 64 bytes.
 */
export function conv_fwd_ind(args: usize): void {
  const ip = argP(args, ConvFwdIndArgs.geometry);
  const x = argP(args, ConvFwdIndArgs.x);
  const wp = argP(args, ConvFwdIndArgs.packedW);
  const y = argP(args, ConvFwdIndArgs.y);
  const r0 = argI(args, ConvFwdIndArgs.rowStart);
  const r1 = argI(args, ConvFwdIndArgs.rowEnd);
  const scratch = argP(args, ConvFwdIndArgs.scratch);
  const bias = argP(args, ConvFwdIndArgs.bias);
  const relu = argI(args, ConvFwdIndArgs.relu);
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), inC = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW), outC = param(ip, ConvGeometry.outC);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW), sH = param(ip, ConvGeometry.strideH);
  const sW = param(ip, ConvGeometry.strideW), dH = param(ip, ConvGeometry.dilationH);
  const dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  const seg = kW * inC;
  const K = kH * seg;
  const N = outC;
  const panels = (N + 7) >> 3;
  const ldc = <usize>N << 2;
  const segB = <usize>seg << 2;
  const coords = scratch; // 6 x (n, oh, ow) i32
  const ptrs = scratch + 96; // 6 row addresses
  const zero = scratch + 128;
  const slots = zero + segB;
  zeroF(zero, seg);
  const HW = outH * outW;
  for (let i = r0; i < r1; i += MR) {
    const mr = min(MR, r1 - i);
    for (let j = 0; j < MR; j++) {
      const p = i + min(j, mr - 1);
      const n = p / HW, q = p % HW;
      const c = coords + <usize>j * 12;
      store<i32>(c, n);
      store<i32>(c, q / outW, 4);
      store<i32>(c, q % outW, 8);
    }
    let stored = 0;
    for (let kh = 0; kh < kH; kh++) {
      let live = 0;
      for (let j = 0; j < MR; j++) {
        const c = coords + <usize>j * 12;
        const n = load<i32>(c), ih = load<i32>(c, 4) * sH + kh * dH - pT, iw0 = load<i32>(c, 8) * sW - pL;
        let ptr: usize;
        if (ih < 0 || ih >= inH) {
          ptr = zero;
        } else {
          const xrow = x + (<usize>((n * inH + ih) * inW) * <usize>inC << 2);
          if (dW == 1 && iw0 >= 0 && iw0 + kW <= inW) {
            ptr = xrow + (<usize>(iw0 * inC) << 2);
          } else {
            ptr = slots + <usize>j * segB;
            for (let kw = 0; kw < kW; kw++) {
              const iw = iw0 + kw * dW;
              const d = ptr + (<usize>(kw * inC) << 2);
              if (iw < 0 || iw >= inW) zeroF(d, inC);
              else copyF(d, xrow + (<usize>(iw * inC) << 2), inC);
            }
          }
        }
        store<usize>(ptrs + (<usize>j << 2), ptr);
        live |= <i32>(ptr != zero);
      }
      // a kernel row that falls in the padding for all six pixels adds nothing
      if (!live && (stored || kh < kH - 1)) continue;
      const a0 = load<usize>(ptrs);
      const o1 = load<usize>(ptrs, 4) - a0, o2 = load<usize>(ptrs, 8) - a0, o3 = load<usize>(ptrs, 12) - a0;
      const o4 = load<usize>(ptrs, 16) - a0, o5 = load<usize>(ptrs, 20) - a0;
      const wk = wp + <usize>kh * segB * 8;
      const ci = y + <usize>i * ldc;
      for (let p = 0; p < panels; p++) {
        setTile(mr, min(8, N - (p << 3)), stored);
        mk6x8o(a0, o1, o2, o3, o4, o5, wk + <usize>p * <usize>K * 32, seg, ci + (<usize>p << 5), ldc);
      }
      stored = 1;
    }
    if (bias) rowsEpilogue(y + <usize>i * ldc, mr, N, bias, relu);
  }
}

/**
 * dw[t0:t1, c0:c1] = sum over all output pixels of im2col(x)[p, t] * dy[p, c], in chunks of R
 * pixels (R must depend on the shapes only, so the sum order never depends on the split).
 * scratch: R*(t1-t0)*4 + R*round8(c1-c0)*4 + 24*R + 64 bytes.
 */
export function conv_bwd_filter(args: usize): void {
  const ip = argP(args, ConvBwdFilterArgs.geometry);
  const x = argP(args, ConvBwdFilterArgs.x);
  const dy = argP(args, ConvBwdFilterArgs.dy);
  const dw = argP(args, ConvBwdFilterArgs.dw);
  const t0 = argI(args, ConvBwdFilterArgs.tapStart);
  const t1 = argI(args, ConvBwdFilterArgs.tapEnd);
  const c0 = argI(args, ConvBwdFilterArgs.channelStart);
  const c1 = argI(args, ConvBwdFilterArgs.channelEnd);
  const R = argI(args, ConvBwdFilterArgs.chunkRows);
  const scratch = argP(args, ConvBwdFilterArgs.scratch);
  const outC = param(ip, ConvGeometry.outC);
  const P = param(ip, ConvGeometry.batch) * param(ip, ConvGeometry.outH) * param(ip, ConvGeometry.outW);
  const T = t1 - t0;
  const NC = c1 - c0;
  const panels = (NC + 7) >> 3;
  const col = scratch;
  const bp = col + <usize>R * <usize>T * 4;
  const sl = bp + <usize>R * <usize>(panels << 5);
  const ldw = <usize>outC << 2;
  for (let p0 = 0; p0 < P; p0 += R) {
    const rows = min(R, P - p0);
    im2col_rows(ip, x, p0, rows, t0, t1, col, <usize>T << 2);
    packB(dy + (<usize>(p0 * outC + c0) << 2), <usize>outC << 2, 4, rows, NC, bp);
    const acc = p0 > 0 ? 1 : 0;
    for (let i = 0; i < T; i += MR) {
      const mr = min(MR, T - i);
      let ai = col + (<usize>i << 2), rs: usize = 4, ks = <usize>T << 2;
      if (mr < MR) {
        packSliver(ai, 4, ks, mr, rows, sl);
        ai = sl; ks = 24;
      }
      const ci = dw + <usize>(t0 + i) * ldw + (<usize>c0 << 2);
      for (let p = 0; p < panels; p++) {
        setTile(mr, min(8, NC - (p << 3)), acc);
        mk6x8(ai, rs, ks, bp + <usize>p * <usize>rows * 32, rows, ci + (<usize>p << 5), ldw);
      }
    }
  }
}

/**
 * dx for images [n0, n1) by col2im: per chunk of R output pixels of one image,
 * dcol (R x K) = dy rows · W^T (W^T packed by packB as panels of (outC x 8)), then scatter-add
 * dcol into dx. Works for any stride, dilation and padding. scratch: R*K*4 + 24*outC + 64 bytes.
 */
export function conv_bwd_input_col2im(args: usize): void {
  const ip = argP(args, ConvBwdInputArgs.geometry);
  const dy = argP(args, ConvBwdInputArgs.dy);
  const wtp = argP(args, ConvBwdInputArgs.packedWT);
  const dx = argP(args, ConvBwdInputArgs.dx);
  const n0 = argI(args, ConvBwdInputArgs.imageStart);
  const n1 = argI(args, ConvBwdInputArgs.imageEnd);
  const R = argI(args, ConvBwdInputArgs.chunkRows);
  const scratch = argP(args, ConvBwdInputArgs.scratch);
  const inH = param(ip, ConvGeometry.inH), inW = param(ip, ConvGeometry.inW), inC = param(ip, ConvGeometry.inC);
  const outH = param(ip, ConvGeometry.outH), outW = param(ip, ConvGeometry.outW), outC = param(ip, ConvGeometry.outC);
  const kH = param(ip, ConvGeometry.kH), kW = param(ip, ConvGeometry.kW), sH = param(ip, ConvGeometry.strideH);
  const sW = param(ip, ConvGeometry.strideW), dH = param(ip, ConvGeometry.dilationH);
  const dW = param(ip, ConvGeometry.dilationW);
  const pT = param(ip, ConvGeometry.padTop), pL = param(ip, ConvGeometry.padLeft);
  const K = kH * kW * inC;
  const panels = (K + 7) >> 3;
  const dcol = scratch;
  const sl = scratch + <usize>R * <usize>K * 4;
  const ldd = <usize>K << 2;
  const HW = outH * outW;
  for (let n = n0; n < n1; n++) {
    const dxn = dx + (<usize>n * <usize>(inH * inW * inC) << 2);
    zeroF(dxn, inH * inW * inC);
    for (let q0 = 0; q0 < HW; q0 += R) {
      const rows = min(R, HW - q0);
      const A = dy + (<usize>(n * HW + q0) * <usize>outC << 2);
      const lda = <usize>outC << 2;
      for (let i = 0; i < rows; i += MR) {
        const mr = min(MR, rows - i);
        let ai = A + <usize>i * lda, rs = lda, ks: usize = 4;
        if (mr < MR) {
          packSliver(ai, lda, 4, mr, outC, sl);
          ai = sl; rs = 4; ks = 24;
        }
        for (let p = 0; p < panels; p++) {
          setTile(mr, min(8, K - (p << 3)), 0);
          mk6x8(ai, rs, ks, wtp + <usize>p * <usize>outC * 32, outC, dcol + <usize>i * ldd + (<usize>p << 5), ldd);
        }
      }
      for (let r = 0; r < rows; r++) {
        const q = q0 + r;
        const oh = q / outW, ow = q % outW;
        const src = dcol + <usize>r * ldd;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - pT;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - pL;
            if (iw < 0 || iw >= inW) continue;
            addF(dxn + (<usize>((ih * inW + iw) * inC) << 2), src + (<usize>((kh * kW + kw) * inC) << 2), inC);
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function addF(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}
