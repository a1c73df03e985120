import type { Tensor } from '../../tensor/tensor';
import { checkInterpolation, resize, type Interpolation } from '../../ops/image';
import { ValueError } from '../../util/errors';
import type { SymbolicShape } from '../layer';
import { defineLayer } from '../registry';
import { IMAGE_KEYS, ImageLayer, checkSize, type ImageLayerArgs } from './common';

export interface ResizingArgs extends ImageLayerArgs {
  height: number;
  width: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
  /** Resize the largest centred window with the target aspect ratio instead of distorting. Default false. */
  cropToAspectRatio?: boolean;
  /** Pad the short side evenly with fillValue to the target aspect ratio first. Default false. */
  padToAspectRatio?: boolean;
  /** Only 'constant' (Keras supports no other). */
  fillMode?: 'constant';
  /** The padding value of padToAspectRatio. Default 0. */
  fillValue?: number;
  /** Keras's antialias: only false is supported. */
  antialias?: boolean;
}

/**
 * Resizes images to height x width, in training and at inference, with Keras 3's arithmetic
 * (half-pixel centres, no antialiasing).
 * @example tt.layers.resizing({ height: 32, width: 32, cropToAspectRatio: true })
 */
export class Resizing extends ImageLayer {
  static readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(args: ResizingArgs) {
    super(args, [...IMAGE_KEYS, 'height', 'width', 'interpolation', 'cropToAspectRatio', 'padToAspectRatio', 'fillMode', 'fillValue', 'antialias']);
    this.height = checkSize('Resizing', 'height', args?.height);
    this.width = checkSize('Resizing', 'width', args.width);
    this.interpolation = checkInterpolation('Resizing', args.interpolation ?? 'bilinear');
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = args.padToAspectRatio ?? false;
    if (this.cropToAspectRatio && this.padToAspectRatio) throw new ValueError('Resizing: only one of cropToAspectRatio and padToAspectRatio can be true');
    if ((args.fillMode ?? 'constant') !== 'constant') throw new ValueError(`Resizing: fillMode '${args.fillMode}' is not supported; Keras supports only 'constant'`);
    if (args.antialias) throw new ValueError('Resizing: antialias is not supported by tatami');
    this.fillValue = args.fillValue ?? 0;
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    const x = this.images(input, true);
    return resize(x, [this.height, this.width], {
      interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio, padToAspectRatio: this.padToAspectRatio, fillValue: this.fillValue,
    });
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s.length === 3 ? [this.height, this.width, s[2]] : [s[0], this.height, this.width, s[3]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio, fillMode: 'constant', fillValue: this.fillValue, dataFormat: 'channelsLast',
    };
  }
}

export const resizingLayer = defineLayer({
  cls: Resizing,
  factories: { resizing: (args: ResizingArgs) => new Resizing(args) },
  layout: [
    ['height'], ['width'], ['interpolation', 'bilinear'], ['crop_to_aspect_ratio', false], ['pad_to_aspect_ratio', false], ['fill_mode', 'constant'],
    ['fill_value', 0], ['data_format', 'channels_last'],
  ],
});
