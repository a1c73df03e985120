import type { BaseModel, SummaryTable } from '../models/model';

// tfjs's model.summary() table (tfjs-layers' printSummary): Layer (type), Input Shape, Output
// shape, Param # and, for a model that is not sequential-like, Receives inputs.

function row(fields: string[], positions: number[]): string {
  let line = '';
  fields.forEach((f, i) => {
    if (i > 0) line = line.slice(0, line.length - 1) + ' ';
    line += f;
    line = line.slice(0, positions[i]);
    line += ' '.repeat(positions[i] - line.length);
  });
  return line;
}

const json = (s: unknown) => JSON.stringify(s);

/** The summary's lines; the model must be built. */
export function tfjsSummary(model: BaseModel, lineLength?: number, positions?: number[]): string[] {
  const table = (model as unknown as { summaryTable(): SummaryTable }).summaryTable();
  const connected = table.connected;
  const width = lineLength || (connected ? 115 : 90);
  let pos = positions || (connected ? [0.24, 0.48, 0.7, 0.8, 1] : [0.32, 0.61, 0.89, 1]);
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(width * p));
  const header = ['Layer (type)', 'Input Shape', 'Output shape', 'Param #', ...(connected ? ['Receives inputs'] : [])];
  const lines = ['_'.repeat(width), row(header, pos), '='.repeat(width)];
  const layers = model.layers;
  // a Sequential lists no InputLayer; its first layer's input is the model's input
  let prevShape: unknown = model.inputs[0]?.shape;
  table.rows.forEach((r, i) => {
    const layer = layers[i];
    const nodes = layer.inboundNodes;
    const inputShape = connected || nodes.length
      ? (nodes.length ? nodes.map((n) => json(n.inputs.length ? n.inputs.map((t) => t.shape) : n.outputs.map((t) => t.shape))).join(',') : json([prevShape]))
      : json([prevShape]);
    const fields = [`${r.name} (${r.className})`, connected ? inputShape : json([prevShape]), json(r.outputShape), String(r.params)];
    const conns = r.connectedTo ?? [];
    lines.push(row(connected ? [...fields, conns[0] ?? ''] : fields, pos));
    for (const c of conns.slice(1)) lines.push(row(['', '', '', '', c], pos));
    lines.push((i === table.rows.length - 1 ? '=' : '_').repeat(width));
    prevShape = r.outputShape;
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const frozen = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  lines.push(`Total params: ${trainable + frozen}`, `Trainable params: ${trainable}`, `Non-trainable params: ${frozen}`, '_'.repeat(width));
  return lines;
}
