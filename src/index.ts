/**
 * tatami: Keras-style deep learning for TypeScript on Node.js.
 * @example
 *   import * as tt from 'tatami';
 *   const model = tt.sequential();
 *   model.add(tt.layers.dense({ units: 10, activation: 'softmax', inputShape: [784] }));
 */
import * as ops from './ops/public';

export { Tensor, Variable } from './tensor/tensor';
export type { DType, DataArray, NestedArray } from './tensor/tensor';
export { scope as tidy, keep } from './tensor/engine';
export { grad, grads, valueAndGrads, noGrad, gradients } from './autograd/tape';
export { setSeed } from './util/rng';
export { TatamiError, ShapeError, ValueError } from './util/errors';
export { backend, setBackend } from './backend/registry';

// tensor creation and ops with TensorFlow.js's signatures: tt.tensor, tt.matMul, tt.conv2d, ...
export const {
  tensor, tensor1d, tensor2d, tensor3d, tensor4d, scalar, zeros, ones, fill, zerosLike, onesLike, eye, linspace, range, fromValues,
  randomNormal, randomUniform, truncatedNormal,
  add, sub, mul, div, pow, maximum, minimum, equal, greater, greaterEqual, less, lessEqual,
  neg, exp, log, sqrt, square, abs, reciprocal, sign, floor, round, clipByValue,
  relu, sigmoid, tanh, elu, selu, softplus, softsign, swish, gelu, leakyRelu, relu6, hardSigmoid, softmax, logSoftmax,
  reshape, cast, transpose, slice, concat, stack, gather, oneHot, pad, expandDims, squeeze, clone,
  sum, mean, max, min, argMax, argMin, matMul, dense, batchNorm, dropout,
  conv2d, depthwiseConv2d, separableConv2d, conv2dTranspose, maxPool, avgPool, fused,
} = ops;
export { ops };
export type { TensorLike } from './ops/public';

export { layers, Layer } from './layers/index';
export { initializers } from './initializers/index';
export { losses } from './losses/index';
export { metrics } from './metrics/index';
export { optimizers, Optimizer } from './optimizers/index';
export { Callback, CallbackList } from './callbacks/callback';
export type { Logs, CallbackLike } from './callbacks/callback';
export { callbacks } from './callbacks/index';
export { History } from './training/history';
export type { FitArgs } from './training/fit';
export type { EvaluateArgs } from './training/evaluate';
export type { PredictArgs } from './training/predict';
export type { DataSource, SyncDataSource, AsyncDataSource, BatchValue } from './training/data_source';
export { Sequential, sequential } from './models/sequential';
export { LayersModel, Model, model } from './models/functional';
export type { ModelArgs } from './models/functional';
export { input } from './models/input';
export type { InputArgs } from './models/input';
export { SymbolicTensor } from './layers/symbolic';
// Loading saving/ also installs model.save / saveWeights / loadWeights (models/model_files.ts).
export { loadModel, ModelFileError } from './saving/index';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './saving/index';
export { datasets, DataFileError } from './data/index';
export * as preprocessing from './preprocessing/index';
export * as applications from './applications/index';
export * as viz from './viz/index';

import { toCategorical } from './data/index';
/** keras.utils equivalents. */
export const utils = { toCategorical };
