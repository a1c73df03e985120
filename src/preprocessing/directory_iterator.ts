import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { globalRng, Rng } from '../util/rng';
import type { BatchTransformer } from './array_iterator';
import { BatchOrder, OrderedBatches } from './batch_order';
import { isDir, walk } from './dataset_from_directory';
import { channelsOf, loadImg, type ColorMode } from './image';
import { checkInterpolation } from './resize';

export type ClassMode = 'categorical' | 'binary' | 'sparse' | 'input' | null;

export interface FlowFromDirectoryOptions {
  /** [height, width] every image is resized to ([256, 256]). */
  targetSize?: [number, number];
  colorMode?: ColorMode;
  /** The class sub-folders, in label order (default: every sub-folder, sorted). */
  classes?: string[];
  /**
   * 'categorical' (default): one-hot float32 (B, classes); 'binary' and 'sparse': float32 (B,)
   * class indices; 'input': y is a copy of x (autoencoders); null: x alone.
   */
  classMode?: ClassMode;
  batchSize?: number;
  shuffle?: boolean;
  /** Repeatable order and augmentation: batch k draws from a generator seeded with seed + k, as Keras. */
  seed?: number;
  /** With the generator's validationSplit: 'validation' is the first split fraction of each class's files. */
  subset?: 'training' | 'validation';
  /** Resampling to targetSize, as loadImg (Keras's default here: 'nearest'). */
  interpolation?: string;
  /** Crop the centre to the target's aspect ratio before resizing. */
  keepAspectRatio?: boolean;
  followLinks?: boolean;
}

const OPTIONS = ['targetSize', 'colorMode', 'classes', 'classMode', 'batchSize', 'shuffle', 'seed', 'subset', 'interpolation', 'keepAspectRatio', 'followLinks'];

/** Keras's allow-list for flow_from_directory (not image_dataset_from_directory's: no .gif, with .ppm and TIFF). */
export const FLOW_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.bmp', '.ppm', '.tif', '.tiff'];

/** Files of one class folder within [start, stop) of its sorted list, as Keras's split. */
function classFiles(dir: string, cls: string, followLinks: boolean, split: [number, number] | null): string[] {
  const all = walk(path.join(dir, cls), followLinks, FLOW_EXTENSIONS);
  if (!split) return all;
  return all.slice(Math.trunc(split[0] * all.length), Math.trunc(split[1] * all.length));
}

/**
 * Batches of augmented images read from class sub-folders, as Keras's DirectoryIterator: an
 * endless async iterator whose epochs are `length` batches and reshuffle at the start. Images are
 * read, decoded (loadImg: PIL-style resize to targetSize) and transformed batch by batch, so only
 * one batch is in memory. fit, evaluate and predict accept it as a source.
 *
 * ```ts
 * const it = gen.flowFromDirectory('photos', { targetSize: [64, 64], classMode: 'binary', seed: 1 });
 * it.classIndices; // { cats: 0, dogs: 1 }
 * await model.fit(it, { epochs: 5 });
 * ```
 */
export class DirectoryIterator<T extends Tensor | [Tensor, Tensor] = [Tensor, Tensor]> extends OrderedBatches implements AsyncIterableIterator<T> {
  readonly directory: string;
  /** Class name -> label index. */
  readonly classIndices: Readonly<Record<string, number>>;
  /** Paths relative to `directory` ('cats/001.png'), classes in order, files sorted in each. */
  readonly filenames: readonly string[];
  /** The label of each file in `filenames`. */
  readonly classes: Int32Array;
  readonly samples: number;
  readonly numClasses: number;
  readonly classMode: ClassMode;
  readonly targetSize: [number, number];
  readonly colorMode: ColorMode;
  readonly channels: 1 | 3 | 4;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number | null;
  private readonly interpolation: string;
  private readonly keepAspectRatio: boolean;

  constructor(directory: string, private readonly generator: BatchTransformer, options: FlowFromDirectoryOptions = {}) {
    super();
    const where = 'flowFromDirectory';
    checkOptions(where, options, OPTIONS);
    const o = options;
    const size = o.targetSize ?? [256, 256];
    if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n > 0)) {
      throw new ValueError(`${where}: targetSize must be [height, width] of positive integers, got ${JSON.stringify(size)}`);
    }
    this.targetSize = [size[0], size[1]];
    this.colorMode = o.colorMode ?? 'rgb';
    this.channels = channelsOf(where, this.colorMode);
    this.classMode = o.classMode === undefined ? 'categorical' : o.classMode;
    if (!['categorical', 'binary', 'sparse', 'input', null].includes(this.classMode)) {
      throw new ValueError(`${where}: classMode must be 'categorical', 'binary', 'sparse', 'input' or null, got '${this.classMode}'`);
    }
    this.batchSize = o.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValueError(`${where}: batchSize must be a positive integer, got ${this.batchSize}`);
    this.shuffle = o.shuffle ?? true;
    this.seed = o.seed ?? null;
    this.interpolation = checkInterpolation(where, o.interpolation ?? 'nearest');
    this.keepAspectRatio = o.keepAspectRatio ?? false;

    let split: [number, number] | null = null;
    if (o.subset != null) {
      const vs = generator.validationSplit;
      if (o.subset === 'validation') split = [0, vs];
      else if (o.subset === 'training') split = [vs, 1];
      else throw new ValueError(`${where}: subset must be 'training' or 'validation', got '${o.subset}'`);
      if (!vs) throw new ValueError(`${where}: subset '${o.subset}' needs the ImageDataGenerator's validationSplit, which is 0`);
    }

    if (!isDir(directory)) throw new TatamiError(`${where}: ${directory} is not a folder`);
    this.directory = directory;
    let names: string[];
    if (o.classes) {
      const missing = o.classes.filter((c) => !isDir(path.join(directory, c)));
      if (missing.length) throw new ValueError(`${where}: classes ${JSON.stringify(missing)} are not sub-folders of ${directory}`);
      names = o.classes.slice();
    } else {
      // as Keras: every sub-folder, dot-folders included, sorted
      names = fs.readdirSync(directory).filter((n) => isDir(path.join(directory, n))).sort();
    }
    this.numClasses = names.length;
    this.classIndices = Object.freeze(Object.fromEntries(names.map((n, i) => [n, i])));
    const files: string[] = [];
    const labels: number[] = [];
    const followLinks = o.followLinks ?? false;
    names.forEach((c, k) => {
      for (const f of classFiles(directory, c, followLinks, split)) {
        files.push(path.relative(directory, f));
        labels.push(k);
      }
    });
    this.filenames = Object.freeze(files);
    this.classes = Int32Array.from(labels);
    this.samples = files.length;
    if (this.samples === 0) {
      throw new TatamiError(`${where}: no images found in the ${names.length} class folders of ${directory}${o.subset ? ` for subset '${o.subset}'` : ''} ` +
        `(formats: ${FLOW_EXTENSIONS.join(' ')})`);
    }
    this.order = new BatchOrder(this.samples, this.batchSize, this.shuffle, this.seed);
  }

  /** Full paths of the files, in the order of `filenames`. */
  get filepaths(): string[] {
    return this.filenames.map((f) => path.join(this.directory, f));
  }

  /** The next batch: [x, y], or x alone with classMode null. Never done. */
  async next(): Promise<IteratorResult<T>> {
    // the order and the draws are taken now, so that calls not awaited in turn still get their own batch
    const { idx, rng } = this.order.next();
    return { value: await this.makeBatch(idx.slice(), rng), done: false };
  }

  /** Batch i of the current epoch order (Keras's `__getitem__`); call onEpochEnd() to reshuffle. */
  getBatch(i: number): Promise<T> {
    const { idx, rng } = this.order.batch(i, 'flowFromDirectory');
    return this.makeBatch(idx.slice(), rng);
  }

  /** Draws a new epoch order for getBatch. */
  onEpochEnd(): void {
    this.order.onEpochEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async makeBatch(idx: Int32Array, rng: Rng): Promise<T> {
    const [h, w] = this.targetSize;
    const c = this.channels;
    const img = h * w * c;
    const b = idx.length;
    // The transform draws happen after the await, when the seeded generator may be reseeded for a
    // later batch or the global one used elsewhere: this batch draws from its own generator,
    // a copy of the seeded state (as Keras's draws) or seeded from the global one.
    const batchRng = new Rng(rng === globalRng ? globalRng.nextUint32() : 0);
    if (rng !== globalRng) batchRng.setState(rng.getState());
    const imgs = await Promise.all(Array.from(idx, (i) =>
      loadImg(path.join(this.directory, this.filenames[i]), {
        colorMode: this.colorMode, targetSize: this.targetSize, interpolation: this.interpolation, keepAspectRatio: this.keepAspectRatio,
      })));
    const src = new Float32Array(b * img);
    imgs.forEach((im, k) => src.set(im.data, k * img));
    const out = Tensor.fromArray(new Float32Array(b * img), [b, h, w, c]);
    this.generator.transformBatch(src, out.f32, b, h, w, c, batchRng);
    if (this.classMode === null) return out as T;
    let y: Tensor;
    if (this.classMode === 'input') y = Tensor.fromArray(out.f32.slice(), [b, h, w, c]);
    else if (this.classMode === 'categorical') {
      const k = this.numClasses;
      const oh = new Float32Array(b * k);
      idx.forEach((f, i) => (oh[i * k + this.classes[f]] = 1));
      y = Tensor.fromArray(oh, [b, k]);
    } else y = Tensor.fromArray(Float32Array.from(idx, (f) => this.classes[f]), [b]);
    return [out, y] as T;
  }
}
