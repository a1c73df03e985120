import { printMsg } from '../callbacks/monitor';
import type { TrainableModel } from './types';

/**
 * Ctrl-C during fit: the first SIGINT asks fit to stop after the current batch (it then runs
 * onTrainEnd, so checkpoints and event files are closed, and resolves with history.interrupted);
 * a second one exits at once with status 130, as a shell reports a process ended by SIGINT.
 * Installed for the duration of fit only: outside fit the process keeps Node's default.
 * Returns the function that removes the handler.
 */
export function stopOnSigint(model: TrainableModel): () => void {
  let seen = false;
  const onSigint = () => {
    const run = model.fitRun;
    if (seen || !run) process.exit(130);
    seen = true;
    run.interrupted = true;
    model.stopTraining = true;
    printMsg('\nInterrupted: stopping after the current batch (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSigint);
  return () => void process.off('SIGINT', onSigint);
}
