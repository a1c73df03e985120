import { writeFileAtomic } from '../util/atomic_file';

/** A picture in a report: a rendered image (embedded), or a file name beside the report. */
export interface ReportImage {
  title: string;
  /** A VizImage (its SVG size sets the displayed size, so 2x charts stay sharp, not huge), or a file name. */
  image: { png: Uint8Array; svg?: string; width?: number } | string;
  caption?: string;
}

export type ReportValue = string | number | boolean | null | undefined;

export interface ReportData {
  title: string;
  subtitle?: string;
  /** Preformatted text, e.g. model.summary()'s table. */
  summary?: string;
  /** Training settings: optimizer, batch size, epochs... */
  settings?: Record<string, ReportValue>;
  /** Final figures: a name → value table, or rows (e.g. one per split) with their columns. */
  metrics?: Record<string, ReportValue> | Array<Record<string, ReportValue>>;
  /** Durations in seconds (numbers) or already written out (strings). */
  timing?: Record<string, number | string>;
  images?: ReportImage[];
  /** When the report was made; default now. */
  date?: Date;
}

const CSS = `
body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.sub { color: #666; margin-top: 0; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; line-height: 1.15; }
table { border-collapse: collapse; font-size: 0.95em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.8em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
figure { margin: 1em 0 2em; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
`;

export function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatValue(v: ReportValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(3);
  }
  return String(v);
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(0)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function cell(v: ReportValue): string {
  return `<td${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(formatValue(v))}</td>`;
}

function keyValueTable(rec: Record<string, ReportValue>): string {
  const rows = Object.entries(rec).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`);
  return `<table>\n${rows.join('\n')}\n</table>`;
}

function rowsTable(rows: Array<Record<string, ReportValue>>): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const head = `<tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${cols.map((c) => cell(r[c])).join('')}</tr>`);
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}

/** Display width in CSS pixels: the SVG's own width (a chart rendered at 2x shows at 1x, sharp on HiDPI). */
export function displayWidth(image: ReportImage['image']): number | undefined {
  if (typeof image === 'string') return undefined;
  const m = image.svg?.match(/^\s*(?:<\?xml[^>]*>\s*)?<svg\b[^>]*?\swidth="([\d.]+)/);
  return m ? Math.round(Number(m[1])) : image.width;
}

function imageSrc(image: ReportImage['image']): string {
  if (typeof image === 'string') return escapeHtml(image);
  return `data:image/png;base64,${Buffer.from(image.png).toString('base64')}`;
}

/**
 * A self-contained HTML page (inline CSS, images embedded as data: URIs unless given as file
 * names) that opens from disk anywhere: title, summary, settings, metrics, timing, figures.
 */
export function buildReport(data: ReportData): string {
  const date = data.date ?? new Date();
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="sub">${data.subtitle ? `${escapeHtml(data.subtitle)} · ` : ''}${escapeHtml(date.toISOString().replace('T', ' ').slice(0, 19))} UTC</p>`,
  ];
  if (data.summary !== undefined) out.push('<section id="summary">', '<h2>Model</h2>', `<pre>${escapeHtml(data.summary)}</pre>`, '</section>');
  if (data.settings) out.push('<section id="settings">', '<h2>Settings</h2>', keyValueTable(data.settings), '</section>');
  if (data.metrics) {
    const table = Array.isArray(data.metrics) ? rowsTable(data.metrics) : keyValueTable(data.metrics);
    out.push('<section id="metrics">', '<h2>Metrics</h2>', table, '</section>');
  }
  if (data.timing) {
    const timing = Object.fromEntries(Object.entries(data.timing).map(([k, v]) => [k, typeof v === 'number' ? formatDuration(v) : v]));
    out.push('<section id="timing">', '<h2>Timing</h2>', keyValueTable(timing), '</section>');
  }
  if (data.images?.length) {
    out.push('<section id="figures">', '<h2>Figures</h2>');
    for (const img of data.images) {
      const w = displayWidth(img.image);
      out.push('<figure>', `<h3>${escapeHtml(img.title)}</h3>`, `<img src="${imageSrc(img.image)}"${w ? ` width="${w}"` : ''} alt="${escapeHtml(img.title)}">`);
      if (img.caption) out.push(`<figcaption>${escapeHtml(img.caption)}</figcaption>`);
      out.push('</figure>');
    }
    out.push('</section>');
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

/** Writes buildReport(data) to `filePath` atomically. */
export async function saveReport(filePath: string, data: ReportData): Promise<void> {
  await writeFileAtomic(filePath, buildReport(data));
}
