import * as fs from 'node:fs';
import * as path from 'node:path';
import { setSeed } from '../util/rng';
import { backend } from '../backend/registry';
import type { Sequential } from '../models/sequential';
import type { History } from '../training/history';
import { flagOption, intOption, knownOptions, stringOption, UsageError, type ParsedArgs } from './args';
import type { CliIO } from './main';
import { loadExample } from './load_example';
import { prepareData } from './prepare';
import { writeRun } from './run_folder';
import { evaluateSet } from './evaluate_set';
import { fitExample } from './fit_example';
import { DATA_HELP } from './datasets';
import { backupAndRestore } from '../callbacks/backup_and_restore';
import { Dashboard } from '../callbacks/dashboard';
import { SERVE_OPTIONS, serveOptions } from './dashboard';
import { drawHandler } from './dashboard_draw';
import type { ExampleRunResult } from './examples/types';

export const TRAIN_HELP = `Usage: tatami train <example | file.ts | file.js> [options]

Builds and trains a model on real data, prints the summary and Keras's progress bar, evaluates it
on the test set and writes a run folder: the model, history.json, summary.txt, results.json,
plots (learning curves, filters and feature maps of the first conv layers, predictions,
confusion matrix, misclassified images) and report.html, one page with all of them.

Built-in examples (the seed tutorials' models):
  mnist-cnn            Keras mnist_cnn: 2 convolutions, Adadelta 1.0, 12 epochs   (seed 001)
  mnist-simple-cnn     1 convolution, SGD 0.01, 20 epochs                          (seed 000)
  mnist-mlp            MLP 256-128-10, Adam, batch 32                              (seed 002)
  mnist-tutorial-cnn   TensorFlow tutorial CNN, Adam, 5 epochs                     (seed 004)
  lenet                LeNet on MNIST, Adam, 12 epochs                             (seed 003)
  cifar10-cnn          CIFAR-10, 2 convolutions, RMSprop, 12 epochs                (seed 003)
  cifar10-deep-cnn     CIFAR-10, 4 convolutions, RMSprop, 12 epochs                (seed 003)
  cifar10-deep-aug     the same with shifts and flips, 15 epochs                   (seed 003)
  fashion-cnn          Fashion-MNIST, seed 001's network, Adam, 12 epochs
  fashion-cnn-aug      the same with shifts, 15 epochs
  fashion-transfer     fine-tuning as seed 003: a small VGG base pretrained on       (seed 003)
                       Fashion-MNIST classes 0-4, new head on classes 5-9 from 1,000
                       images (base frozen, then blocks 2-3 unfrozen), beside the same
                       network from scratch; --epochs N sets every step's epochs

CIFAR-10 cannot be downloaded by tatami: put cifar-10-python.tar.gz (or the binary version,
or either extracted) in ~/.keras/datasets, or point --data or $TATAMI_CIFAR10_DIR at it.
The cifar10 examples also keep the best model by validation loss in model_file.keras.

A file exports (default) an object with buildModel(), compileArgs(), batchSize, epochs and
optionally dataset ('mnist' | 'fashion-mnist' | 'cifar10'), input ('image' | 'flat'), labels
('categorical' | 'sparse'), validationSplit, augmentation() (an ImageDataGenerator),
callbacks(runDir).

Ctrl-C stops training after the current batch, keeps the backup and exits with status 130;
a second Ctrl-C exits at once.

Options:
  --epochs N        override the number of epochs
  --batch-size N    override the batch size
  --limit N         train on the first N training images
  --test-limit N    evaluate on the first N test images
${DATA_HELP}
  --seed N          random seed for initialization, shuffling and dropout (default 1)
  --out DIR         run folder (default runs/<example>-<date>)
  --verbose 0|1|2   progress output (default 1)
  --no-report       skip the plots and report.html
  --dashboard       serve the live page while training (per-batch loss and metrics, epoch values,
                    learning rate, speed, memory, a Stop button), with the runs folder beside it;
                    --port N and --host ADDR as for \`tatami dashboard\`
  --resume          go on with a run that was killed or interrupted (Ctrl-C), from the backup its
                    run folder keeps until training completes: the folder given by --out, else
                    the newest runs/<example>-* that has one. Give the same options as the first time.
  -h, --help        show this help
`;

const KNOWN = ['epochs', 'batch-size', 'limit', 'test-limit', 'data', 'seed', 'out', 'verbose', 'no-report', 'resume', 'dashboard', ...SERVE_OPTIONS];
const BACKUP = 'backup';

const hasBackup = (runDir: string) => fs.existsSync(path.join(runDir, BACKUP)) && fs.readdirSync(path.join(runDir, BACKUP)).some((f) => /^backup_[ab]\.json$/.test(f));

/** The newest runs/<name>-<date> folder holding a backup, or null. */
function newestBackedUpRun(name: string): string | null {
  if (!fs.existsSync('runs')) return null;
  const runs = fs.readdirSync('runs').filter((d) => d.startsWith(`${name}-`)).sort().reverse();
  const found = runs.find((d) => hasBackup(path.join('runs', d)));
  return found ? path.resolve('runs', found) : null;
}

export async function trainCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const log = io.log;
  if (args.options.help) {
    log(TRAIN_HELP);
    return 0;
  }
  knownOptions('train', args, KNOWN);
  if (args.positional.length !== 1) {
    log(TRAIN_HELP);
    return 2;
  }
  const ex = loadExample(args.positional[0]);
  const seed = intOption(args, 'seed') ?? 1;
  const epochs = intOption(args, 'epochs') ?? ex.epochs;
  const batchSize = intOption(args, 'batch-size') ?? ex.batchSize;
  const limit = intOption(args, 'limit');
  const testLimit = intOption(args, 'test-limit');
  const verbose = (intOption(args, 'verbose') ?? 1) as 0 | 1 | 2;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const out = stringOption(args, 'out');
  const resume = flagOption(args, 'resume');
  const found = resume && !out ? newestBackedUpRun(ex.name) : null;
  const runDir = path.resolve(out ?? found ?? path.join('runs', `${ex.name}-${stamp}`));
  if (resume && ex.run) {
    io.error(`tatami train: ${ex.name} trains in several phases and cannot be resumed; run it again`);
    return 2;
  }
  if (resume && !hasBackup(runDir)) {
    io.error(`tatami train: nothing to resume: ${out ? `'${runDir}' has no backup` : `no runs/${ex.name}-* folder has a backup`} (a run keeps one until its training completes)`);
    return 2;
  }
  if (!resume && hasBackup(runDir)) {
    io.error(`tatami train: '${runDir}' holds the backup of an unfinished run: add --resume to go on with it, or choose another --out`);
    return 2;
  }
  const dataDir = stringOption(args, 'data');
  const live = flagOption(args, 'dashboard');
  const lonely = SERVE_OPTIONS.filter((o) => args.options[o] !== undefined);
  if (live && ex.run) {
    io.error(`tatami train: ${ex.name} trains in several phases; --dashboard follows the single fit of the other examples`);
    return 2;
  }
  if (!live && lonely.length) throw new UsageError(`--${lonely.join(' and --')} ${lonely.length > 1 ? 'go' : 'goes'} with --dashboard`);
  const dash = live ? new Dashboard({ ...serveOptions(args), runsDir: path.dirname(runDir), batchSize, log, draw: drawHandler() }) : null;

  setSeed(seed);
  // the data first: a missing dataset leaves no empty run folder behind
  let data = await prepareData(ex, { limit, testLimit, dataDir });
  fs.mkdirSync(runDir, { recursive: true });
  let model: Sequential;
  let history: History;
  let table: ExampleRunResult['table'];
  const t0 = Date.now();
  if (ex.run) {
    log(`Training ${ex.name} (backend: ${backend().name}, seed ${seed})`);
    const r = await ex.run({ data, runDir, epochs: intOption(args, 'epochs'), batchSize: intOption(args, 'batch-size'), verbose, stream: io.stream, log });
    ({ history, table } = r);
    model = r.model as Sequential; // evaluation, plots and saving use only the Model base
    data = r.data ?? data;
  } else {
    model = ex.buildModel() as Sequential;
    model.summary(log);
    model.compile(ex.compileArgs());
    if (resume) log(`Resuming the run in ${runDir}`);
    log(`Training ${ex.name} on ${data.xTrain.shape[0]} ${ex.dataset} images${ex.augmentation ? ', augmented' : ''} (backend: ${backend().name}, seed ${seed})`);
    try {
      history = await fitExample(model, ex, data, {
        batchSize, epochs, verbose, stream: io.stream,
        // the backup comes first, so a resumed run finds the callbacks' states where it left them
        callbacks: [backupAndRestore({ backupDir: path.join(runDir, BACKUP) }), ...(ex.callbacks ? ex.callbacks(runDir) : []), ...(dash ? [dash] : [])],
      });
    } finally {
      await dash?.close();
    }
    if (dash?.stopRequested && !history.interrupted) log(`Stopped from the dashboard after ${history.epoch.length} epoch${history.epoch.length === 1 ? '' : 's'}.`);
    if (history.interrupted) {
      log(`Interrupted. The run folder keeps its backup: \`tatami train ${args.positional[0]} --resume --out ${runDir}\` (with the same options) goes on from it.`);
      return 130;
    }
  }
  const trainSeconds = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  // one pass gives model.evaluate's loss and metrics and the predictions the plots need
  const { logs: testLogs, probs: testProbs, compiled } = evaluateSet(model, data.xTest, data.yTest, { batchSize: 128 });
  const evaluateSeconds = (Date.now() - t1) / 1000;
  const testLoss = testLogs.loss;
  const testAccuracy = compiled.metrics.length ? testLogs[compiled.metrics[0].name] : NaN;
  log(`Test loss: ${testLoss.toFixed(4)}`);
  log(`Test accuracy: ${(testAccuracy * 100).toFixed(2)}%`);
  log(`Training time: ${trainSeconds.toFixed(1)} s`);
  if (ex.afterTrain) await ex.afterTrain(model, runDir);
  await writeRun(runDir, {
    example: ex, model, history, data,
    settings: { epochs, batchSize, seed, limit: limit ?? null, testLimit: testLimit ?? null, data: dataDir ?? null, backend: backend().name },
    results: { testLoss, testAccuracy, trainSeconds, evaluateSeconds },
    testLogs, testProbs, table, noReport: flagOption(args, 'no-report'),
    progress: (file) => log(`Wrote ${file}`),
  });
  log(`Run folder: ${runDir}`);
  return 0;
}
