import { Tensor } from '../tensor/tensor';
import { ValueError, checkOptions } from '../util/errors';
import { globalRng, Rng } from '../util/rng';
import { affineMatrix, IDENTITY, MATRIX_STRIDE } from './affine_matrix';
import { affineTransformBatch, fillModeCode, FLIP_HORIZONTAL, FLIP_VERTICAL, type FillMode } from './affine_transform';
import { ArrayIterator, type BatchTransformer, type FlowOptions } from './array_iterator';
import { DirectoryIterator, type FlowFromDirectoryOptions } from './directory_iterator';
import { channelMeans, channelStds, meanStd } from './image_statistics';
import { applyBrightness, applyChannelShift } from './pixel_adjust';
import { drawTransform, parseRanges, type RandomRanges, type ShiftRange, type TransformParams } from './transform_params';

export interface ImageDataGeneratorOptions {
  featurewiseCenter?: boolean;
  samplewiseCenter?: boolean;
  featurewiseStdNormalization?: boolean;
  samplewiseStdNormalization?: boolean;
  /** Not supported: throws. */
  zcaWhitening?: boolean;
  zcaEpsilon?: number;
  /** Degrees, drawn from (−r, r). */
  rotationRange?: number;
  widthShiftRange?: ShiftRange;
  heightShiftRange?: ShiftRange;
  /** [lower, upper] brightness factor (PIL's ImageEnhance.Brightness). */
  brightnessRange?: [number, number] | null;
  /** Shear angle in degrees, drawn from (−r, r). */
  shearRange?: number;
  /** z means [1 − z, 1 + z]; or [lower, upper]. zx and zy are drawn independently. */
  zoomRange?: number | [number, number];
  channelShiftRange?: number;
  fillMode?: FillMode;
  cval?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** Multiplies the data (after preprocessingFunction, before the rest of standardize). */
  rescale?: number | null;
  /** Applied to each image (H, W, C) first in standardize; must return the same shape. */
  preprocessingFunction?: ((image: Tensor) => Tensor) | null;
  /** Only channels-last is supported. */
  dataFormat?: 'channelsLast' | 'channels_last' | 'channelsFirst' | 'channels_first';
  validationSplit?: number;
  /** Only 1 (bilinear) is supported. */
  interpolationOrder?: number;
  dtype?: 'float32';
}

const OPTIONS = [
  'featurewiseCenter', 'samplewiseCenter', 'featurewiseStdNormalization', 'samplewiseStdNormalization', 'zcaWhitening',
  'zcaEpsilon', 'rotationRange', 'widthShiftRange', 'heightShiftRange', 'brightnessRange', 'shearRange', 'zoomRange',
  'channelShiftRange', 'fillMode', 'cval', 'horizontalFlip', 'verticalFlip', 'rescale', 'preprocessingFunction',
  'dataFormat', 'validationSplit', 'interpolationOrder', 'dtype',
];

export interface FitOptions {
  /** Compute the statistics over randomly transformed copies of x (false). */
  augment?: boolean;
  /** With augment: how many transformed passes over x (1). */
  rounds?: number;
  seed?: number;
}

function imageShape(x: Tensor, where: string): [number, number, number] {
  if (x.rank !== 3) throw new ValueError(`${where}: expected one image (height, width, channels), got shape [${x.shape}]`);
  return [x.shape[0], x.shape[1], x.shape[2]];
}

function toFloat32(x: Tensor): Float32Array {
  return Float32Array.from(x.values);
}

/**
 * Keras's ImageDataGenerator (keras/src/legacy/preprocessing/image.py), channels-last: random
 * rotations, shifts, shears, zooms, channel shifts, flips and brightness, with the geometry computed
 * as Keras 3 computes it (see affine_matrix.ts and affine_transform.ts), and Keras's normalisation.
 * Methods take and return tensors and never modify their input.
 *
 * Differences from Keras: standardize on a batch (N, H, W, C) centres and scales each image on its
 * own (Keras uses the whole batch's mean there, though flow standardizes image by image); using
 * featurewise options before fit() is an error (Keras warns and skips them); zcaWhitening,
 * channels-first data and interpolation orders other than 1 are not supported.
 */
export class ImageDataGenerator implements BatchTransformer {
  readonly featurewiseCenter: boolean;
  readonly samplewiseCenter: boolean;
  readonly featurewiseStdNormalization: boolean;
  readonly samplewiseStdNormalization: boolean;
  readonly ranges: RandomRanges;
  readonly fillMode: FillMode;
  readonly cval: number;
  readonly rescale: number | null;
  readonly preprocessingFunction: ((image: Tensor) => Tensor) | null;
  readonly validationSplit: number;
  /** Per-channel statistics from fit() (or set by hand), length C. */
  mean: Float32Array | null = null;
  std: Float32Array | null = null;
  private readonly mode: number;

  constructor(options: ImageDataGeneratorOptions = {}) {
    checkOptions('ImageDataGenerator', options, OPTIONS);
    if (options.zcaWhitening) throw new ValueError('ImageDataGenerator: zcaWhitening is not supported');
    const df = options.dataFormat ?? 'channelsLast';
    if (df !== 'channelsLast' && df !== 'channels_last') {
      throw new ValueError(`ImageDataGenerator: only channels-last data is supported, got dataFormat '${df}'`);
    }
    if ((options.interpolationOrder ?? 1) !== 1) {
      throw new ValueError(`ImageDataGenerator: only interpolationOrder 1 (bilinear) is supported, got ${options.interpolationOrder}`);
    }
    if ((options.dtype ?? 'float32') !== 'float32') throw new ValueError(`ImageDataGenerator: only dtype 'float32' is supported, got '${options.dtype}'`);
    const split = options.validationSplit ?? 0;
    if (split !== 0 && !(split > 0 && split < 1)) throw new ValueError(`ImageDataGenerator: validationSplit must be strictly between 0 and 1, got ${split}`);
    this.validationSplit = split;

    // as Keras: std normalization implies centering
    this.featurewiseStdNormalization = !!options.featurewiseStdNormalization;
    this.featurewiseCenter = !!options.featurewiseCenter || this.featurewiseStdNormalization;
    this.samplewiseStdNormalization = !!options.samplewiseStdNormalization;
    this.samplewiseCenter = !!options.samplewiseCenter || this.samplewiseStdNormalization;

    this.ranges = parseRanges(options);
    this.fillMode = options.fillMode ?? 'nearest';
    this.mode = fillModeCode(this.fillMode);
    this.cval = options.cval ?? 0;
    if (!Number.isFinite(this.cval)) throw new ValueError(`ImageDataGenerator: cval must be a finite number, got ${this.cval}`);
    this.rescale = options.rescale || null;
    this.preprocessingFunction = options.preprocessingFunction ?? null;
  }

  /** Random parameters for one image of shape (h, w, c), as Keras's get_random_transform. */
  getRandomTransform(imgShape: number[], seed?: number): TransformParams {
    if (imgShape.length !== 3) throw new ValueError(`getRandomTransform: expected an image shape [height, width, channels], got [${imgShape}]`);
    return drawTransform(this.ranges, imgShape[0], imgShape[1], seed == null ? globalRng : new Rng(seed));
  }

  /** The image transformed by params: the affine, then channel shift, flips and brightness. */
  applyTransform(x: Tensor, params: TransformParams): Tensor {
    const [h, w, c] = imageShape(x, 'applyTransform');
    const out = Tensor.output([h, w, c]);
    this.applyParams(toFloat32(x), out.f32, [params], h, w, c, false);
    return out;
  }

  randomTransform(x: Tensor, seed?: number): Tensor {
    return this.applyTransform(x, this.getRandomTransform(x.shape, seed));
  }

  /** preprocessingFunction, rescale, samplewise then featurewise normalisation, on (H, W, C) or (N, H, W, C). */
  standardize(x: Tensor): Tensor {
    if (x.rank !== 3 && x.rank !== 4) throw new ValueError(`standardize: expected an image or a batch of images, got shape [${x.shape}]`);
    const [h, w, c] = x.shape.slice(-3);
    const n = x.rank === 4 ? x.shape[0] : 1;
    const data = toFloat32(x);
    for (let i = 0; i < n; i++) this.standardizeImage(data, i * h * w * c, h, w, c);
    return Tensor.fromArray(data, x.shape.slice());
  }

  /**
   * Computes the per-channel mean (featurewiseCenter) and standard deviation
   * (featurewiseStdNormalization) of x (N, H, W, C), after rescale and, with augment, over
   * `rounds` randomly transformed copies. preprocessingFunction is not applied, as in Keras.
   */
  fit(x: Tensor, options: FitOptions = {}): void {
    checkOptions('fit', options, ['augment', 'rounds', 'seed']);
    if (x.rank !== 4) throw new ValueError(`ImageDataGenerator.fit: x must have rank 4 (N, height, width, channels), got shape [${x.shape}]`);
    const [n, h, w, c] = x.shape;
    let data = toFloat32(x);
    if (this.rescale) for (let i = 0; i < data.length; i++) data[i] *= this.rescale;
    if (options.augment) {
      const rounds = options.rounds ?? 1;
      if (!Number.isInteger(rounds) || rounds < 1) throw new ValueError(`ImageDataGenerator.fit: rounds must be a positive integer, got ${rounds}`);
      const rng = options.seed == null ? globalRng : new Rng(options.seed);
      const all = new Float32Array(rounds * data.length);
      for (let r = 0; r < rounds; r++) {
        const params = Array.from({ length: n }, () => drawTransform(this.ranges, h, w, rng));
        this.applyParams(data, all.subarray(r * data.length, (r + 1) * data.length), params, h, w, c, false);
      }
      data = all;
    }
    if (this.featurewiseCenter) this.mean = Float32Array.from(channelMeans(data, c));
    if (this.featurewiseStdNormalization) this.std = Float32Array.from(channelStds(data, c));
  }

  /** Batches of augmented, standardized images: see ArrayIterator. */
  flow(x: Tensor, y: Tensor, options?: FlowOptions): ArrayIterator<[Tensor, Tensor]>;
  flow(x: Tensor, y?: null, options?: FlowOptions): ArrayIterator<Tensor>;
  flow(x: Tensor, y?: Tensor | null, options: FlowOptions = {}): ArrayIterator<Tensor> | ArrayIterator<[Tensor, Tensor]> {
    return y ? new ArrayIterator<[Tensor, Tensor]>(x, y, this, options) : new ArrayIterator<Tensor>(x, null, this, options);
  }

  /**
   * Batches of augmented, standardized images read from the class sub-folders of `directory`, as
   * Keras's flow_from_directory: an async iterator with `length`, `classIndices`, `filenames`,
   * `classes` and `samples`; see DirectoryIterator.
   */
  flowFromDirectory(directory: string, options: FlowFromDirectoryOptions & { classMode: null }): DirectoryIterator<Tensor>;
  flowFromDirectory(directory: string, options?: FlowFromDirectoryOptions): DirectoryIterator<[Tensor, Tensor]>;
  flowFromDirectory(directory: string, options: FlowFromDirectoryOptions = {}): DirectoryIterator<Tensor> | DirectoryIterator<[Tensor, Tensor]> {
    return options.classMode === null ? new DirectoryIterator<Tensor>(directory, this, options) : new DirectoryIterator<[Tensor, Tensor]>(directory, this, options);
  }

  /** For ArrayIterator and DirectoryIterator: draw, transform and standardize n images, in Keras's per-image order of draws. */
  transformBatch(src: Float32Array, dst: Float32Array, n: number, h: number, w: number, c: number, rng: Rng): void {
    const params = Array.from({ length: n }, () => drawTransform(this.ranges, h, w, rng));
    this.applyParams(src, dst, params, h, w, c, true);
  }

  private applyParams(src: Float32Array, dst: Float32Array, params: TransformParams[], h: number, w: number, c: number, standardize: boolean): void {
    const n = params.length;
    const matrices = new Float64Array(n * MATRIX_STRIDE);
    const flips = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = params[i];
      matrices.set(affineMatrix(p, h, w) ?? IDENTITY, i * MATRIX_STRIDE);
      flips[i] = (p.flipHorizontal ? FLIP_HORIZONTAL : 0) | (p.flipVertical ? FLIP_VERTICAL : 0);
    }
    affineTransformBatch(src, dst, n, h, w, c, matrices, flips, this.mode, this.cval);
    const size = h * w * c;
    for (let i = 0; i < n; i++) {
      const p = params[i];
      if (p.channelShiftIntensity != null) applyChannelShift(dst, i * size, size, p.channelShiftIntensity);
      if (p.brightness != null) applyBrightness(dst, i * size, size, c, p.brightness);
      if (standardize) this.standardizeImage(dst, i * size, h, w, c);
    }
  }

  private standardizeImage(data: Float32Array, offset: number, h: number, w: number, c: number): void {
    const size = h * w * c;
    if (this.preprocessingFunction) {
      const out = this.preprocessingFunction(Tensor.fromArray(data.slice(offset, offset + size), [h, w, c]));
      if (!(out instanceof Tensor) || out.shape.join() !== [h, w, c].join()) {
        throw new ValueError(`preprocessingFunction must return a tensor of the image's shape [${[h, w, c]}], got ${out instanceof Tensor ? `[${out.shape}]` : typeof out}`);
      }
      data.set(out.values, offset);
    }
    if (this.rescale) for (let i = offset; i < offset + size; i++) data[i] *= this.rescale;
    if (this.samplewiseCenter) {
      const mean = Math.fround(meanStd(data, offset, size)[0]);
      for (let i = offset; i < offset + size; i++) data[i] -= mean;
    }
    if (this.samplewiseStdNormalization) {
      const d = Math.fround(meanStd(data, offset, size)[1] + 1e-6);
      for (let i = offset; i < offset + size; i++) data[i] /= d;
    }
    if (this.featurewiseCenter) {
      const mean = this.stat(this.mean, 'mean', 'featurewiseCenter', c);
      for (let i = offset; i < offset + size; i++) data[i] -= mean[(i - offset) % c];
    }
    if (this.featurewiseStdNormalization) {
      const std = this.stat(this.std, 'std', 'featurewiseStdNormalization', c);
      for (let i = offset; i < offset + size; i++) data[i] /= Math.fround(std[(i - offset) % c] + 1e-6);
    }
  }

  private stat(v: Float32Array | null, name: string, option: string, c: number): Float32Array {
    if (!v) throw new ValueError(`ImageDataGenerator: ${option} needs the data's statistics; call fit(x) on training images first`);
    if (v.length !== c) throw new ValueError(`ImageDataGenerator: ${name} has ${v.length} values but the images have ${c} channels`);
    return v;
  }
}
