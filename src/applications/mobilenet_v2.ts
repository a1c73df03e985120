import { layers } from '../layers/index';
import type { SymbolicTensor } from '../layers/symbolic';
import { ValueError } from '../util/errors';
import { defineApplication } from './application';
import { finishModel, poolingHead, resolveArgs, type ApplicationArgs } from './common';

// MobileNetV2 as keras/src/applications/mobilenet_v2.py builds it: batch norms with epsilon 1e-3
// and momentum 0.999, ReLU(6), inverted residual blocks named block_1_... block_16_.

export interface MobileNetV2Args extends ApplicationArgs {
  /** Width multiplier (default 1): scales the filters of every layer but the last 1x1 convolution. */
  alpha?: number;
}

const SIZES = [96, 128, 160, 192, 224];

/** Python's str(float): 1 -> '1.0', 0.35 -> '0.35' (Keras's weight file names). */
const pyFloat = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** Keras's _make_divisible: v rounded to a multiple of `divisor`, never more than 10% below v. */
export function makeDivisible(v: number, divisor: number, minValue = divisor): number {
  let out = Math.max(minValue, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}

/**
 * Keras's imagenet_utils.correct_pad: the zero padding before a stride-2 3x3 convolution,
 * [[top, bottom], [left, right]]: one less before than after on an even (or unknown) side.
 */
export function correctPad(shape: (number | null)[], kernel: number): [[number, number], [number, number]] {
  const half = Math.floor(kernel / 2);
  const adjust = (d: number | null) => (d === null ? 1 : 1 - (d % 2));
  const [, h, w] = shape;
  // Keras decides both sides from the height when the height is unknown
  const [ah, aw] = h === null ? [1, 1] : [adjust(h), adjust(w)];
  return [[half - ah, half], [half - aw, half]];
}

function bn(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name }).apply(x);
}

function invertedResBlock(x: SymbolicTensor, expansion: number, stride: number, alpha: number, filters: number, blockId: number): SymbolicTensor {
  const inChannels = x.shape[3] as number;
  const pointwiseFilters = makeDivisible(Math.trunc(filters * alpha), 8);
  let prefix = `block_${blockId}_`;
  let y = x;
  if (blockId) {
    y = layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }).apply(y);
    y = bn(y, `${prefix}expand_BN`);
    y = layers.reLU({ maxValue: 6, name: `${prefix}expand_relu` }).apply(y);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) y = layers.zeroPadding2d({ padding: correctPad(y.shape, 3), name: `${prefix}pad` }).apply(y);
  y = layers.depthwiseConv2d({
    kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise`,
  }).apply(y);
  y = bn(y, `${prefix}depthwise_BN`);
  y = layers.reLU({ maxValue: 6, name: `${prefix}depthwise_relu` }).apply(y);
  y = layers.conv2d({ filters: pointwiseFilters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }).apply(y);
  y = bn(y, `${prefix}project_BN`);
  if (inChannels === pointwiseFilters && stride === 1) return layers.add({ name: `${prefix}add` }).apply([x, y]);
  return y;
}

// [filters, stride, expansion] of blocks 0-16
const BLOCKS: [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6], [24, 1, 6],
  [32, 2, 6], [32, 1, 6], [32, 1, 6],
  [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6],
  [160, 2, 6], [160, 1, 6], [160, 1, 6],
  [320, 1, 6],
];

/** Keras's default size: the given (or inputTensor's) square size when it is one of the ImageNet sizes, else 224. */
function defaultSize(args: MobileNetV2Args): number {
  const shape = args.inputShape ?? (args.inputTensor ? args.inputTensor.shape.slice(1) : null);
  if (args.inputShape && args.inputTensor && args.inputTensor.shape[2] !== args.inputShape[1]) {
    throw new ValueError(`mobilenetv2: inputTensor's width must equal inputShape's; got inputTensor shape [${args.inputTensor.shape.join(', ')}] and inputShape [${args.inputShape.join(', ')}]`);
  }
  if (shape && shape[0] === shape[1] && SIZES.includes(shape[0] as number)) return shape[0] as number;
  return 224;
}

/**
 * MobileNetV2 (Sandler et al., 2018): 3,538,984 parameters with the top, 2,257,984 without (alpha 1).
 * Default input 224x224x3 (96, 128, 160, 192 too; at least 32x32 without the top);
 * preprocessInput is Keras's 'tf' mode (x / 127.5 - 1).
 * @example const base = tt.applications.mobileNetV2({ includeTop: false, inputShape: [96, 96, 3], pooling: 'avg' });
 */
export const mobileNetV2 = defineApplication((args: MobileNetV2Args = {}) => {
  const alpha = args.alpha ?? 1;
  if (!(typeof alpha === 'number' && alpha > 0)) throw new ValueError(`mobilenetv2: alpha must be a positive number; got ${JSON.stringify(args.alpha)}`);
  if (args.weights === 'imagenet' && ![0.35, 0.5, 0.75, 1.0, 1.3, 1.4].includes(alpha)) {
    throw new ValueError(`mobilenetv2: with 'imagenet' weights, alpha must be one of 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4; got ${alpha}`);
  }
  const size = defaultSize(args);
  const r = resolveArgs({
    where: 'mobilenetv2', defaultSize: size, minSize: 32, extraKeys: ['alpha'],
    kerasFile: (top) => `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pyFloat(alpha)}_${size}${top ? '' : '_no_top'}.h5`,
  }, args);
  const rows = r.inputShape[0];
  let x = layers.conv2d({ filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(r.imgInput);
  x = bn(x, 'bn_Conv1');
  x = layers.reLU({ maxValue: 6, name: 'Conv1_relu' }).apply(x);
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, expansion, stride, alpha, filters, id);
  });
  // the last 1x1 convolution is widened, never narrowed, by alpha
  const lastFilters = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = layers.conv2d({ filters: lastFilters, kernelSize: 1, useBias: false, name: 'Conv_1' }).apply(x);
  x = bn(x, 'Conv_1_bn');
  x = layers.reLU({ maxValue: 6, name: 'out_relu' }).apply(x);
  if (r.includeTop) {
    x = layers.globalAveragePooling2d().apply(x);
    x = layers.dense({ units: r.classes, activation: r.classifierActivation, name: 'predictions' }).apply(x);
  } else {
    x = poolingHead(x, r.pooling);
  }
  return finishModel(r, args, x, `mobilenetv2_${alpha.toFixed(2)}_${rows === null ? 'None' : rows}`);
}, 'tf');
