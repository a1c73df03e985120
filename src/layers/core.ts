import type { Tensor } from '../tensor/tensor';
import { dropout, reshape } from '../ops/index';
import { getActivation, normalizeActivationName } from '../activations/index';
import { ShapeError, ValueError } from '../util/errors';
import { inferReshape, shapeToString, sizeOf } from '../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

// Small shape-only and element-wise layers: InputLayer, Dropout, Flatten, Reshape, Activation.

export interface InputLayerArgs extends LayerArgs {
  /** tfjs name for inputShape */
  shape?: number[];
}

/** Marks the model's input shape; does nothing to the data. */
export class InputLayer extends Layer {
  static readonly className = 'InputLayer';
  constructor(args: InputLayerArgs) {
    super(args.shape && !args.inputShape ? { ...args, inputShape: args.shape, shape: undefined } as LayerArgs : args, ['shape']);
    if (!this.batchInputShape) throw new ValueError(`inputLayer needs inputShape (or shape or batchInputShape)`);
    this.initName(args.name ?? undefined);
    if (!args.name) this.name = this.name.replace(/^input_layer/, 'input_layer');
  }
  call(input: Tensor | Tensor[]): Tensor {
    return input as Tensor;
  }
}

export interface DropoutArgs extends LayerArgs {
  rate: number;
  noiseShape?: number[];
  seed?: number;
}

/** Inverted dropout: active only while training; inference passes inputs through. */
export class Dropout extends Layer {
  static readonly className = 'Dropout';
  readonly rate: number;
  constructor(args: DropoutArgs) {
    super(args, ['rate', 'noiseShape', 'seed']);
    if (args.noiseShape != null) throw new ValueError('dropout: noiseShape is not supported; tatami drops each element independently');
    if (!(args.rate >= 0 && args.rate < 1)) throw new ValueError(`dropout: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.initName(args.name);
  }
  call(input: Tensor | Tensor[], training: boolean): Tensor {
    return training && this.rate > 0 ? dropout(input as Tensor, this.rate) : (input as Tensor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/** (batch, d1, d2, ...) → (batch, d1*d2*...). */
export class Flatten extends Layer {
  static readonly className = 'Flatten';
  constructor(args: LayerArgs & { dataFormat?: string } = {}) {
    super(args, ['dataFormat']);
    this.initName(args.name);
  }
  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    return reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const rest = s.slice(1);
    return [s[0], rest.some((d) => d == null) ? null : sizeOf(rest as number[])];
  }
}

export interface ReshapeArgs extends LayerArgs {
  targetShape: number[];
}

/** Reshapes each sample to targetShape (one entry may be -1). */
export class Reshape extends Layer {
  static readonly className = 'Reshape';
  readonly targetShape: number[];
  constructor(args: ReshapeArgs) {
    super(args, ['targetShape']);
    this.targetShape = args.targetShape.slice();
    this.initName(args.name);
  }
  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    const per = sizeOf(x.shape.slice(1));
    try {
      return reshape(x, [x.shape[0], ...inferReshape(this.targetShape, per, x.shape.slice(1))]);
    } catch {
      throw new ShapeError(`reshape layer '${this.name}': cannot reshape samples of shape ${shapeToString(x.shape.slice(1))} into ${shapeToString(this.targetShape)}`);
    }
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const rest = s.slice(1);
    if (rest.some((d) => d == null)) return [s[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [s[0], ...inferReshape(this.targetShape, sizeOf(rest as number[]), rest as number[])];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}

export class Activation extends Layer {
  static readonly className = 'Activation';
  readonly activation: string;
  constructor(args: LayerArgs & { activation: string }) {
    super(args, ['activation']);
    this.activation = normalizeActivationName(args.activation);
    this.initName(args.name);
  }
  call(input: Tensor | Tensor[]): Tensor {
    return getActivation(this.activation)(input as Tensor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

/** Keras 3's InputLayer.get_config; the models' saving code writes its entry itself. */
export const inputLayerLayer = defineLayer({
  cls: InputLayer,
  factories: { inputLayer: (args: InputLayerArgs) => new InputLayer(args) },
  layout: [['batch_shape'], ['sparse', false], ['ragged', false], ['optional', false]],
  keras2Layout: [['batch_input_shape'], ['sparse', false], ['ragged', false]],
});

export const dropoutLayer = defineLayer({
  cls: Dropout,
  factories: { dropout: (args: DropoutArgs) => new Dropout(args) },
  layout: [['rate'], ['seed', null], ['noise_shape', null]],
  keras2Layout: [['rate'], ['noise_shape', null], ['seed', null]],
});

export const flattenLayer = defineLayer({
  cls: Flatten,
  factories: { flatten: (args: LayerArgs & { dataFormat?: string } = {}) => new Flatten(args) },
  layout: [['data_format', 'channels_last']],
});

export const reshapeLayer = defineLayer({
  cls: Reshape,
  factories: { reshape: (args: ReshapeArgs) => new Reshape(args) },
  layout: [['target_shape']],
});

export const activationLayer = defineLayer({
  cls: Activation,
  factories: { activation: (args: LayerArgs & { activation: string }) => new Activation(args) },
  layout: [['activation']],
});
