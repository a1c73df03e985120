import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import { TatamiError, ValueError, checkOptions } from '../util/errors';
import { DataFileError } from '../data/data_file_error';
import { Rng, globalRng } from '../util/rng';
import { channelsOf, decodeImage, cropImg, IMAGE_EXTENSIONS, type ColorMode } from './image';
import { numpyPermutation } from './numpy_random';
import { aspectCropBox, checkInterpolation, resizePixels, type Interpolation } from './resize';

export type LabelMode = 'int' | 'categorical' | 'binary' | null;

export interface ImageDatasetFromDirectoryOptions {
  /** 'inferred' (the default: one sub-folder per class) or null (no labels). */
  labels?: 'inferred' | null;
  /** 'int' (the default): int32 (B,); 'categorical': float32 (B, classes); 'binary': float32 (B, 1); null: images only. */
  labelMode?: LabelMode;
  /** The class folders to use, in label order (default: all, alphabetical). */
  classNames?: string[];
  colorMode?: ColorMode;
  /** Default 32; null yields single images without a batch axis. */
  batchSize?: number | null;
  /** [height, width] every image is resized to; default [256, 256]. */
  imageSize?: [number, number] | number;
  /** Shuffle the files (default true): once with `seed` as Keras, and again each epoch. */
  shuffle?: boolean;
  seed?: number;
  validationSplit?: number;
  subset?: 'training' | 'validation' | 'both';
  /** 'bilinear' (default), 'nearest', 'bicubic', 'lanczos3', 'lanczos5': tf.image.resize without antialias. */
  interpolation?: string;
  followLinks?: boolean;
  /** Crop the centre to the target aspect ratio before resizing (Keras's crop_to_aspect_ratio). */
  cropToAspectRatio?: boolean;
}

const OPTIONS = ['labels', 'labelMode', 'classNames', 'colorMode', 'batchSize', 'imageSize', 'shuffle', 'seed', 'validationSplit', 'subset', 'interpolation', 'followLinks', 'cropToAspectRatio'];

/** [x (B, H, W, C) float32 0..255, y], or [x] when there are no labels. */
export type ImageBatch = [Tensor, Tensor] | [Tensor];

interface DatasetSpec {
  filePaths: string[];
  labels: Int32Array | null;
  classNames: string[] | null;
  labelMode: LabelMode;
  batchSize: number | null;
  imageSize: [number, number];
  channels: 1 | 3 | 4;
  colorMode: ColorMode;
  interpolation: Interpolation;
  cropToAspectRatio: boolean;
  shuffle: boolean;
  seed: number;
}

/**
 * Images of a folder, decoded and resized batch by batch as they are iterated (at most the
 * current and the next batch are in memory). Each `for await` is one epoch; a shuffled dataset
 * draws a new order each epoch (seeded, so runs repeat), as tf.data's reshuffle does.
 */
export class DirectoryImageDataset implements AsyncIterable<ImageBatch> {
  /** The image files, in the order of the first epoch without reshuffling (Keras's file_paths). */
  readonly filePaths: readonly string[];
  /** The label of each file in `filePaths` (null without labels). */
  readonly labels: Int32Array | null;
  readonly classNames: readonly string[] | null;
  readonly labelMode: LabelMode;
  readonly batchSize: number | null;
  readonly imageSize: [number, number];
  readonly channels: 1 | 3 | 4;
  private readonly spec: DatasetSpec;
  private readonly rng: Rng;
  private epoch = 0;

  constructor(spec: DatasetSpec) {
    this.spec = spec;
    this.filePaths = Object.freeze(spec.filePaths.slice());
    this.labels = spec.labels;
    this.classNames = spec.classNames && Object.freeze(spec.classNames.slice());
    this.labelMode = spec.labelMode;
    this.batchSize = spec.batchSize;
    this.imageSize = spec.imageSize;
    this.channels = spec.channels;
    this.rng = new Rng(spec.seed);
  }

  get fileCount(): number {
    return this.filePaths.length;
  }

  /** Batches per epoch (Keras's len(dataset)); the last one may be smaller. */
  get length(): number {
    return this.batchSize === null ? this.fileCount : Math.ceil(this.fileCount / this.batchSize);
  }

  get numClasses(): number {
    return this.classNames?.length ?? 0;
  }

  /** The order of one epoch: the indexed order, reshuffled when `shuffle` is on. */
  private epochOrder(): Int32Array {
    const order = Int32Array.from({ length: this.fileCount }, (_, i) => i);
    if (this.spec.shuffle) this.rng.shuffle(order);
    this.epoch++;
    return order;
  }

  /** Decodes and resizes one file: (H, W, C) float32 0..255. */
  async loadImage(file: string): Promise<Float32Array> {
    const s = this.spec;
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (e) {
      throw new DataFileError(`imageDatasetFromDirectory: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let img = await decodeImage(bytes, s.colorMode, file);
    const [h, w] = s.imageSize;
    if (s.cropToAspectRatio) {
      const b = aspectCropBox(img.height, img.width, h, w);
      img = cropImg(img, b.top, b.left, b.height, b.width);
    }
    if (img.height === h && img.width === w) return Float32Array.from(img.data);
    return resizePixels(img.data, img.height, img.width, img.channels, h, w, s.interpolation, false);
  }

  private async makeBatch(idx: ArrayLike<number>, batched: boolean): Promise<ImageBatch> {
    const s = this.spec;
    const [h, w] = s.imageSize;
    const per = h * w * s.channels;
    const n = idx.length;
    const x = new Float32Array(n * per);
    const imgs = await Promise.all(Array.from(idx, (i) => this.loadImage(s.filePaths[i])));
    imgs.forEach((im, k) => x.set(im, k * per));
    const xt = Tensor.fromArray(x, batched ? [n, h, w, s.channels] : [h, w, s.channels], 'float32');
    if (!s.labels || !s.labelMode) return [xt];
    const lab = Array.from(idx, (i) => s.labels![i]);
    let y: Tensor;
    if (s.labelMode === 'int') y = Tensor.fromArray(Int32Array.from(lab), batched ? [n] : [], 'int32');
    else if (s.labelMode === 'binary') y = Tensor.fromArray(Float32Array.from(lab), batched ? [n, 1] : [1], 'float32');
    else {
      const k = this.numClasses;
      const oh = new Float32Array(n * k);
      lab.forEach((l, i) => (oh[i * k + l] = 1));
      y = Tensor.fromArray(oh, batched ? [n, k] : [k], 'float32');
    }
    return [xt, y];
  }

  /** One epoch of batches; the next batch is decoded while the current one is used. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ImageBatch> {
    const order = this.epochOrder();
    const bs = this.batchSize ?? 1;
    const batched = this.batchSize !== null;
    const batchAt = (b: number): Promise<ImageBatch> => this.makeBatch(order.subarray(b * bs, Math.min(order.length, (b + 1) * bs)), batched);
    let next: Promise<ImageBatch> | null = this.length > 0 ? batchAt(0) : null;
    for (let b = 0; b < this.length; b++) {
      const cur = next!;
      next = b + 1 < this.length ? batchAt(b + 1) : null;
      // A failed prefetch must not go unhandled if the consumer stops early.
      next?.catch(() => undefined);
      yield await cur;
    }
  }
}

export function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Image files under `dir`, in Keras's order: folders sorted by path (os.walk), files sorted in
 * each; `extensions` lower-case with the dot (flowFromDirectory's allow-list differs).
 */
export function walk(dir: string, followLinks: boolean, extensions: readonly string[] = IMAGE_EXTENSIONS): string[] {
  const folders: string[] = [];
  const visit = (d: string): void => {
    folders.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() || (followLinks && e.isSymbolicLink() && isDir(p))) visit(p);
    }
  };
  visit(dir);
  folders.sort();
  const out: string[] = [];
  for (const d of folders) {
    const names = fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => !e.isDirectory() && extensions.some((x) => e.name.toLowerCase().endsWith(x)))
      .map((e) => e.name)
      .sort();
    for (const f of names) out.push(path.join(d, f));
  }
  return out;
}

/** Keras's index_directory: files and labels, class folders in order, shuffled with NumPy's RNG. */
function indexDirectory(dir: string, inferred: boolean, classNames: string[] | undefined, followLinks: boolean, shuffle: boolean, seed: number) {
  let classes: string[];
  if (inferred) {
    const subdirs = fs
      .readdirSync(dir)
      .filter((n) => !n.startsWith('.') && isDir(path.join(dir, n)))
      .sort();
    if (classNames) {
      const missing = classNames.filter((c) => !subdirs.includes(c));
      if (missing.length) {
        throw new ValueError(`imageDatasetFromDirectory: classNames ${JSON.stringify(missing)} are not sub-folders of ${dir} (it has ${JSON.stringify(subdirs)})`);
      }
      classes = classNames.slice();
    } else classes = subdirs;
  } else classes = [''];
  let files: string[] = [];
  let labels: number[] = [];
  classes.forEach((c, k) => {
    const f = walk(path.join(dir, c), followLinks);
    files = files.concat(f);
    labels = labels.concat(f.map(() => k));
  });
  if (shuffle && files.length > 1) {
    // RandomState(seed).shuffle on the paths, then again (same seed) on the labels: one permutation.
    const p = numpyPermutation(files.length, seed);
    files = Array.from(p, (i) => files[i]);
    labels = Array.from(p, (i) => labels[i]);
  }
  return { files, labels: Int32Array.from(labels), classNames: inferred ? classes : null };
}

function split<T extends { slice(a?: number, b?: number): T; length: number }>(a: T, split: number, subset: 'training' | 'validation'): T {
  const nVal = Math.trunc(split * a.length);
  return subset === 'training' ? a.slice(0, a.length - nVal) : a.slice(a.length - nVal);
}

/**
 * A dataset of the images in `directory`, as Keras 3's `image_dataset_from_directory`: with
 * `labels: 'inferred'` each sub-folder is a class (alphabetical, or as `classNames` orders
 * them); files (.bmp .gif .jpeg .jpg .png, any depth) are listed in sorted order and shuffled
 * with NumPy's RandomState(seed), so `validationSplit` + `subset` hold out the same files as
 * Keras does with the same seed (the last `floor(split * n)` of the shuffled list).
 *
 * Iterating the result yields [x (B, H, W, C) float32 0..255, y] batches, decoded and resized
 * (tf.image.resize, no antialias) as they are reached; each `for await` is one epoch.
 * With subset 'both' the result is [training, validation] (the validation part unshuffled).
 *
 * ```ts
 * const [train, val] = await tt.preprocessing.imageDatasetFromDirectory('photos', {
 *   imageSize: [64, 64], validationSplit: 0.2, subset: 'both', seed: 1337 });
 * train.classNames; // ['cats', 'dogs']
 * for await (const [x, y] of train) { ... }
 * ```
 */
export async function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetFromDirectoryOptions & { subset: 'both' },
): Promise<[DirectoryImageDataset, DirectoryImageDataset]>;
export async function imageDatasetFromDirectory(directory: string, options?: ImageDatasetFromDirectoryOptions): Promise<DirectoryImageDataset>;
export async function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetFromDirectoryOptions = {},
): Promise<DirectoryImageDataset | [DirectoryImageDataset, DirectoryImageDataset]> {
  const where = 'imageDatasetFromDirectory';
  checkOptions(where, options, OPTIONS);
  const o = options;
  const labelsOpt = o.labels === undefined ? 'inferred' : o.labels;
  if (labelsOpt !== 'inferred' && labelsOpt !== null) {
    throw new ValueError(`${where}: labels must be 'inferred' or null (explicit label lists are not supported), got ${JSON.stringify(labelsOpt)}`);
  }
  let labelMode: LabelMode = o.labelMode === undefined ? 'int' : o.labelMode;
  if (!['int', 'categorical', 'binary', null].includes(labelMode)) {
    throw new ValueError(`${where}: labelMode must be 'int', 'categorical', 'binary' or null, got '${labelMode}'`);
  }
  if (labelsOpt === null) {
    if (o.classNames) throw new ValueError(`${where}: classNames can only be given with labels 'inferred'`);
    labelMode = null;
  }
  const inferred = labelsOpt === 'inferred' && labelMode !== null;
  const colorMode = o.colorMode ?? 'rgb';
  const channels = channelsOf(where, colorMode);
  const sz = o.imageSize ?? [256, 256];
  const imageSize = (typeof sz === 'number' ? [sz, sz] : sz) as [number, number];
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || !imageSize.every((n) => Number.isInteger(n) && n > 0)) {
    throw new ValueError(`${where}: imageSize must be [height, width] of positive integers, got ${JSON.stringify(sz)}`);
  }
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`${where}: batchSize must be a positive integer or null, got ${batchSize}`);
  const interpolation = checkInterpolation(where, o.interpolation ?? 'bilinear');
  const shuffle = o.shuffle ?? true;
  const vs = o.validationSplit;
  const subset = o.subset;
  if (vs !== undefined && vs !== 0 && !(vs > 0 && vs < 1)) throw new ValueError(`${where}: validationSplit must be between 0 and 1, got ${vs}`);
  if (!!vs !== !!subset) throw new ValueError(`${where}: validationSplit and subset must be given together`);
  if (subset !== undefined && !['training', 'validation', 'both'].includes(subset)) {
    throw new ValueError(`${where}: subset must be 'training', 'validation' or 'both', got '${subset}'`);
  }
  if (vs && shuffle && o.seed === undefined) {
    throw new ValueError(`${where}: with validationSplit and shuffle, give a seed, so that the training and validation subsets do not overlap`);
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) {
    throw new ValueError(`${where}: seed must be an integer in 0..2^32-1 (as NumPy's), got ${o.seed}`);
  }
  // Keras draws np.random.randint(1e6) when no seed is given; here tt.setSeed decides it.
  const seed = o.seed ?? globalRng.nextUint32() % 1000000;
  if (!isDir(directory)) throw new TatamiError(`${where}: ${directory} is not a folder`);
  const ix = indexDirectory(directory, inferred, o.classNames, o.followLinks ?? false, shuffle, seed);
  if (labelMode === 'binary' && ix.classNames!.length !== 2) {
    throw new ValueError(`${where}: labelMode 'binary' needs exactly 2 classes, found ${ix.classNames!.length} (${ix.classNames!.join(', ')}) in ${directory}`);
  }
  const make = (files: string[], labels: Int32Array, shuf: boolean): DirectoryImageDataset => {
    if (files.length === 0) {
      throw new TatamiError(`${where}: no images found in ${directory} for this subset (formats: ${IMAGE_EXTENSIONS.join(' ')})`);
    }
    return new DirectoryImageDataset({
      filePaths: files,
      labels: labelMode ? labels : null,
      classNames: ix.classNames,
      labelMode,
      batchSize,
      imageSize,
      channels,
      colorMode,
      interpolation,
      cropToAspectRatio: o.cropToAspectRatio ?? false,
      shuffle: shuf,
      seed,
    });
  };
  if (!vs || !subset) return make(ix.files, ix.labels, shuffle);
  if (subset === 'both') {
    return [
      make(split(ix.files, vs, 'training'), split(ix.labels, vs, 'training'), shuffle),
      make(split(ix.files, vs, 'validation'), split(ix.labels, vs, 'validation'), false),
    ];
  }
  return make(split(ix.files, vs, subset), split(ix.labels, vs, subset), shuffle);
}
