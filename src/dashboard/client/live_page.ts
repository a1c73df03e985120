/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

/**
 * The live page (/live): server-sent events from the training run grow the charts (per-batch
 * running loss and metrics, per-epoch train and validation values, learning rate, step time,
 * images per second, memory); Stop asks training to end after the current batch.
 */
export function livePage(): void {
  const { el, fmt, pct, main, embed } = window.tt;
  const COLORS: Record<string, string> = {
    batches: '#9ecae1', 'train (epoch)': '#1f77b4', 'validation (epoch)': '#ff7f0e',
    'step time': '#555555', 'images/s': '#2ca02c', rss: '#9467bd', heap: '#c5b0d5', 'learning rate': '#555555',
  };
  interface Chart { box: any; view: any; pending: any[]; batchPoints: number }
  const charts = new Map<string, Chart>();
  const grid = el('div', { class: 'live-charts' });
  const status = el('span', { class: 'pill', text: 'waiting for training…' });
  const progress = el('div', { class: 'progress' }, el('div', { class: 'bar' }));
  const where = el('span', { class: 'muted' });
  const tiles = el('div', { class: 'tiles' });
  const stop = el('button', { type: 'button', class: 'stop', id: 'stop', disabled: true, text: 'Stop training' });
  const title = el('h1', { text: 'Live training' });
  main().replaceChildren(
    el('div', { class: 'live-head' }, title, status, stop),
    el('p', {}, where), progress, tiles, grid);

  const chart = (key: string, yTitle: string, series: string[], log = false): Chart => {
    let c = charts.get(key);
    if (c) return c;
    const box = el('div', { class: 'chart', id: `chart-${key.replace(/[^a-z0-9]+/gi, '-')}`, 'data-points': '0' });
    grid.append(box);
    c = { box, view: null, pending: [], batchPoints: 0 };
    charts.set(key, c);
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: series.map((s) => COLORS[s] ?? '#1f77b4') }, legend: series.length > 1 ? { orient: 'top' } : null };
    const enc = (pointTip: boolean) => ({
      x: { field: 'x', type: 'quantitative', title: 'epoch', scale: { zero: true, nice: false } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: log ? { type: 'log' } : { zero: false } },
      color,
      // each epoch's running mean is its own line (it restarts with the epoch)
      detail: { field: 'epoch', type: 'nominal' },
      ...(pointTip ? { tooltip: [{ field: 'series' }, { field: 'x', title: 'epoch', format: '.3f' }, { field: 'value', title: yTitle, format: '.5~g' }] } : {}),
    });
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: key, width: 380, height: 190, data: { name: 'rows' },
      // the axes widen as values arrive: the layout follows
      autosize: { type: 'pad', resize: true },
      layer: [
        { transform: [{ filter: "datum.kind === 'batch'" }], mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' }, encoding: enc(false) },
        { transform: [{ filter: "datum.kind === 'batch'" }], mark: { type: 'point', opacity: 0, size: 60 }, encoding: enc(true) },
        { transform: [{ filter: "datum.kind === 'epoch'" }], mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 50 } }, encoding: enc(true) },
      ],
    };
    const made = c;
    // canvas: thousands of points redraw faster than as SVG
    embed(box, spec, 'canvas').then((view: any) => { made.view = view; }).catch((e: any) => box.append(el('p', { class: 'error', text: String(e) })));
    return c;
  };
  // at most ~1500 batch points per series: a long run draws every stride-th batch
  let stride = 1;
  let batchNo = 0;
  const add = (key: string, yTitle: string, series: string[], row: any, log = false) => {
    const c = chart(key, yTitle, series, log);
    c.pending.push(row);
  };
  // the charts are redrawn a few times a second, not per batch
  window.setInterval(() => {
    for (const c of charts.values()) {
      if (!c.view || c.pending.length === 0) continue;
      const rows = c.pending;
      c.pending = [];
      c.view.insert('rows', rows).run();
      c.batchPoints += rows.filter((r: any) => r.kind === 'batch').length;
      c.box.dataset.points = String(c.batchPoints);
    }
  }, 400);

  const tile = (k: string, v: string) => {
    let t = tiles.querySelector(`[data-k="${k}"] .v`);
    if (!t) {
      tiles.append(el('div', { class: 'tile', 'data-k': k }, el('div', { class: 'k', text: k }), (t = el('div', { class: 'v' }))));
    }
    t.textContent = v;
  };
  const show = (name: string, v: number) => (name.includes('acc') ? pct(v) : fmt(v));
  let run: any = null;
  let lastX: number | null = null;
  let ended = false;
  const setStatus = (text: string, cls: string) => {
    status.textContent = text;
    status.className = `pill ${cls}`;
    document.body.dataset.status = cls;
  };

  const on = (ev: any) => {
    if (ev.type === 'start') {
      run = ev;
      title.textContent = `Live training: ${ev.model}`;
      setStatus('training', 'training');
      stop.disabled = false;
      // loss first, as in the static learning curves
      chart('loss', 'loss', ['batches', 'train (epoch)', 'validation (epoch)']);
      stride = Math.max(1, Math.ceil(((ev.steps || 1000) * Math.max(1, ev.epochs)) / 1500));
      batchNo = 0;
    } else if (ev.type === 'batch' && run) {
      const x = ev.x;
      lastX = x;
      // the last batch of an epoch is always drawn, so the running mean ends where the epoch's value is
      const drawn = batchNo++ % stride === 0 || (run.steps && ev.step === run.steps - 1);
      if (!drawn) {
        tile('loss', show('loss', ev.logs.loss));
        return;
      }
      for (const [k, v] of Object.entries(ev.logs) as Array<[string, number]>) {
        add(k, k, ['batches', 'train (epoch)', 'validation (epoch)'], { x, value: v, series: 'batches', kind: 'batch', epoch: ev.epoch });
        tile(k, show(k, v));
      }
      if (ev.lr !== null) { add('learning rate', 'learning rate', ['learning rate'], { x, value: ev.lr, series: 'learning rate', kind: 'batch' }); tile('learning rate', fmt(ev.lr)); }
      add('step time (ms)', 'ms', ['step time'], { x, value: ev.stepMs, series: 'step time', kind: 'batch' });
      tile('step time', `${fmt(ev.stepMs, 3)} ms`);
      if (ev.imagesPerSec !== null) { add('images per second', 'images/s', ['images/s'], { x, value: ev.imagesPerSec, series: 'images/s', kind: 'batch' }); tile('images/s', fmt(Math.round(ev.imagesPerSec))); }
      add('memory (MB)', 'MB', ['rss', 'heap'], { x, value: ev.rssMB, series: 'rss', kind: 'batch' });
      add('memory (MB)', 'MB', ['rss', 'heap'], { x, value: ev.heapMB, series: 'heap', kind: 'batch' });
      tile('memory', `${Math.round(ev.rssMB)} MB`);
      const steps = run.steps || 0;
      where.textContent = `epoch ${ev.epoch + 1} of ${run.epochs} · batch ${ev.step + 1}${steps ? ' of ' + steps : ''}`;
      progress.firstChild.style.width = `${Math.min(100, (100 * x) / Math.max(1, run.epochs)).toFixed(1)}%`;
    } else if (ev.type === 'epoch' && run) {
      for (const [k, v] of Object.entries(ev.logs) as Array<[string, number]>) {
        if (k === 'learning_rate' || k === 'lr') continue;
        const val = k.startsWith('val_');
        const name = val ? k.slice(4) : k;
        // an epoch cut short by Stop ends where its last batch did
        add(name, name, ['batches', 'train (epoch)', 'validation (epoch)'], { x: lastX ?? ev.epoch + 1, value: v, series: val ? 'validation (epoch)' : 'train (epoch)', kind: 'epoch', epoch: -1 });
        tile(k, show(k, v));
      }
    } else if (ev.type === 'stop') {
      setStatus('stopping after this batch…', 'stopping');
      stop.disabled = true;
    } else if (ev.type === 'end') {
      ended = true;
      setStatus(ev.reason === 'completed' ? 'finished' : ev.reason, ev.reason);
      stop.disabled = true;
      stop.textContent = ev.reason === 'completed' ? 'Finished' : 'Stopped';
      source.close();
    }
  };
  const source = new window.EventSource('/api/live/events');
  source.onmessage = (m: any) => on(JSON.parse(m.data));
  source.onerror = () => {
    if (!ended) setStatus('disconnected (training over?)', 'disconnected');
  };
  stop.addEventListener('click', async () => {
    stop.disabled = true;
    stop.textContent = 'Stopping…';
    const r = await window.fetch('/api/live/stop', { method: 'POST' });
    if (!r.ok) {
      stop.disabled = false;
      stop.textContent = 'Stop training';
      tiles.before(el('p', { class: 'error', text: `Stop failed: ${r.status}` }));
    }
  });
}
