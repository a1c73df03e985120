/**
 * Winograd F(2x2, 3x3) convolution (wasm kernel wino_fwd in assembly/wino.ts): 2.25x fewer
 * multiply-adds than the direct lowering for 3x3, stride-1, dilation-1 convolutions. Used for the
 * forward pass and, on the padded output gradient with the flipped kernel, the input gradient.
 * Float32 Winograd F(2,3) adds a rounding error of a few ulps of the output scale.
 */
import type { Conv2DInfo } from '../backend';
import { MIN_MADDS_PER_THREAD, type WasmContext, splitRange } from './context';
import { WinoGeometry } from './layout';

const NR = 8;
/** Bytes of V and M (16 x tiles x (C + K) floats) per chunk: stays in a core's L2. */
const CHUNK_BYTES = 384 * 1024;

/**
 * Tiles per chunk, moved up by `step` until no per-position matrix stride (tiles x bytesPerTile)
 * is a multiple of 4 KiB: the 16 matrices of a chunk would then share L1 sets and evict each other
 * (the filter gradient at 32 tiles, 8 KiB strides, took 53 ms where 30 or 36 tiles take 36 ms).
 */
function unaliased(tiles: number, step: number, bytesPerTile: number[]): number {
  let t = tiles;
  while (bytesPerTile.some((b) => (t * b) % 4096 === 0)) t += step;
  return t;
}

/** Whether the Winograd kernel handles this convolution and is expected to win. */
export function winogradApplies(c: Conv2DInfo, inC: number, outC: number, outH: number, outW: number): boolean {
  return !c.depthwise && c.kH === 3 && c.kW === 3 && c.strideH === 1 && c.strideW === 1 && c.dilationH === 1
    && c.dilationW === 1 && inC >= 8 && outC >= 16 && inC % 4 === 0 && outC % 4 === 0 && outH * outW >= 64
    && process.env.TATAMI_WINOGRAD !== '0';
}

/**
 * Whether the filter gradient goes by Winograd: it measured faster at 24x24 outputs (seed 001
 * conv2) but not at 11x11, where odd sizes waste a fifth of the tiles.
 */
export function winogradFilterApplies(c: Conv2DInfo): boolean {
  return winogradApplies(c, c.inC, c.outC, c.outH, c.outW) && c.outH * c.outW >= 256
    && c.inC * c.outC <= 256 * 256 && process.env.TATAMI_WINOGRAD_FILTER !== '0';
}

/**
 * The transformed kernel U = G g Gᵀ for every (c, k), packed per position xi (16 of them) as
 * ceil(K/8) panels of (C x 8). g(kh, kw, c, k) = w[base + kh*sH + kw*sW + c*sC + k*sK], so the
 * same code reads HWIO weights and their spatially flipped, channel-swapped view.
 *   G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
 */
function packKernel(ctx: WasmContext, w: Float32Array, C: number, K: number,
  base: number, sH: number, sW: number, sC: number, sK: number): number {
  const panels = Math.ceil(K / NR);
  const uStride = C * panels * NR;
  const addr = ctx.temp(16 * uStride);
  const u = new Float32Array(ctx.arena.buffer, addr, 16 * uStride);
  if (K % NR !== 0) u.fill(0);
  const t = new Float64Array(12);
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < K; k++) {
      const o = base + c * sC + k * sK;
      for (let j = 0; j < 3; j++) {
        const g0 = w[o + j * sW];
        const g1 = w[o + sH + j * sW];
        const g2 = w[o + 2 * sH + j * sW];
        t[j] = g0;
        t[3 + j] = (g0 + g1 + g2) * 0.5;
        t[6 + j] = (g0 - g1 + g2) * 0.5;
        t[9 + j] = g2;
      }
      const dst = (k >> 3) * C * NR + c * NR + (k & 7);
      for (let i = 0; i < 4; i++) {
        const a = t[3 * i];
        const b = t[3 * i + 1];
        const d = t[3 * i + 2];
        u[(i * 4) * uStride + dst] = a;
        u[(i * 4 + 1) * uStride + dst] = (a + b + d) * 0.5;
        u[(i * 4 + 2) * uStride + dst] = (a - b + d) * 0.5;
        u[(i * 4 + 3) * uStride + dst] = d;
      }
    }
  }
  return addr;
}

/** Runs wino_fwd: x (N, H, W, C) at px, y (N, oH, oW, K) at py, padding (pT, pL). */
function run(ctx: WasmContext, px: number, up: number, py: number, N: number, H: number, W: number, C: number,
  oH: number, oW: number, K: number, pT: number, pL: number): void {
  const tiles = N * Math.ceil(oH / 2) * Math.ceil(oW / 2);
  // half the L2 budget: 24-36 tiles measured ~8% faster than 60 at C + K = 96 (AMD EPYC)
  const Tc = unaliased(Math.max(6, Math.min(240, Math.floor(CHUNK_BYTES / 2 / (64 * (C + K)) / 6) * 6)), 6, [4 * C, 4 * K]);
  const chunks = Math.ceil(tiles / Tc);
  const ip = ctx.setParams(WinoGeometry, {
    batch: N, inH: H, inW: W, inC: C, outH: oH, outW: oW, outC: K, padTop: pT, padLeft: pL,
  });
  const parts = ctx.partsFor(tiles * 16 * C * K, MIN_MADDS_PER_THREAD);
  const scratch = ctx.scratch(ctx.exports.wino_scratch(C, K, Tc));
  ctx.run('wino_fwd', splitRange(chunks, 1, parts).map(([s, e], t) => ({
    geometry: ip, x: px, packedU: up, y: py, chunkStart: s, chunkEnd: e, chunkTiles: Tc, scratch: scratch[t],
  })));
}

/** y = conv2d(x, w) for a convolution winogradApplies() accepted (HWIO weights). */
export function winoConv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo): void {
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    const C = c.inC;
    const K = c.outC;
    const up = packKernel(ctx, w, C, K, 0, 3 * C * K, C * K, K, 1);
    run(ctx, px, up, py, c.batch, c.inH, c.inW, C, c.outH, c.outW, K, c.padTop, c.padLeft);
  } finally {
    ctx.finish();
  }
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
    const up = packKernel(ctx, w, C, K, 8 * ck, -3 * ck, -ck, 1, c.outC);
    run(ctx, pdy, up, pdx, c.batch, c.outH, c.outW, C, c.inH, c.inW, K, 2 - c.padTop, 2 - c.padLeft);
  } finally {
    ctx.finish();
  }
}

/** Slices of the tile sum: fixed by the shapes (not the thread count), so the summation order never changes. */
const FILTER_SLICES = 8;

/**
 * dw = conv2dBackpropFilter(x, dy) by Winograd F(3x3, 2x2) (assembly/wino_filter.ts): threads
 * take slices of the tiles, each summed into its own transformed accumulator; the slices are then
 * added in order and transformed back.
 */
export function winoBackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  try {
    const px = ctx.in(x);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const C = c.inC;
    const K = c.outC;
    const tiles = c.batch * Math.ceil(c.outH / 2) * Math.ceil(c.outW / 2);
    // one (16 x C x round8(K)) accumulator per slice: at most 16 MB of them (4 MB each at 256 x 256)
    const sliceBytes = 64 * C * Math.ceil(K / NR) * NR;
    const S = Math.max(1, Math.min(FILTER_SLICES, tiles, Math.floor((16 << 20) / sliceBytes)));
    const Tc = unaliased(Math.max(8, Math.min(240, Math.floor(CHUNK_BYTES / 2 / (64 * (C + K))))), 4, [4 * C, 32 * Math.ceil(K / NR)]);
    const ip = ctx.setParams(WinoGeometry, {
      batch: c.batch, inH: c.inH, inW: c.inW, inC: C, outH: c.outH, outW: c.outW, outC: K,
      padTop: c.padTop, padLeft: c.padLeft,
    });
    const accs = ctx.temp(S * 16 * C * Math.ceil(K / NR) * NR);
    const parts = ctx.partsFor(tiles * 16 * C * K, MIN_MADDS_PER_THREAD);
    const scratch = ctx.scratch(Math.max(ctx.exports.wino_filter_scratch(C, K, Tc), 256));
    ctx.run('wino_filter', splitRange(S, 1, parts).map(([s, e], t) => ({
      geometry: ip, x: px, dy: pdy, accumulators: accs, sliceStart: s, sliceEnd: e, slices: S, chunkTiles: Tc,
      scratch: scratch[t],
    })));
    ctx.call('wino_filter_out', {
      accumulators: accs, slices: S, inC: C, outC: K, dw: pdw, channelStart: 0, channelEnd: C, scratch: scratch[0],
    });
  } finally {
    ctx.finish();
  }
}
