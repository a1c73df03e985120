import { layers } from '../layers/index';
import type { SymbolicTensor } from '../layers/symbolic';
import { defineApplication } from './application';
import { finishModel, poolingHead, resolveArgs, type ApplicationArgs, type Built } from './common';

/**
 * VGG16 and VGG19 as keras/src/applications/vgg16.py and vgg19.py build them: five blocks of
 * 3x3 'same' convolutions with ReLU (64, 128, 256, 512, 512 filters), each closed by a 2x2 max
 * pooling; the top is Flatten, two Dense(4096, relu) and the classifier. Layer names as Keras's:
 * block1_conv1 ... block5_pool, flatten, fc1, fc2, predictions.
 */
function buildVgg(depth: 16 | 19, args: ApplicationArgs | undefined): Built {
  const where = `vgg${depth}`;
  const r = resolveArgs({
    where, defaultSize: 224, minSize: 32,
    kerasFile: (top) => `vgg${depth}_weights_tf_dim_ordering_tf_kernels${top ? '' : '_notop'}.h5`,
  }, args);
  const convsPerBlock = depth === 16 ? [2, 2, 3, 3, 3] : [2, 2, 4, 4, 4];
  const filters = [64, 128, 256, 512, 512];
  let x: SymbolicTensor = r.imgInput;
  convsPerBlock.forEach((n, b) => {
    for (let i = 1; i <= n; i++) {
      x = layers.conv2d({ filters: filters[b], kernelSize: 3, activation: 'relu', padding: 'same', name: `block${b + 1}_conv${i}` }).apply(x);
    }
    x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  if (r.includeTop) {
    x = layers.flatten({ name: 'flatten' }).apply(x);
    x = layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }).apply(x);
    x = layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }).apply(x);
    x = layers.dense({ units: r.classes, activation: r.classifierActivation, name: 'predictions' }).apply(x);
  } else {
    x = poolingHead(x, r.pooling);
  }
  return finishModel(r, args, x, where);
}

/**
 * VGG16 (Simonyan & Zisserman, 2015): 138,357,544 parameters with the top, 14,714,688 without.
 * Default input 224x224x3 (at least 32x32 without the top); preprocessInput is Keras's 'caffe' mode.
 * @example const base = tt.applications.vgg16({ includeTop: false, inputShape: [64, 64, 3], pooling: 'avg' });
 */
export const vgg16 = defineApplication((args?: ApplicationArgs) => buildVgg(16, args), 'caffe');

/** VGG19: VGG16 with four convolutions in blocks 3-5; 143,667,240 parameters with the top, 20,024,384 without. */
export const vgg19 = defineApplication((args?: ApplicationArgs) => buildVgg(19, args), 'caffe');
