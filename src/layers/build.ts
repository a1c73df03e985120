import { ShapeError } from '../util/errors';
import { shapeToString } from '../util/shape';
// Type-only: layer.ts imports this file at run time.
import type { Layer, SymbolicShape } from './layer';

/**
 * The one way a layer gets built, whichever path reaches it first: an eager call (invoke, or
 * apply on Tensors), apply on symbolic tensors, or Sequential.add. `inputShape` is the shape of
 * the input (batch dimension first, null when unknown), or a list of shapes when the layer was
 * called on a list. Keras's Layer._maybe_build.
 */
export function buildLayer(layer: Layer, inputShape: SymbolicShape | SymbolicShape[]): void {
  if (layer.built) return;
  try {
    layer.build(inputShape);
  } catch (e) {
    throw inputShapeError(layer, inputShape, (e as Error).message);
  }
  layer.built = true;
  layer.buildInputShape = inputShape;
}

/** "layer 'd' (Dense) cannot be applied to input of shape (None, 3): why", for build and shape errors alike. */
export function inputShapeError(layer: Layer, inputShape: SymbolicShape | SymbolicShape[], why: string): ShapeError {
  const given = isShapeList(inputShape) ? `[${inputShape.map(shapeToString).join(', ')}]` : shapeToString(inputShape);
  return new ShapeError(`layer '${layer.name}' (${layer.className}) cannot be applied to input of shape ${given}: ${why}`);
}

function isShapeList(s: SymbolicShape | SymbolicShape[]): s is SymbolicShape[] {
  return Array.isArray(s[0]);
}

/** The shape(s) to build for, from what the layer was called on: batch dimension left open. */
export function shapesOf(input: { shape: readonly (number | null)[] } | { shape: readonly (number | null)[] }[]): SymbolicShape | SymbolicShape[] {
  const one = (t: { shape: readonly (number | null)[] }): SymbolicShape => [null, ...t.shape.slice(1)];
  return Array.isArray(input) ? input.map(one) : one(input);
}
