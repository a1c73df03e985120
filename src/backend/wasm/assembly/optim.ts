import { AdadeltaArgs, AdamArgs } from '../layout';
import { argF, argI, argP } from './common';
// Optimizer update loops (Keras 3 rules) over index ranges [i0, i1). They reproduce the JS
// reference in backend/js/optimizer.ts bit for bit: float32 values promoted to float64, the same
// operations in the same order (f64x2 arithmetic and sqrt are IEEE, like JS numbers), rounded to
// float32 where JS stores into a Float32Array.

// @ts-ignore: decorator
@inline function ld2(p: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
}

// @ts-ignore: decorator
@inline function st2(p: usize, i: i32, v: v128): v128 {
  const f = f32x4.demote_f64x2_zero(v);
  v128.store64_lane(p + (<usize>i << 2), f, 0);
  return f64x2.promote_low_f32x4(f);
}

/**
 * Adadelta: ag = rho*ag + (1-rho)*g*g; delta = -sqrt(ad + eps)/sqrt(ag + eps)*g;
 * ad = rho*ad + (1-rho)*delta*delta; w += lr*delta. Pairs of elements, then a scalar tail.
 */
export function adadelta(args: usize): void {
  const w = argP(args, AdadeltaArgs.w);
  const g = argP(args, AdadeltaArgs.g);
  const ag = argP(args, AdadeltaArgs.accumulatedGrad);
  const ad = argP(args, AdadeltaArgs.accumulatedDeltaVar);
  const i0 = argI(args, AdadeltaArgs.start);
  const i1 = argI(args, AdadeltaArgs.end);
  const lr = argF(args, AdadeltaArgs.learningRate);
  const rho = argF(args, AdadeltaArgs.rho);
  const eps = argF(args, AdadeltaArgs.epsilon);
  const vr = f64x2.splat(rho), vo = f64x2.splat(1 - rho), ve = f64x2.splat(eps), vl = f64x2.splat(lr);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const gi = ld2(g, i);
    const a = st2(ag, i, f64x2.add(f64x2.mul(vr, ld2(ag, i)), f64x2.mul(f64x2.mul(vo, gi), gi)));
    const d0 = ld2(ad, i);
    const delta = f64x2.mul(f64x2.div(f64x2.neg(f64x2.sqrt(f64x2.add(d0, ve))), f64x2.sqrt(f64x2.add(a, ve))), gi);
    st2(ad, i, f64x2.add(f64x2.mul(vr, d0), f64x2.mul(f64x2.mul(vo, delta), delta)));
    st2(w, i, f64x2.add(ld2(w, i), f64x2.mul(vl, delta)));
  }
  const o = 1 - rho;
  for (; i < i1; i++) {
    const p = <usize>i << 2;
    const gi = <f64>load<f32>(g + p);
    const a = <f32>(rho * <f64>load<f32>(ag + p) + o * gi * gi);
    store<f32>(ag + p, a);
    const d0 = <f64>load<f32>(ad + p);
    const delta = (-Math.sqrt(d0 + eps) / Math.sqrt(<f64>a + eps)) * gi;
    store<f32>(ad + p, <f32>(rho * d0 + o * delta * delta));
    store<f32>(w + p, <f32>(<f64>load<f32>(w + p) + lr * delta));
  }
}

/**
 * Adam (Keras: epsilon outside the root, bias correction in alpha): m += (g - m)*(1-b1);
 * v += (g*g - v)*(1-b2); amsgrad: vh = max(vh, v), denom = vh; w -= m*alpha/(sqrt(denom) + eps).
 * vh = 0 when not amsgrad.
 */
export function adam(args: usize): void {
  const w = argP(args, AdamArgs.w);
  const g = argP(args, AdamArgs.g);
  const m = argP(args, AdamArgs.momentum);
  const v = argP(args, AdamArgs.velocity);
  const vh = argP(args, AdamArgs.velocityHat);
  const i0 = argI(args, AdamArgs.start);
  const i1 = argI(args, AdamArgs.end);
  const alpha = argF(args, AdamArgs.alpha);
  const b1 = argF(args, AdamArgs.beta1);
  const b2 = argF(args, AdamArgs.beta2);
  const eps = argF(args, AdamArgs.epsilon);
  const o1 = f64x2.splat(1 - b1), o2 = f64x2.splat(1 - b2), va = f64x2.splat(alpha), ve = f64x2.splat(eps);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const gi = ld2(g, i);
    const m0 = ld2(m, i);
    const mi = st2(m, i, f64x2.add(m0, f64x2.mul(f64x2.sub(gi, m0), o1)));
    const v0 = ld2(v, i);
    let den = st2(v, i, f64x2.add(v0, f64x2.mul(f64x2.sub(f64x2.mul(gi, gi), v0), o2)));
    if (vh) den = st2(vh, i, f64x2.max(ld2(vh, i), den));
    st2(w, i, f64x2.sub(ld2(w, i), f64x2.div(f64x2.mul(mi, va), f64x2.add(f64x2.sqrt(den), ve))));
  }
  const p1 = 1 - b1, p2 = 1 - b2;
  for (; i < i1; i++) {
    const p = <usize>i << 2;
    const gi = <f64>load<f32>(g + p);
    const m0 = <f64>load<f32>(m + p);
    const mi = <f32>(m0 + (gi - m0) * p1);
    store<f32>(m + p, mi);
    const v0 = <f64>load<f32>(v + p);
    let den = <f32>(v0 + (gi * gi - v0) * p2);
    store<f32>(v + p, den);
    if (vh) {
      const h = load<f32>(vh + p);
      den = <f32>Math.max(<f64>h, <f64>den);
      store<f32>(vh + p, den);
    }
    store<f32>(w + p, <f32>(<f64>load<f32>(w + p) - (<f64>mi * alpha) / (Math.sqrt(<f64>den) + eps)));
  }
}
