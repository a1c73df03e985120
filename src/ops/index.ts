/**
 * The internal ops: each op's forward and backward side by side, calling only the backend
 * interface (backend().kernel). Layers use these, with the fused arguments (bias, relu) they need;
 * users get the ops with TensorFlow.js's signatures from ./public.ts (tt.conv2d, tt.matMul, ...).
 */
import { methodTable } from '../tensor/tensor';
import { setAutogradOps } from '../autograd/tape';
import * as creation from './creation';
import * as ew from './elementwise';
import * as act from './activations';
import * as shape from './shape';
import * as red from './reduce';
import * as linalg from './linalg';

export * from './creation';
export * from './elementwise';
export * from './activations';
export * from './shape';
export * from './reduce';
export { matMul, dense } from './linalg';
export { conv2d, convOutput, convInfo, type Padding } from './conv';
export { maxPool, avgPool } from './pool';
export { dropout } from './random';
export { batchNorm, batchNormTraining, type BatchNormTrainingResult } from './batchnorm';
export { conv2dTranspose, convTransposeInfo, convTransposeOutput } from './conv_transpose';
export { globalAvgPool, globalMaxPool } from './global_pool';
export { fusedBatchNorm, fusedBatchNormTraining } from './batchnorm_fused';

// Chainable tensor methods (t.add(u), t.reshape(s), ...), installed once.
Object.assign(methodTable, {
  reshape: shape.reshape, cast: shape.cast, transpose: shape.transpose, slice: shape.slice, gather: shape.gather,
  concat: shape.concat, expandDims: shape.expandDims, squeeze: shape.squeeze, clone: shape.clone,
  oneHot: (t: never, depth: number) => shape.oneHot(t, depth),
  add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, pow: ew.pow, maximum: ew.maximum, minimum: ew.minimum,
  equal: ew.equal, greater: ew.greater, less: ew.less,
  neg: ew.neg, exp: ew.exp, log: ew.log, sqrt: ew.sqrt, square: ew.square, abs: ew.abs,
  relu: act.relu, sigmoid: act.sigmoid, tanh: act.tanh, softmax: act.softmax,
  matMul: linalg.matMul,
  argMax: red.argMax, argMin: red.argMin, sum: red.sum, mean: red.mean, max: red.max, min: red.min,
});

setAutogradOps((a, b) => ew.add(a, b), (t) => creation.onesLike(t));
