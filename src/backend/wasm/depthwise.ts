/** Depthwise convolution wrappers (depth multiplier 1): split the work over threads and call assembly/depthwise.ts. */
import type { Conv2DInfo } from '../backend';
import { MIN_MADDS_PER_THREAD, type WasmContext, splitRange } from './context';
import { ConvGeometry } from './layout';

/** The kernels handle multiplier 1 (inC = outC); other multipliers take the reference kernel. */
export function depthwiseApplies(c: Conv2DInfo): boolean {
  return c.depthwise === true && c.outC === c.inC && c.inC > 0 && c.kH > 0 && c.kW > 0;
}

function parts(ctx: WasmContext, c: Conv2DInfo): number {
  return ctx.partsFor(c.batch * c.outH * c.outW * c.inC * c.kH * c.kW, MIN_MADDS_PER_THREAD);
}

export function depthwiseConv2d(ctx: WasmContext, x: Float32Array, w: Float32Array, y: Float32Array, c: Conv2DInfo): void {
  if (y.length === 0) return;
  try {
    const px = ctx.in(x);
    const pw = ctx.in(w);
    const py = ctx.out(y);
    const ip = ctx.setParams(ConvGeometry, c);
    ctx.run('depthwise_fwd', splitRange(c.batch * c.outH, 1, parts(ctx, c)).map(([s, e]) => ({
      geometry: ip, x: px, w: pw, y: py, rowStart: s, rowEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function depthwiseBackpropInput(ctx: WasmContext, dy: Float32Array, w: Float32Array, dx: Float32Array,
  c: Conv2DInfo): void {
  if (dx.length === 0) return;
  try {
    const pdy = ctx.in(dy);
    const pw = ctx.in(w);
    const pdx = ctx.out(dx);
    const ip = ctx.setParams(ConvGeometry, c);
    ctx.run('depthwise_bwd_input', splitRange(c.batch * c.inH, 1, parts(ctx, c)).map(([s, e]) => ({
      geometry: ip, dy: pdy, w: pw, dx: pdx, rowStart: s, rowEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}

export function depthwiseBackpropFilter(ctx: WasmContext, x: Float32Array, dy: Float32Array, dw: Float32Array,
  c: Conv2DInfo): void {
  if (dw.length === 0) return;
  try {
    const px = ctx.in(x);
    const pdy = ctx.in(dy);
    const pdw = ctx.out(dw);
    const ip = ctx.setParams(ConvGeometry, c);
    // whole 16-channel blocks per thread where there are enough, so every thread runs the wide loop
    const align = c.inC >= 32 ? 16 : 4;
    ctx.run('depthwise_bwd_filter', splitRange(c.inC, align, parts(ctx, c)).map(([s, e]) => ({
      geometry: ip, x: px, dy: pdy, dw: pdw, channelStart: s, channelEnd: e,
    })));
  } finally {
    ctx.finish();
  }
}
