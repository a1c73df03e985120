import * as path from 'node:path';
import type { CliIO } from './main';
import { loadModelFile } from './model_file';
import { argmaxRows, evaluateSet, lossAndMetrics } from './evaluate_set';
import { DATASETS, labelTensor, loadTestSet } from './test_set';
import { DATA_HELP } from './datasets';
import { choiceOption, countOption, flagOption, knownOptions, type ParsedArgs, stringOption, UsageError } from './args';
import { plotConfusionMatrix } from '../viz/model';
import { confusionMatrix } from '../viz/confusion';

export const EVALUATE_HELP = `Usage: tatami evaluate <model file> [options]

Evaluates a model on a test set: the loss and metrics it was compiled with (sparse categorical
cross-entropy and accuracy if the file has no training configuration), the accuracy of each
class, and optionally the confusion matrix as an image.

A model file is a .keras or .h5 file (from tatami or Keras), or a run folder.

Options:
  --dataset NAME    mnist, fashion-mnist or cifar10 (default: the model's run, else mnist)
${DATA_HELP}
  --limit N         use the first N test images (default all 10,000)
  --batch-size N    images per batch (default 128)
  --out FILE        write the confusion matrix to FILE (.png or .svg)
  --json            print the results as JSON (no progress bar)
  -h, --help        show this help

Exit codes: 0 done, 1 unreadable model or data, 2 bad command line.
`;

const KNOWN = ['dataset', 'data', 'limit', 'batch-size', 'out', 'json'];

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** Per-class rows: true class, correct, total, accuracy (recall). */
export function perClass(counts: number[][], names: string[]): Array<{ class: string; correct: number; total: number; accuracy: number }> {
  return counts.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return { class: names[k] ?? String(k), correct: row[k], total, accuracy: total ? row[k] / total : NaN };
  });
}

export async function evaluateCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.help) {
    io.log(EVALUATE_HELP);
    return 0;
  }
  knownOptions('evaluate', args, KNOWN);
  if (args.positional.length !== 1) throw new UsageError(`expected one model file, got ${args.positional.length} arguments; see 'tatami evaluate --help'`);
  const datasetArg = choiceOption(args, 'dataset', DATASETS);
  const limit = countOption(args, 'limit');
  const batchSize = countOption(args, 'batch-size', 128);
  const out = stringOption(args, 'out');
  const json = flagOption(args, 'json');

  const loaded = await loadModelFile(args.positional[0]);
  const { model } = loaded;
  const dataset = datasetArg ?? loaded.dataset ?? 'mnist';
  const set = await loadTestSet(dataset, model, limit, stringOption(args, 'data'));
  const classes = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? set.classNames.length;
  if (!json) io.log(`Evaluating ${path.relative('.', loaded.file) || loaded.file} on ${set.labels.length} ${dataset} test images`);
  const ev = evaluateSet(model, set.x, labelTensor(set.labels, lossAndMetrics(model), classes), {
    batchSize, stream: json ? null : io.stream,
  });
  const predicted = argmaxRows(ev.probs);
  const counts = confusionMatrix(set.labels, predicted, classes);
  const rows = perClass(counts, set.classNames);
  if (out) await (await plotConfusionMatrix(set.labels, predicted, {
    classNames: set.classNames.slice(0, classes), numClasses: classes,
    title: `${model.name} on ${set.labels.length} ${dataset} test images`,
  })).save(out);

  if (json) {
    io.log(JSON.stringify({ model: loaded.file, dataset, samples: set.labels.length, ...ev.logs, perClass: rows, confusion: counts, image: out ?? null }, null, 2));
    return 0;
  }
  io.log(`Test loss: ${ev.logs.loss.toFixed(4)}`);
  for (const [k, v] of Object.entries(ev.logs)) if (k !== 'loss') io.log(`Test ${k}: ${/acc/.test(k) ? pct(v) : v.toFixed(4)}`);
  const w = Math.max(5, ...rows.map((r) => r.class.length));
  io.log('');
  io.log(`${'class'.padEnd(w)}  correct   total  accuracy`);
  for (const r of rows) {
    io.log(`${r.class.padEnd(w)}  ${String(r.correct).padStart(7)}  ${String(r.total).padStart(6)}  ${(r.total ? pct(r.accuracy) : '-').padStart(8)}`);
  }
  if (out) io.log(`\nConfusion matrix: ${out}`);
  return 0;
}
