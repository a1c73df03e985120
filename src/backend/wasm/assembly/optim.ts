import { AdadeltaArgs, AdamArgs } from '../layout';
import { argF, argI, argP } from './common';
// Optimizer update loops (Keras 3 rules) over index ranges [i0, i1), float32 arithmetic (as Keras
// and PyTorch do on float32 variables) except Adam's moments (see adam). They reproduce the JS
// reference in backend/js/optimizer.ts bit for bit: every f32x4 operation (add, sub, mul, div,
// sqrt, max) is IEEE single precision, which the reference gets from Math.fround of the same
// float64 operation on float32 values (exact for these operations), in the same order; f64x2
// lanes are JS numbers. Float32 rather than the float64 of earlier versions: f64x2 square roots
// and divisions made Adam ~0.45 ms of the seed 002 step (235k parameters).

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: v128): v128 {
  v128.store(p + (<usize>i << 2), v);
  return v;
}

/**
 * Adadelta: ag = rho*ag + (1-rho)*g*g; delta = -sqrt(ad + eps)/sqrt(ag + eps)*g;
 * ad = rho*ad + (1-rho)*delta*delta; w += lr*delta. Fours of elements, then a scalar tail.
 */
export function adadelta(args: usize): void {
  const w = argP(args, AdadeltaArgs.w);
  const g = argP(args, AdadeltaArgs.g);
  const ag = argP(args, AdadeltaArgs.accumulatedGrad);
  const ad = argP(args, AdadeltaArgs.accumulatedDeltaVar);
  const i0 = argI(args, AdadeltaArgs.start);
  const i1 = argI(args, AdadeltaArgs.end);
  const lr = <f32>argF(args, AdadeltaArgs.learningRate);
  const rho = <f32>argF(args, AdadeltaArgs.rho);
  const eps = <f32>argF(args, AdadeltaArgs.epsilon);
  const o = <f32>1 - rho;
  const vr = f32x4.splat(rho), vo = f32x4.splat(o), ve = f32x4.splat(eps), vl = f32x4.splat(lr);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const gi = ld(g, i);
    const a = st(ag, i, f32x4.add(f32x4.mul(vr, ld(ag, i)), f32x4.mul(f32x4.mul(vo, gi), gi)));
    const d0 = ld(ad, i);
    const delta = f32x4.mul(f32x4.div(f32x4.neg(f32x4.sqrt(f32x4.add(d0, ve))), f32x4.sqrt(f32x4.add(a, ve))), gi);
    st(ad, i, f32x4.add(f32x4.mul(vr, d0), f32x4.mul(f32x4.mul(vo, delta), delta)));
    st(w, i, f32x4.add(ld(w, i), f32x4.mul(vl, delta)));
  }
  for (; i < i1; i++) {
    const p = <usize>i << 2;
    const gi = load<f32>(g + p);
    const a = rho * load<f32>(ag + p) + o * gi * gi;
    store<f32>(ag + p, a);
    const d0 = load<f32>(ad + p);
    const delta = (-Mathf.sqrt(d0 + eps) / Mathf.sqrt(a + eps)) * gi;
    store<f32>(ad + p, rho * d0 + o * delta * delta);
    store<f32>(w + p, load<f32>(w + p) + lr * delta);
  }
}

// @ts-ignore: decorator
@inline function lo(x: v128): v128 {
  return f64x2.promote_low_f32x4(x);
}

// @ts-ignore: decorator
@inline function hi(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(x, x, 2, 3, 0, 1));
}

/** Two f64x2 halves rounded back into one f32x4. */
// @ts-ignore: decorator
@inline function join(l: v128, h: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(l), f32x4.demote_f64x2_zero(h), 0, 1, 4, 5);
}

/**
 * Adam (Keras: epsilon outside the root, bias correction in alpha): m += (g - m)*(1-b1);
 * v += (g*g - v)*(1-b2); amsgrad: vh = max(vh, v), denom = vh; w -= m*alpha/(sqrt(denom) + eps).
 * vh = 0 when not amsgrad. The moments are float64 expressions rounded once (their differences
 * cancel when the gradient changes sign, and float32 there moved a 20-step trajectory 2x further
 * from TensorFlow.js's); the update is float32 (its square root and division are the cost).
 */
export function adam(args: usize): void {
  const w = argP(args, AdamArgs.w);
  const g = argP(args, AdamArgs.g);
  const m = argP(args, AdamArgs.momentum);
  const v = argP(args, AdamArgs.velocity);
  const vh = argP(args, AdamArgs.velocityHat);
  const i0 = argI(args, AdamArgs.start);
  const i1 = argI(args, AdamArgs.end);
  const alpha = <f32>argF(args, AdamArgs.alpha);
  const b1 = argF(args, AdamArgs.beta1);
  const b2 = argF(args, AdamArgs.beta2);
  const eps = <f32>argF(args, AdamArgs.epsilon);
  const p1 = 1 - b1, p2 = 1 - b2;
  const o1 = f64x2.splat(p1), o2 = f64x2.splat(p2), va = f32x4.splat(alpha), ve = f32x4.splat(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const gi = ld(g, i);
    const gl = lo(gi), gh = hi(gi);
    const m0 = ld(m, i);
    const ml = lo(m0), mh = hi(m0);
    const mi = st(m, i, join(f64x2.add(ml, f64x2.mul(f64x2.sub(gl, ml), o1)), f64x2.add(mh, f64x2.mul(f64x2.sub(gh, mh), o1))));
    const v0 = ld(v, i);
    const vl = lo(v0), vhi = hi(v0);
    let den = st(v, i, join(f64x2.add(vl, f64x2.mul(f64x2.sub(f64x2.mul(gl, gl), vl), o2)),
      f64x2.add(vhi, f64x2.mul(f64x2.sub(f64x2.mul(gh, gh), vhi), o2))));
    if (vh) den = st(vh, i, f32x4.max(ld(vh, i), den));
    st(w, i, f32x4.sub(ld(w, i), f32x4.div(f32x4.mul(mi, va), f32x4.add(f32x4.sqrt(den), ve))));
  }
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
      den = max(load<f32>(vh + p), den);
      store<f32>(vh + p, den);
    }
    store<f32>(w + p, load<f32>(w + p) - (mi * alpha) / (Mathf.sqrt(den) + eps));
  }
}
