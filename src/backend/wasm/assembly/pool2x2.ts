// Max pooling with 2x2 windows at stride 2 and no padding (every window inside the input, none
// overlapping), C a multiple of 4: the common case, without the general loop's per-element index
// arithmetic. Same results as the general kernels in pooling.ts (first maximum in row-major
// window order; NaN never replaces a maximum).

/** y, am (N, outH, outW, C) for images [n0, n1) of x (N, inH, inW, C). */
export function maxpool2x2(x: usize, y: usize, am: usize, n0: i32, n1: i32, inH: i32, inW: i32, C: i32,
  outH: i32, outW: i32): void {
  const pix = <usize>C << 2, row = <usize>inW * pix;
  const iota = i32x4(0, 1, 2, 3);
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const i00 = ((n * inH + 2 * oh) * inW + 2 * ow) * C;
        const p00 = x + (<usize>i00 << 2);
        const ob = <usize>((n * outH + oh) * outW + ow) * pix;
        for (let c = 0; c < C; c += 4) {
          const o = <usize>c << 2;
          const base = i32x4.add(i32x4.splat(i00 + c), iota);
          let best = v128.load(p00 + o);
          let at = base;
          let v = v128.load(p00 + pix + o);
          let gt = f32x4.gt(v, best);
          best = v128.bitselect(v, best, gt);
          at = v128.bitselect(i32x4.add(base, i32x4.splat(C)), at, gt);
          v = v128.load(p00 + row + o);
          gt = f32x4.gt(v, best);
          best = v128.bitselect(v, best, gt);
          at = v128.bitselect(i32x4.add(base, i32x4.splat(inW * C)), at, gt);
          v = v128.load(p00 + row + pix + o);
          gt = f32x4.gt(v, best);
          best = v128.bitselect(v, best, gt);
          at = v128.bitselect(i32x4.add(base, i32x4.splat((inW + 1) * C)), at, gt);
          v128.store(y + ob + o, best);
          v128.store(am + ob + o, at);
        }
      }
    }
  }
}

/**
 * dx (images [n0, n1), every element written) = dy at each window's argmax, else 0: one pass over
 * dx instead of zeroing it and scattering.
 */
export function maxpool2x2_bwd(dy: usize, am: usize, dx: usize, n0: i32, n1: i32, inH: i32, inW: i32, C: i32,
  outH: i32, outW: i32): void {
  const pix = <usize>C << 2, row = <usize>inW * pix;
  const iota = i32x4(0, 1, 2, 3);
  const z = f32x4.splat(0);
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const i00 = ((n * inH + 2 * oh) * inW + 2 * ow) * C;
        const p00 = dx + (<usize>i00 << 2);
        const ob = <usize>((n * outH + oh) * outW + ow) * pix;
        for (let c = 0; c < C; c += 4) {
          const o = <usize>c << 2;
          const base = i32x4.add(i32x4.splat(i00 + c), iota);
          const a = v128.load(am + ob + o), g = v128.load(dy + ob + o);
          v128.store(p00 + o, v128.and(g, i32x4.eq(a, base)));
          v128.store(p00 + pix + o, v128.and(g, i32x4.eq(a, i32x4.add(base, i32x4.splat(C)))));
          v128.store(p00 + row + o, v128.and(g, i32x4.eq(a, i32x4.add(base, i32x4.splat(inW * C)))));
          v128.store(p00 + row + pix + o, v128.and(g, i32x4.eq(a, i32x4.add(base, i32x4.splat((inW + 1) * C)))));
        }
      }
      // the odd last column, outside every window
      for (let r = 0; r < 2; r++) {
        const p = dx + (<usize>(((n * inH + 2 * oh + r) * inW + 2 * outW) * C) << 2);
        for (let i = 0; i < (inW - 2 * outW) * C; i += 4) v128.store(p + (<usize>i << 2), z);
      }
    }
    // the odd last row
    const p = dx + (<usize>((n * inH + 2 * outH) * inW * C) << 2);
    for (let i = 0; i < (inH - 2 * outH) * inW * C; i += 4) v128.store(p + (<usize>i << 2), z);
  }
}
