import { Tensor } from '../tensor/tensor';
import { record } from '../autograd/tape';
import { globalRng } from '../util/rng';
import { ValueError } from '../util/errors';
import { backend } from '../backend/registry';

/**
 * Inverted dropout: zeroes each element with probability rate and scales the rest by 1/(1-rate).
 * The keep mask is one byte per element, drawn by comparing raw 32-bit draws with a threshold.
 */
export function dropout(x: Tensor, rate: number): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new ValueError(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const scale = 1 / (1 - rate);
  const threshold = Math.floor(rate * 4294967296);
  // the mask lives in backend memory (a float32 tensor's storage seen as bytes) so that the fast
  // kernels write and read it in place
  const keepT = Tensor.output([Math.ceil(x.size / 4)]);
  const bytes = () => new Uint8Array(keepT.f32.buffer, keepT.f32.byteOffset, x.size);
  const y = Tensor.output(x.shape.slice());
  const xv = x.f32;
  const yv = y.f32;
  // four seed words from the global generator: repeatable under setSeed
  const seed = [globalRng.nextUint32() | 1, globalRng.nextUint32(), globalRng.nextUint32(), globalRng.nextUint32()];
  backend().dropout(xv, yv, bytes(), seed, threshold, scale);
  const out = record(y, [x], (dy) => {
    const dx = Tensor.output(x.shape.slice());
    backend().dropoutGrad(dy.f32, bytes(), scale, dx.f32);
    return [dx];
  });
  if (!out.node) keepT.dispose();
  return out;
}
