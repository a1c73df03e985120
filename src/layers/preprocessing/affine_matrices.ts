/**
 * The transforms Keras 3's RandomRotation, RandomTranslation and RandomZoom give to
 * ops.image.affine_transform, as [a0, a1, a2, b0, b1, b2, c0, c1]: an output pixel (x, y) reads
 * the input at (a0 x + a1 y + a2, b0 x + b1 y + b2). The centre of an h x w image is the pixel
 * centre ((w - 1) / 2, (h - 1) / 2).
 */

/** Rotation by `angle` radians about the image centre (positive: counter-clockwise on screen). */
export function rotationTransform(angle: number, height: number, width: number): number[] {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const cx = (width - 1) / 2, cy = (height - 1) / 2;
  return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0];
}

/** Shift by dx pixels right and dy pixels down. */
export function translationTransform(dx: number, dy: number): number[] {
  return [1, 0, -dx, 0, 1, -dy, 0, 0];
}

/** Zoom about the image centre: zx, zy > 1 zoom out (the image shrinks), < 1 zoom in. */
export function zoomTransform(zx: number, zy: number, height: number, width: number): number[] {
  return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
}
