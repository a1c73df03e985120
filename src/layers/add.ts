import type { Tensor } from '../tensor/tensor';
import { add } from '../ops/index';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { elementwiseShape, inputList, shapeList } from './base_merge';
import { defineLayer } from './registry';

/**
 * Elementwise sum of a list of inputs of the same shape (a dimension of 1 broadcasts).
 * @example const y = tt.layers.add().apply([a, b]);   // residual connection
 */
export class Add extends Layer {
  static readonly className = 'Add';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const xs = inputList(this, input);
    elementwiseShape(this, xs.map((x) => x.shape));
    let y = xs[0];
    for (const x of xs.slice(1)) y = add(y, x);
    return y;
  }

  override computeOutputShape(shapes: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return elementwiseShape(this, shapeList(this, shapes));
  }
}

/** Keras's Merge layers write only the base config (name, trainable, dtype). */
export const addLayer = defineLayer({
  cls: Add,
  factories: { add: (args: LayerArgs = {}) => new Add(args) },
  layout: [],
});
