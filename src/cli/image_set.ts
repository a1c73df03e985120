import { Tensor } from '../tensor/tensor';
import { ValueError } from '../util/errors';
import type { TrainExample } from './examples/types';

/** v / 255 rounded to float32, as a Float32Array store of the division rounds it: the same bits. */
const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Images as a model takes them (float32 in 0..1, shape (count, H, W, C) or (count, H*W*C)),
 * kept as the dataset's uint8 pixels and scaled a batch at a time. The whole float32 set of
 * MNIST is 188 MB, its pixels 47 MB: the main job keeps only the pixels, once (the loaded
 * dataset itself, not a copy). `rows` picks and orders the images of the set (a shuffled split);
 * without it the set is the first `count` images. A set can also wrap float32 images as they are.
 */
export class ImageSet {
  /** (count, H, W, C) or (count, H*W*C). */
  readonly shape: number[];
  private readonly per: number;

  private constructor(private readonly pixels: Uint8Array | null, private readonly floats: Float32Array | null,
    private readonly rows: Int32Array | null, shape: number[]) {
    this.shape = shape;
    this.per = shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /**
   * uint8 images x (N, H, W[, C]), scaled to 0..1: the images `rows` in that order, or the first
   * `count`. x's values are read in place, never copied whole.
   */
  static scaled(x: Tensor, input: TrainExample['input'], sel: { rows?: Int32Array; count?: number }): ImageSet {
    if (x.dtype !== 'uint8') throw new ValueError(`ImageSet.scaled: expected uint8 images, got ${x.dtype}`);
    const n = sel.rows ? sel.rows.length : Math.min(sel.count ?? x.shape[0], x.shape[0]);
    const per = x.size / x.shape[0];
    const shape = input === 'image' ? [n, x.shape[1], x.shape[2], x.shape[3] ?? 1] : [n, per];
    return new ImageSet(x.values as Uint8Array, null, sel.rows ?? null, shape);
  }

  /** float32 images (N, ...) used as they are (not copied). */
  static of(t: Tensor): ImageSet {
    if (t.dtype !== 'float32') throw new ValueError(`ImageSet.of: expected float32 images, got ${t.dtype}`);
    return new ImageSet(null, t.values as Float32Array, null, t.shape.slice());
  }

  get count(): number {
    return this.shape[0];
  }

  /** Writes images idx[start..end) (start..end when idx is null) into dst, one after another. */
  private fill(dst: Float32Array, idx: ArrayLike<number> | null, start: number, end: number): void {
    const per = this.per;
    for (let i = start; i < end; i++) {
      const k = idx ? idx[i] : i;
      if (!(k >= 0 && k < this.count)) throw new ValueError(`ImageSet: image ${k} out of range for ${this.count} images`);
      const r = this.rows ? this.rows[k] : k;
      const at = (i - start) * per;
      if (this.floats) {
        dst.set(this.floats.subarray(r * per, (r + 1) * per), at);
        continue;
      }
      const src = this.pixels!;
      const from = r * per;
      for (let j = 0; j < per; j++) dst[at + j] = SCALE[src[from + j]];
    }
  }

  /** A float32 batch (end - start, ...) of images idx[start..end), or start..end in order; in backend memory. */
  take(idx: ArrayLike<number> | null, start: number, end: number): Tensor {
    const out = Tensor.output([end - start, ...this.shape.slice(1)]);
    this.fill(out.values as Float32Array, idx, start, end);
    return out;
  }

  /** Images idx (few: a figure's) as one float32 tensor in a plain array. */
  pick(idx: ArrayLike<number>): Tensor {
    const out = new Float32Array(idx.length * this.per);
    this.fill(out, idx, 0, idx.length);
    return Tensor.fromArray(out, [idx.length, ...this.shape.slice(1)]);
  }

  /**
   * The whole set as one float32 tensor in a plain array (not backend memory), for code that
   * needs it whole (an augmenting generator, the fine-tuning example). Made anew on each call.
   */
  tensor(): Tensor {
    if (this.floats && !this.rows) return Tensor.fromArray(this.floats, this.shape.slice());
    const out = new Float32Array(this.count * this.per);
    this.fill(out, null, 0, this.count);
    return Tensor.fromArray(out, this.shape.slice());
  }
}
