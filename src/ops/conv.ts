import { Tensor } from '../tensor/tensor';
import { backend } from '../backend/registry';
import type { Conv2DInfo } from '../backend/backend';
import { record } from '../autograd/tape';
import { ShapeError, ValueError } from '../util/errors';
import { shapeToString } from '../util/shape';
import { requireFloat } from './helpers';
import { noteReluOutput, takeReluMasked } from './relu_masked';

export type Padding = 'valid' | 'same';

/** Output size and padding-before of one spatial axis, as Keras/TensorFlow compute them. */
export function convOutput(inSize: number, k: number, stride: number, dilation: number, padding: Padding): { out: number; before: number } {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(Math.floor((inSize - eff) / stride) + 1, 0), before: 0 };
  if (padding !== 'same') throw new ValueError(`padding must be 'valid' or 'same', got '${padding}'`);
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

export function convInfo(xShape: number[], kShape: number[], strides: [number, number], padding: Padding,
  dilation: [number, number], depthwise = false): Conv2DInfo {
  if (xShape.length !== 4) throw new ShapeError(`conv2d expects input of rank 4 (batch, height, width, channels), got ${shapeToString(xShape)}`);
  const [batch, inH, inW, inC] = xShape;
  const [kH, kW, kIn, kOut] = kShape;
  if (kIn !== inC) {
    throw new ShapeError(`conv2d: input has ${inC} channels but the kernel ${shapeToString(kShape)} expects ${kIn}`);
  }
  const h = convOutput(inH, kH, strides[0], dilation[0], padding);
  const w = convOutput(inW, kW, strides[1], dilation[1], padding);
  if (h.out <= 0 || w.out <= 0) {
    throw new ShapeError(`conv2d: kernel ${kH}x${kW} does not fit input ${inH}x${inW} with padding '${padding}'`);
  }
  return {
    batch, inH, inW, inC, outH: h.out, outW: w.out, outC: depthwise ? inC * kOut : kOut,
    kH, kW, strideH: strides[0], strideW: strides[1], dilationH: dilation[0], dilationW: dilation[1],
    padTop: h.before, padLeft: w.before, depthwise,
  };
}

/**
 * y (N,outH,outW,F) = conv(x (N,H,W,C), kernel (kh,kw,C,F)) + bias (F); with depthwise the kernel
 * is (kh,kw,C,multiplier) and F = C*multiplier. With fuseRelu, y = relu(...) in the same buffer
 * (and the backward masks dy by y > 0), saving an activation-sized buffer and two passes.
 */
export function conv2d(x: Tensor, kernel: Tensor, bias: Tensor | null, strides: [number, number] = [1, 1],
  padding: Padding = 'valid', dilation: [number, number] = [1, 1], depthwise = false, fuseRelu = false): Tensor {
  requireFloat('conv2d', x, kernel);
  const info = convInfo(x.shape, kernel.shape, strides, padding, dilation, depthwise);
  const be = backend();
  const y = Tensor.output([info.batch, info.outH, info.outW, info.outC]);
  // bias and relu go to the kernel, which may apply them as it writes y (Winograd's output transform)
  if (bias || fuseRelu) be.conv2d(x.f32, kernel.f32, y.f32, info, { bias: bias ? bias.f32 : null, relu: fuseRelu });
  else be.conv2d(x.f32, kernel.f32, y.f32, info);
  if (fuseRelu) noteReluOutput(y);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  return record(y, inputs, (dyIn) => {
    const [dy, dbFused] = reluAndBiasGrad(dyIn, y, bias !== null, fuseRelu, info.outC);
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = Tensor.output(x.shape.slice());
      be.conv2dBackpropInput(dy.f32, kernel.f32, dx.f32, info);
    }
    let dk: Tensor | null = null;
    if (kernel.requiresGrad) {
      dk = Tensor.output(kernel.shape.slice());
      be.conv2dBackpropFilter(x.f32, dy.f32, dk.f32, info);
    }
    const grads: (Tensor | null)[] = [dx, dk];
    if (bias) grads.push(dbFused ?? biasGradOf(dy, info.outC));
    if (dy !== dyIn) dy.dispose();
    return grads;
  });
}

function biasGradOf(dy: Tensor, channels: number): Tensor {
  const db = Tensor.output([channels]);
  backend().biasGrad(dy.f32, db.f32, channels);
  return db;
}

/**
 * The output gradient of a layer op with an optional fused relu and bias: [dy masked by y > 0
 * (or dyIn itself without relu), the bias gradient when relu and bias go together (one pass over
 * the activation for both), else null].
 */
export function reluAndBiasGrad(dyIn: Tensor, y: Tensor, hasBias: boolean, fuseRelu: boolean,
  channels: number): [Tensor, Tensor | null] {
  if (!fuseRelu) return [dyIn, null];
  // max pooling over y may have masked dyIn already and summed its channels (relu_masked.ts)
  const sums = takeReluMasked(dyIn, y);
  if (sums) {
    if (hasBias) return [dyIn, sums];
    sums.dispose();
    return [dyIn, null];
  }
  if (!hasBias) return [reluMask(dyIn, y), null];
  const dy = Tensor.output(dyIn.shape.slice());
  const db = Tensor.output([channels]);
  backend().biasGrad(dyIn.f32, db.f32, channels, y.f32, dy.f32);
  return [dy, db];
}

/** dy where y > 0, else 0: the gradient through a relu fused into its producer (y is post-relu). */
export function reluMask(dy: Tensor, y: Tensor): Tensor {
  const out = Tensor.output(dy.shape.slice());
  backend().unaryGrad('relu', dy.f32, y.f32, y.f32, out.f32);
  return out;
}
