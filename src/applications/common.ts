import { normalizeActivationName } from '../activations/index';
import { layers } from '../layers/index';
import { input } from '../models/input';
import { LayersModel } from '../models/functional';
import { isSymbolic, type SymbolicTensor } from '../layers/symbolic';
import { ValueError, checkOptions } from '../util/errors';
import { resolveWeights, type WeightsRequest } from './weights';

/** Keras's options of the applications (VGG16(include_top=..., ...)), in tfjs-style camelCase. */
export interface ApplicationArgs {
  /** Include the classifier at the top (default true). */
  includeTop?: boolean;
  /**
   * null (random initialization; the default here), 'imagenet' (Keras's published file, looked
   * for in weightsDir, $TATAMI_WEIGHTS_DIR and Keras's cache ~/.keras/models/; never downloaded),
   * or the path to a weight file in Keras's HDF5 layout. With weights, the call returns a Promise.
   */
  weights?: 'imagenet' | string | null;
  /** A folder holding Keras's ImageNet weight files, searched first for weights 'imagenet'. */
  weightsDir?: string;
  /** A symbolic tensor (tt.input or a layer's output) to build the network on; the model's inputs are its sources. */
  inputTensor?: SymbolicTensor;
  /** [height, width, 3]; only with includeTop false may it differ from the default size (Keras's input_shape). */
  inputShape?: (number | null)[];
  /** Without the top: 'avg' or 'max' adds global pooling, undefined/null keeps the 4-D feature map. */
  pooling?: 'avg' | 'max' | null;
  /** Number of classes of the top (default 1000). */
  classes?: number;
  /** Activation of the top's last Dense (default 'softmax'; null gives logits). */
  classifierActivation?: string | null;
  /** The model's name (Keras's default for the network otherwise). */
  name?: string;
}

export const APPLICATION_KEYS = ['includeTop', 'weights', 'weightsDir', 'inputTensor', 'inputShape', 'pooling', 'classes', 'classifierActivation', 'name'];

/** The options after Keras's checks, with what a builder needs. */
export interface Resolved {
  includeTop: boolean;
  weights: WeightsRequest | null;
  pooling: 'avg' | 'max' | null;
  classes: number;
  classifierActivation: string;
  /** The input the layers are applied to. */
  imgInput: SymbolicTensor;
  /** The input shape after obtain_input_shape (as Keras checks it, whether or not inputTensor is given). */
  inputShape: (number | null)[];
}

export interface NetworkSpec {
  /** How errors name the network: 'vgg16'. */
  where: string;
  defaultSize: number;
  minSize: number;
  /** Keras's weight file for the ImageNet weights with or without the top. */
  kerasFile: (includeTop: boolean) => string;
  /** Extra option keys this network takes (MobileNetV2's alpha). */
  extraKeys?: string[];
}

/**
 * Keras's imagenet_utils.obtain_input_shape for channels-last images: the default
 * (size, size, 3) unless a shape is given; with the top and ImageNet weights the shape must be the
 * default; a given shape must have 3 dimensions and at least minSize rows and columns (3 channels
 * with ImageNet weights); without the top and without a shape, (null, null, 3).
 */
export function obtainInputShape(where: string, shape: (number | null)[] | undefined, defaultSize: number, minSize: number,
  requireFlatten: boolean, imagenet: boolean): (number | null)[] {
  const show = (s: (number | null)[]) => `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
  const channels = !imagenet && shape && shape.length === 3 ? shape[2] : 3;
  const dflt = [defaultSize, defaultSize, channels];
  if (imagenet && requireFlatten) {
    if (shape != null && show(shape) !== show(dflt)) {
      throw new ValueError(`${where}: with includeTop true and 'imagenet' weights, inputShape should be ${show(dflt)}; got ${show(shape)}`);
    }
    return dflt;
  }
  let out: (number | null)[];
  if (shape != null && shape.length > 0) {
    if (shape.length !== 3 || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new ValueError(`${where}: inputShape must be [height, width, channels] of positive integers (or null); got ${JSON.stringify(shape)}`);
    }
    if (shape[2] !== 3 && imagenet) throw new ValueError(`${where}: the input must have 3 channels; got inputShape ${show(shape)}`);
    if ((shape[0] !== null && shape[0] < minSize) || (shape[1] !== null && shape[1] < minSize)) {
      throw new ValueError(`${where}: input size must be at least ${minSize}x${minSize}; got inputShape ${show(shape)}`);
    }
    out = shape.slice();
  } else {
    out = requireFlatten ? dflt : [null, null, 3];
  }
  if (requireFlatten && out.includes(null)) {
    throw new ValueError(`${where}: with includeTop true, give a static inputShape; got ${show(out)}`);
  }
  return out;
}

/** The input tensors a symbolic tensor was computed from (Keras's get_source_inputs). */
export function sourceInputs(t: SymbolicTensor): SymbolicTensor[] {
  const found: SymbolicTensor[] = [];
  const seen = new Set<SymbolicTensor>();
  const visit = (x: SymbolicTensor): void => {
    if (seen.has(x)) return;
    seen.add(x);
    if (x.node.isInput) found.push(x);
    else for (const p of x.node.inputs) visit(p);
  };
  visit(t);
  return found;
}

/** Keras's checks of the options shared by every application, before anything is built. */
export function resolveArgs(spec: NetworkSpec, args: ApplicationArgs | undefined, shapeOverride?: (number | null)[]): Resolved {
  const a = args ?? {};
  const where = spec.where;
  checkOptions(where, a, [...APPLICATION_KEYS, ...(spec.extraKeys ?? [])]);
  const includeTop = a.includeTop ?? true;
  if (typeof includeTop !== 'boolean') throw new ValueError(`${where}: includeTop must be true or false; got ${JSON.stringify(a.includeTop)}`);
  const classes = a.classes ?? 1000;
  if (!Number.isInteger(classes) || classes <= 0) throw new ValueError(`${where}: classes must be a positive integer; got ${JSON.stringify(a.classes)}`);
  const imagenet = a.weights === 'imagenet';
  if (imagenet && includeTop && classes !== 1000) {
    throw new ValueError(`${where}: with weights 'imagenet' and includeTop true, classes should be 1000; got ${classes}`);
  }
  const pooling = a.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ValueError(`${where}: pooling must be 'avg', 'max' or undefined; got ${JSON.stringify(a.pooling)}`);
  }
  const classifierActivation = normalizeActivationName(a.classifierActivation);
  if (a.weights != null && includeTop && classifierActivation !== 'softmax' && classifierActivation !== 'linear') {
    throw new ValueError(`${where}: with pretrained weights, classifierActivation can only be null or 'softmax'; got ${JSON.stringify(a.classifierActivation)}`);
  }
  if (a.inputTensor !== undefined && !isSymbolic(a.inputTensor)) {
    throw new ValueError(`${where}: inputTensor must be a symbolic tensor (from tt.input() or a layer's output); got ${describe(a.inputTensor)}`);
  }
  const inputShape = obtainInputShape(where, shapeOverride ?? a.inputShape, spec.defaultSize, spec.minSize, includeTop, imagenet);
  // refused weights cost nothing: checked before any layer allocates its weights
  const weights = resolveWeights(where, a.weights, spec.kerasFile(includeTop), a.weightsDir);
  const imgInput = a.inputTensor ?? input({ shape: inputShape });
  return { includeTop, weights, pooling, classes, classifierActivation, imgInput, inputShape };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  return typeof x === 'object' ? (x as object).constructor?.name ?? 'an object' : typeof x;
}

/** Without the top: the optional global pooling, named as the network names it. */
export function poolingHead(x: SymbolicTensor, pooling: 'avg' | 'max' | null, names: { avg?: string; max?: string } = {}): SymbolicTensor {
  if (pooling === 'avg') return layers.globalAveragePooling2d({ name: names.avg }).apply(x);
  if (pooling === 'max') return layers.globalMaxPooling2d({ name: names.max }).apply(x);
  return x;
}

/** A built network and the weights still to be loaded into it. */
export interface Built {
  model: LayersModel;
  weights: WeightsRequest | null;
}

/** The model from the input (or inputTensor's sources) to the output, with the weights it asked for. */
export function finishModel(r: Resolved, args: ApplicationArgs | undefined, output: SymbolicTensor, name: string): Built {
  const inputs = args?.inputTensor ? sourceInputs(args.inputTensor) : [r.imgInput];
  const model = new LayersModel({ inputs: inputs.length === 1 ? inputs[0] : inputs, outputs: output, name: args?.name ?? name });
  return { model, weights: r.weights };
}
