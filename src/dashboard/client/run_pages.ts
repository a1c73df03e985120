/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

/** The run list (/): one row per run folder; tick several to compare them. */
export function listPage(): void {
  const { el, getJson, fmt, pct, date, main, fail } = window.tt;
  const enc = (s: string) => encodeURIComponent(s);
  const show = async () => {
    const [info, runs] = await Promise.all([getJson('/api/info'), getJson('/api/runs')]);
    const picked = new Set<string>();
    const compare = el('button', { type: 'button', disabled: true, onclick: () => {
      window.location.href = '/compare?' + [...picked].map((r) => 'run=' + enc(r)).join('&');
    } }, 'Compare selected');
    const rows = runs.map((r: any) => el('tr', { 'data-run': r.name },
      el('td', {}, el('input', { type: 'checkbox', 'aria-label': `select ${r.name}`, onchange: (e: any) => {
        if (e.target.checked) picked.add(r.name); else picked.delete(r.name);
        compare.disabled = picked.size < 2;
      } })),
      el('td', {}, el('a', { href: `/run/${enc(r.name)}`, text: r.name })),
      el('td', { text: r.example ?? '–' }),
      el('td', { text: r.dataset ?? '–' }),
      el('td', { class: 'num', text: fmt(r.epochs) }),
      el('td', { class: 'num', text: fmt(r.settings.batchSize) }),
      el('td', { class: 'num', text: r.settings.limit ? fmt(r.settings.limit) : 'all' }),
      el('td', { class: 'num strong', text: pct(r.testAccuracy) }),
      el('td', { class: 'num', text: fmt(r.testLoss) }),
      el('td', { text: date(r.date) }),
      el('td', {}, r.drawable && info.draw ? el('a', { href: `/draw/${enc(r.name)}`, text: 'draw' }) : ''),
    ));
    main().replaceChildren(
      el('h1', { text: 'Runs' }),
      info.live ? el('p', { class: 'banner' }, 'A model is training now: ', el('a', { href: '/live', text: 'watch it live' })) : '',
      runs.length === 0
        ? el('p', { class: 'muted', text: 'No run folders yet: `tatami train <example>` writes one.' })
        : el('div', {},
          el('table', { class: 'runs' },
            el('thead', {}, el('tr', {}, ['', 'run', 'example', 'dataset', 'epochs', 'batch', 'images', 'test accuracy', 'test loss', 'date', ''].map((h) => el('th', { text: h })))),
            el('tbody', {}, rows)),
          el('p', {}, compare, el('span', { class: 'muted', text: ' tick two runs or more to overlay their curves' }))),
    );
  };
  show().catch(fail);
}

/** A run's page (/run/NAME): its figures, interactive curves, settings, summary and every picture. */
export function runPage(): void {
  const { el, getJson, fmt, pct, date, seconds, main, fail, table, embed, curves } = window.tt;
  const name = document.body.dataset.run;
  const enc = (s: string) => encodeURIComponent(s);
  const show = async () => {
    const [info, r] = await Promise.all([getJson('/api/info'), getJson(`/api/runs/${enc(name)}`)]);
    const chart = el('div', { class: 'chart', id: 'curves' });
    const s = r.settings;
    const last = (k: string) => (r.history && r.history.history[k] ? r.history.history[k][r.history.history[k].length - 1] : undefined);
    main().replaceChildren(
      el('h1', { text: r.name }),
      el('p', { class: 'sub' }, r.example ? `${r.example}${r.description ? ': ' + r.description : ''}` : 'run folder', ' · ', date(r.date)),
      el('p', { class: 'links' },
        r.hasReport ? el('a', { href: `/files/${enc(name)}/report.html`, target: '_blank', text: 'report.html' }) : '',
        r.drawable && info.draw ? el('a', { href: `/draw/${enc(name)}`, text: 'Draw a digit for this model' }) : ''),
      el('div', { class: 'tiles' },
        [['test accuracy', pct(r.testAccuracy)], ['test loss', fmt(r.testLoss)], ['epochs', fmt(r.epochs)], ['training time', seconds(r.trainSeconds)],
          ['last val accuracy', pct(last('val_accuracy'))], ['last val loss', fmt(last('val_loss'))]]
          .map(([k, v]) => el('div', { class: 'tile' }, el('div', { class: 'k', text: k }), el('div', { class: 'v', text: v })))),
      el('h2', { text: 'Learning curves' }),
      r.history && r.epochs ? chart : el('p', { class: 'muted', text: 'No history.json in this run folder.' }),
      el('div', { class: 'cols' },
        el('section', {}, el('h2', { text: 'Settings' }), table([
          ['dataset', r.dataset], ['epochs', s.epochs], ['batch size', s.batchSize], ['training images', s.limit ?? 'all'],
          ['test images', s.testLimit ?? 'all'], ['seed', s.seed], ['backend', s.backend],
          ...Object.entries((r.results && r.results.results) || {}).map(([k, v]: [string, any]) =>
            [({ testLoss: 'test loss', testAccuracy: 'test accuracy', trainSeconds: 'training seconds', evaluateSeconds: 'test seconds' } as any)[k] ?? k, v] as [string, any]),
        ])),
        el('section', {}, el('h2', { text: 'Model' }), el('pre', { class: 'summary', text: r.summary ?? '(no summary.txt)' }))),
      el('h2', { text: 'Pictures' }),
      r.pictures.length
        ? el('div', { class: 'gallery' }, r.pictures.map((f: string) => el('figure', {},
          el('a', { href: `/files/${enc(name)}/${enc(f)}`, target: '_blank' }, el('img', { src: `/files/${enc(name)}/${enc(f)}`, alt: f, loading: 'lazy' })),
          el('figcaption', { text: f }))))
        : el('p', { class: 'muted', text: 'No pictures (the run was trained with --no-report).' }),
    );
    if (r.history && r.epochs) await embed(chart, curves.spec(curves.rowsOf(r.name, r.history), [r.name]));
  };
  show().catch(fail);
}

/** Several runs' curves on the same axes (/compare?run=A&run=B). */
export function comparePage(): void {
  const { el, getJson, fmt, pct, date, main, fail, embed, curves } = window.tt;
  const names: string[] = new window.URLSearchParams(window.location.search).getAll('run');
  const show = async () => {
    if (names.length === 0) throw new Error('no runs chosen: tick them on the run list');
    const runs = await Promise.all(names.map((n) => getJson(`/api/runs/${encodeURIComponent(n)}`)));
    const chart = el('div', { class: 'chart', id: 'curves' });
    const keys = ['example', 'dataset', 'epochs', 'batch size', 'images', 'seed', 'test accuracy', 'test loss', 'date'];
    const cell = (r: any, k: string) => ({
      example: r.example, dataset: r.dataset, epochs: fmt(r.epochs), 'batch size': fmt(r.settings.batchSize), images: r.settings.limit ?? 'all',
      seed: fmt(r.settings.seed), 'test accuracy': pct(r.testAccuracy), 'test loss': fmt(r.testLoss), date: date(r.date),
    } as any)[k] ?? '–';
    main().replaceChildren(
      el('h1', { text: `Comparing ${runs.length} runs` }),
      el('table', { class: 'runs' },
        el('thead', {}, el('tr', {}, el('th', {}), runs.map((r: any) => el('th', {}, el('a', { href: `/run/${encodeURIComponent(r.name)}`, text: r.name }))))),
        el('tbody', {}, keys.map((k) => el('tr', {}, el('th', { text: k }), runs.map((r: any) => el('td', { text: String(cell(r, k)) })))))),
      el('h2', { text: 'Learning curves' }),
      el('p', { class: 'muted', text: 'Solid: training; dashed: validation. Click a run in the legend to pick it out.' }),
      chart,
    );
    await embed(chart, curves.spec(runs.flatMap((r: any) => curves.rowsOf(r.name, r.history)), runs.map((r: any) => r.name)));
  };
  show().catch(fail);
}
