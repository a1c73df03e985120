/**
 * Winograd convolution for 5x5, stride-1, dilation-1 convolutions (LeNet's): F(2x2, 5x5) (wasm
 * kernel wino5_fwd in assembly/wino5.ts, 36 multiplies per 2x2 outputs instead of 100) for the
 * forward pass and, on the padded output gradient with the flipped kernel, the input gradient; its
 * dual F(5x5, 2x2) (assembly/wino5_filter.ts) for the filter gradient. Both use the 6x6 patches and
 * interpolation points (0, ±1, ±2, ∞) of F(4x4, 3x3), so the input transform is the same.
 * Any channel counts (LeNet's 50 included): the kernels read channels past C as zeros.
 * Float32 error against a float64 direct sum: BENCHMARKS.md (2026-12-02, issue 11).
 * TATAMI_WINOGRAD5=0 turns the three passes off (for same-run A/Bs), TATAMI_WINOGRAD5_FILTER=0 the
 * filter gradient only; TATAMI_WINO5_CHUNK sets the chunk budget in bytes.
 */
import type { Conv2DInfo, ConvEpilogue } from '../backend';
import { MIN_MADDS_PER_THREAD, type WasmContext, epilogueBias, splitRange } from './context';
import { WinoGeometry } from './layout';
import { CHUNK_BYTES, filterSlices, packWeights, runFilterOut, unaliased } from './winograd';

const NR = 8;
const round4 = (n: number) => (n + 3) & ~3;

/**
 * Whether F(2x2, 5x5) handles a 5x5 convolution from inC to outC channels with an outH x outW
 * output (the forward pass, or the input gradient with the channels and sizes swapped). Short
 * channel sums (a first layer over grey or RGB images) stay with the lowering: the 36 GEMMs would
 * be a few multiply-adds deep.
 */
export function winograd5Applies(c: Conv2DInfo, inC: number, outC: number, outH: number, outW: number): boolean {
  return !c.depthwise && c.kH === 5 && c.kW === 5 && c.strideH === 1 && c.strideW === 1 && c.dilationH === 1
    && c.dilationW === 1 && inC >= 8 && outC >= 8 && outH >= 2 && outW >= 2 && inC * outC <= 256 * 256
    && process.env.TATAMI_WINOGRAD5 !== '0' && process.env.TATAMI_WINOGRAD !== '0';
}

/** Whether the filter gradient goes by F(5x5, 2x2). */
export function winograd5FilterApplies(c: Conv2DInfo): boolean {
  return winograd5Applies(c, c.inC, c.outC, c.outH, c.outW) && process.env.TATAMI_WINOGRAD5_FILTER !== '0';
}

/**
 * Runs wino5_fwd: x (N, H, W, C) at px, y (N, oH, oW, K) at py, padding (pT, pL). Outputs that see
 * only zeros come out as exact zeros without winograd.ts's exactZeros check (assembly/wino5.ts says why).
 */
function run5(ctx: WasmContext, px: number, up: number, py: number, N: number, H: number, W: number, C: number,
  oH: number, oW: number, K: number, pT: number, pL: number, bias = 0, relu = false): void {
  const Cp = round4(C), Kp = round4(K);
  const tiles = N * Math.ceil(oH / 2) * Math.ceil(oW / 2);
  const budget = Number(process.env.TATAMI_WINO5_CHUNK ?? CHUNK_BYTES / 2);
  const Tc = unaliased(Math.max(6, Math.min(240, Math.floor(budget / (4 * 36 * (Cp + Kp)) / 6) * 6)), 6, [4 * Cp, 4 * Kp]);
  const chunks = Math.ceil(tiles / Tc);
  const ip = ctx.setParams(WinoGeometry, {
    batch: N, inH: H, inW: W, inC: C, outH: oH, outW: oW, outC: K, padTop: pT, padLeft: pL,
  });
  const parts = ctx.partsFor(tiles * 36 * C * K, MIN_MADDS_PER_THREAD);
  const scratch = ctx.scratch(ctx.exports.wino5_scratch(C, K, Tc));
  ctx.run('wino5_fwd', splitRange(chunks, 1, parts).map(([s, e], t) => ({
    geometry: ip, x: px, packedU: up, y: py, chunkStart: s, chunkEnd: e, chunkTiles: Tc,
    exactZeros: 0, bias, relu: relu ? 1 : 0, scratch: scratch[t],
  })));
}

/** y = relu?(conv2d(x, w) + bias) for a convolution winograd5Applies() accepted (HWIO weights). */
export function wino5Conv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo,
  epilogue?: ConvEpilogue): void {
  try {
    const pb = epilogueBias(ctx, c, epilogue);
    const px = ctx.in(x);
    const py = ctx.out(y);
    const C = c.inC, K = c.outC;
    const up = packWeights(ctx, 5, w, C, K, round4(C), 0, 5 * C * K, C * K, K, 1);
    run5(ctx, px, up, py, c.batch, c.inH, c.inW, C, c.outH, c.outW, K, c.padTop, c.padLeft, pb,
      epilogue?.relu ?? false);
  } finally {
    ctx.finish();
  }
}

/** dx = conv(dy padded by 4 - pad, w flipped in space with in/out channels swapped). */
export function wino5BackpropInput(ctx: WasmContext, dy: Float32Array, w: Float32Array, dx: Float32Array,
  c: Conv2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const C = c.outC, K = c.inC;
    const ck = c.inC * c.outC;
    const up = packWeights(ctx, 5, w, C, K, round4(C), 24 * ck, -5 * ck, -ck, 1, c.outC);
    run5(ctx, pdy, up, pdx, c.batch, c.outH, c.outW, C, c.inH, c.inW, K, 4 - c.padTop, 4 - c.padLeft);
  } finally {
    ctx.finish();
  }
}

/**
 * dw = conv2dBackpropFilter(x, dy) by F(5x5, 2x2): threads take slices of the tiles, each summed
 * into its own transformed accumulator; the slices are then added in order and transformed back.
 */
export function wino5BackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  try {
    const px = ctx.in(x);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const C = c.inC, K = c.outC;
    const Cp = round4(C), K8 = Math.ceil(K / NR) * NR;
    const tiles = c.batch * Math.ceil(c.outH / 2) * Math.ceil(c.outW / 2);
    // one (36 x C x round8(K)) accumulator per slice: at most 16 MB of them
    const sliceBytes = 4 * 36 * C * K8;
    const S = filterSlices(tiles, sliceBytes);
    // the whole L2 budget for V and E (LeNet: 35 tiles, 22.7 ms against 25.3 with half of it, same
    // run), but at least 2CK/(C+K) tiles as in winograd.ts
    const budget = Number(process.env.TATAMI_WINO5_FILTER_CHUNK ?? CHUNK_BYTES);
    const balanced = Math.ceil(2 * C * K / (C + K) / 4) * 4;
    const Tc = unaliased(Math.max(8, Math.min(240, Math.max(balanced, Math.floor(budget / (4 * 36 * (Cp + K8)))))), 4,
      [4 * Cp, 4 * K8]);
    const ip = ctx.setParams(WinoGeometry, {
      batch: c.batch, inH: c.inH, inW: c.inW, inC: C, outH: c.outH, outW: c.outW, outC: K,
      padTop: c.padTop, padLeft: c.padLeft,
    });
    const accs = ctx.temp(S * sliceBytes / 4);
    const parts = ctx.partsFor(tiles * 36 * C * K, MIN_MADDS_PER_THREAD);
    const scratch = ctx.scratch(ctx.exports.wino5_filter_scratch(C, K, Tc));
    ctx.run('wino5_filter', splitRange(S, 1, parts).map(([s, e], t) => ({
      geometry: ip, x: px, dy: pdy, accumulators: accs, sliceStart: s, sliceEnd: e, slices: S, chunkTiles: Tc,
      scratch: scratch[t],
    })));
    runFilterOut(ctx, 'wino5_filter_out', accs, S, C, K, pdw, 36, scratch);
  } finally {
    ctx.finish();
  }
}
