import { InputLayer } from '../layers/core';
import { ValueError, checkOptions } from '../util/errors';
import { Node, type SymbolicTensor } from '../layers/symbolic';

export interface InputArgs {
  /** Shape of one sample, without the batch dimension (Keras's `shape`). */
  shape?: (number | null)[];
  /** Full shape with the batch dimension (null for any batch size). */
  batchShape?: (number | null)[];
  batchSize?: number;
  name?: string;
  dtype?: string;
}

/**
 * The entry point of a functional model: a symbolic tensor made by a new InputLayer.
 * @example
 *   const x = tt.input({ shape: [28, 28, 1] });           // (None, 28, 28, 1)
 *   const y = tt.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(x);
 *   const model = tt.model({ inputs: x, outputs: y });
 */
export function input(args: InputArgs): SymbolicTensor {
  checkOptions('input', args, ['shape', 'batchShape', 'batchSize', 'name', 'dtype']);
  if (args == null || (args.shape == null && args.batchShape == null)) {
    throw new ValueError('input: give the shape of one sample, e.g. tt.input({ shape: [784] })');
  }
  if (args.shape != null && args.batchShape != null) throw new ValueError('input: give shape or batchShape, not both');
  const batchShape = args.batchShape ? args.batchShape.slice() : [args.batchSize ?? null, ...args.shape!];
  for (const d of batchShape) {
    if (!(d === null || (Number.isInteger(d) && d > 0))) {
      throw new ValueError(`input: every dimension must be a positive integer or null, got shape [${batchShape.map(String).join(', ')}]`);
    }
  }
  const layer = new InputLayer({ batchInputShape: batchShape, name: args.name });
  const node = new Node(layer, [], false, batchShape, args.dtype ?? 'float32', layer.name);
  layer.inboundNodes.push(node);
  layer.built = true;
  return node.outputs[0];
}
