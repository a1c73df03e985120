/**
 * JSON as Python's json.dumps writes it (Keras writes its configs with it): ", " and ": "
 * separators, ASCII only (ensure_ascii), and floats in Python's repr (1.0, 1e-07). Python tells
 * int from float, and Keras checks (an optimizer's learning_rate must be a float), so keys that
 * hold floats are written with a decimal point even when the value is whole.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Config keys whose values Keras keeps as Python floats. */
export const FLOAT_KEYS = new Set([
  'learning_rate', 'momentum', 'rho', 'epsilon', 'beta_1', 'beta_2', 'rate', 'ema_momentum', 'weight_decay',
  'initial_accumulator_value', 'clipnorm', 'clipvalue', 'global_clipnorm', 'label_smoothing', 'scale', 'offset',
  'mean', 'stddev', 'minval', 'maxval', 'alpha', 'l1', 'l2', 'negative_slope', 'threshold', 'max_value',
]);

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function pyNumber(x: number, asFloat: boolean): string {
  if (Number.isInteger(x) && !asFloat && Math.abs(x) < 1e16) return String(x);
  return pyFloat(x);
}

/** json.dumps(value) with Python's default formatting. */
export function pyJson(value: Json | undefined, asFloat = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pyNumber(value, asFloat);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return '[' + value.map((v) => pyJson(v, asFloat)).join(', ') + ']';
  const parts = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pyString(k)}: ${pyJson(v, FLOAT_KEYS.has(k))}`);
  return '{' + parts.join(', ') + '}';
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deeper than any Keras config (about 10 levels); deeper ones would overflow the stack of recursive readers. */
export const MAX_JSON_DEPTH = 100;

/** The deepest nesting of arrays and objects in JSON text (strings skipped), found without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** JSON.parse for configs read from files: `fail` makes the error for bad JSON or too deep a nesting. */
export function parseFileJson(text: string, fail: (reason: string) => Error): unknown {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw fail(`nested ${depth} levels deep (at most ${MAX_JSON_DEPTH} are read)`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail(`not valid JSON (${(e as Error).message})`);
  }
}
