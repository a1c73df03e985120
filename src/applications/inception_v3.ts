import { layers } from '../layers/index';
import type { SymbolicTensor } from '../layers/symbolic';
import { defineApplication } from './application';
import { finishModel, poolingHead, resolveArgs, type ApplicationArgs } from './common';

// Inception-v3 as keras/src/applications/inception_v3.py builds it. As there, only the
// concatenations (mixed0 ... mixed10, mixed9_0, mixed9_1) and the top are named: the other layers
// take Keras's automatic names (conv2d_N, batch_normalization_N, activation_N, ...), so their
// order, not their names, identifies them, and `model.layers.slice(0, 249)` is everything up to
// mixed8 as in Keras's fine-tuning example.

type T = SymbolicTensor;

/** Convolution without bias, batch norm without scale, ReLU. */
function convBn(x: T, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): T {
  let y = layers.conv2d({ filters, kernelSize: [rows, cols], strides, padding, useBias: false }).apply(x);
  y = layers.batchNormalization({ axis: 3, scale: false }).apply(y);
  return layers.activation({ activation: 'relu' }).apply(y);
}

const avgPool3 = (x: T) => layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
const maxPool3s2 = (x: T) => layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x);
const concat = (xs: T[], name?: string) => layers.concatenate({ axis: 3, name }).apply(xs);

/** mixed0-2 (35x35): 1x1, 5x5, double 3x3 and pooled branches. */
function block35(x: T, poolFilters: number, name: string): T {
  const b1 = convBn(x, 64, 1, 1);
  const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
  const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  const bp = convBn(avgPool3(x), poolFilters, 1, 1);
  return concat([b1, b5, b3, bp], name);
}

/** mixed4-7 (17x17): factorized 7x7 branches with `c` inner filters. */
function block17(x: T, c: number, name: string): T {
  const b1 = convBn(x, 192, 1, 1);
  let b7 = convBn(x, c, 1, 1);
  b7 = convBn(b7, c, 1, 7);
  b7 = convBn(b7, 192, 7, 1);
  let bd = convBn(x, c, 1, 1);
  bd = convBn(bd, c, 7, 1);
  bd = convBn(bd, c, 1, 7);
  bd = convBn(bd, c, 7, 1);
  bd = convBn(bd, 192, 1, 7);
  const bp = convBn(avgPool3(x), 192, 1, 1);
  return concat([b1, b7, bd, bp], name);
}

/** mixed9-10 (8x8): expanded filter banks. */
function block8(x: T, i: number): T {
  const b1 = convBn(x, 320, 1, 1);
  const b3 = convBn(x, 384, 1, 1);
  const b3cat = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)], `mixed9_${i}`);
  const bd = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
  const bdcat = concat([convBn(bd, 384, 1, 3), convBn(bd, 384, 3, 1)]);
  const bp = convBn(avgPool3(x), 192, 1, 1);
  return concat([b1, b3cat, bdcat, bp], `mixed${9 + i}`);
}

/**
 * InceptionV3 (Szegedy et al., 2016): 23,851,784 parameters with the top, 21,802,784 without (311
 * layers, mixed8 at index 248). Default input 299x299x3 (at least 75x75 without the top);
 * preprocessInput is Keras's 'tf' mode (x / 127.5 - 1).
 * @example const base = tt.applications.inceptionV3({ includeTop: false, inputShape: [190, 190, 3] });
 */
export const inceptionV3 = defineApplication((args?: ApplicationArgs) => {
  const r = resolveArgs({
    where: 'inception_v3', defaultSize: 299, minSize: 75,
    kerasFile: (top) => `inception_v3_weights_tf_dim_ordering_tf_kernels${top ? '' : '_notop'}.h5`,
  }, args);
  let x = convBn(r.imgInput, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool3s2(x);
  x = convBn(x, 80, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 'valid');
  x = maxPool3s2(x);

  x = block35(x, 32, 'mixed0');
  x = block35(x, 64, 'mixed1');
  x = block35(x, 64, 'mixed2');

  // mixed3 (17x17): strided 3x3 and double 3x3, max pooled
  const m3a = convBn(x, 384, 3, 3, 'valid', 2);
  const m3b = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
  x = concat([m3a, m3b, maxPool3s2(x)], 'mixed3');

  x = block17(x, 128, 'mixed4');
  x = block17(x, 160, 'mixed5');
  x = block17(x, 160, 'mixed6');
  x = block17(x, 192, 'mixed7');

  // mixed8 (8x8)
  const m8a = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
  let m8b = convBn(x, 192, 1, 1);
  m8b = convBn(m8b, 192, 1, 7);
  m8b = convBn(m8b, 192, 7, 1);
  m8b = convBn(m8b, 192, 3, 3, 'valid', 2);
  x = concat([m8a, m8b, maxPool3s2(x)], 'mixed8');

  x = block8(x, 0);
  x = block8(x, 1);

  if (r.includeTop) {
    x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x);
    x = layers.dense({ units: r.classes, activation: r.classifierActivation, name: 'predictions' }).apply(x);
  } else {
    x = poolingHead(x, r.pooling);
  }
  return finishModel(r, args, x, 'inception_v3');
}, 'tf');
