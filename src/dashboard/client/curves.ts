/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;

/**
 * Sets window.tt.curves: learning curves of one or more runs as a Vega-Lite spec, one panel per
 * metric (loss first), train solid and validation dashed; several runs get a color each. Hover a
 * point for its values; click a legend entry to pick a series (shift-click for several).
 */
export function curves(): void {
  const rowsOf = (run: string, h: any): any[] => {
    const rows: any[] = [];
    if (!h || !h.history) return rows;
    for (const [key, values] of Object.entries(h.history) as Array<[string, any[]]>) {
      if (key === 'lr' || key === 'learning_rate') continue;
      const val = key.startsWith('val_');
      const metric = val ? key.slice(4) : key;
      values.forEach((v: any, i: number) => {
        if (typeof v === 'number' && isFinite(v)) rows.push({ run, metric, split: val ? 'validation' : 'train', epoch: (h.epoch && h.epoch[i] !== undefined ? h.epoch[i] : i) + 1, value: v });
      });
    }
    return rows;
  };
  const spec = (rows: any[], runs: string[]): any => {
    const metrics = [...new Set(rows.map((r) => r.metric))].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
    const many = runs.length > 1;
    const field = many ? 'run' : 'split';
    const panels = metrics.map((m, i) => ({
      title: m,
      width: many ? 400 : 360,
      height: 230,
      transform: [{ filter: { field: 'metric', equal: m } }],
      ...(i === 0 ? { params: [{ name: 'pick', select: { type: 'point', fields: [field] }, bind: 'legend' }] } : {}),
      mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false } },
        y: { field: 'value', type: 'quantitative', title: m, scale: { zero: false } },
        color: {
          field, type: 'nominal', title: many ? 'run' : null,
          ...(many ? {} : { scale: { domain: ['train', 'validation'], range: ['#1f77b4', '#ff7f0e'] } }),
          legend: many ? { orient: 'top', columns: 1, labelLimit: 600 } : { orient: 'top' },
        },
        ...(many ? { strokeDash: { field: 'split', type: 'nominal', title: null, scale: { domain: ['train', 'validation'], range: [[1, 0], [5, 3]] } } } : {}),
        opacity: { condition: { param: 'pick', value: 1, empty: true }, value: 0.12 },
        tooltip: [
          ...(many ? [{ field: 'run' }] : []),
          { field: 'split' }, { field: 'epoch', type: 'quantitative' }, { field: 'value', type: 'quantitative', title: m, format: '.5~g' },
        ],
      },
    }));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: rows },
      concat: panels,
      columns: 2,
      spacing: 24,
      resolve: { scale: { color: 'shared', y: 'independent' } },
    };
  };
  window.tt.curves = { rowsOf, spec };
}
