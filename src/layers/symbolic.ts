import { ShapeError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { buildLayer, inputShapeError } from './build';
// Type-only: layer.ts imports this file at run time, so importing layer.ts back would be a cycle.
import type { Layer, SymbolicShape } from './layer';

/**
 * The graph that the functional API records, as in Keras: calling a layer on symbolic tensors
 * (`layer.apply(x)`) computes no values; it adds a Node to the layer's `inboundNodes`, linking
 * the input tensors to a new output tensor. A model walks these nodes back from its outputs.
 */

let tensorCount = 0;

/** A placeholder for a batch of values: its shape (batch dimension null), dtype, and producer. */
export class SymbolicTensor {
  readonly isSymbolic = true;
  readonly id: number;
  readonly shape: SymbolicShape;

  constructor(
    shape: SymbolicShape,
    readonly dtype: string,
    readonly name: string,
    /** The node (one call of a layer) that outputs this tensor. */
    readonly node: Node,
    readonly tensorIndex = 0,
  ) {
    this.id = tensorCount++;
    this.shape = shape.slice();
  }

  /** The layer that produces this tensor (Keras's `_keras_history.operation`). */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  /** Which call of sourceLayer made it (index into sourceLayer.inboundNodes). */
  get nodeIndex(): number {
    return this.node.layer.inboundNodes.indexOf(this.node);
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<SymbolicTensor shape=${shapeToString(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** One call of a layer on symbolic inputs: which tensors went in, which came out. */
export class Node {
  readonly outputs: SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    readonly inputs: SymbolicTensor[],
    /** True when the layer was called on an array (multi-input layers get an array back). */
    readonly inputIsList: boolean,
    outputShape: SymbolicShape,
    outputDtype: string,
    outputName: string,
  ) {
    this.outputs = [new SymbolicTensor(outputShape, outputDtype, outputName, this)];
  }

  /** An InputLayer's node: it has no inputs and stands for data fed to the model. */
  get isInput(): boolean {
    return this.inputs.length === 0;
  }

  get inboundLayers(): Layer[] {
    return this.inputs.map((t) => t.sourceLayer);
  }

  /** The nodes that made this node's inputs. */
  get parentNodes(): Node[] {
    return this.inputs.map((t) => t.node);
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}

/** A fresh Keras-3-style tensor name: keras_tensor, keras_tensor_1, ... */
export function nextTensorName(): string {
  return tensorCount === 0 ? 'keras_tensor' : `keras_tensor_${tensorCount}`;
}

/** A node's input as the layer received it: one tensor, a list, or an InputLayer's own tensor. */
export function nodeInput(node: Node): SymbolicTensor | SymbolicTensor[] {
  if (node.isInput) return node.outputs[0];
  return node.inputIsList ? node.inputs.slice() : node.inputs[0];
}

function fmtShape(d: SymbolicShape): string {
  // shapeToString of a bad shape (undefined entries) would print "undefined"; keep it readable
  return `(${d.map((x) => (x === null ? 'None' : String(x))).join(', ')}${d.length === 1 ? ',' : ''})`;
}

/**
 * layer.apply on symbolic tensors: builds the layer for these shapes (or checks them against the
 * shapes it was built for), computes the output shape, and records the call as a new node.
 */
export function applySymbolic(layer: Layer, inputs: SymbolicTensor[], isList: boolean): SymbolicTensor {
  const shapes = inputs.map((t) => t.shape.slice());
  const shapeArg = isList ? shapes : shapes[0];
  if (layer.built) assertInputCompatible(layer, shapes);
  else buildLayer(layer, shapeArg);
  let out: SymbolicShape;
  try {
    out = layer.computeOutputShape(shapeArg);
  } catch (e) {
    throw inputShapeError(layer, shapeArg, (e as Error).message);
  }
  if (!out.every((d) => d === null || (Number.isInteger(d) && d > 0))) throw inputShapeError(layer, shapeArg, `its output shape would be ${fmtShape(out)}`);
  const node = new Node(layer, inputs, isList, out, 'float32', nextTensorName());
  layer.inboundNodes.push(node);
  return node.outputs[0];
}

/**
 * Checks a built layer's new inputs against the shapes it was built for, as Keras's InputSpec
 * does for layers with weights: the same last axis, and the same rank for image-like inputs.
 */
function assertInputCompatible(layer: Layer, shapes: SymbolicShape[]): void {
  const ref = layer.buildInputShape;
  if (!ref || layer.weights.length === 0) return;
  const refs = (Array.isArray(ref[0]) ? ref : [ref]) as SymbolicShape[];
  shapes.forEach((got, i) => {
    const want = refs[i];
    if (!want) return;
    const head = `Input ${i} of layer '${layer.name}' (${layer.className}) is incompatible with the layer:`;
    if ((want.length >= 3 && got.length !== want.length) || got.length < 2) {
      throw new ShapeError(`${head} expected ndim=${want.length}, found ndim=${got.length}. Full shape received: ${shapeToString(got)}`);
    }
    const a = want[want.length - 1];
    const b = got[got.length - 1];
    if (a != null && b != null && a !== b) {
      throw new ShapeError(`${head} expected axis -1 of input shape to have value ${a}, but received input with shape ${shapeToString(got)}`);
    }
  });
}
