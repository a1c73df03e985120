import { ReluArgs, ReluGradArgs } from '../layout';
import { argI, argP } from './common';

// ReLU6 (MobileNetV2's activation) over element ranges [start, end): y = min(max(x, 0), 6) and
// dx = dy where 0 < x < 6, else 0. Same argument blocks as relu / relu_grad.

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

export function relu6(args: usize): void {
  const x = argP(args, ReluArgs.x);
  const y = argP(args, ReluArgs.y);
  const i1 = argI(args, ReluArgs.end);
  const z = f32x4.splat(0), six = f32x4.splat(6);
  let i = argI(args, ReluArgs.start);
  for (; i + 4 <= i1; i += 4) {
    const v = v128.load(at(x, i));
    // pmax(v, 0) = v < 0 ? 0 : v and pmin(r, 6) = 6 < r ? 6 : r keep a NaN, as the reference does
    v128.store(at(y, i), f32x4.pmin(f32x4.pmax(v, z), six));
  }
  for (; i < i1; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(y, i), v < 0 ? 0 : v > 6 ? 6 : v);
  }
}

export function relu6_grad(args: usize): void {
  const dy = argP(args, ReluGradArgs.dy);
  const x = argP(args, ReluGradArgs.x);
  const dx = argP(args, ReluGradArgs.dx);
  const i1 = argI(args, ReluGradArgs.end);
  const z = f32x4.splat(0), six = f32x4.splat(6);
  let i = argI(args, ReluGradArgs.start);
  for (; i + 4 <= i1; i += 4) {
    const v = v128.load(at(x, i));
    const inside = v128.and(f32x4.gt(v, z), f32x4.lt(v, six));
    v128.store(at(dx, i), v128.and(v128.load(at(dy, i)), inside));
  }
  for (; i < i1; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(dx, i), v > 0 && v < 6 ? load<f32>(at(dy, i)) : 0);
  }
}
