#!/usr/bin/env node
import { parseArgs, UsageError } from './args';
import { TRAIN_HELP, trainCommand } from './train';
import { EVALUATE_HELP, evaluateCommand } from './evaluate';
import { PREDICT_HELP, predictCommand } from './predict';
import { SUMMARY_HELP, summaryCommand } from './summary';
import { VISUALIZE_HELP, visualizeCommand } from './visualize';
import { DASHBOARD_HELP, dashboardCommand } from './dashboard';
import { TatamiError } from '../util/errors';

// The `tatami` command: the only code that reads argv or writes to the terminal directly.

const HELP = `Usage: tatami <command> [options]

Commands:
  train <example|file>              train a model; write a run folder with plots and report.html
  evaluate <model> --dataset NAME   loss, metrics, per-class accuracy, confusion matrix
  predict <model> <images...>       classify PNG or JPEG images
  summary <model>                   print the model's layers and parameters
  visualize <model> <picture>       draw filters, feature maps, predictions, ... to a file
  dashboard [runs folder]           browse runs, compare curves, draw digits for a model (web page)

A model is a .keras or .h5 file (from tatami or Keras), or a run folder with model.keras.
Run 'tatami <command> --help' for a command's options.
Exit codes: 0 done, 1 runtime error (unreadable file, bad data), 2 bad command line.
`;

/** Where a command writes: its log lines, its errors, and the stream the progress bar redraws on. */
export interface CliIO {
  log(s: string): void;
  error(s: string): void;
  stream: NodeJS.WritableStream;
}

type Command = (args: ReturnType<typeof parseArgs>, io: CliIO) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  train: { run: trainCommand, help: TRAIN_HELP },
  evaluate: { run: evaluateCommand, help: EVALUATE_HELP },
  predict: { run: predictCommand, help: PREDICT_HELP },
  summary: { run: summaryCommand, help: SUMMARY_HELP },
  visualize: { run: visualizeCommand, help: VISUALIZE_HELP },
  dashboard: { run: dashboardCommand, help: DASHBOARD_HELP },
};

/** Options that never take a value, so `--json model.keras` keeps the file as an argument. */
const FLAGS = ['help', 'json', 'no-report', 'resume', 'dashboard'];

const stdio: CliIO = {
  log: (s) => void process.stdout.write(s + '\n'),
  error: (s) => void process.stderr.write(s + '\n'),
  stream: process.stdout,
};

export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  const log = io.log;
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    log(HELP);
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.error(`tatami: unknown command '${name}'\n${HELP}`);
    return 2;
  }
  try {
    return await cmd.run(parseArgs(rest, FLAGS), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`tatami ${name}: ${e.message}`);
      return 2;
    }
    if (e instanceof TatamiError) {
      io.error(`tatami ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
