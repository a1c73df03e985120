import * as path from 'node:path';
import type { Sequential } from '../models/sequential';
import { writeFileAtomicSync } from '../util/atomic_file';
import type { Tensor } from '../tensor/tensor';
import type { History } from '../training/history';
import { saveReport, type ReportValue } from '../viz/report';
import type { TrainExample } from './examples/types';
import type { PreparedData } from './prepare';
import { writeRunPlots } from './run_plots';

export interface RunInfo {
  example: TrainExample;
  model: Sequential;
  history: History;
  data: PreparedData;
  settings: Record<string, unknown>;
  results: { testLoss: number; testAccuracy: number; trainSeconds: number; evaluateSeconds?: number };
  /** The test loss and metrics by name (loss, accuracy, ...). */
  testLogs?: Record<string, number>;
  /** Extra rows of the metrics table (an example's phases), also kept in results.json. */
  table?: Array<Record<string, ReportValue>>;
  /** (N, classes) outputs for data.xTest; without them no plots or report are written. */
  testProbs?: Tensor;
  /** Skip the plots and report.html. */
  noReport?: boolean;
  /** Hears each file written (for progress lines). */
  progress?: (file: string) => void;
}

/** The run folder: model.keras, history.json, summary.txt, results.json, plots and report.html. */
export async function writeRun(dir: string, run: RunInfo): Promise<void> {
  const { model, history } = run;
  const progress = run.progress ?? (() => {});
  writeFileAtomicSync(path.join(dir, 'history.json'), JSON.stringify({ epoch: history.epoch, history: history.history }, null, 2));
  writeFileAtomicSync(path.join(dir, 'summary.txt'), model.summaryText() + '\n');
  writeFileAtomicSync(path.join(dir, 'results.json'), JSON.stringify({
    example: run.example.name, description: run.example.description, reference: run.example.reference ?? null,
    dataset: run.example.dataset, classNames: run.data.classNames,
    settings: run.settings, results: run.results, ...(run.table ? { table: run.table } : {}), date: new Date().toISOString(),
  }, null, 2));
  await model.save(path.join(dir, 'model.keras'));
  if (!run.noReport && run.testProbs) await writeReport(dir, run, progress);
}

function optimizerText(model: Sequential): ReportValue {
  const opt = model.optimizer;
  return opt ? `${opt.constructor.name} (learning rate ${Number(opt.learningRate.toPrecision(6))})` : null;
}

function validationText(run: RunInfo): string {
  const ex = run.example;
  if (ex.validateOnTest) return 'test set';
  if (ex.augmentation) return run.data.xVal ? `last ${run.data.xVal.shape[0]} of the shuffled training images (${(ex.validationSplit ?? 0) * 100}%)` : 'none';
  return ex.validationSplit ? `last ${ex.validationSplit * 100}% of the training images` : 'none';
}

/** The generator's random transforms in Keras's option names, e.g. 'widthShiftRange 0.1, horizontalFlip'. */
function augmentationText(ex: TrainExample): string {
  const gen = ex.augmentation!();
  const parts: string[] = [];
  for (const [k, v] of Object.entries(gen.ranges) as Array<[string, unknown]>) {
    if (v === true) parts.push(k);
    else if (typeof v === 'number' && v !== 0) parts.push(`${k} ${v}`);
    else if (Array.isArray(v) && !(v.length === 2 && v[0] === 1 && v[1] === 1)) parts.push(`${k} [${v.join(', ')}]`);
  }
  if (gen.fillMode !== 'nearest') parts.push(`fillMode ${gen.fillMode}${gen.fillMode === 'constant' ? ` (cval ${gen.cval})` : ''}`);
  return parts.length ? `ImageDataGenerator: ${parts.join(', ')}` : 'ImageDataGenerator with no random transform';
}

/** Last value of a history series, if any. */
function last(history: History, key: string): number | undefined {
  const v = history.history[key];
  return v && v.length ? v[v.length - 1] : undefined;
}

/** The plots, then report.html: summary, settings, metrics, timing and every plot, embedded. */
async function writeReport(dir: string, run: RunInfo, progress: (file: string) => void): Promise<void> {
  const { model, history, data } = run;
  const t0 = Date.now();
  const images = await writeRunPlots(dir, {
    model, history, xTest: data.xTest, testLabels: data.testLabels, testProbs: run.testProbs!, classNames: data.classNames,
  }, progress);
  const plotSeconds = (Date.now() - t0) / 1000;
  const names = [...new Set(Object.keys(history.history).map((k) => k.replace(/^val_/, '')))].filter((k) => k !== 'learning_rate' && k !== 'lr');
  const row = (split: string, prefix: string): Record<string, ReportValue> | null => {
    const r: Record<string, ReportValue> = { split };
    for (const k of names) r[k] = last(history, prefix + k);
    return names.some((k) => r[k] !== undefined) ? r : null;
  };
  const testRow: Record<string, ReportValue> = { split: `test (${data.xTest.shape[0]} images)`, ...(run.testLogs ?? { loss: run.results.testLoss, accuracy: run.results.testAccuracy }) };
  const metrics = [row('training (last epoch)', ''), row('validation (last epoch)', 'val_'), testRow, ...(run.table ?? [])].filter((r): r is Record<string, ReportValue> => r !== null);
  const c = model.compiled;
  const s = run.settings;
  const epochs = history.epoch.length;
  await saveReport(path.join(dir, 'report.html'), {
    title: `tatami run: ${run.example.name}`,
    subtitle: run.example.description,
    summary: model.summaryText(),
    settings: {
      dataset: run.example.dataset, 'training images': data.xTrain.shape[0], 'test images': data.xTest.shape[0],
      epochs: `${epochs}${s.epochs !== undefined && s.epochs !== epochs ? ` of ${s.epochs} (stopped early)` : ''}`,
      'batch size': s.batchSize as ReportValue, optimizer: optimizerText(model), loss: c?.lossId ?? null,
      metrics: c?.metricIds.join(', ') ?? null,
      validation: validationText(run),
      ...(run.example.augmentation ? { augmentation: augmentationText(run.example) } : {}),
      seed: s.seed as ReportValue, backend: s.backend as ReportValue, reference: run.example.reference ?? null,
    },
    metrics,
    timing: {
      training: run.results.trainSeconds, 'per epoch': run.results.trainSeconds / Math.max(epochs, 1),
      ...(run.results.evaluateSeconds !== undefined ? { 'test evaluation': run.results.evaluateSeconds } : {}),
      plots: plotSeconds,
    },
    images,
  });
  progress('report.html');
}

