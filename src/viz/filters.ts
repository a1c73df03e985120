import { plotImageGrid, type GridTile } from './grid';
import type { VizImage } from './image';
import { valuesOf, type NDArrayLike } from './ndarray';
import { minMax, type TileRange } from './tiles';
import { ValueError } from '../util/errors';

export interface FilterOptions {
  /** Input channel whose (kh, kw) slice is drawn for every filter; 'rgb' draws 3-channel kernels in colour. Default 0. */
  inputChannel?: number | 'rgb';
  /** At most this many filters, the first ones; default all. */
  maxFilters?: number;
  /**
   * 'filter' (default, as in the Keras tutorials): each filter's min → black, max → white, so its
   * pattern shows whatever its scale. 'layer': one range for all, so weak filters look flat grey.
   */
  normalize?: 'filter' | 'layer';
  /** Tiles per row; default 8 (4x8 for 32 filters, 8x8 for 64). */
  cols?: number;
  title?: string;
  /** Display size of a tile; default 54. */
  tileSize?: number;
  scale?: number;
}

/**
 * Draws the filters of a conv kernel of shape (kh, kw, in, out), Keras's layout, one
 * grayscale tile per output filter labelled with its index. Example:
 * `await plotFilters({ data: w, shape: [3, 3, 1, 32] })` gives the 4x8 grid of seed 001.
 */
export async function plotFilters(kernel: NDArrayLike, opts: FilterOptions = {}): Promise<VizImage> {
  if (kernel.shape.length !== 4) throw new Error(`expected a conv kernel of shape (kh, kw, in, out), got [${kernel.shape.join(', ')}]`);
  const [kh, kw, cin, cout] = kernel.shape;
  const w = valuesOf(kernel);
  const rgb = opts.inputChannel === 'rgb';
  const ch = rgb ? 0 : (opts.inputChannel as number | undefined) ?? 0;
  if (rgb && cin !== 3) throw new ValueError(`inputChannel 'rgb' needs 3 input channels, the kernel has ${cin}`);
  if (!rgb && (ch < 0 || ch >= cin)) throw new ValueError(`inputChannel ${ch} out of range 0..${cin - 1}`);
  const n = Math.min(cout, opts.maxFilters ?? cout);

  const pictures = [];
  for (let f = 0; f < n; f++) {
    const c = rgb ? 3 : 1;
    const data = new Float32Array(kh * kw * c);
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        for (let k = 0; k < c; k++) data[(y * kw + x) * c + k] = w[((y * kw + x) * cin + (rgb ? k : ch)) * cout + f];
      }
    }
    pictures.push({ data, height: kh, width: kw, channels: c });
  }
  let range: TileRange = 'minmax';
  if (opts.normalize === 'layer') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of pictures) {
      const [a, b] = minMax(p.data);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    range = [lo, hi];
  }
  const tiles: GridTile[] = pictures.map((image, f) => ({ image, range, title: String(f) }));
  return plotImageGrid(tiles, {
    cols: opts.cols ?? Math.min(8, Math.max(n, 1)),
    title: opts.title,
    tileSize: opts.tileSize ?? 54,
    fontSize: 12,
    tileBorder: '#999999',
    scale: opts.scale,
  });
}
