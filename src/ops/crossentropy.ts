import { Tensor } from '../tensor/tensor';
import { record } from '../autograd/tape';

/**
 * Keras's categorical crossentropy on probabilities, per row of the last axis, as one op:
 *   s = Σ p,  q = p / s,  c = clip(q, ε, 1 − ε),  loss = −Σ y·log c.
 * Term by term that is eight ops forward and a dozen backward, each a tensor, a tape node and a
 * kernel call; on a classifier's (32, 10) output their overhead, not the arithmetic, was the cost.
 * Here each direction is one float64 pass over the (rows, C) values.
 * Backward, with g_j = −y_j / q_j where ε ≤ q_j ≤ 1 − ε (the clip passes its bounds, as
 * clipByValue does) and 0 elsewhere:
 *   dL/dp_k = (g_k − Σ_j g_j·q_j) / s,   dL/dy_j = −log c_j.
 */
export function categoricalCrossentropyProbs(y: Tensor, p: Tensor, epsilon: number): Tensor {
  const C = p.shape[p.rank - 1];
  const rows = C === 0 ? 0 : p.size / C;
  const pv = p.f32, yv = y.f32;
  const out = Tensor.output(p.shape.slice(0, -1));
  const ov = out.f32;
  const lo = epsilon, hi = 1 - epsilon;
  for (let r = 0, o = 0; r < rows; r++, o += C) {
    let s = 0;
    for (let j = 0; j < C; j++) s += pv[o + j];
    let loss = 0;
    for (let j = 0; j < C; j++) {
      const q = pv[o + j] / s;
      loss -= yv[o + j] * Math.log(q < lo ? lo : q > hi ? hi : q);
    }
    ov[r] = loss;
  }
  return record(out, [y, p], (dy) => {
    const d = dy.f32;
    const gp = p.requiresGrad ? Tensor.output(p.shape.slice()) : null;
    const gy = y.requiresGrad ? Tensor.output(y.shape.slice()) : null;
    const gpv = gp?.f32, gyv = gy?.f32;
    for (let r = 0, o = 0; r < rows; r++, o += C) {
      let s = 0;
      for (let j = 0; j < C; j++) s += pv[o + j];
      // where the clip passes, c = q and g_j·q_j = −y_j: Σ_j g_j·q_j is minus the labels there
      let yInside = 0;
      for (let j = 0; j < C; j++) {
        const q = pv[o + j] / s;
        if (q >= lo && q <= hi) yInside += yv[o + j];
        if (gyv) gyv[o + j] = -Math.log(q < lo ? lo : q > hi ? hi : q) * d[r];
      }
      if (!gpv) continue;
      for (let j = 0; j < C; j++) {
        const q = pv[o + j] / s;
        const g = q >= lo && q <= hi ? -yv[o + j] / q : 0;
        gpv[o + j] = ((g + yInside) / s) * d[r];
      }
    }
    return [gy, gp];
  });
}
