/**
 * tt.callbacks: Keras 3's training callbacks with camelCase options.
 * @example
 *   await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [
 *     tt.callbacks.earlyStopping({ monitor: 'val_loss', patience: 10, verbose: 1 }),
 *     tt.callbacks.modelCheckpoint({ filepath: 'weights/val_loss{val_loss:.3f}.weights.h5',
 *       saveBestOnly: true, saveWeightsOnly: true, verbose: 1 }),
 *     tt.callbacks.reduceLROnPlateau({ factor: 0.1, patience: 3, verbose: 1 }),
 *     tt.callbacks.tensorBoard({ logDir: 'log' }),
 *     tt.callbacks.backupAndRestore({ backupDir: 'backup' }),
 *     tt.callbacks.dashboard({ port: 6600 }),  // the live page, printed as a URL
 *   ] });
 */
import { earlyStopping } from './early_stopping';
import { modelCheckpoint } from './model_checkpoint';
import { reduceLROnPlateau } from './reduce_lr';
import { tensorBoard } from './tensorboard/tensorboard';
import { csvLogger } from './csv_logger';
import { terminateOnNaN } from './terminate_on_nan';
import { lambdaCallback } from './lambda_callback';
import { backupAndRestore } from './backup_and_restore';
import { dashboard } from './dashboard';

export { Callback, CallbackList } from './callback';
export type { Logs, CallbackLike, CallbackModel, TrainingParams, FitRun, ResumePoint, EpochSums, StatefulCallback } from './callback';
export { EarlyStopping, type EarlyStoppingArgs } from './early_stopping';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce_lr';
export { TensorBoard, type TensorBoardArgs } from './tensorboard/tensorboard';
export { CSVLogger, type CSVLoggerArgs } from './csv_logger';
export { TerminateOnNaN } from './terminate_on_nan';
export { LambdaCallback, type LambdaCallbackArgs } from './lambda_callback';
export { BackupAndRestore, type BackupAndRestoreArgs } from './backup_and_restore';
export { Dashboard, type DashboardArgs } from './dashboard';

export const callbacks = { earlyStopping, modelCheckpoint, reduceLROnPlateau, tensorBoard, csvLogger, terminateOnNaN, lambdaCallback, backupAndRestore, dashboard };
