import type { Tensor } from '../../tensor/tensor';
import { cast } from '../../ops/index';
import { isRecording } from '../../autograd/tape';
import { checkFillMode, checkInterpolation, type FillMode, type Interpolation } from '../../ops/image';
import { Rng, globalRng } from '../../util/rng';
import { ShapeError, ValueError } from '../../util/errors';
import { shapeToString } from '../../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from '../layer';

// What Keras 3's image preprocessing layers share: channels-last images of rank 3 or 4, a seed,
// and the factor arguments ("a number or a pair of numbers").

export interface ImageLayerArgs extends LayerArgs {
  /** Only 'channelsLast' (Keras's 'channels_last'); tatami is channels-last throughout. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

export interface RandomLayerArgs extends ImageLayerArgs {
  /** Seeds this layer's own generator; without it the layer draws from tatami's global one (tt.setSeed). */
  seed?: number | null;
}

export const IMAGE_KEYS = ['dataFormat'] as const;
export const RANDOM_KEYS = ['dataFormat', 'seed'] as const;

/**
 * The base of the image preprocessing layers: checks the data format and the input rank, casts
 * inputs to float32 (Keras's layers output floats) and holds the random generator.
 */
export abstract class ImageLayer extends Layer {
  readonly seed: number | null;
  private readonly rng: Rng;

  constructor(args: RandomLayerArgs, allowedKeys: readonly string[]) {
    super(args, allowedKeys);
    const where = staticName(new.target);
    if (args.dataFormat != null && args.dataFormat !== 'channelsLast' && args.dataFormat !== 'channels_last') {
      throw new ValueError(`${where}: dataFormat '${args.dataFormat}' is not supported; tatami is channels-last`);
    }
    if (args.seed != null && !Number.isInteger(args.seed)) throw new ValueError(`${where}: seed must be an integer, got ${args.seed}`);
    this.seed = args.seed ?? null;
    this.rng = this.seed != null ? new Rng(this.seed) : globalRng;
  }

  /** Uniform in [lo, hi). */
  protected uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rng.uniform();
  }

  /**
   * The input as float32 images, after checking its rank. `transforming`: the layer will change
   * the pixels, which passes no gradient back, so an input that needs one is an error.
   */
  protected images(input: Tensor | Tensor[], transforming: boolean): Tensor {
    const x = input as Tensor;
    if (x.rank !== 3 && x.rank !== 4) {
      throw new ShapeError(`${this.className} layer '${this.name}' expects images of shape (batch, height, width, channels) or (height, width, channels), got ${shapeToString(x.shape)}`);
    }
    if (transforming && x.requiresGrad && isRecording()) {
      throw new ValueError(`${this.className} layer '${this.name}' passes no gradient back to its input: put it at the model's input, before any layer with weights`);
    }
    return cast(x, 'float32');
  }

  /** Images in the batch (1 for a single image). */
  protected batchOf(x: Tensor): number {
    return x.rank === 4 ? x.shape[0] : 1;
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s.slice();
  }
}

function staticName(cls: unknown): string {
  return String((cls as { className?: unknown }).className ?? 'image layer');
}

export type Pair = [number, number];

/**
 * A factor as Keras reads it: a number f means [-|f|, |f|], a pair is sorted; every value must lie
 * in [lo, hi].
 */
export function symmetricRange(where: string, name: string, v: unknown, lo = -1, hi = 1): Pair {
  const inRange = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
  if (typeof v === 'number' && inRange(v)) return [-Math.abs(v), Math.abs(v)];
  if (Array.isArray(v) && v.length === 2 && v.every(inRange)) return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  throw new ValueError(`${where}: ${name} must be a number or a pair of numbers in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
}

/** A factor kept as the user gave it (a number or a pair), for getConfig. */
export function copyFactor(v: number | number[]): number | number[] {
  return Array.isArray(v) ? v.slice() : v;
}

export interface FillArgs {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant', 'nearest'. */
  fillMode?: FillMode;
  /** The value of 'constant' fill. Default 0. */
  fillValue?: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
}

export const FILL_KEYS = ['fillMode', 'fillValue', 'interpolation'] as const;

/** The resampling options of the affine layers, with Keras 3's defaults. */
export function fillOptions(where: string, args: FillArgs): Required<FillArgs> {
  const fillValue = args.fillValue ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new ValueError(`${where}: fillValue must be a finite number, got ${fillValue}`);
  return {
    fillMode: checkFillMode(where, args.fillMode ?? 'reflect'),
    fillValue,
    interpolation: checkInterpolation(where, args.interpolation ?? 'bilinear'),
  };
}

/** A positive integer size option. */
export function checkSize(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${where}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}
