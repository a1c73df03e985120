/* eslint-disable @typescript-eslint/no-explicit-any */
// Browser code: each exported function is sent as its source text (Function.prototype.toString)
// and run in the page, so it may use nothing imported; the DOM comes in untyped.
declare const window: any;
declare const document: any;
declare const vegaEmbed: any;

/** Sets window.tt: the helpers every page uses (DOM building, JSON, number formats, charts). */
export function common(): void {
  const el = (tag: string, attrs: Record<string, any> = {}, ...children: any[]): any => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof window.Node ? c : String(c));
    return e;
  };
  const getJson = async (url: string): Promise<any> => {
    const r = await window.fetch(url, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error || `${r.status} ${r.statusText}`);
    return body;
  };
  const fmt = (v: any, digits = 4): string => {
    if (v === null || v === undefined || (typeof v === 'number' && !isFinite(v))) return '–';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : String(Number(v.toPrecision(digits)));
  };
  const pct = (v: any): string => (typeof v === 'number' && isFinite(v) ? `${(v * 100).toFixed(2)}%` : '–');
  const date = (iso: string): string => {
    const d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  };
  const seconds = (s: any): string => {
    if (typeof s !== 'number' || !isFinite(s)) return '–';
    if (s < 60) return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return `${m} min ${Math.round(s - 60 * m)} s`;
  };
  const main = (): any => document.getElementById('main');
  const fail = (e: any) => {
    main().replaceChildren(el('p', { class: 'error', text: String(e && e.message ? e.message : e) }));
  };
  const table = (rows: Array<[string, any]>): any =>
    el('table', { class: 'kv' }, rows.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: fmt(v, 6) }))));
  // the chart look of tatami's static plots, with hover tooltips and legends that toggle series
  const chartConfig = {
    font: 'DejaVu Sans, Verdana, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8', domainColor: '#999', tickColor: '#999' },
    legend: { labelFontSize: 12, titleFontSize: 12, orient: 'top' },
    title: { fontSize: 14, anchor: 'start', fontWeight: 'bold' },
    view: { stroke: '#ddd' },
  };
  const embed = async (target: any, spec: any, renderer = 'svg'): Promise<any> => {
    const r = await vegaEmbed(target, { config: chartConfig, ...spec }, {
      renderer, actions: { export: true, source: false, compiled: false, editor: false },
    });
    return r.view;
  };
  window.tt = { el, getJson, fmt, pct, date, seconds, main, fail, table, embed };
}
