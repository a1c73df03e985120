import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './helpers/fixtures';

/**
 * The house rules of DESIGN.md's "Architecture", checked on the sources: src/**\/*.ts is parsed
 * for its run-time imports (`import type` and `export type` are erased by tsc and do not count;
 * dynamic import() loads lazily and does not count either).
 */

const ROOT = repoRoot();
const SRC = join(ROOT, 'src');
// AssemblyScript kernels are compiled by asc, not tsc, and never imported by TypeScript code
const EXCLUDED = [join(SRC, 'backend', 'wasm', 'assembly')];

function sourceFiles(dir: string): string[] {
  if (EXCLUDED.includes(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

// Statements start at column 0, so examples inside doc comments (' *   import ...') never match.
const IMPORT_FROM = /^import\s+(type\s+)?((?:[\w$]+\s*,\s*)?(?:\*\s+as\s+[\w$]+|\{[^}]*\}|[\w$]+))\s+from\s+['"]([^'"]+)['"]/gm;
const EXPORT_FROM = /^export\s+(type\s+)?(\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm;
const BARE_IMPORT = /^import\s+['"]([^'"]+)['"]/gm;

/** True when every name in the clause is marked `type` (`import { type A, type B } from ...`). */
function allTypeSpecifiers(clause: string): boolean {
  const m = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!m) return false;
  const names = m[1].split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const p of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(p)) return p;
  throw new Error(`${relative(ROOT, from)}: cannot resolve import '${spec}'`);
}

/** Each source file's run-time imports of other source files. */
function runtimeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const specs: string[] = [];
    for (const re of [IMPORT_FROM, EXPORT_FROM]) {
      for (const m of text.matchAll(re)) if (!m[1] && !allTypeSpecifiers(m[2])) specs.push(m[3]);
    }
    for (const m of text.matchAll(BARE_IMPORT)) specs.push(m[1]);
    const targets = specs.map((s) => resolveImport(file, s)).filter((p): p is string => p !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

const rel = (p: string) => relative(SRC, p).split('\\').join('/');

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

interface FolderRule {
  /** Files under this folder of src/ ... */
  from: string;
  /** ... import nothing at run time from these folders. */
  forbidden: string[];
  why: string;
}

const FOLDER_RULES: FolderRule[] = [
  { from: 'layers', forbidden: ['models'], why: 'symbolic tensors and nodes live with the layers; models build on layers' },
  { from: 'models', forbidden: ['saving'], why: 'saving imports models and installs save/load through setModelFiles' },
  // Every folder above the backend calls kernels through the interface (backend/registry.ts) only.
  ...['tensor', 'autograd', 'ops', 'initializers', 'activations', 'losses', 'metrics', 'optimizers', 'layers', 'callbacks',
    'training', 'models', 'saving', 'data', 'preprocessing', 'applications', 'viz', 'tfjs', 'cli'].map((from) => (
    { from, forbidden: ['backend/js', 'backend/wasm'], why: 'kernels are called through the backend interface only' })),
];

describe('architecture', () => {
  const graph = runtimeImports();

  it('parses the sources it checks', () => {
    // a parser that finds nothing would pass every rule below
    assert.ok(graph.size > 100, `only ${graph.size} source files found under ${SRC}`);
    const model = graph.get(join(SRC, 'models', 'sequential.ts'))!.map(rel);
    assert.ok(model.includes('layers/layer.ts') && model.includes('models/model.ts'), `imports of models/sequential.ts: ${model.join(', ')}`);
    const types = graph.get(join(SRC, 'saving', 'model_types.ts'))!.map(rel);
    assert.ok(!types.includes('models/model.ts'), 'an `import type` must not count');
  });

  it('has no import cycle at run time in src/', () => {
    const found = cycles(graph);
    assert.deepEqual(found, [], `files that import each other at run time:\n${found.map((c) => '  ' + c.join(' <-> ')).join('\n')}`);
  });

  for (const rule of FOLDER_RULES) {
    it(`${rule.from}/ imports nothing from ${rule.forbidden.map((f) => f + '/').join(', ')} (${rule.why})`, () => {
      const offending: string[] = [];
      for (const [file, targets] of graph) {
        if (!rel(file).startsWith(rule.from + '/')) continue;
        for (const t of targets) if (rule.forbidden.some((f) => rel(t).startsWith(f + '/'))) offending.push(`${rel(file)} -> ${rel(t)}`);
      }
      assert.deepEqual(offending, []);
    });
  }
});
