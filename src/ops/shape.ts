import { Tensor, type DType } from '../tensor/tensor';
import { backend } from '../backend/registry';
import { record } from '../autograd/tape';
import { ShapeError, ValueError } from '../util/errors';
import { inferReshape, normAxis, shapeToString, sizeOf, stridesOf } from '../util/shape';

// Shape and indexing ops: reshape, cast, transpose, slice, gather, concat, pad, oneHot.

export function reshape(x: Tensor, shape: number[]): Tensor {
  const s = inferReshape(shape, x.size, x.shape);
  const y = x.view(s);
  return record(y, [x], (dy) => [dy.view(x.shape.slice())]);
}

export const expandDims = (x: Tensor, axis = 0) => {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  const s = x.shape.slice();
  s.splice(a, 0, 1);
  return reshape(x, s);
};

export const squeeze = (x: Tensor, axes?: number[]) => {
  const ax = axes?.map((a) => normAxis(a, x.rank));
  return reshape(x, x.shape.filter((d, i) => (ax ? !(ax.includes(i) && d === 1) : d !== 1)));
};

export function cast(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const y = Tensor.empty(x.shape.slice(), dtype);
  const src = x.values;
  const dst = y.values;
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32' && x.dtype === 'float32') for (let i = 0; i < src.length; i++) dst[i] = Math.trunc(src[i]);
  else dst.set(src);
  if (dtype === 'float32' && x.dtype === 'float32') return y;
  return record(y, [x], (dy) => [x.dtype === 'float32' ? dy : null]);
}

export function clone(x: Tensor): Tensor {
  const y = Tensor.empty(x.shape.slice(), x.dtype);
  y.values.set(x.values);
  return record(y, [x], (dy) => [dy]);
}

export function transpose(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? [...Array(x.rank).keys()].reverse();
  if (p.length !== x.rank) throw new ShapeError(`transpose: perm [${p}] does not match rank ${x.rank}`);
  const y = x.dtype === 'float32' ? Tensor.output(p.map((i) => x.shape[i])) : Tensor.empty(p.map((i) => x.shape[i]), x.dtype);
  backend().transpose(x.values, x.shape, p, y.values);
  const inv = new Array<number>(p.length);
  p.forEach((v, i) => (inv[v] = i));
  return record(y, [x], (dy) => [transpose(dy, inv)]);
}

/** Copies a box (begin, size) of x into / out of a contiguous tensor, in either direction. */
function copyBox(src: ArrayLike<number>, srcShape: number[], dst: { [i: number]: number }, dstShape: number[],
  begin: number[], size: number[], intoBig: boolean): void {
  const r = srcShape.length;
  const bigShape = intoBig ? dstShape : srcShape;
  const bigStr = stridesOf(bigShape);
  const total = sizeOf(size);
  if (total === 0) return;
  if (r === 0) {
    dst[0] = src[0];
    return;
  }
  // trailing axes the box spans whole merge with the last partial one, k: each run of `inner`
  // values is contiguous on both sides (a padded image row, a concatenated channel block)
  let k = r - 1;
  while (k > 0 && size[k] === bigShape[k]) k--;
  const inner = size[k] * bigStr[k];
  const typed = ArrayBuffer.isView(src) && ArrayBuffer.isView(dst) && src.constructor === dst.constructor;
  const idx = new Array<number>(k).fill(0);
  for (let done = 0; done < total; done += inner) {
    let big = begin[k] * bigStr[k];
    for (let d = 0; d < k; d++) big += (begin[d] + idx[d]) * bigStr[d];
    if (typed) {
      const s = src as Float32Array;
      const t = dst as Float32Array;
      if (intoBig) t.set(s.subarray(done, done + inner), big);
      else t.set(s.subarray(big, big + inner), done);
    } else if (intoBig) for (let j = 0; j < inner; j++) dst[big + j] = (src as { [i: number]: number })[done + j];
    else for (let j = 0; j < inner; j++) dst[done + j] = (src as { [i: number]: number })[big + j];
    for (let d = k - 1; d >= 0; d--) {
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
}

export function slice(x: Tensor, begin: number[] | number, size?: number[] | number): Tensor {
  const b = typeof begin === 'number' ? [begin] : begin.slice();
  const s = size == null ? [] : typeof size === 'number' ? [size] : size.slice();
  const beg = x.shape.map((_, i) => b[i] ?? 0);
  const sz = x.shape.map((d, i) => (s[i] == null || s[i] === -1 ? d - beg[i] : s[i]));
  for (let i = 0; i < x.rank; i++) {
    if (beg[i] < 0 || sz[i] < 0 || beg[i] + sz[i] > x.shape[i]) {
      throw new ShapeError(`slice: begin [${beg}] size [${sz}] is out of bounds for shape ${shapeToString(x.shape)}`);
    }
  }
  const y = Tensor.empty(sz, x.dtype);
  copyBox(x.values, x.shape, y.values, sz, beg, sz, false);
  return record(y, [x], (dy) => {
    const dx = Tensor.empty(x.shape.slice());
    copyBox(dy.values, sz, dx.values, x.shape, beg, sz, true);
    return [dx];
  });
}

export function concat(xs: Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError('concat: no tensors given');
  const a = normAxis(axis, xs[0].rank);
  const shape = xs[0].shape.slice();
  shape[a] = 0;
  for (const t of xs) {
    if (t.rank !== shape.length || t.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      throw new ShapeError(`concat: shapes ${xs.map((q) => shapeToString(q.shape)).join(', ')} do not match except on axis ${axis}`);
    }
    shape[a] += t.shape[a];
  }
  const y = Tensor.empty(shape, xs[0].dtype);
  const begins: number[] = [];
  let off = 0;
  for (const t of xs) {
    const beg = new Array<number>(shape.length).fill(0);
    beg[a] = off;
    begins.push(off);
    copyBox(t.values, t.shape, y.values, shape, beg, t.shape, true);
    off += t.shape[a];
  }
  return record(y, xs, (dy) =>
    xs.map((t, i) => {
      const beg = new Array<number>(shape.length).fill(0);
      beg[a] = begins[i];
      const g = Tensor.empty(t.shape.slice());
      copyBox(dy.values, shape, g.values, t.shape, beg, t.shape, false);
      return g;
    }),
  );
}

export const stack = (xs: Tensor[], axis = 0) => concat(xs.map((t) => expandDims(t, axis)), axis);

/** Rows (along axis) of x picked by integer indices. */
export function gather(x: Tensor, indices: Tensor | number[], axis = 0): Tensor {
  const idx = Array.isArray(indices) ? Int32Array.from(indices) : indices.values;
  const idxShape = Array.isArray(indices) ? [indices.length] : indices.shape;
  const a = normAxis(axis, x.rank);
  const outer = sizeOf(x.shape.slice(0, a));
  const n = x.shape[a];
  const inner = sizeOf(x.shape.slice(a + 1));
  const shape = [...x.shape.slice(0, a), ...idxShape, ...x.shape.slice(a + 1)];
  const y = Tensor.empty(shape, x.dtype);
  const src = x.values;
  const dst = y.values;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < idx.length; k++) {
      const j = idx[k];
      if (j < 0 || j >= n) throw new ShapeError(`gather: index ${j} is out of range [0, ${n})`);
      dst.set(src.subarray((o * n + j) * inner, (o * n + j + 1) * inner), (o * idx.length + k) * inner);
    }
  }
  return record(y, [x], (dy) => {
    const dx = Tensor.empty(x.shape.slice());
    const g = dx.f32;
    const d = dy.f32;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < idx.length; k++) {
        const base = (o * n + idx[k]) * inner;
        const from = (o * idx.length + k) * inner;
        for (let i = 0; i < inner; i++) g[base + i] += d[from + i];
      }
    }
    return [dx];
  });
}

export function oneHot(indices: Tensor, depth: number, onValue = 1, offValue = 0): Tensor {
  const y = Tensor.empty([...indices.shape, depth]);
  const v = y.f32;
  if (offValue !== 0) v.fill(offValue);
  const idx = indices.values;
  for (let i = 0; i < idx.length; i++) {
    const c = idx[i];
    if (c >= 0 && c < depth && Number.isInteger(c)) v[i * depth + c] = onValue;
  }
  return y;
}

/** Zero padding: paddings[i] = [before, after] for each axis. */
export function pad(x: Tensor, paddings: [number, number][], value = 0): Tensor {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const y = Tensor.empty(shape, x.dtype);
  if (value !== 0) y.values.fill(value);
  const beg = paddings.map((p) => p[0]);
  copyBox(x.values, x.shape, y.values, shape, beg, x.shape, true);
  return record(y, [x], (dy) => {
    const dx = Tensor.empty(x.shape.slice());
    copyBox(dy.values, shape, dx.values, x.shape, beg, x.shape, false);
    return [dx];
  });
}
