import type { Tensor } from '../tensor/tensor';
import { add, cast, fromValues, mul } from '../ops/index';
import { ValueError } from '../util/errors';
import { Layer, type LayerArgs } from './layer';
import { defineLayer } from './registry';

export interface RescalingArgs extends LayerArgs {
  /** Multiplier: a number, or one number per channel (broadcast against the last axis). */
  scale: number | number[];
  /** Added after scaling. Default 0. */
  offset?: number | number[];
}

function checkFactor(name: string, v: unknown): number | number[] {
  const ok = typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number' && Number.isFinite(e));
  if (!ok) throw new ValueError(`rescaling: ${name} must be a finite number or an array of them, got ${JSON.stringify(v)}`);
  return Array.isArray(v) ? v.slice() : (v as number);
}

/**
 * y = x * scale + offset, after casting x to float32 (so uint8 images can be fed directly).
 * @example tt.layers.rescaling({ scale: 1 / 255 })
 * @example tt.layers.rescaling({ scale: 1 / 127.5, offset: -1 })
 */
export class Rescaling extends Layer {
  static readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(args: RescalingArgs) {
    super(args, ['scale', 'offset']);
    if (args?.scale == null) throw new ValueError('rescaling: scale is required, e.g. { scale: 1 / 255 }');
    this.scale = checkFactor('scale', args.scale);
    this.offset = checkFactor('offset', args.offset ?? 0);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = cast(input as Tensor, 'float32');
    const factor = (v: number | number[]) => (typeof v === 'number' ? v : fromValues(v, [v.length]));
    const y = this.scale === 1 ? x : mul(x, factor(this.scale));
    return this.offset === 0 ? y : add(y, factor(this.offset));
  }

  override getConfig(): Record<string, unknown> {
    const copy = (v: number | number[]) => (typeof v === 'number' ? v : v.slice());
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}

export const rescalingLayer = defineLayer({
  cls: Rescaling,
  factories: { rescaling: (args: RescalingArgs) => new Rescaling(args) },
  layout: [['scale'], ['offset', 0]],
});
