import { ValueError } from '../util/errors';

/**
 * Resampling of (H, W, C) pixels with half-pixel centres, as tf.image.resize and PIL do.
 * Without antialias (tf.image.resize's default, used by imageDatasetFromDirectory) each output
 * pixel reads the kernel's taps around its centre; with antialias (PIL's Image.resize, used by
 * loadImg) the kernel widens by the shrink factor when downscaling, so every input pixel counts.
 * Taps outside the image are dropped and the remaining weights renormalised (TF and PIL agree).
 */
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos3' | 'lanczos5';

export const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5'];

export function checkInterpolation(where: string, name: string): Interpolation {
  const n = name.toLowerCase() === 'lanczos' ? 'lanczos3' : name.toLowerCase();
  if (!(INTERPOLATIONS as readonly string[]).includes(n)) {
    throw new ValueError(`${where}: interpolation '${name}' is not supported; use one of ${INTERPOLATIONS.join(', ')}`);
  }
  return n as Interpolation;
}

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

const KERNELS: Record<Exclude<Interpolation, 'nearest'>, { support: number; f: (x: number) => number }> = {
  bilinear: { support: 1, f: (x) => Math.max(0, 1 - Math.abs(x)) },
  // Keys' cubic with a = -0.5 (TF's half-pixel bicubic and PIL's BICUBIC)
  bicubic: {
    support: 2,
    f: (x) => {
      const a = -0.5;
      x = Math.abs(x);
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
      return 0;
    },
  },
  lanczos3: { support: 3, f: (x) => (Math.abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0) },
  lanczos5: { support: 5, f: (x) => (Math.abs(x) < 5 ? sinc(x) * sinc(x / 5) : 0) },
};

/** For each output index: the first input index and the weights of the taps from there. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array; // (out, maxTaps)
  maxTaps: number;
}

function taps(inSize: number, outSize: number, kind: Exclude<Interpolation, 'nearest'>, antialias: boolean): Taps {
  const { support, f } = KERNELS[kind];
  const scale = inSize / outSize;
  const stretch = antialias && scale > 1 ? scale : 1;
  const radius = support * stretch;
  const maxTaps = Math.ceil(radius) * 2 + 2;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale; // in input pixel units, pixel i covers [i, i + 1)
    const lo = Math.max(0, Math.floor(centre - radius));
    const hi = Math.min(inSize, Math.ceil(centre + radius));
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const w = f((i + 0.5 - centre) / stretch);
      weights[o * maxTaps + i - lo] = w;
      sum += w;
    }
    if (sum !== 0) for (let i = lo; i < hi; i++) weights[o * maxTaps + i - lo] /= sum;
    start[o] = lo;
    count[o] = hi - lo;
  }
  return { start, count, weights, maxTaps };
}

/** Resizes (h, w, c) pixels to (outH, outW, c) float32 values (not rounded). */
export function resizePixels(
  src: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
  interpolation: Interpolation,
  antialias: boolean,
): Float32Array {
  const out = new Float32Array(outH * outW * c);
  if (interpolation === 'nearest') {
    const sy = h / outH;
    const sx = w / outW;
    for (let y = 0; y < outH; y++) {
      const iy = Math.min(Math.floor((y + 0.5) * sy), h - 1);
      for (let x = 0; x < outW; x++) {
        const ix = Math.min(Math.floor((x + 0.5) * sx), w - 1);
        const s = (iy * w + ix) * c;
        const d = (y * outW + x) * c;
        for (let k = 0; k < c; k++) out[d + k] = src[s + k];
      }
    }
    return out;
  }
  // Horizontal pass into (h, outW, c), then vertical into (outH, outW, c).
  const tx = taps(w, outW, interpolation, antialias);
  const mid = new Float64Array(h * outW * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const d = (y * outW + x) * c;
      const s0 = (y * w + tx.start[x]) * c;
      for (let t = 0; t < tx.count[x]; t++) {
        const wt = tx.weights[x * tx.maxTaps + t];
        for (let k = 0; k < c; k++) mid[d + k] += wt * src[s0 + t * c + k];
      }
    }
  }
  const ty = taps(h, outH, interpolation, antialias);
  const row = outW * c;
  for (let y = 0; y < outH; y++) {
    const d = y * row;
    for (let t = 0; t < ty.count[y]; t++) {
      const wt = ty.weights[y * ty.maxTaps + t];
      const s = (ty.start[y] + t) * row;
      for (let j = 0; j < row; j++) out[d + j] += wt * mid[s + j];
    }
  }
  return out;
}

/** The centred box of the target aspect ratio, as Keras's smart_resize crops before resizing. */
export function aspectCropBox(h: number, w: number, targetH: number, targetW: number): { top: number; left: number; height: number; width: number } {
  const height = Math.min(h, Math.trunc((w * targetH) / targetW));
  const width = Math.min(w, Math.trunc((h * targetW) / targetH));
  return { top: Math.trunc((h - height) / 2), left: Math.trunc((w - width) / 2), height, width };
}
