import type { Tensor } from '../tensor/tensor';
import { pad } from '../ops/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { defineLayer } from './registry';

/** [[top, bottom], [left, right]] */
export type Padding2D = [[number, number], [number, number]];

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. Default 1. */
  padding?: number | [number, number] | [[number, number], [number, number]] | number[] | number[][];
  dataFormat?: 'channelsLast';
}

function normalizePadding(p: ZeroPadding2DArgs['padding']): Padding2D {
  const bad = () => new ValueError(`zeroPadding2d: padding must be n, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(p)}`);
  let out: Padding2D;
  if (p == null) out = [[1, 1], [1, 1]];
  else if (typeof p === 'number') out = [[p, p], [p, p]];
  else if (p.length === 2 && p.every((v) => typeof v === 'number')) {
    const [h, w] = p as number[];
    out = [[h, h], [w, w]];
  } else if (p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)) {
    const [a, b] = p as number[][];
    out = [[a[0], a[1]], [b[0], b[1]]];
  } else throw bad();
  if (!out.flat().every((v) => Number.isInteger(v) && v >= 0)) throw bad();
  return out;
}

/**
 * Adds rows and columns of zeros around each image: (N, H, W, C) → (N, top+H+bottom, left+W+right, C).
 * @example tt.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] })
 */
export class ZeroPadding2D extends Layer {
  static readonly className = 'ZeroPadding2D';
  readonly padding: Padding2D;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, ['padding', 'dataFormat']);
    if (args.dataFormat && args.dataFormat !== 'channelsLast') throw new ValueError(`zeroPadding2d: only dataFormat 'channelsLast' is supported`);
    this.padding = normalizePadding(args.padding);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = input as Tensor;
    if (x.rank !== 4) throw new ShapeError(`zeroPadding2d layer '${this.name}' expects inputs of shape (batch, height, width, channels), got ${shapeToString(x.shape)}`);
    const [h, w] = this.padding;
    return pad(x, [[0, 0], h, w, [0, 0]]);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const [[t, b], [l, r]] = this.padding;
    return [s[0], s[1] == null ? null : s[1] + t + b, s[2] == null ? null : s[2] + l + r, s[3]];
  }

  override getConfig(): Record<string, unknown> {
    const [h, w] = this.padding;
    return { ...super.getConfig(), padding: [h.slice(), w.slice()], dataFormat: 'channelsLast' };
  }
}

export const zeroPadding2dLayer = defineLayer({
  cls: ZeroPadding2D,
  factories: { zeroPadding2d: (args: ZeroPadding2DArgs = {}) => new ZeroPadding2D(args) },
  layout: [['padding'], ['data_format', 'channels_last']],
});
