import { warmH5Writer } from '../saving/h5_write';
import type { CallbackModel } from './callback';

/**
 * Called when training begins by the callbacks that write HDF5 files (ModelCheckpoint,
 * BackupAndRestore, hence `tatami train`'s backup): loads the HDF5 writer and writes a throwaway
 * file as large as the model's largest variable, so that the writer's one-time memory (h5wasm's
 * module and heap, ~40-70 MB) is taken before the first epoch ends instead of at the first save,
 * and the process's RSS stays flat after epoch 1.
 */
export function warmHdf5Writer(model: CallbackModel | null | undefined): Promise<void> {
  let largest = 0;
  for (const w of model?.weights ?? []) largest = Math.max(largest, w.size * 4);
  return warmH5Writer(largest);
}
