import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDashboard, startupLine, DEFAULT_PORT } from '../dashboard/server';
import { TatamiError } from '../util/errors';
import { intOption, knownOptions, stringOption, UsageError, type ParsedArgs } from './args';
import type { CliIO } from './main';
import { drawHandler } from './dashboard_draw';

export const DASHBOARD_HELP = `Usage: tatami dashboard [runs folder] [options]

Serves a local web page about your training runs: every run folder under the runs folder
(default runs/) with its example, settings, test accuracy and date; a page per run with its
figures, interactive learning curves (hover for values, click the legend to pick a series),
settings, model summary and every picture; several runs' curves overlaid; and, for MNIST and
Fashion-MNIST models, a page to draw on where the model classifies your drawing as you draw.
Training live: \`tatami train <example> --dashboard\`.

The page needs no network: its scripts come from the installed packages. Ctrl-C stops it.

Options:
  --port N      port to try first (default ${DEFAULT_PORT}); when it is busy the next free one is used
  --host ADDR   address to listen on (default 127.0.0.1: this machine only); another address
                makes the runs readable from other machines
  -h, --help    show this help
`;

export const SERVE_OPTIONS = ['port', 'host'];

/** --port and --host, shared with `tatami train --dashboard`. */
export function serveOptions(args: ParsedArgs): { port: number; host: string | undefined } {
  const port = intOption(args, 'port') ?? DEFAULT_PORT;
  if (port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
  return { port, host: stringOption(args, 'host') };
}

export async function dashboardCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.options.help) {
    io.log(DASHBOARD_HELP);
    return 0;
  }
  knownOptions('dashboard', args, SERVE_OPTIONS);
  if (args.positional.length > 1) throw new UsageError(`expected at most one runs folder, got ${args.positional.length}; see 'tatami dashboard --help'`);
  const runsDir = path.resolve(args.positional[0] ?? 'runs');
  if (!fs.existsSync(runsDir) || !fs.statSync(runsDir).isDirectory()) {
    throw new TatamiError(`no runs folder '${args.positional[0] ?? 'runs'}': train a model first (tatami train) or name the folder that holds the run folders`);
  }
  const { port, host } = serveOptions(args);
  const server = await startDashboard({ runsDir, port, host, draw: drawHandler() });
  io.log(startupLine(server));
  io.log(`Showing the runs in ${runsDir}. Ctrl-C stops the dashboard.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
