import { plotImageGrid, type GridTile } from './grid';
import type { VizImage } from './image';
import { ImageBatch, valuesOf, type NDArrayLike } from './ndarray';

export interface FeatureMapOptions {
  /** The inputs, (N, H, W, C) or flat; image i is drawn at the left of row i. */
  images?: NDArrayLike;
  /** Channels drawn per image, the first ones; default 16. */
  maxMaps?: number;
  /** Maps in one row before it wraps onto the next; default 16. */
  mapsPerRow?: number;
  /** Images drawn, the first ones; default 8. */
  maxImages?: number;
  /** Text at the left of each image's first row, e.g. its label. */
  rowLabels?: string[];
  title?: string;
  /** Display size of a tile; default 64. */
  tileSize?: number;
  scale?: number;
}

/**
 * Draws activations of shape (N, H, W, C): a row per image, its first `maxMaps` channels each
 * stretched min → black, max → white, with the input image at the left, as in seed 001's
 * feature-map figures.
 */
export async function plotFeatureMaps(activations: NDArrayLike, opts: FeatureMapOptions = {}): Promise<VizImage> {
  const s = activations.shape;
  if (s.length !== 4) throw new Error(`expected activations of shape (N, H, W, C), got [${s.join(', ')}]`);
  const [n, h, w, c] = s;
  const v = valuesOf(activations);
  const inputs = opts.images ? new ImageBatch(opts.images) : undefined;
  const shown = Math.min(n, opts.maxImages ?? 8, inputs ? inputs.count : n);
  const maps = Math.min(c, opts.maxMaps ?? 16);
  const perRow = Math.min(maps, opts.mapsPerRow ?? 16);
  const lead = inputs ? 1 : 0;
  const cols = lead + perRow;
  const inputRange = inputs ? inputs.valueRange(Array.from({ length: shown }, (_, i) => i)) : undefined;

  const tiles: Array<GridTile | null> = [];
  const rowLabels: string[] = [];
  for (let i = 0; i < shown; i++) {
    for (let m = 0; m < maps; m++) {
      if (m % perRow === 0) {
        rowLabels.push(m === 0 ? opts.rowLabels?.[i] ?? '' : '');
        if (inputs) tiles.push(m === 0 ? { image: inputs.get(i), range: inputRange, title: 'input' } : null);
      }
      const data = new Float32Array(h * w);
      const base = i * h * w * c;
      for (let p = 0; p < h * w; p++) data[p] = v[base + p * c + m];
      tiles.push({ image: { data, height: h, width: w, channels: 1 }, range: 'minmax', title: String(m) });
    }
    while (tiles.length % cols !== 0) tiles.push(null);
  }
  return plotImageGrid(tiles, {
    cols,
    title: opts.title,
    tileSize: opts.tileSize ?? 64,
    fontSize: 11,
    rowLabels: opts.rowLabels ? rowLabels : undefined,
    scale: opts.scale,
  });
}
