import type { Backend } from '../backend';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './pooling';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv';
import { affine, binary, unary, unaryGrad } from './elementwise';
import { matMul, transpose } from './matmul';
import { dropout, dropoutGrad } from './dropout';
import { optimizerStep } from './optimizer';
import { resampleImages } from './resample';
import { batchNormApply, batchNormGradInput, batchNormGradSums, batchNormStats } from './batch_norm';
import { argMax, biasAdd, biasGrad, convEpilogue, logSoftmax, reduce, softmax } from './reduce';

/** The reference backend: plain TypeScript, the definition of every kernel. */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    alloc: (size) => new Float32Array(size),
    allocUninit: (size) => new Float32Array(size),
    free: () => {},
    matMul, conv2dBackpropInput, conv2dBackpropFilter,
    conv2d(x, w, y, info, epilogue) {
      conv2d(x, w, y, info);
      convEpilogue(y, epilogue, info.outC);
    },
    maxPool, maxPoolBackward, avgPool, avgPoolBackward,
    unary, unaryGrad, binary, affine, reduce, argMax, softmax, logSoftmax, biasAdd, biasGrad, transpose,
    optimizerStep, dropout, dropoutGrad, resampleImages,
    batchNormStats, batchNormApply, batchNormGradSums, batchNormGradInput,
  };
}
