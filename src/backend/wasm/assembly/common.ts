// Shared helpers for the kernels. Nothing here allocates: all memory is owned by JavaScript and
// passed in as byte addresses (usize).

/** a*b + c: f32x4.relaxed_madd when the build enables relaxed SIMD, else mul then add. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Copies n floats from src to dst (SIMD body, scalar tail); regions must not overlap. */
// @ts-ignore: decorator
@inline export function copyF(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0 = v128.load(src + o);
    const v1 = v128.load(src + o, 16);
    const v2 = v128.load(src + o, 32);
    const v3 = v128.load(src + o, 48);
    v128.store(dst + o, v0);
    v128.store(dst + o, v1, 16);
    v128.store(dst + o, v2, 32);
    v128.store(dst + o, v3, 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(src + o));
  }
}

/** Sets n floats at dst to zero. */
// @ts-ignore: decorator
@inline export function zeroF(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** Zeroes n floats, for JS callers (uses bulk memory). */
export function fill_zero(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 2);
}

/** Where JS may start allocating: everything the module itself placed in memory lies below. */
export function heap_base(): usize {
  return __heap_base;
}

// Readers of the call blocks laid out in ../layout.ts: geometry blocks hold i32 slots, job
// argument blocks 8-byte f64 slots (exact for every i32, u32, f32 and f64 value written to them).

/** Field `field` of an i32 geometry block. */
// @ts-ignore: decorator
@inline export function param(block: usize, field: i32): i32 {
  return load<i32>(block + (<usize>field << 2));
}

/** A signed integer field of a job argument block. */
// @ts-ignore: decorator
@inline export function argI(args: usize, field: i32): i32 {
  return <i32>load<f64>(args + (<usize>field << 3));
}

/** An address field of a job argument block. */
// @ts-ignore: decorator
@inline export function argP(args: usize, field: i32): usize {
  return <usize>load<f64>(args + (<usize>field << 3));
}

/** A uint32 field (written as any int32 or uint32 number: the low 32 bits count). */
// @ts-ignore: decorator
@inline export function argU32(args: usize, field: i32): u32 {
  return <u32><i64>load<f64>(args + (<usize>field << 3));
}

/** A float field of a job argument block. */
// @ts-ignore: decorator
@inline export function argF(args: usize, field: i32): f64 {
  return load<f64>(args + (<usize>field << 3));
}

/**
 * A convolution's epilogue on four outputs: v + b, then relu (v <= 0 ? 0 : v, NaN kept, as the
 * bias_relu kernel) when `relu` is set.
 */
// @ts-ignore: decorator
@inline export function epilogue4(v: v128, b: v128, relu: i32): v128 {
  const s = f32x4.add(v, b);
  return relu ? v128.andnot(s, f32x4.le(s, f32x4.splat(0))) : s;
}

/**
 * The epilogue over `rows` rows of n outputs at y (row stride n floats), while they are in cache:
 * y + bias, then relu when `relu` is set (the same float32 operations as the separate pass).
 */
// @ts-ignore: decorator
@inline export function rowsEpilogue(y: usize, rows: i32, n: i32, bias: usize, relu: i32): void {
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const row = y + (<usize>r * <usize>n << 2);
    for (let j = 0; j < n4; j += 4) {
      const p = row + (<usize>j << 2);
      v128.store(p, epilogue4(v128.load(p), v128.load(bias + (<usize>j << 2)), relu));
    }
    for (let j = n4; j < n; j++) {
      const p = row + (<usize>j << 2);
      const s = load<f32>(p) + load<f32>(bias + (<usize>j << 2));
      store<f32>(p, relu != 0 && s <= 0 ? 0 : s);
    }
  }
}
