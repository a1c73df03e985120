/** The HTML shell every dashboard page shares; app.js fills <main> from the JSON endpoints. */

export type PageName = 'list' | 'run' | 'compare' | 'live' | 'draw';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Vega compiles its expressions with `new Function`, hence 'unsafe-eval'; everything else comes
 * from this server only (no network), and inline styles are vega-embed's.
 */
export const PAGE_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

export interface PageInfo {
  page: PageName;
  title: string;
  run?: string;
  live: boolean;
  runs: boolean;
}

export function pageHtml(p: PageInfo): string {
  const charts = p.page !== 'draw' && p.page !== 'list';
  const nav = [
    p.runs ? `<a href="/"${p.page === 'list' ? ' class="here"' : ''}>Runs</a>` : '',
    p.live ? `<a href="/live"${p.page === 'live' ? ' class="here"' : ''}>Live training</a>` : '',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} · tatami dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
${charts ? ['vega', 'vega-lite', 'vega-embed'].map((s) => `<script src="/vendor/${s}.js"></script>`).join('\n') : ''}
<script src="/static/app.js" defer></script>
</head>
<body data-page="${p.page}" data-run="${esc(p.run ?? '')}" data-live="${p.live}">
<header><span class="brand">tatami</span><nav>${nav}</nav></header>
<main id="main"><p class="muted">Loading…</p></main>
</body>
</html>
`;
}
