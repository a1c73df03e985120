import { layers } from '../layers/index';
import type { SymbolicTensor } from '../layers/symbolic';
import { defineApplication } from './application';
import { finishModel, resolveArgs, type ApplicationArgs } from './common';

// ResNet50 (v1) as keras/src/applications/resnet.py builds it. Batch norms use epsilon 1.001e-5.

const EPS = 1.001e-5;

function bn(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.batchNormalization({ axis: 3, epsilon: EPS, name }).apply(x);
}

/**
 * A bottleneck block: 1x1 (stride s) → 3x3 → 1x1 (4·filters), each with batch norm, added to the
 * shortcut (a strided 1x1 convolution and batch norm when `convShortcut`, else the input).
 */
function residualBlock(x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = layers.conv2d({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }).apply(x);
    shortcut = bn(shortcut, `${name}_0_bn`);
  }
  let y = layers.conv2d({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }).apply(x);
  y = bn(y, `${name}_1_bn`);
  y = layers.activation({ activation: 'relu', name: `${name}_1_relu` }).apply(y);
  y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }).apply(y);
  y = bn(y, `${name}_2_bn`);
  y = layers.activation({ activation: 'relu', name: `${name}_2_relu` }).apply(y);
  y = layers.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }).apply(y);
  y = bn(y, `${name}_3_bn`);
  y = layers.add({ name: `${name}_add` }).apply([shortcut, y]);
  return layers.activation({ activation: 'relu', name: `${name}_out` }).apply(y);
}

/** `blocks` residual blocks; the first has the convolution shortcut and the stride. */
function stack(x: SymbolicTensor, filters: number, blocks: number, stride1: number, name: string): SymbolicTensor {
  let y = residualBlock(x, filters, stride1, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) y = residualBlock(y, filters, 1, false, `${name}_block${i}`);
  return y;
}

/**
 * ResNet50 (He et al., 2015): 25,636,712 parameters with the top, 23,587,712 without. Default input
 * 224x224x3 (at least 32x32 without the top); preprocessInput is Keras's 'caffe' mode. Layer names
 * as Keras's: conv1_pad, conv1_conv, ..., conv5_block3_out, avg_pool, predictions.
 * @example const base = tt.applications.resNet50({ includeTop: false, pooling: 'avg' });
 */
export const resNet50 = defineApplication((args?: ApplicationArgs) => {
  const r = resolveArgs({
    where: 'resnet50', defaultSize: 224, minSize: 32,
    kerasFile: (top) => `resnet50_weights_tf_dim_ordering_tf_kernels${top ? '' : '_notop'}.h5`,
  }, args);
  let x = layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(r.imgInput);
  x = layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }).apply(x);
  x = bn(x, 'conv1_bn');
  x = layers.activation({ activation: 'relu', name: 'conv1_relu' }).apply(x);
  x = layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x);
  x = layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x);
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');
  if (r.includeTop) {
    x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x);
    x = layers.dense({ units: r.classes, activation: r.classifierActivation, name: 'predictions' }).apply(x);
  } else if (r.pooling === 'avg') {
    x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x);
  } else if (r.pooling === 'max') {
    x = layers.globalMaxPooling2d({ name: 'max_pool' }).apply(x);
  }
  return finishModel(r, args, x, 'resnet50');
}, 'caffe');
