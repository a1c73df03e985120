/**
 * tatami/tfjs: TensorFlow.js 4.x's API over tatami's engine, so a Node program written for
 * '@tensorflow/tfjs' or '@tensorflow/tfjs-node' runs after changing only the import.
 * @example
 *   import * as tf from 'tatami/tfjs';
 *   const model = tf.sequential();
 *   model.add(tf.layers.dense({ units: 1, inputShape: [1] }));
 *   model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 *   const h = await model.fit(tf.tensor2d([1, 2, 3, 4], [4, 1]), tf.tensor2d([1, 3, 5, 7], [4, 1]), { epochs: 10 });
 *   (model.evaluate(xs, ys) as tf.Tensor).print();
 */
import * as ops from '../ops/public';
import { installTensorMethods } from './tensor_methods';
import { backend as currentBackend } from '../backend/registry';

installTensorMethods();

export { Tensor, Variable } from '../tensor/tensor';
export type { DType, DataArray, NestedArray } from '../tensor/tensor';
export type { TensorLike } from '../ops/public';
export const {
  tensor, tensor1d, tensor2d, tensor3d, tensor4d, scalar, zeros, ones, fill, zerosLike, onesLike, eye, linspace, range,
  randomNormal, randomUniform, truncatedNormal,
  add, sub, mul, div, pow, maximum, minimum, equal, greater, greaterEqual, less, lessEqual,
  neg, exp, log, sqrt, square, abs, reciprocal, sign, floor, round, clipByValue,
  relu, sigmoid, tanh, elu, selu, softplus, softsign, gelu, leakyRelu, relu6, softmax, logSoftmax,
  reshape, cast, transpose, slice, concat, stack, gather, oneHot, pad, expandDims, squeeze, clone,
  sum, mean, max, min, argMax, argMin, matMul, batchNorm, dropout,
  conv2d, depthwiseConv2d, separableConv2d, conv2dTranspose, maxPool, avgPool, fused,
} = ops;
export { tensor5d, tensor6d } from './creation';
export * from './ranked_ops';
export { buffer, TensorBuffer } from './buffer';
export { tidy, dispose, keep, memory, variable, variableGrads, grad, grads, valueAndGrad, valueAndGrads } from './engine';
export { train } from './train';
export type { TfjsOptimizer as Optimizer } from './train';
export { Reduction } from './losses';
export { callbacks, node, CustomCallback } from './util';
export type { CustomCallbackArgs } from './util';
export { Callback } from '../callbacks/callback';
export type { Logs } from '../callbacks/callback';
export { nextFrame } from './fit_callbacks';
export { LayersModel, Sequential, sequential, model } from './model';
export type { TfjsFitArgs as ModelFitArgs, TfjsCompileArgs as ModelCompileArgs, TfjsHistory as History } from './model';
export { input } from '../models/input';
export { loadLayersModel } from './io';
export type { Dataset } from './data/dataset';
export type { LazyIterator } from './data/lazy_iterator';
export type { ModelArtifacts, IOHandler, SaveResult, WeightSpec } from './io';
export { SymbolicTensor } from '../layers/symbolic';
export { Layer } from '../layers/index';
export { layers, initializers, losses, metrics, util, io, data, browser, signal, linalg, image, spectral, sparse, string, regularizers,
  constraints, models, serialization, math, webgl } from './namespaces';
export { NotImplementedError } from './missing';
export type { Missing } from './missing';
export * from './missing_ops';
export { setSeed } from '../util/rng';

/** tfjs's square of a difference, elementwise. */
export const squaredDifference = (a: ops.TensorLike, b: ops.TensorLike) => ops.square(ops.sub(a, b));

/** The engine always runs tatami's backend; these exist so tfjs programs' setup lines run. */
export const ready = async (): Promise<void> => {};
export const getBackend = (): string => currentBackend().name;
export const setBackend = async (_name: string): Promise<boolean> => true;
export const enableProdMode = (): void => {};
export const version = { tfjs: '4.22.0', tatami: '0.1.0' };
