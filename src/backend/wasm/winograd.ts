/**
 * Winograd convolution for 3x3, stride-1, dilation-1 convolutions: F(4x4, 3x3) (wasm kernel
 * wino4_fwd in assembly/wino4.ts, 4x fewer multiply-adds than the direct lowering) or F(2x2, 3x3)
 * (wino_fwd in assembly/wino.ts, 2.25x fewer) for the forward pass and, on the padded output
 * gradient with the flipped kernel, the input gradient, or, where dy needs fewer 4x4 tiles than dx,
 * the transpose of F(4x4, 3x3) over dy's tiles (wino4_bwd.ts); their duals F(3x3, 4x4)
 * (wino4_filter.ts) and F(3x3, 2x2) (wino_filter.ts) for the filter gradient.
 * Float32 error against the direct kernel: see BENCHMARKS.md (2026-12-02). For same-run A/Bs the
 * environment can keep 2x2 tiles (TATAMI_WINOGRAD_TILE=2), set the chunk budgets in bytes
 * (TATAMI_WINO_CHUNK, TATAMI_WINO_FILTER_CHUNK), drop the filter chunk's floor (TATAMI_WINO_FILTER_BALANCE=0)
 * or keep F(4x4, 3x3) on the padded dy for the input gradient (TATAMI_WINO_BWD=0).
 * 5x5 convolutions: winograd5.ts.
 */
import type { Conv2DInfo, ConvEpilogue } from '../backend';
import { MIN_MADDS_PER_THREAD, type WasmContext, epilogueBias, splitRange } from './context';
import { WinoGeometry } from './layout';

const NR = 8;
/** Bytes of V and M (16 x tiles x (C + K) floats) per chunk: stays in a core's L2. */
export const CHUNK_BYTES = 384 * 1024;

/**
 * Tiles per chunk, moved up by `step` until no per-position matrix stride (tiles x bytesPerTile)
 * is a multiple of 4 KiB: the 16 matrices of a chunk would then share L1 sets and evict each other
 * (the filter gradient at 32 tiles, 8 KiB strides, took 53 ms where 30 or 36 tiles take 36 ms).
 */
export function unaliased(tiles: number, step: number, bytesPerTile: number[]): number {
  // bounded: when a stride is a multiple of 4 KiB / gcd(step, ...) no step escapes (256 or 512
  // channels with steps of 4 or 6 looped forever); the chunk then keeps its size
  for (let t = tiles; t < tiles + 8 * step; t += step) {
    if (!bytesPerTile.some((b) => (t * b) % 4096 === 0)) return t;
  }
  return tiles;
}

/** Whether the Winograd kernel handles this convolution and is expected to win. */
export function winogradApplies(c: Conv2DInfo, inC: number, outC: number, outH: number, outW: number): boolean {
  return !c.depthwise && c.kH === 3 && c.kW === 3 && c.strideH === 1 && c.strideW === 1 && c.dilationH === 1
    && c.dilationW === 1 && inC >= 8 && outC >= 16 && inC % 4 === 0 && outC % 4 === 0 && outH * outW >= 64
    && process.env.TATAMI_WINOGRAD !== '0';
}

/**
 * Whether the filter gradient goes by Winograd. With 4x4 tiles (tileFor) always: at seed 004's
 * 11x11 outputs, odd as they are, 2.2-2.3 ms against 3.0 for the lowering at batch 32 and 6.7-9.6
 * against 12-16 at batch 128 (CPU, same runs). With 2x2 tiles it measured faster at 24x24 outputs
 * and at 14x14 (ResNet50's 256-channel 3x3: 43-52 ms against 57 for the lowering, same run) but not
 * at 11x11, where odd sizes waste a fifth of the tiles.
 */
export function winogradFilterApplies(c: Conv2DInfo): boolean {
  if (!winogradApplies(c, c.inC, c.outC, c.outH, c.outW) || c.inC * c.outC > 256 * 256
    || process.env.TATAMI_WINOGRAD_FILTER === '0') return false;
  return tileFor(c.inC, c.outC, c.outH, c.outW) === 4 || c.outH * c.outW >= 256
    || (c.outH % 2 === 0 && c.outW % 2 === 0 && c.outH * c.outW >= 144);
}

/**
 * The transformed weights U = G g Gᵀ (float64, rounded once; assembly/wino_pack.ts) for every
 * (c, k), packed per position xi (a² of them: a = 4 for transform 2, else 6) as ceil(K/8) panels of
 * (rows x 8), zero past C and K. transform: 2 = F(2x2, 3x3), 4 = F(4x4, 3x3), 5 = F(2x2, 5x5).
 * g(kh, kw, c, k) = w[base + kh*sH + kw*sW + c*sC + k*sK], so the same code reads HWIO weights
 * and their spatially flipped, channel-swapped view. Also used by winograd5.ts.
 */
export function packWeights(ctx: WasmContext, transform: 2 | 4 | 5, w: Float32Array, C: number, K: number,
  rows: number, base: number, sH: number, sW: number, sC: number, sK: number): number {
  const a = transform === 2 ? 4 : 6;
  const uStride = rows * Math.ceil(K / NR) * NR;
  const addr = ctx.temp(a * a * uStride);
  if (K % NR !== 0 || rows !== C) new Float32Array(ctx.arena.buffer, addr, a * a * uStride).fill(0);
  const pw = ctx.in(w);
  // ~100 flops per (c, k): threads only for the big layers
  const parts = ctx.partsFor(C * K * 64, MIN_MADDS_PER_THREAD);
  const scratch = ctx.scratch(PACK_SCRATCH_BYTES);
  ctx.run('wino_pack', splitRange(C, 1, parts).map(([s, e], t) => ({
    w: pw, packedU: addr, transform, outC: K, panelRows: rows, base, strideH: sH, strideW: sW, strideC: sC, strideK: sK,
    uStride, channelStart: s, channelEnd: e, scratch: scratch[t],
  })));
  return addr;
}

/** wino_pack's scratch: t = G g (6 x 5 float64 pairs) and t Gᵀ (6 x 6). */
const PACK_SCRATCH_BYTES = (30 + 36) * 16;

/**
 * Output tile size of all three Winograd passes: 4 (F(4x4, 3x3) and its dual F(3x3, 4x4)) for
 * outputs of at least 8x8, sums over at most 64 channels and at most 128 output channels, else 2
 * (F(2x2, 3x3), F(3x3, 2x2)); TATAMI_WINOGRAD_TILE=2 keeps 2 everywhere (for same-run A/Bs).
 * 4x4 tiles are 20-40% faster (BENCHMARKS.md, 2026-12-02). Their float32 error (max |error| /
 * max |y| over every output against a float64 sum) is 5.2e-6 at 32 -> 64 and 7.7e-6 at 64 -> 64,
 * but 1.3e-5 at 128 -> 128 (F(2,3): under 7e-7), hence the channel limits; at 256 channels the 36
 * transformed kernels would no longer fit the cache beside a chunk either. Outputs that see only
 * zeros stay exact zeros (assembly/wino4.ts), so relu's mask and pooling's ties match a direct
 * convolution's and the three-step trajectories against PyTorch stay within their bars.
 */
function tileFor(C: number, K: number, oH: number, oW: number): 2 | 4 {
  if (process.env.TATAMI_WINOGRAD_TILE === '2') return 2;
  return oH >= 8 && oW >= 8 && C <= 64 && K <= 128 ? 4 : 2;
}

/**
 * Runs wino_fwd or wino4_fwd: x (N, H, W, C) at px, y (N, oH, oW, K) at py, padding (pT, pL).
 * exactZeros: outputs that see only zeros are stored as exact zeros (4x4 tiles; the forward pass,
 * whose zeros meet relu's mask and pooling's ties; the input gradient only meets a mask that is
 * already fixed, and its dy is mostly zeros, which would make the check scan every channel).
 */
function run(ctx: WasmContext, m: 2 | 4, px: number, up: number, py: number, N: number, H: number, W: number,
  C: number, oH: number, oW: number, K: number, pT: number, pL: number, exactZeros: boolean, bias = 0, relu = false): void {
  const a2 = (m + 2) * (m + 2);
  const tiles = N * Math.ceil(oH / m) * Math.ceil(oW / m);
  // half the L2 budget: 24-36 tiles of F(2,3) measured ~8% faster than 60 at C + K = 96 (AMD EPYC)
  const budget = Number(process.env.TATAMI_WINO_CHUNK ?? CHUNK_BYTES / 2);
  const Tc = unaliased(Math.max(6, Math.min(240, Math.floor(budget / (4 * a2 * (C + K)) / 6) * 6)), 6, [4 * C, 4 * K]);
  const chunks = Math.ceil(tiles / Tc);
  const ip = ctx.setParams(WinoGeometry, {
    batch: N, inH: H, inW: W, inC: C, outH: oH, outW: oW, outC: K, padTop: pT, padLeft: pL,
  });
  const parts = ctx.partsFor(tiles * a2 * C * K, MIN_MADDS_PER_THREAD);
  const scratch = ctx.scratch(m === 4 ? ctx.exports.wino4_scratch(C, K, Tc) : ctx.exports.wino_scratch(C, K, Tc));
  ctx.run(m === 4 ? 'wino4_fwd' : 'wino_fwd', splitRange(chunks, 1, parts).map(([s, e], t) => ({
    geometry: ip, x: px, packedU: up, y: py, chunkStart: s, chunkEnd: e, chunkTiles: Tc,
    exactZeros: exactZeros ? 1 : 0, bias, relu: relu ? 1 : 0, scratch: scratch[t],
  })));
}

/** y = relu?(conv2d(x, w) + bias) for a convolution winogradApplies() accepted (HWIO weights). */
export function winoConv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo,
  epilogue?: ConvEpilogue): void {
  try {
    const pb = epilogueBias(ctx, c, epilogue);
    const px = ctx.in(x);
    const py = ctx.out(y);
    const C = c.inC;
    const K = c.outC;
    const m = tileFor(C, K, c.outH, c.outW);
    const up = packWeights(ctx, m, w, C, K, C, 0, 3 * C * K, C * K, K, 1);
    run(ctx, m, px, up, py, c.batch, c.inH, c.inW, C, c.outH, c.outW, K, c.padTop, c.padLeft, true, pb,
      epilogue?.relu ?? false);
  } finally {
    ctx.finish();
  }
}

/**
 * Whether the input gradient goes by wino4_bwd (the transpose of F(4x4, 3x3), 4x4 tiles of dy)
 * rather than F(4x4, 3x3) over the padded dy (4x4 tiles of dx): when dy needs fewer tiles, as a
 * 'valid' convolution's whose dy is a multiple of 4 (seed 001's conv2: 36 tiles per image against
 * 49). Its patches are added into dx, which costs more per tile than the forward's stores.
 * TATAMI_WINO_BWD=0 turns it off (for same-run A/Bs).
 */
function transposedFewer(c: Conv2DInfo): boolean {
  const tiles = (h: number, w: number) => Math.ceil(h / 4) * Math.ceil(w / 4);
  return tiles(c.outH, c.outW) < tiles(c.inH, c.inW) && process.env.TATAMI_WINO_BWD !== '0';
}

/** Runs wino4_bwd: dy (N, oH, oW, K) at pdy, dx (N, H, W, C) at pdx; threads take whole images. */
function runTransposed(ctx: WasmContext, pdy: number, w: Float32Array, pdx: number, c: Conv2DInfo): void {
  const C = c.inC, K = c.outC, ck = C * K;
  // U[xi] as (K x C): row k, column c of the unflipped kernel
  const up = packWeights(ctx, 4, w, K, C, K, 0, 3 * ck, ck, 1, K);
  const tiles = c.batch * Math.ceil(c.outH / 4) * Math.ceil(c.outW / 4);
  const budget = Number(process.env.TATAMI_WINO_CHUNK ?? CHUNK_BYTES / 2);
  const Tc = unaliased(Math.max(6, Math.min(240, Math.floor(budget / (4 * 36 * (C + K)) / 6) * 6)), 6, [4 * C, 4 * K]);
  const ip = ctx.setParams(WinoGeometry, {
    batch: c.batch, inH: c.inH, inW: c.inW, inC: C, outH: c.outH, outW: c.outW, outC: K, padTop: c.padTop, padLeft: c.padLeft,
  });
  const parts = ctx.partsFor(tiles * 36 * C * K, MIN_MADDS_PER_THREAD);
  const scratch = ctx.scratch(ctx.exports.wino4_bwd_scratch(C, K, Tc));
  ctx.run('wino4_bwd', splitRange(c.batch, 1, parts).map(([s, e], t) => ({
    geometry: ip, x: pdy, packedU: up, y: pdx, chunkStart: s, chunkEnd: e, chunkTiles: Tc,
    exactZeros: 0, bias: 0, relu: 0, scratch: scratch[t],
  })));
}

/** dx = conv(dy padded by 2 - pad, w flipped in space with in/out channels swapped). */
export function winoBackpropInput(ctx: WasmContext, dy: Float32Array, w: Float32Array, dx: Float32Array,
  c: Conv2DInfo): void {
  try {
    const pdy = ctx.in(dy);
    const pdx = ctx.out(dx);
    const C = c.outC;
    const K = c.inC;
    const ck = c.inC * c.outC;
    const m = tileFor(C, K, c.inH, c.inW);
    if (m === 4 && transposedFewer(c)) {
      runTransposed(ctx, pdy, w, pdx, c);
      return;
    }
    const up = packWeights(ctx, m, w, C, K, C, 8 * ck, -3 * ck, -ck, 1, c.outC);
    run(ctx, m, pdy, up, pdx, c.batch, c.outH, c.outW, C, c.inH, c.inW, K, 2 - c.padTop, 2 - c.padLeft, false);
  } finally {
    ctx.finish();
  }
}

/**
 * Slices of a Winograd filter gradient's tile sum (also winograd5.ts), each summed by one thread into
 * its own transformed accumulator, then added in order: fixed by the shapes, never by the thread
 * count, so the summation order never changes. At most 8 and 16 MB of accumulators; at least
 * TILES_PER_SLICE tiles each (2 at the least), since each slice's accumulator is stored and read
 * back whole: seed 004's 13x13x32 -> 64 at batch 32 (288 tiles: 2 slices, not 8) took 0.79-0.96 ms
 * against 1.30-1.34 on two threads, 1.27-1.90 against 2.14-2.42 on one (same sitting); at batch
 * 128 (1152 tiles) 8 slices measured the same as 2 or 4.
 * TATAMI_WINO_SLICE_TILES sets the tiles per slice (for same-run A/Bs).
 */
export function filterSlices(tiles: number, sliceBytes: number): number {
  const perSlice = Number(process.env.TATAMI_WINO_SLICE_TILES ?? TILES_PER_SLICE);
  const wanted = Math.max(Math.min(2, tiles), Math.floor(tiles / perSlice));
  return Math.max(1, Math.min(8, wanted, Math.floor((16 << 20) / sliceBytes)));
}
const TILES_PER_SLICE = 128;

/**
 * Adds the S slice accumulators (a2 x C x round8(K) floats each) in order and transforms the total
 * back into dw, input channels split between threads once there are 2^17 floats to read per thread
 * (seed 001's conv2 at batch 128: 590K).
 */
export function runFilterOut(ctx: WasmContext, fn: 'wino_filter_out' | 'wino4_filter_out' | 'wino5_filter_out',
  accs: number, S: number, C: number, K: number, pdw: number, a2: number, scratch: number[]): void {
  const parts = ctx.partsFor(S * a2 * C * K, 1 << 17);
  ctx.run(fn, splitRange(C, 1, parts).map(([s, e], t) => ({
    accumulators: accs, slices: S, inC: C, outC: K, dw: pdw, channelStart: s, channelEnd: e, scratch: scratch[t],
  })));
}

/**
 * dw = conv2dBackpropFilter(x, dy) by Winograd F(3x3, 4x4) (assembly/wino4_filter.ts) where
 * tileFor() picks 4x4 tiles, else F(3x3, 2x2) (assembly/wino_filter.ts): threads take slices of
 * the tiles, each summed into its own transformed accumulator; the slices are then added in order
 * and transformed back.
 */
export function winoBackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  try {
    const px = ctx.in(x);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const C = c.inC;
    const K = c.outC;
    const m = tileFor(C, K, c.outH, c.outW);
    const a2 = (m + 2) * (m + 2);
    const tiles = c.batch * Math.ceil(c.outH / m) * Math.ceil(c.outW / m);
    // one (a² x C x round8(K)) accumulator per slice: at most 16 MB of them
    const sliceBytes = 4 * a2 * C * Math.ceil(K / NR) * NR;
    const S = filterSlices(tiles, sliceBytes);
    // Tc tiles per chunk: half the L2 budget for V and E, but at least 2CK/(C+K), so that the
    // chunk's (Tc x C) and (Tc x K) operands outweigh the (C x K) accumulator each GEMM loads and
    // stores (same run: 60-78 ms against 84-88 with 11 tiles at 80 -> 192 channels; 47 against 62
    // at 256 -> 256)
    const budget = Number(process.env.TATAMI_WINO_FILTER_CHUNK ?? CHUNK_BYTES / 2);
    const balanced = process.env.TATAMI_WINO_FILTER_BALANCE === '0' ? 0 : Math.ceil(2 * C * K / (C + K) / 4) * 4;
    const Tc = unaliased(Math.max(8, Math.min(240, Math.max(balanced, Math.floor(budget / (4 * a2 * (C + K)))))), 4,
      [4 * C, 32 * Math.ceil(K / NR)]);
    const ip = ctx.setParams(WinoGeometry, {
      batch: c.batch, inH: c.inH, inW: c.inW, inC: C, outH: c.outH, outW: c.outW, outC: K,
      padTop: c.padTop, padLeft: c.padLeft,
    });
    const accs = ctx.temp(S * sliceBytes / 4);
    const parts = ctx.partsFor(tiles * a2 * C * K, MIN_MADDS_PER_THREAD);
    const need = m === 4 ? ctx.exports.wino4_filter_scratch(C, K, Tc) : ctx.exports.wino_filter_scratch(C, K, Tc);
    const scratch = ctx.scratch(Math.max(need, 1024));
    ctx.run(m === 4 ? 'wino4_filter' : 'wino_filter', splitRange(S, 1, parts).map(([s, e], t) => ({
      geometry: ip, x: px, dy: pdy, accumulators: accs, sliceStart: s, sliceEnd: e, slices: S, chunkTiles: Tc,
      scratch: scratch[t],
    })));
    runFilterOut(ctx, m === 4 ? 'wino4_filter_out' : 'wino_filter_out', accs, S, C, K, pdw, a2, scratch);
  } finally {
    ctx.finish();
  }
}
