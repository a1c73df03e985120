/**
 * A cap on the weight values that layers may create while a model is rebuilt from a file. A
 * model config is data: a damaged or hostile one may ask for Dense({ units: 1e9 }), and building
 * that allocates gigabytes before the weights file is even looked at. The loader sets the cap to
 * the values its weights file holds (every weight must come from the file anyway), so memory stays
 * proportional to the file's real length. Outside a load there is no cap.
 */

interface Budget {
  left: number;
  fail: (weight: string, values: number, left: number) => Error;
}

let current: Budget | null = null;

/** Runs `fn` (synchronous) with at most `values` weight values allowed; `fail` makes the error. */
export function withWeightBudget<T>(values: number, fail: Budget['fail'], fn: () => T): T {
  const outer = current;
  current = { left: values, fail };
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** Called by Layer.addWeight before it allocates: throws when the cap would be exceeded. */
export function takeWeightBudget(weight: string, shape: readonly number[]): void {
  if (!current) return;
  const n = shape.reduce((a, b) => a * b, 1);
  if (!(n <= current.left)) throw current.fail(weight, n, current.left);
  current.left -= n;
}
