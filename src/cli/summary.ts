import * as path from 'node:path';
import type { CliIO } from './main';
import { loadModelFile } from './model_file';
import { countOption, knownOptions, type ParsedArgs, UsageError } from './args';

export const SUMMARY_HELP = `Usage: tatami summary <model file> [options]

Prints Keras's summary table of a saved model (layers, output shapes, parameters), its input
shape and training configuration, and the dataset of its run when results.json is beside it.

Options:
  --line-length N   width of the table (default: Keras's, sized to the columns)
  -h, --help        show this help

Exit codes: 0 done, 1 unreadable model, 2 bad command line.
`;

const KNOWN = ['line-length'];

export async function summaryCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.help) {
    io.log(SUMMARY_HELP);
    return 0;
  }
  knownOptions('summary', args, KNOWN);
  if (args.positional.length !== 1) throw new UsageError(`expected one model file, got ${args.positional.length} arguments; see 'tatami summary --help'`);
  const lineLength = countOption(args, 'line-length');
  const loaded = await loadModelFile(args.positional[0]);
  const { model } = loaded;
  io.log(`File: ${path.relative('.', loaded.file) || loaded.file}`);
  model.summary(lineLength === undefined ? {} : { lineLength }, io.log);
  const input = model.inputs[0].shape.map((d) => (d == null ? 'None' : String(d)));
  io.log(`Input shape: (${input.join(', ')})`);
  const c = model.compiled;
  if (c) {
    const metrics = c.metricIds.length ? `, metrics: ${c.metricIds.join(', ')}` : '';
    io.log(`Compiled: optimizer ${c.optimizer.constructor.name} (learning rate ${Number(c.optimizer.learningRate.toPrecision(6))}), loss ${c.lossId}${metrics}`);
  } else {
    io.log('Not compiled (the file has no training configuration)');
  }
  if (loaded.dataset) io.log(`Trained on: ${loaded.dataset} (${(loaded.classNames ?? []).join(', ')})`);
  return 0;
}
