import { PackFlippedArgs } from '../layout';
import { argI, argP } from './common';
import { packB } from './gemm';

// The kernel of a stride-1 input gradient taken as a forward convolution of dy: W flipped in space
// with its channels swapped, packed straight into GEMM panels. Done in JavaScript as a flip then a
// pack, it cost a third of the input gradient's time at 7x7x512 (2.4M weights per call).

/**
 * Flipped taps [t0, t1) of an HWIO kernel w (kH, kW, inC, outC) into the panels at dst: panel p
 * holds columns (input channels) 8p..8p+7 as (kH*kW*outC x 8), row t*outC + co of flipped tap
 * t = (kh, kw) being w[kH-1-kh, kW-1-kw, 8p + j, co]. Each tap's (outC x 8) block is a transposed
 * read of w (co contiguous), which packB does by 4x4 transposes.
 */
export function pack_flipped(args: usize): void {
  const w = argP(args, PackFlippedArgs.w);
  const dst = argP(args, PackFlippedArgs.dst);
  const kH = argI(args, PackFlippedArgs.kH), kW = argI(args, PackFlippedArgs.kW);
  const inC = argI(args, PackFlippedArgs.inC), outC = argI(args, PackFlippedArgs.outC);
  const t0 = argI(args, PackFlippedArgs.tapStart), t1 = argI(args, PackFlippedArgs.tapEnd);
  const K2 = kH * kW * outC;
  const panels = (inC + 7) >> 3;
  const bcs = <usize>outC << 2;
  for (let t = t0; t < t1; t++) {
    const kh = t / kW, kw = t % kW;
    const src = w + (<usize>(((kH - 1 - kh) * kW + (kW - 1 - kw)) * inC) * <usize>outC << 2);
    for (let p = 0; p < panels; p++) {
      const n = p << 3;
      packB(src + <usize>n * bcs, 4, bcs, outC, min(8, inC - n),
        dst + ((<usize>p * <usize>K2 + <usize>t * <usize>outC) << 5));
    }
  }
}
