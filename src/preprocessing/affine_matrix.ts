import { ValueError } from '../util/errors';

/**
 * The affine matrix of Keras 3's `apply_affine_transform` (keras/src/legacy/preprocessing/image.py),
 * in the form scipy.ndimage.affine_transform consumes it: for an output pixel (row, col),
 *   inRow = a00·row + a01·col + o0,   inCol = a10·row + a11·col + o1.
 *
 * Keras composes rotation · shift · shear · zoom in (x, y) terms, conjugates it with a translation
 * to the image centre (o = h/2 − 0.5 on the first coordinate, w/2 − 0.5 on the second; the older
 * keras_preprocessing used + 0.5), and then swaps the two coordinates (M' = P·M·P) before handing
 * the matrix to scipy, which indexes (row, col). The consequences are Keras 3's, reproduced here on
 * purpose: the matrix's first coordinate ends up being the column, so `tx` (drawn from
 * heightShiftRange and scaled by the height) moves the image along its columns and `ty` along its
 * rows, `zx` scales columns, and the centre offset computed from h applies to columns (on a
 * non-square image the rotation centre is not the image centre).
 */

/** The geometric part of Keras's transform parameters (angles in degrees). */
export interface AffineParams {
  theta?: number;
  tx?: number;
  ty?: number;
  shear?: number;
  zx?: number;
  zy?: number;
}

/** Floats per image in a matrix buffer: [a00, a01, o0, a10, a11, o1] (the 3×3's last row is 0 0 1). */
export const MATRIX_STRIDE = 6;

type M3 = number[]; // 3×3 row-major

function matmul(a: M3, b: M3): M3 {
  const c = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k] * b[k * 3 + j];
      c[i * 3 + j] = s;
    }
  }
  return c;
}

const DEG = Math.PI / 180;

/**
 * Keras's matrix for params on an h×w image, or null when it applies no geometric transform
 * (Keras then leaves the image untouched instead of resampling it).
 */
export function affineMatrix(params: AffineParams, h: number, w: number): Float64Array | null {
  const theta = params.theta ?? 0;
  const tx = params.tx ?? 0;
  const ty = params.ty ?? 0;
  const shear = params.shear ?? 0;
  const zx = params.zx ?? 1;
  const zy = params.zy ?? 1;
  for (const [k, v] of Object.entries({ theta, tx, ty, shear, zx, zy })) {
    if (!Number.isFinite(v)) throw new ValueError(`affine transform: ${k} must be a finite number, got ${v}`);
  }

  let m: M3 | null = null;
  const then = (next: M3): void => {
    m = m === null ? next : matmul(m, next);
  };
  if (theta !== 0) {
    const t = theta * DEG;
    const c = Math.cos(t);
    const s = Math.sin(t);
    then([c, -s, 0, s, c, 0, 0, 0, 1]);
  }
  if (tx !== 0 || ty !== 0) then([1, 0, tx, 0, 1, ty, 0, 0, 1]);
  if (shear !== 0) {
    const s = shear * DEG;
    then([1, -Math.sin(s), 0, 0, Math.cos(s), 0, 0, 0, 1]);
  }
  if (zx !== 1 || zy !== 1) then([zx, 0, 0, 0, zy, 0, 0, 0, 1]);
  if (m === null) return null;

  const ox = h / 2 - 0.5;
  const oy = w / 2 - 0.5;
  const centred = matmul(matmul([1, 0, ox, 0, 1, oy, 0, 0, 1], m), [1, 0, -ox, 0, 1, -oy, 0, 0, 1]);
  // the x/y swap: rows 0 and 1 exchanged, and columns 0 and 1 exchanged
  const [m00, m01, m02, m10, m11, m12] = centred;
  return Float64Array.of(m11, m10, m12, m01, m00, m02);
}

/** The identity in the matrix-buffer layout (for images of a batch that get no transform). */
export const IDENTITY: readonly number[] = [1, 0, 0, 0, 1, 0];
