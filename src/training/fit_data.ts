import type { Tensor } from '../tensor/tensor';
import { warnOnce } from '../callbacks/monitor';
import { ValueError } from '../util/errors';
import { checkSameLength, splitValidation } from './batches';
import { SourceAdapter, TensorAdapter, type DataAdapter } from './data_adapter';
import { checkSteps, describe, isDataSource, isTensor, type DataSource } from './data_source';
import type { FitArgs } from './fit';

/**
 * fit's training and validation data as adapters, with Keras's rules for what goes with what:
 * tensors take batchSize, shuffle and validationSplit; a data source brings its own batches,
 * takes stepsPerEpoch, and refuses batchSize and validationSplit.
 */
export function fitData(x: Tensor | DataSource, y: Tensor | null, args: FitArgs): { train: DataAdapter; val: DataAdapter | null } {
  if (isTensor(x)) {
    const batchSize = args.batchSize ?? 32;
    if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`fit: batchSize must be a positive integer, got ${args.batchSize}`);
    checkSameLength(x, y!, 'fit');
    if (args.stepsPerEpoch != null) {
      throw new ValueError('fit: stepsPerEpoch is for a data source (generator, iterator or dataset); with tensors an epoch is ceil(samples / batchSize) batches');
    }
    let val = validationData(args, batchSize);
    let [trainX, trainY] = [x, y!];
    if (!val && args.validationSplit) {
      const s = splitValidation(x, y!, args.validationSplit);
      [trainX, trainY] = [s.x, s.y];
      val = new TensorAdapter(s.vx, s.vy, args.validationBatchSize ?? batchSize, false, 'fit');
    }
    return { train: new TensorAdapter(trainX, trainY, batchSize, args.shuffle ?? true), val };
  }
  if (args.batchSize != null) {
    throw new ValueError(`fit: batchSize must not be specified when x is a data source (generator, iterator or dataset): its batches are already made (got batchSize ${args.batchSize})`);
  }
  if (args.validationSplit && args.validationData == null) {
    throw new ValueError('fit: validationSplit is only supported for Tensors, not for a data source x (generator, iterator or dataset); give validationData instead');
  }
  if (args.shuffle === true) warnOnce('fit: shuffle: true is ignored since x is a data source; its batches are expected to come shuffled already');
  const train = new SourceAdapter(x, 'fit', 'stepsPerEpoch', checkSteps('fit', 'stepsPerEpoch', args.stepsPerEpoch));
  return { train, val: validationData(args, 32) };
}

/** validationData: [x, y] tensors, or a data source (with validationSteps). */
function validationData(args: FitArgs, batchSize: number): DataAdapter | null {
  const vd: unknown = args.validationData;
  if (vd == null) {
    if (args.validationSteps != null) throw new ValueError('fit: validationSteps was given without validationData');
    return null;
  }
  if (Array.isArray(vd)) {
    if (vd.length !== 2 || !isTensor(vd[0]) || !isTensor(vd[1])) {
      throw new ValueError(`fit: validationData must be [x, y] tensors or a data source, got an Array of ${vd.length} (${vd.map(describe).join(', ')})`);
    }
    if (args.validationSteps != null) {
      throw new ValueError('fit: validationSteps is for a validationData source; [x, y] tensors are evaluated whole, in batches of validationBatchSize');
    }
    checkSameLength(vd[0], vd[1], 'fit validationData');
    return new TensorAdapter(vd[0], vd[1], args.validationBatchSize ?? batchSize, false, 'fit');
  }
  if (!isDataSource(vd)) throw new ValueError(`fit: validationData must be [x, y] tensors or a data source, got ${describe(vd)}`);
  if (args.validationBatchSize != null) {
    throw new ValueError('fit: validationBatchSize must not be specified when validationData is a data source: its batches are already made');
  }
  return new SourceAdapter(vd, 'fit (validation)', 'validationSteps', checkSteps('fit', 'validationSteps', args.validationSteps));
}
