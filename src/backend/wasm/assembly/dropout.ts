import { DropoutArgs, DropoutBwdArgs } from '../layout';
import { argF, argI, argP, argU32 } from './common';
// Inverted dropout with the same xoshiro128** stream as the JS reference (backend/js/dropout.ts):
// keep[i] = draw >= threshold (unsigned), y = keep ? x*scale : 0 with the product in float64
// rounded to float32, as JS does. Each thread takes a range of elements and starts from the
// stream's state at its first element (util/xoshiro_jump.ts), so the mask is the same for any
// thread count.

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >> (32 - k));
}

export function dropout_fwd(args: usize): void {
  const x = argP(args, DropoutArgs.x);
  const y = argP(args, DropoutArgs.y);
  const keep = argP(args, DropoutArgs.keep);
  const start = argI(args, DropoutArgs.start);
  const n = argI(args, DropoutArgs.end);
  let s0 = argU32(args, DropoutArgs.seed0);
  let s1 = argU32(args, DropoutArgs.seed1);
  let s2 = argU32(args, DropoutArgs.seed2);
  let s3 = argU32(args, DropoutArgs.seed3);
  const threshold = argU32(args, DropoutArgs.threshold);
  const scale = argF(args, DropoutArgs.scale);
  const vs = f64x2.splat(scale);
  let i = start;
  // four draws, then the four products in f64x2 (scalar f32<->f64 conversions carry a false
  // dependency from one element to the next)
  for (; i + 4 <= n; i += 4) {
    let bits: u32 = 0;
    for (let j = 0; j < 4; j++) {
      const r = rotl(s1 * 5, 7) * 9;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const k = <u32>(r >= threshold);
      bits |= k << (j << 3);
    }
    store<u32>(keep + <usize>i, bits);
    const p = <usize>i << 2;
    const xv = v128.load(x + p);
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(xv), vs));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), vs));
    const prod = i32x4.shuffle(lo, hi, 0, 1, 4, 5);
    // keep bytes -> lanes of all ones or zeros
    const km = i32x4.ne(v128.and(i32x4.splat(<i32>bits), i32x4(1, 0x100, 0x10000, 0x1000000)), i32x4.splat(0));
    v128.store(y + p, v128.and(prod, km));
  }
  for (; i < n; i++) {
    const r = rotl(s1 * 5, 7) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const k = r >= threshold;
    store<u8>(keep + <usize>i, <u8>k);
    const p = <usize>i << 2;
    // branch-free: the keep bit is random, a branch on it mispredicts a quarter of the time or more
    store<f32>(y + p, select<f32>(<f32>(<f64>load<f32>(x + p) * scale), 0, k));
  }
}

/**
 * dx[i] = keep[i] ? dy[i]*scale : 0 for i in [i0, i1), four at a time with the products in
 * f64x2 as dropout_fwd does (the scalar loop's f32<->f64 conversions made it 3x slower).
 */
export function dropout_bwd(args: usize): void {
  const dy = argP(args, DropoutBwdArgs.dy);
  const keep = argP(args, DropoutBwdArgs.keep);
  const scale = argF(args, DropoutBwdArgs.scale);
  const dx = argP(args, DropoutBwdArgs.dx);
  const i0 = argI(args, DropoutBwdArgs.start);
  const i1 = argI(args, DropoutBwdArgs.end);
  const vs = f64x2.splat(scale);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const p = <usize>i << 2;
    const bits = load<u32>(keep + <usize>i);
    const xv = v128.load(dy + p);
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(xv), vs));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), vs));
    const prod = i32x4.shuffle(lo, hi, 0, 1, 4, 5);
    // keep bytes (0 or nonzero) -> lanes of all ones or zeros
    const km = i32x4.ne(v128.and(i32x4.splat(<i32>bits), i32x4(0xff, 0xff00, 0xff0000, 0xff000000)), i32x4.splat(0));
    v128.store(dx + p, v128.and(prod, km));
  }
  for (; i < i1; i++) {
    const p = <usize>i << 2;
    store<f32>(dx + p, select<f32>(<f32>(<f64>load<f32>(dy + p) * scale), 0, load<u8>(keep + <usize>i) != 0));
  }
}
