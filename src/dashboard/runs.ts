import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from './safe_path';

/**
 * What the dashboard reads of a run folder (written by `tatami train`, see cli/run_folder.ts):
 * results.json (example, settings, test figures, date), history.json (per-epoch values),
 * summary.txt, the PNG plots and report.html. Missing or unreadable files leave their fields empty.
 */

export interface RunSummary {
  name: string;
  example: string | null;
  description: string | null;
  dataset: string | null;
  settings: Record<string, unknown>;
  testAccuracy: number | null;
  testLoss: number | null;
  trainSeconds: number | null;
  /** ISO date: results.json's, else the folder's modification time. */
  date: string;
  epochs: number;
  hasModel: boolean;
  /** A grey image model (MNIST, Fashion-MNIST) one can draw for. */
  drawable: boolean;
}

export interface RunDetail extends RunSummary {
  results: Record<string, unknown> | null;
  history: { epoch: number[]; history: Record<string, number[]> } | null;
  summary: string | null;
  /** Picture files at the top of the folder, in the order they were written. */
  pictures: string[];
  hasReport: boolean;
}

const GREY_DATASETS = ['mnist', 'fashion-mnist'];

function readJson(file: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function readHistory(dir: string): RunDetail['history'] {
  const h = readJson(path.join(dir, 'history.json'));
  if (!h || typeof h.history !== 'object' || h.history === null) return null;
  const series: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(h.history as Record<string, unknown>)) {
    if (Array.isArray(v)) series[k] = v.map((x) => (typeof x === 'number' ? x : NaN));
  }
  const epoch = Array.isArray(h.epoch) ? h.epoch.filter((e): e is number => typeof e === 'number') : [];
  return { epoch, history: series };
}

/** A folder counts as a run when it holds any of these. */
const MARKERS = ['results.json', 'history.json', 'model.keras'];

function summarize(dir: string, name: string): RunDetail {
  const r = readJson(path.join(dir, 'results.json'));
  const results = (r?.results ?? {}) as Record<string, unknown>;
  const history = readHistory(dir);
  const hasModel = fs.existsSync(path.join(dir, 'model.keras'));
  const dataset = str(r?.dataset);
  const files = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
  const pictures = files.filter((f) => /\.(png|svg|jpe?g)$/i.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => a.t - b.t || a.f.localeCompare(b.f))
    .map((x) => x.f);
  let summary: string | null = null;
  try {
    summary = fs.readFileSync(path.join(dir, 'summary.txt'), 'utf8');
  } catch { /* no summary */ }
  return {
    name,
    example: str(r?.example),
    description: str(r?.description),
    dataset,
    settings: (r?.settings && typeof r.settings === 'object' ? r.settings : {}) as Record<string, unknown>,
    testAccuracy: num(results.testAccuracy),
    testLoss: num(results.testLoss),
    trainSeconds: num(results.trainSeconds),
    date: str(r?.date) ?? fs.statSync(dir).mtime.toISOString(),
    epochs: history?.epoch.length ?? 0,
    hasModel,
    drawable: hasModel && dataset !== null && GREY_DATASETS.includes(dataset),
    results: r,
    history,
    summary,
    pictures,
    hasReport: files.includes('report.html'),
  };
}

/** The run folders directly under `root`, newest first. Symlinks leading out of the root are left out. */
export function listRuns(root: string): RunSummary[] {
  if (!fs.existsSync(root)) return [];
  const out: RunSummary[] = [];
  for (const d of fs.readdirSync(root, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const dir = path.join(root, d.name);
    if (!isInside(root, dir)) continue;
    let isDir = false;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch { /* a dangling link */ }
    if (!isDir || !MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) continue;
    const { results: _r, history: _h, summary: _s, pictures: _p, hasReport: _x, ...s } = summarize(dir, d.name);
    out.push(s);
  }
  return out.sort((a, b) => b.date.localeCompare(a.date) || a.name.localeCompare(b.name));
}

/** One run's figures, curves, summary and picture list; `dir` is already checked to lie inside the root. */
export function runDetail(dir: string, name: string): RunDetail {
  return summarize(dir, name);
}
