import { shapeToString, type Shape } from '../util/shape';
import { ValueError } from '../util/errors';
import type { Variable } from '../tensor/tensor';
import type { Optimizer } from '../optimizers/optimizer';

/** One row of the summary table. */
export interface SummaryRow {
  name: string;
  className: string;
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
  connectedTo?: string[];
}

export interface SummaryTotals {
  total: number;
  trainable: number;
  nonTrainable: number;
  optimizer?: number;
}

/** Keras's summary(line_length, positions): total width and right edges of the columns (fractions). */
export interface SummaryLayout {
  lineLength?: number;
  positions?: number[];
}

/** Keras 3's readable size: 364.54 KB, 0.00 B (4 bytes per float32 parameter, 1024 per unit). */
export function readableSize(params: number): string {
  const bytes = params * 4;
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}

/** Terminal width as Python's shutil.get_terminal_size sees it: $COLUMNS, the TTY, else 80. */
export function terminalColumns(): number {
  const env = Number(process.env.COLUMNS);
  if (Number.isInteger(env) && env > 0) return env;
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  return 80;
}

/** Parameter counts as Keras 3 totals them (optimizer variables once the optimizer has stepped). */
export function summaryTotals(trainable: Variable[], nonTrainable: Variable[], optimizer: Optimizer | null): SummaryTotals {
  const count = (vs: Variable[]) => vs.reduce((n, w) => n + w.size, 0);
  const t = count(trainable);
  const nt = count(nonTrainable);
  let opt = 0;
  if (optimizer) {
    const state = optimizer.stateViews();
    // Keras 3 counts its iteration and learning_rate variables besides the slots.
    if (optimizer.iterations > 0 || state.length > 1) opt = state.reduce((n, s) => n + s.values.length, 0) + 1;
  }
  return { total: t + nt + opt, trainable: t, nonTrainable: nt, optimizer: opt };
}

function fmtShape(s: SummaryRow['outputShape']): string {
  if (Array.isArray(s[0])) return '[' + (s as (number | null)[][]).map((x) => shapeToString(x)).join(', ') + ']';
  return shapeToString(s as (number | null)[]);
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Cell widths (without padding) of Keras's rich table: each column gets int(pos * lineLength)
 * minus the previous edge, plus 1 space of padding either side; rich then shrinks the columns
 * evenly (rich's ratio_reduce) until the table with its borders fits lineLength.
 */
export function columnWidths(lineLength: number, positions: number[]): number[] {
  const raw: number[] = [];
  let current = 0;
  for (const p of positions) {
    const w = Math.floor(p * lineLength) - current;
    if (w < 4) throw new ValueError('Insufficient console width to print summary.');
    raw.push(w);
    current += w;
  }
  const maxWidth = lineLength - (positions.length - 1) - 2;
  let widths = raw.map((w) => Math.min(w + 2, maxWidth));
  let excess = widths.reduce((a, b) => a + b, 0) - maxWidth;
  if (excess > 0) {
    let ratioLeft = widths.length;
    widths = widths.map((w) => {
      const take = Math.min(w, roundHalfEven(excess / ratioLeft));
      excess -= take;
      ratioLeft -= 1;
      return w - take;
    });
  }
  return widths.map((w) => w - 2);
}

/**
 * Wraps one cell as rich does with overflow 'ellipsis': breaks between words, a word longer than
 * the cell gets its own line cut to `width - 1` characters plus '…'.
 */
export function wrapCell(text: string, width: number, right = false): string[] {
  const breaks: number[] = [];
  let offset = 0;
  const word = /\s*\S+\s*/y;
  let m: RegExpExecArray | null;
  while ((m = word.exec(text)) !== null) {
    const start = m.index;
    const len = m[0].trimEnd().length;
    if (width - offset >= len) offset += m[0].length;
    else if (len > width || offset > 0) {
      if (start > 0) breaks.push(start);
      offset = m[0].length;
    }
  }
  const lines: string[] = [];
  let from = 0;
  for (const b of [...breaks, text.length]) {
    let line = text.slice(from, b).trimEnd();
    from = b;
    if (line.length > width) line = line.slice(0, width - 1) + '…';
    lines.push(right ? line.padStart(width) : line.padEnd(width));
  }
  return lines;
}

/**
 * Keras 3's summary table as rich draws it (the text Keras prints when its output is captured):
 * heavy header, light rules between rows, fixed column widths from lineLength and positions,
 * long cells wrapped. Keras's defaults: 88 wide (108 with "Connected to") but at most the
 * terminal width minus 4, so 76 off a terminal.
 */
export function formatSummary(modelName: string, rows: SummaryRow[], totals: SummaryTotals, functional = false,
  layout: SummaryLayout = {}): string {
  const headers = functional ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const positions = layout.positions ?? (functional ? [0.3, 0.56, 0.74, 1.0] : [0.45, 0.8, 1.0]);
  if (positions.length !== headers.length) throw new ValueError(`summary: positions needs ${headers.length} entries, got ${positions.length}`);
  const lineLength = layout.lineLength ?? Math.min(functional ? 108 : 88, terminalColumns() - 4);
  const widths = columnWidths(lineLength, positions);
  const right = (i: number) => i === 2;
  const rule = (l: string, m: string, r: string, fill: string) => l + widths.map((w) => fill.repeat(w + 2)).join(m) + r;
  const block = (cells: string[], sep: string): string[] => {
    const wrapped = cells.map((c, i) => wrapCell(c, widths[i], right(i)));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(sep + wrapped.map((w, i) => ' ' + (w[k] ?? ' '.repeat(widths[i])) + ' ').join(sep) + sep);
    }
    return out;
  };
  const out = [`Model: "${modelName}"`, rule('┏', '┳', '┓', '━'), ...block(headers, '┃'), rule('┡', '╇', '┩', '━')];
  rows.forEach((r, i) => {
    const cells = [`${r.name} (${r.className})`, fmtShape(r.outputShape), r.params.toLocaleString('en-US')];
    if (functional) cells.push((r.connectedTo ?? []).join(', ') || '-');
    out.push(...block(cells, '│'));
    if (i < rows.length - 1) out.push(rule('├', '┼', '┤', '─'));
  });
  out.push(rule('└', '┴', '┘', '─'));
  const line = (label: string, n: number) => ` ${label}: ${n.toLocaleString('en-US')} (${readableSize(n)})`;
  out.push(line('Total params', totals.total), line('Trainable params', totals.trainable), line('Non-trainable params', totals.nonTrainable));
  if (totals.optimizer) out.push(line('Optimizer params', totals.optimizer));
  return out.join('\n');
}

export type { Shape };
