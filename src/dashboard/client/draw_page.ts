/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

/**
 * The draw page (/draw/NAME): a canvas to draw on with mouse or touch; each change is sent as a
 * PNG and the model's top-3 classes, the image it saw (after `tatami predict`'s preparation)
 * and the first conv layer's feature maps come back.
 */
export function drawPage(): void {
  const { el, getJson, main, fail } = window.tt;
  const name = document.body.dataset.run;
  const SIZE = 280;
  const canvas = el('canvas', { width: SIZE, height: SIZE, id: 'pad', class: 'pad', 'aria-label': 'drawing area' });
  const ctx = canvas.getContext('2d');
  const seen = el('canvas', { width: 28, height: 28, id: 'seen', class: 'seen' });
  const top = el('ol', { id: 'top', class: 'top' });
  const note = el('p', { class: 'muted', id: 'note', text: 'Draw a digit in the box.' });
  const maps = el('div', { id: 'maps', class: 'maps' });
  const clear = el('button', { type: 'button', id: 'clear', text: 'Clear' });
  const wipe = () => {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, SIZE, SIZE);
  };
  wipe();

  let drawing = false;
  let last: [number, number] | null = null;
  let inFlight = false;
  let dirty = false;
  let inked = false;
  const pos = (e: any): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * SIZE) / r.width, ((e.clientY - r.top) * SIZE) / r.height];
  };
  const line = (a: [number, number], b: [number, number]) => {
    ctx.strokeStyle = '#111111';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    inked = true;
  };
  const render = (r: any) => {
    top.replaceChildren(...r.top.map((t: any) => el('li', { 'data-class': t.name },
      el('span', { class: 'name', text: t.name }),
      el('span', { class: 'barbox' }, el('span', { class: 'fill', style: `width:${(t.probability * 100).toFixed(1)}%` })),
      el('span', { class: 'p', text: `${(t.probability * 100).toFixed(1)}%` }))));
    const img = seen.getContext('2d').createImageData(r.width, r.height);
    seen.width = r.width;
    seen.height = r.height;
    r.seen.forEach((v: number, i: number) => {
      const g = Math.round(v * 255);
      img.data.set([g, g, g, 255], i * 4);
    });
    seen.getContext('2d').putImageData(img, 0, 0);
    note.textContent = `${r.width}x${r.height}, as \`tatami predict\` prepares an image${r.inverted ? ' (dark on light: inverted)' : ''}, centred by its mass.`;
    maps.replaceChildren(r.featureMaps
      ? el('figure', {}, el('img', { src: r.featureMaps, alt: `feature maps of ${r.convLayer}`, id: 'maps-img' }), el('figcaption', { text: `Feature maps of ${r.convLayer}, the model's first conv layer: the input at the left, then its channels, each stretched from its minimum to its maximum.` }))
      : el('p', { class: 'muted', text: 'This model has no conv layer, so no feature maps to show.' }));
    document.body.dataset.predictions = String((Number(document.body.dataset.predictions) || 0) + 1);
  };
  // one request at a time; strokes made meanwhile are sent when it returns
  const busy = (b: boolean) => {
    inFlight = b;
    document.body.dataset.drawState = b ? 'busy' : 'idle';
  };
  const send = async () => {
    if (!inked) return;
    if (inFlight) {
      dirty = true;
      return;
    }
    busy(true);
    dirty = false;
    try {
      const blob = await new Promise<any>((res) => canvas.toBlob(res, 'image/png'));
      const r = await window.fetch(`/api/draw/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: blob });
      const body = await r.json();
      if (!r.ok) note.textContent = body.error || `error ${r.status}`;
      else render(body);
    } catch (e: any) {
      note.textContent = String(e);
    } finally {
      busy(false);
      if (dirty) send();
    }
  };
  canvas.addEventListener('pointerdown', (e: any) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    last = pos(e);
    line(last, last);
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e: any) => {
    if (!drawing) return;
    const p = pos(e);
    line(last!, p);
    last = p;
    send();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    send();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  clear.addEventListener('click', () => {
    wipe();
    inked = false;
    top.replaceChildren();
    maps.replaceChildren();
    seen.getContext('2d').clearRect(0, 0, seen.width, seen.height);
    note.textContent = 'Draw a digit in the box.';
  });

  getJson(`/api/runs/${encodeURIComponent(name)}`).then((r: any) => {
    main().replaceChildren(
      el('h1', {}, 'Draw for ', el('a', { href: `/run/${encodeURIComponent(name)}`, text: name })),
      el('p', { class: 'sub', text: r.example ? `${r.example}: ${r.description ?? ''}` : '' }),
      el('div', { class: 'draw' },
        el('section', {}, el('h2', { text: 'Your drawing' }), canvas, el('p', {}, clear)),
        el('section', {}, el('h2', { text: 'Top 3' }), top, el('h2', { text: 'What the model saw' }), seen, note)),
      el('h2', { text: 'First conv layer' }), maps,
    );
  }).catch(fail);
}
