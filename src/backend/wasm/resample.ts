/** The wasm resampleImages: images split over the threads, each with its own tap tables. */
import type { ResampleInfo } from '../backend';
import { MIN_ELEMS_PER_THREAD, type WasmContext, splitRange } from './context';
import { ResampleFamily, ResampleFill, ResampleGeometry, ResampleInterpolation } from './layout';

export function resampleImages(ctx: WasmContext, x: Float32Array, matrices: Float64Array, flips: Uint8Array | null,
  y: Float32Array, info: ResampleInfo): void {
  const { batch, outH, outW, channels } = info;
  if (batch === 0) return;
  try {
    const px = ctx.in(x);
    const py = ctx.out(y);
    // (batch, 6) float64 and (batch) bytes, copied into the shared memory
    const pm = ctx.temp(batch * 12);
    new Float64Array(ctx.arena.buffer, pm, batch * 6).set(matrices.subarray(0, batch * 6));
    let pf = 0;
    if (flips) {
      pf = ctx.temp(Math.ceil(batch / 4));
      new Uint8Array(ctx.arena.buffer, pf, batch).set(flips.subarray(0, batch));
    }
    const ip = ctx.setParams(ResampleGeometry, {
      ...info,
      family: ResampleFamily[info.family],
      interpolation: ResampleInterpolation[info.interpolation],
      fillMode: ResampleFill[info.fillMode],
    });
    // per thread: tap tables of outH + outW entries, plus two for a pixel of a rotated image (16 bytes each)
    const scratch = ctx.scratch(16 * (outH + outW + 2));
    const parts = ctx.partsFor(batch * outH * outW * channels, MIN_ELEMS_PER_THREAD);
    ctx.run('resample', splitRange(batch, 1, parts).map(([s, e], t) => ({
      geometry: ip, x: px, matrices: pm, flips: pf, y: py, fillValue: info.fillValue, imageStart: s, imageEnd: e, scratch: scratch[t],
    })));
  } finally {
    ctx.finish();
  }
}
