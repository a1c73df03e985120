import fc from 'fast-check';

/**
 * Structural damage to a JSON document (a model config, a tfjs model.json): a node chosen by its
 * index in a walk of the tree is replaced by a value of the wrong type, a huge or negative
 * number, a hostile string (prototype keys, class names outside the layer registry, paths), a
 * deep nesting, or removed; or a key is renamed to '__proto__'. The result is JSON text.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Stands for a nesting too deep to build as an object; replaced in the text. */
const DEEP = '\u0000deep-nesting\u0000';

const HOSTILE_STRINGS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'Function', 'eval', 'Object', 'process', 'require',
  'Lambda', 'TFOpLambda', 'Custom>Dense', '../../../../etc/passwd', '/etc/passwd', 'C:\\evil', '', ' '.repeat(3),
  'float64', 'int32', 'string', 'complex64', 'Dense', 'Conv2D', 'Sequential', 'Functional', 'InputLayer', 'relu', 'glorot_uniform',
];
const HOSTILE_NUMBERS = [0, -1, -0.5, 1.5, 1e9, 1e15, 2 ** 31, 2 ** 53, 1e308, -1e308, 65535, 4294967296];

export type JsonMutation =
  | { kind: 'replace'; node: number; value: Json }
  | { kind: 'deep'; node: number; depth: number }
  | { kind: 'remove'; node: number }
  | { kind: 'proto'; node: number };

function valueArb(): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom<Json>(...HOSTILE_NUMBERS),
    fc.constantFrom<Json>(...HOSTILE_STRINGS),
    fc.constantFrom<Json>(null, true, false, [], {}, [null], [-1, 3], [1e9, 1e9], { class_name: 'Function', config: {} }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  );
}

export function jsonMutationArb(nodes: number): fc.Arbitrary<JsonMutation[]> {
  const node = fc.nat(Math.max(0, nodes - 1));
  const one = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), node, value: valueArb() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), node, depth: fc.constantFrom(100, 5000, 100_000) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), node }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('proto' as const), node }) },
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

/** Every node of the tree with its parent and key, in a fixed order. */
function walk(root: Json): { parent: Json[] | { [k: string]: Json } | null; key: string | number }[] {
  const out: { parent: Json[] | { [k: string]: Json } | null; key: string | number }[] = [{ parent: null, key: 0 }];
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) v.forEach((c, i) => { out.push({ parent: v, key: i }); stack.push(c); });
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push({ parent: v, key: k }); stack.push(v[k]); }
  }
  return out;
}

export function countNodes(doc: Json): number {
  return walk(doc).length;
}

/** Applies the mutations to a copy of `doc` and returns the JSON text. */
export function applyJsonMutations(doc: Json, ms: JsonMutation[]): string {
  let root: Json = JSON.parse(JSON.stringify(doc));
  const deep: number[] = [];
  for (const m of ms) {
    const nodes = walk(root);
    const { parent, key } = nodes[m.node % nodes.length];
    const set = (v: Json | undefined) => {
      if (parent === null) root = v === undefined ? null : v;
      else if (Array.isArray(parent)) {
        if (v === undefined) parent.splice(key as number, 1);
        else parent[key as number] = v;
      } else if (v === undefined) delete parent[key as string];
      else parent[key as string] = v;
    };
    if (m.kind === 'replace') set(JSON.parse(JSON.stringify(m.value))); // a copy: constants are shared between cases
    else if (m.kind === 'remove') set(undefined);
    else if (m.kind === 'deep') {
      set(`${DEEP}${deep.length}`);
      deep.push(m.depth);
    } else if (parent && !Array.isArray(parent)) {
      // a key named __proto__ (JSON.parse makes it an own property; code that copies it may not)
      const v = parent[key as string];
      delete parent[key as string];
      Object.defineProperty(parent, '__proto__', { value: v, enumerable: true, configurable: true, writable: true });
    }
  }
  let text = JSON.stringify(root);
  deep.forEach((depth, i) => {
    text = text.replace(JSON.stringify(`${DEEP}${i}`), '['.repeat(depth) + ']'.repeat(depth));
  });
  return text;
}

export function describeJsonMutation(m: JsonMutation): string {
  if (m.kind === 'replace') return `node ${m.node} = ${JSON.stringify(m.value)?.slice(0, 60)}`;
  if (m.kind === 'deep') return `node ${m.node} = ${m.depth}-deep nesting`;
  return `${m.kind} node ${m.node}`;
}
