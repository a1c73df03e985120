/**
 * The filter gradient of convolutions over inputs with few channels (a network's first layer) by
 * assembly/conv_thin.ts: the lowering's GEMM makes only kH·kW·C rows (9 for a 3x3 kernel over grey
 * images), so that kernel keeps pairs of taps in registers instead (LeNet's 5x5x1 -> 20 at batch 128:
 * 3.4 ms against 7.1 for the lowering, same run). Padding is applied by copying
 * the (small) input into a zero-bordered buffer first. The forward pass over one channel and 25 or
 * more taps (thin_fwd) keeps output pixels in the vector lanes instead, so that each tap loads
 * consecutive input pixels and one weight per channel (a per-pixel loop over channels measured no
 * faster: it is bound by loading the weights).
 */
import type { Conv2DInfo, ConvEpilogue } from '../backend';
import { MIN_MADDS_PER_THREAD, type WasmContext, epilogueBias, splitRange } from './context';
import { ConvGeometry } from './layout';

/** Input channels x kernel taps up to which the thin filter kernel applies (3x3 over RGB: 27; 5x5 grey: 25). */
const MAX_TAPS = 32;

/** Stride 1, no dilation, at most 4 input channels and 32 taps, output channels a multiple of 4. */
export function thinFilterApplies(c: Conv2DInfo): boolean {
  return !c.depthwise && c.strideH === 1 && c.strideW === 1 && c.dilationH === 1 && c.dilationW === 1
    && c.inC <= 4 && c.kH * c.kW * c.inC <= MAX_TAPS && c.outC % 4 === 0 && c.outC > 0
    && c.outH > 0 && c.outW > 0 && process.env.TATAMI_THIN_CONV !== '0';
}

/**
 * The input as a 'valid' convolution needs it: x itself when unpadded, else a zero-bordered copy
 * (outH + kH - 1) x (outW + kW - 1) in a temporary, with `slack` zero floats past its end.
 * Returns its address and geometry.
 */
function paddedInput(ctx: WasmContext, x: Float32Array, c: Conv2DInfo, slack = 0): { px: number; geometry: Conv2DInfo } {
  const H = c.outH + c.kH - 1, W = c.outW + c.kW - 1;
  const geometry = { ...c, inH: H, inW: W, padTop: 0, padLeft: 0 };
  if (slack === 0 && c.padTop === 0 && c.padLeft === 0 && H === c.inH && W === c.inW) return { px: ctx.in(x), geometry };
  const C = c.inC;
  const px = ctx.temp(c.batch * H * W * C + slack);
  const dst = new Float32Array(ctx.arena.buffer, px, c.batch * H * W * C + slack);
  dst.fill(0);
  // the rows and columns of x that land inside the padded frame (padding can also crop)
  const h0 = Math.max(0, c.padTop), w0 = Math.max(0, c.padLeft);
  const rows = Math.min(c.inH, H - h0), cols = Math.min(c.inW, W - w0);
  for (let n = 0; n < c.batch; n++) {
    for (let h = 0; h < rows; h++) {
      const s = ((n * c.inH + h) * c.inW) * C;
      dst.set(x.subarray(s, s + cols * C), ((n * H + h + h0) * W + w0) * C);
    }
  }
  return { px, geometry };
}

function parts(ctx: WasmContext, c: Conv2DInfo): number {
  return ctx.partsFor(c.batch * c.outH * c.outW * c.kH * c.kW * c.inC * c.outC, MIN_MADDS_PER_THREAD);
}

/** dw = conv2dBackpropFilter(x, dy) for a convolution thinFilterApplies() accepted. */
export function thinBackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  try {
    const { px, geometry } = paddedInput(ctx, x, c);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const ip = ctx.setParams(ConvGeometry, geometry);
    const taps = c.kH * c.kW * c.inC;
    // pairs of taps x 16 channels, then 4 taps x 4 channels past the last multiple of 16
    const passes = Math.ceil(taps / 2) * Math.floor(c.outC / 16) + Math.ceil(taps / 4) * ((c.outC % 16) / 4);
    const scratch = ctx.scratch(4 * MAX_TAPS + 64);
    ctx.run('thin_filter', splitRange(passes, 1, parts(ctx, c)).map(([s, e], t) => ({
      geometry: ip, x: px, dy: pdy, dw: pdw, passStart: s, passEnd: e, scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}

/**
 * One input channel, 25 to 32 taps, stride 1, no dilation, output channels a multiple of 4 (LeNet's
 * first layer, 5x5 -> 20 at batch 128: 4.2-4.4 ms against 6.4-6.6 for the lowering, CPU, same run,
 * and its bias and relu in the same pass). At 9 taps (seed 001's 3x3 -> 32) the lowering stays
 * faster (4.4-4.7 ms against 5.1-5.4): the taps do not pay for the block's transpose and stores.
 */
export function thinForwardApplies(c: Conv2DInfo): boolean {
  return !c.depthwise && c.inC === 1 && c.strideH === 1 && c.strideW === 1 && c.dilationH === 1 && c.dilationW === 1
    && c.kH * c.kW >= 25 && c.kH * c.kW <= MAX_TAPS && c.outC % 4 === 0 && c.outC > 0 && c.outH > 0 && c.outW > 0
    && process.env.TATAMI_THIN_CONV !== '0' && process.env.TATAMI_THIN_CONV_FWD !== '0';
}

/** y = relu?(conv2d(x, w) + bias) for a convolution thinForwardApplies() accepted (assembly/conv_thin.ts thin_fwd). */
export function thinConv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo,
  epilogue?: ConvEpilogue): void {
  try {
    const pb = epilogueBias(ctx, c, epilogue);
    // thin_fwd reads up to kW + 6 floats past the last row
    const { px, geometry } = paddedInput(ctx, x, c, 16);
    const pw = ctx.in(w);
    const py = ctx.out(y);
    const ip = ctx.setParams(ConvGeometry, geometry);
    const scratch = ctx.scratch(4 * MAX_TAPS + 64);
    ctx.run('thin_fwd', splitRange(c.batch * c.outH, 1, parts(ctx, c)).map(([s, e], t) => ({
      geometry: ip, x: px, w: pw, y: py, rowStart: s, rowEnd: e, bias: pb, relu: epilogue?.relu ? 1 : 0,
      scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}
