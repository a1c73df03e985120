import type { Tensor } from '../../tensor/tensor';
import { cropImages, resize } from '../../ops/image';
import type { SymbolicShape } from '../layer';
import { defineLayer } from '../registry';
import { IMAGE_KEYS, ImageLayer, checkSize, type ImageLayerArgs } from './common';

export interface CenterCropArgs extends ImageLayerArgs {
  height: number;
  width: number;
}

/**
 * The central height x width window of each image, as Keras's CenterCrop: when the image is
 * smaller than the target in either direction, the largest centred window with the target's aspect
 * ratio is resized (bilinear) to the target instead.
 */
export function centerCropImages(x: Tensor, height: number, width: number): Tensor {
  const [h, w] = x.shape.slice(-3, -1);
  if (h >= height && w >= width) return cropImages(x, Math.trunc((h - height) / 2), Math.trunc((w - width) / 2), height, width);
  return resize(x, [height, width], { cropToAspectRatio: true });
}

/**
 * Crops the centre of each image to height x width, in training and at inference.
 * @example tt.layers.centerCrop({ height: 24, width: 24 })
 */
export class CenterCrop extends ImageLayer {
  static readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(args: CenterCropArgs) {
    super(args, [...IMAGE_KEYS, 'height', 'width']);
    this.height = checkSize('CenterCrop', 'height', args?.height);
    this.width = checkSize('CenterCrop', 'width', args.width);
    this.initName(args.name);
  }

  call(input: Tensor | Tensor[]): Tensor {
    return centerCropImages(this.images(input, true), this.height, this.width);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s.length === 3 ? [this.height, this.width, s[2]] : [s[0], this.height, this.width, s[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: 'channelsLast' };
  }
}

export const centerCropLayer = defineLayer({
  cls: CenterCrop,
  factories: { centerCrop: (args: CenterCropArgs) => new CenterCrop(args) },
  layout: [['height'], ['width'], ['data_format', 'channels_last']],
});
