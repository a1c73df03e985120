import { AdadeltaArgs, AdamArgs } from '../layout';
import { argF, argI, argP } from './common';
// Optimizer update loops (Keras 3 rules) over index ranges [i0, i1), in float32 arithmetic as
// Keras and PyTorch do on float32 variables. They reproduce the JS reference in
// backend/js/optimizer.ts bit for bit: every f32x4 operation (add, sub, mul, div, sqrt, max) is
// IEEE single precision, which the reference gets from Math.fround of the same float64 operation
// on float32 values (exact for these operations), in the same order. Float32 rather than the
// float64 of earlier versions: f64x2 square roots and divisions made Adam ~0.45 ms of the seed
// 002 step (235k parameters); four lanes of float32 take about a quarter of that.

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
  const alpha = <f32>argF(args, AdamArgs.alpha);
  const b1 = <f32>argF(args, AdamArgs.beta1);
  const b2 = <f32>argF(args, AdamArgs.beta2);
  const eps = <f32>argF(args, AdamArgs.epsilon);
  const p1 = <f32>1 - b1, p2 = <f32>1 - b2;
  const o1 = f32x4.splat(p1), o2 = f32x4.splat(p2), va = f32x4.splat(alpha), ve = f32x4.splat(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const gi = ld(g, i);
    const m0 = ld(m, i);
    const mi = st(m, i, f32x4.add(m0, f32x4.mul(f32x4.sub(gi, m0), o1)));
    const v0 = ld(v, i);
    let den = st(v, i, f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v0), o2)));
    if (vh) den = st(vh, i, f32x4.max(ld(vh, i), den));
    st(w, i, f32x4.sub(ld(w, i), f32x4.div(f32x4.mul(mi, va), f32x4.add(f32x4.sqrt(den), ve))));
  }
  for (; i < i1; i++) {
    const p = <usize>i << 2;
    const gi = load<f32>(g + p);
    const m0 = load<f32>(m + p);
    const mi = m0 + (gi - m0) * p1;
    store<f32>(m + p, mi);
    const v0 = load<f32>(v + p);
    let den = v0 + (gi * gi - v0) * p2;
    store<f32>(v + p, den);
    if (vh) {
      den = max(load<f32>(vh + p), den);
      store<f32>(vh + p, den);
    }
    store<f32>(w + p, load<f32>(w + p) - (mi * alpha) / (Mathf.sqrt(den) + eps));
  }
}
