/** GEMM and convolution wrappers: split the work over threads and call the wasm drivers. */
import type { Conv2DInfo, ConvEpilogue } from '../backend';
import { matMul as jsMatMul } from '../js/matmul';
import {
  MIN_ELEMS_PER_THREAD, MIN_GEMM_MADDS_PER_THREAD, MIN_MADDS_PER_THREAD, type WasmContext, epilogueBias, splitRange,
} from './context';
import { ConvGeometry } from './layout';

/** Micro-tile rows (MR in gemm.ts) and columns. */
const MR = 6;
const NR = 8;
/** Pixels per chunk of the filter-gradient reduction: fixed, so the sum order never changes. */
const FILTER_CHUNK = 256;
/** Convolutions whose kernel rows span at least this many floats read the input in place. */
const INDIRECT_MIN_SEGMENT = 16;
/** Bytes of im2col rows lowered at a time per thread. */
const COL_BYTES = 192 * 1024;

function chunkRows(K: number): number {
  return Math.max(MR, Math.min(4096, Math.floor(COL_BYTES / (4 * K) / MR) * MR));
}

/** A 1x1, stride-1, unpadded convolution: one GEMM over the (batch*H*W, channels) pixel rows. */
function pointwise(c: Conv2DInfo): boolean {
  return c.kH === 1 && c.kW === 1 && c.strideH === 1 && c.strideW === 1 && c.padTop === 0 && c.padLeft === 0
    && c.outH === c.inH && c.outW === c.inW;
}

/**
 * A 1x1 convolution's filter gradient X^T · dY as a plain GEMM beats the chunked kernel only for
 * wide inputs (1x1 bench, batch 8: 14x14x1024->256 18.3 vs 23.5 ms, 8x8x2048->320 15.1 vs 19.6;
 * 56x56x256->64 25.6 vs 20.5).
 */
const POINTWISE_FILTER_GEMM_MIN_IN = 1024;

/**
 * The stride-1 input gradient as a padded convolution does (outH+kH-1)x(outW+kW-1) / (outH x outW)
 * of the col2im form's work on zeros: above this ratio (small maps: 3x3 outputs of a 5x5 input,
 * 2.8x) col2im wins.
 */
const FLIPPED_MAX_WASTE = 1.5;

function widest(ranges: [number, number][]): number {
  return Math.max(...ranges.map(([s, e]) => e - s));
}

export function matMul(ctx: WasmContext, a: Float32Array, b: Float32Array, out: Float32Array, M: number, K: number,
  N: number, transA: boolean, transB: boolean, accumulate = false): void {
  if (M === 0 || N === 0) return;
  const madds = M * N * K;
  if (madds < 4096 && !(ctx.arena.owns(a) && ctx.arena.owns(b) && ctx.arena.owns(out))) {
    jsMatMul(a, b, out, M, K, N, transA, transB, accumulate);
    return;
  }
  try {
    const pa = ctx.in(a);
    const pb = ctx.in(b);
    const pc = ctx.out(out, accumulate);
    const ars = transA ? 4 : K * 4;
    const acs = transA ? M * 4 : 4;
    const brs = transB ? 4 : N * 4;
    const bcs = transB ? K * 4 : 4;
    const parts = ctx.partsFor(madds, MIN_GEMM_MADDS_PER_THREAD);
    const byRows = Math.ceil(M / MR) >= Math.ceil(N / NR);
    const ranges = byRows ? splitRange(M, MR, parts) : splitRange(N, NR, parts);
    const ncMax = byRows ? N : widest(ranges);
    const scratch = ctx.scratch(ctx.exports.gemm_scratch(K, ncMax));
    const accumulateFlag = accumulate ? 1 : 0;
    ctx.run('gemm', ranges.map(([s, e], t) => ({
      rowStart: byRows ? s : 0, rowEnd: byRows ? e : M, colStart: byRows ? 0 : s, colEnd: byRows ? N : e, depth: K,
      a: pa, aRowStride: ars, aColStride: acs, b: pb, bRowStride: brs, bColStride: bcs, c: pc, cRowStride: N * 4,
      accumulate: accumulateFlag, scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}

/** Packs a (K x N) matrix at address src (strides in bytes) into GEMM panels; returns the address. */
function packPanels(ctx: WasmContext, src: number, brs: number, bcs: number, K: number, N: number): number {
  const dst = ctx.temp(K * Math.ceil(N / NR) * NR);
  ctx.call('pack_b', { b: src, rowStride: brs, colStride: bcs, rows: K, cols: N, dst });
  return dst;
}

/** Forward convolution on addresses (shared by conv2d and the stride-1 input gradient). */
function convForward(ctx: WasmContext, px: number, wp: number, py: number, c: Conv2DInfo, bias = 0, relu = false): void {
  const K = c.kH * c.kW * c.inC;
  const P = c.batch * c.outH * c.outW;
  const ip = ctx.setParams(ConvGeometry, c);
  const parts = ctx.partsFor(P * K * c.outC, MIN_MADDS_PER_THREAD);
  const ranges = splitRange(P, MR, parts);
  const seg = c.kW * c.inC;
  if (seg >= INDIRECT_MIN_SEGMENT) {
    const scratch = ctx.scratch(7 * seg * 4 + 256);
    ctx.run('conv_fwd_ind', ranges.map(([s, e], t) => ({
      geometry: ip, x: px, packedW: wp, y: py, rowStart: s, rowEnd: e, scratch: scratch[t], bias, relu: relu ? 1 : 0,
    })));
    return;
  }
  const R = chunkRows(K);
  const scratch = ctx.scratch(R * K * 4 + 24 * K + 64);
  ctx.run('conv_fwd', ranges.map(([s, e], t) => ({
    geometry: ip, x: px, packedW: wp, y: py, rowStart: s, rowEnd: e, chunkRows: R, scratch: scratch[t], bias,
    relu: relu ? 1 : 0,
  })));
}

/**
 * y = conv2d(x, w), with the epilogue's bias and relu applied to each chunk of rows while in cache
 * when the lowering runs. Returns whether it applied the epilogue (not for 1x1 convolutions, which
 * are plain GEMMs, nor for empty ones): the caller applies it otherwise.
 */
export function conv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo,
  epilogue?: ConvEpilogue): boolean {
  const K = c.kH * c.kW * c.inC;
  if (y.length === 0) return false;
  if (K === 0) {
    y.fill(0);
    return false;
  }
  if (pointwise(c)) {
    matMul(ctx, x, w, y, c.batch * c.outH * c.outW, K, c.outC, false, false);
    return false;
  }
  try {
    const pb = epilogueBias(ctx, c, epilogue);
    const px = ctx.in(x);
    const pw = ctx.in(w);
    const py = ctx.out(y);
    const wp = packPanels(ctx, pw, c.outC * 4, 4, K, c.outC);
    convForward(ctx, px, wp, py, c, pb, epilogue?.relu ?? false);
    return pb !== 0;
  } finally {
    ctx.finish();
  }
}

export function conv2dBackpropInput(ctx: WasmContext, dy: Float32Array, w: Float32Array, dx: Float32Array,
  c: Conv2DInfo): void {
  const K = c.kH * c.kW * c.inC;
  if (dx.length === 0) return;
  if (K === 0 || dy.length === 0) {
    dx.fill(0);
    return;
  }
  if (pointwise(c)) {
    // dX (P x inC) = dY (P x outC) · W^T; the flipped convolution would transpose W in JavaScript
    matMul(ctx, dy, w, dx, c.batch * c.inH * c.inW, c.outC, c.inC, false, true);
    return;
  }
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const pw = ctx.in(w);
    const waste = (c.inH * c.inW) / Math.max(1, c.outH * c.outW);
    if (c.strideH === 1 && c.strideW === 1 && c.inC >= NR && waste <= FLIPPED_MAX_WASTE) {
      // dx = conv(dy, w flipped in space with in/out channels swapped), padded by dil*(k-1) - pad
      const { kH, kW, inC, outC } = c;
      const taps = kH * kW;
      const wp = ctx.temp(taps * outC * Math.ceil(inC / NR) * NR);
      const parts = ctx.partsFor(taps * outC * inC, MIN_ELEMS_PER_THREAD);
      ctx.run('pack_flipped', splitRange(taps, 1, parts).map(([s, e]) => ({
        w: pw, dst: wp, kH, kW, inC, outC, tapStart: s, tapEnd: e,
      })));
      convForward(ctx, pdy, wp, pdx, {
        batch: c.batch, inH: c.outH, inW: c.outW, inC: outC, outH: c.inH, outW: c.inW, outC: inC, kH, kW,
        strideH: 1, strideW: 1, dilationH: c.dilationH, dilationW: c.dilationW,
        padTop: c.dilationH * (kH - 1) - c.padTop, padLeft: c.dilationW * (kW - 1) - c.padLeft,
      });
      return;
    }
    // strides (or few input channels): per image, dcol = dy · W^T in chunks, scattered into dx
    const wtp = packPanels(ctx, pw, 4, c.outC * 4, c.outC, K);
    const ip = ctx.setParams(ConvGeometry, c);
    const R = chunkRows(K);
    const parts = ctx.partsFor(c.batch * c.outH * c.outW * K * c.outC, MIN_MADDS_PER_THREAD);
    const scratch = ctx.scratch(R * K * 4 + 24 * c.outC + 64);
    ctx.run('conv_bwd_input_col2im', splitRange(c.batch, 1, parts).map(([s, e], t) => ({
      geometry: ip, dy: pdy, packedWT: wtp, dx: pdx, imageStart: s, imageEnd: e, chunkRows: R, scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}

export function conv2dBackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  const K = c.kH * c.kW * c.inC;
  const N = c.outC;
  const P = c.batch * c.outH * c.outW;
  if (dw.length === 0) return;
  if (P === 0) {
    dw.fill(0);
    return;
  }
  if (pointwise(c) && c.inC >= POINTWISE_FILTER_GEMM_MIN_IN) {
    matMul(ctx, x, dy, dw, c.inC, P, N, true, false);
    return;
  }
  try {
    const px = ctx.in(x);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const ip = ctx.setParams(ConvGeometry, c);
    const R = FILTER_CHUNK;
    const parts = ctx.partsFor(P * K * N, MIN_MADDS_PER_THREAD);
    // split taps (rows of dw) when there are enough, else output channels; never the pixel sum
    const byTaps = K >= 2 * MR * parts || N < 2 * NR;
    const ranges = byTaps ? splitRange(K, MR, parts) : splitRange(N, NR, parts);
    const T = byTaps ? widest(ranges) : K;
    const NC = byTaps ? N : widest(ranges);
    const scratch = ctx.scratch(R * T * 4 + R * Math.ceil(NC / NR) * NR * 4 + 24 * R + 64);
    ctx.run('conv_bwd_filter', ranges.map(([s, e], t) => ({
      geometry: ip, x: px, dy: pdy, dw: pdw, tapStart: byTaps ? s : 0, tapEnd: byTaps ? e : K,
      channelStart: byTaps ? 0 : s, channelEnd: byTaps ? N : e, chunkRows: R, scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}
