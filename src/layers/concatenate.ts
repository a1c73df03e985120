import type { Tensor } from '../tensor/tensor';
import { concat } from '../ops/index';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { Layer, type LayerArgs, type SymbolicShape } from './layer';
import { inputList, shapeList } from './base_merge';
import { defineLayer } from './registry';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1: channels). */
  axis?: number;
}

/**
 * Joins a list of inputs along `axis`; every other dimension must match.
 * @example const y = tt.layers.concatenate({ axis: -1 }).apply([a, b]);
 */
export class Concatenate extends Layer {
  static readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, ['axis']);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`concatenate: axis must be an integer, got ${args.axis}`);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const xs = inputList(this, input);
    this.joinedShape(xs.map((x) => x.shape));
    return xs.length === 1 ? xs[0] : concat(xs, this.axis);
  }

  override computeOutputShape(shapes: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.joinedShape(shapeList(this, shapes));
  }

  /** Sum of the sizes on the axis (unknown if any is); other dimensions must agree where known. */
  private joinedShape(shapes: SymbolicShape[]): SymbolicShape {
    const rank = shapes[0].length;
    const fail = (why: string) => new ShapeError(`concatenate layer '${this.name}' (axis ${this.axis}): ${why}; got ${shapes.map((s) => shapeToString(s)).join(', ')}`);
    if (shapes.some((s) => s.length !== rank)) throw fail('inputs must all have the same rank');
    if (this.axis >= rank || this.axis < -rank) throw fail(`axis is out of range for rank ${rank}`);
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    const out = shapes[0].slice();
    for (const s of shapes.slice(1)) {
      for (let i = 0; i < rank; i++) {
        if (i === a) out[i] = out[i] == null || s[i] == null ? null : (out[i] as number) + (s[i] as number);
        else if (out[i] == null) out[i] = s[i];
        else if (s[i] != null && s[i] !== out[i]) throw fail('inputs must match on every axis except the concatenation axis');
      }
    }
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export const concatenateLayer = defineLayer({
  cls: Concatenate,
  factories: { concatenate: (args: ConcatenateArgs = {}) => new Concatenate(args) },
  layout: [['axis', -1]],
});
