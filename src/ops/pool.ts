import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import type { Pool2DInfo } from '../backend/backend';
import { record } from '../autograd/tape';
import { ShapeError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { convOutput, type Padding } from './conv';
import { requireFloat } from './helpers';
import { isReluOutput, noteReluMasked } from './relu_masked';

export function poolInfo(xShape: number[], pool: [number, number], strides: [number, number], padding: Padding): Pool2DInfo {
  if (xShape.length !== 4) throw new ShapeError(`pooling expects input of rank 4 (batch, height, width, channels), got ${shapeToString(xShape)}`);
  const [batch, inH, inW, channels] = xShape;
  const h = convOutput(inH, pool[0], strides[0], 1, padding);
  const w = convOutput(inW, pool[1], strides[1], 1, padding);
  if (h.out <= 0 || w.out <= 0) throw new ShapeError(`pooling: window ${pool[0]}x${pool[1]} does not fit input ${inH}x${inW}`);
  return {
    batch, inH, inW, channels, outH: h.out, outW: w.out, poolH: pool[0], poolW: pool[1],
    strideH: strides[0], strideW: strides[1], padTop: h.before, padLeft: w.before,
  };
}

/** y (N,outH,outW,C) = max over each window of x (N,H,W,C). */
export function maxPool(x: Tensor, pool: [number, number], strides: [number, number], padding: Padding = 'valid'): Tensor {
  requireFloat('maxPool', x);
  const info = poolInfo(x.shape, pool, strides, padding);
  const y = Tensor.output([info.batch, info.outH, info.outW, info.channels]);
  // argmax lives in backend memory (a float32 tensor's storage seen as int32) so that the fast
  // kernels write and read it in place; a JS array would be copied in and out of wasm memory.
  const argmaxT = Tensor.output([y.size]);
  const int32 = (t: Tensor) => new Int32Array(t.f32.buffer, t.f32.byteOffset, t.size);
  backend().maxPool(x.f32, y.f32, int32(argmaxT), info);
  const out = record(y, [x], (dy) => {
    const dx = Tensor.output(x.shape.slice());
    if (!isReluOutput(x)) {
      backend().maxPoolBackward(dy.f32, int32(argmaxT), dx.f32, info);
      return [dx];
    }
    // x = relu(...) fused into its producer: apply that relu's mask here, at each window's max
    // (pooled y > 0), and sum the channels for its bias gradient (relu_masked.ts)
    const dyMasked = Tensor.output(dy.shape.slice());
    const sums = Tensor.output([info.channels]);
    backend().biasGrad(dy.f32, sums.f32, info.channels, y.f32, dyMasked.f32);
    backend().maxPoolBackward(dyMasked.f32, int32(argmaxT), dx.f32, info);
    dyMasked.dispose();
    noteReluMasked(dx, x, sums);
    return [dx];
  });
  if (!out.node) argmaxT.dispose(); // inference: no backward will read it
  return out;
}

export function avgPool(x: Tensor, pool: [number, number], strides: [number, number], padding: Padding = 'valid'): Tensor {
  requireFloat('avgPool', x);
  const info = poolInfo(x.shape, pool, strides, padding);
  const y = Tensor.output([info.batch, info.outH, info.outW, info.channels]);
  backend().avgPool(x.f32, y.f32, info);
  return record(y, [x], (dy) => {
    const dx = Tensor.output(x.shape.slice());
    backend().avgPoolBackward(dy.f32, dx.f32, info);
    return [dx];
  });
}
