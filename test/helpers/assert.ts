import assert from 'node:assert/strict';
import { Tensor } from '../../src/tensor/tensor';

/**
 * The one place where tests compare numbers. Every comparison takes a tensor, a {shape, data}
 * fixture array or a flat array on either side, checks shapes when both sides have one, and
 * fails naming the worst element and how many differ. The entry points differ only in how the
 * allowed difference per element is set:
 *   assertAllClose     NumPy's allclose: |a − e| <= atol + rtol·|e| (fixtures, golden values)
 *   assertClose        |a − e| <= tol·max(1, |e|): absolute below 1, relative above
 *   assertScaledClose  |a − e| <= tol·(|e| + max|e|): relative to the result's magnitude (kernels
 *                      compared with another kernel that sums in another order); NaN equals NaN
 *   assertIdentical    bit for bit (same kernel on another thread count, saved and reloaded)
 */

export interface ShapedArray {
  shape: number[];
  data: ArrayLike<number>;
}

/** A tensor, a {shape, data} fixture array, or flat values. */
export type Numbers = Tensor | ShapedArray | ArrayLike<number>;

export interface Tolerance {
  rtol?: number;
  atol?: number;
  /** NaN in both places counts as equal (NumPy's equal_nan). */
  equalNan?: boolean;
}

/** float32 defaults from the fixtures' README. */
export const F32: Required<Pick<Tolerance, 'rtol' | 'atol'>> = { rtol: 1e-4, atol: 1e-5 };

const isShaped = (x: Numbers): x is ShapedArray => 'shape' in x && 'data' in x && Array.isArray(x.shape);

function shapeOf(x: Numbers): number[] | null {
  if (x instanceof Tensor) return x.shape;
  return isShaped(x) ? x.shape : null;
}

function valuesOf(x: Numbers): ArrayLike<number> {
  if (x instanceof Tensor) return x.values;
  return isShaped(x) ? x.data : x;
}

/** Largest |a[i] − b[i]| (NaN when either side has a NaN). */
export function maxAbsDiff(a: Numbers, b: Numbers): number {
  const av = valuesOf(a);
  const bv = valuesOf(b);
  assert.equal(av.length, bv.length, `maxAbsDiff: ${av.length} values against ${bv.length}`);
  let worst = 0;
  for (let i = 0; i < av.length; i++) {
    const d = Math.abs(av[i] - bv[i]);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/** Fails unless |actual − expected| <= bound(|expected|) everywhere; the message names the worst element. */
function compare(actual: Numbers | null | undefined, expected: Numbers, what: string, bound: (absExpected: number) => number,
  equalNan: boolean, rule: string): void {
  assert.ok(actual != null, `${what}: missing (null gradient?)`);
  const as = shapeOf(actual);
  const es = shapeOf(expected);
  if (as && es) assert.deepEqual(as, es, `${what}: shape [${as}] != expected [${es}]`);
  const av = valuesOf(actual);
  const ev = valuesOf(expected);
  assert.equal(av.length, ev.length, `${what}: ${av.length} values, expected ${ev.length}`);
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < ev.length; i++) {
    if (equalNan && Number.isNaN(av[i]) && Number.isNaN(ev[i])) continue;
    const excess = Math.abs(av[i] - ev[i]) - bound(Math.abs(ev[i]));
    // NaN never compares, so `!(excess <= 0)` also catches a NaN on either side
    if (!(excess <= 0)) {
      bad++;
      if (worst < 0 || Number.isNaN(excess) || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (worst >= 0) {
    assert.fail(`${what}: ${bad} of ${ev.length} values differ; worst [${worst}] = ${av[worst]}, expected ${ev[worst]} ` +
      `(|diff| ${Math.abs(av[worst] - ev[worst]).toExponential(3)}, allowed ${bound(Math.abs(ev[worst])).toExponential(3)}: ${rule})`);
  }
}

/** NumPy's allclose (float32 defaults rtol 1e-4, atol 1e-5) plus an exact shape check. */
export function assertAllClose(actual: Numbers | null | undefined, expected: Numbers, what: string, tol: Tolerance = {}): void {
  const rtol = tol.rtol ?? F32.rtol;
  const atol = tol.atol ?? F32.atol;
  compare(actual, expected, what, (e) => atol + rtol * e, tol.equalNan ?? false, `rtol ${rtol}, atol ${atol}`);
}

/** |actual − expected| <= tol·max(1, |expected|): absolute for values below 1, relative above. */
export function assertClose(actual: Numbers, expected: Numbers, tol = 1e-4, what = 'values'): void {
  compare(actual, expected, what, (e) => tol * Math.max(1, e), false, `tol ${tol}·max(1, |expected|)`);
}

/**
 * |actual − expected| <= tol·(|expected| + max|expected|), NaN equal to NaN: for results of another
 * summation order, whose rounding error scales with the largest values summed, not with each one.
 */
export function assertScaledClose(actual: Numbers, expected: Numbers, what: string, tol = 1e-4): void {
  const ev = valuesOf(expected);
  let scale = 0;
  for (let i = 0; i < ev.length; i++) if (Math.abs(ev[i]) > scale) scale = Math.abs(ev[i]);
  compare(actual, expected, what, (e) => tol * (e + scale), true, `tol ${tol}·(|expected| + ${scale})`);
}

/** Bit-identical values (NaN equal to NaN; +0 and −0 differ). */
export function assertIdentical(actual: Numbers, expected: Numbers, what: string): void {
  const av = valuesOf(actual);
  const ev = valuesOf(expected);
  assert.equal(av.length, ev.length, `${what}: ${av.length} values, expected ${ev.length}`);
  for (let i = 0; i < ev.length; i++) {
    if (!Object.is(av[i], ev[i]) && !(Number.isNaN(av[i]) && Number.isNaN(ev[i]))) {
      assert.fail(`${what}: element ${i} is ${av[i]}, expected exactly ${ev[i]}`);
    }
  }
}
