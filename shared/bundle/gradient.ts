// Direction of steepest density ascent per cell: Sobel derivatives of the density (scaled by
// its maximum, as the reference does), each vector then brought to a fixed length. Advection
// moves vertices by these vectors, so every vertex moves at the same speed.

/** Added to a gradient's length before dividing, so flat regions stay (near) zero. */
export const GRADIENT_EPSILON = 1e-5;

/**
 * Writes the gradient direction of `density` (width x height, row-major, row = y) to `field`
 * as x,y pairs per cell (length 2*width*height), scaled to `length` (1 = unit vectors).
 * Divides `density` by its maximum in place first (as the reference does; it also keeps the
 * Sobel sums finite). Sobel with edge cells replicated: dx = (right column - left column)
 * weighted 1,2,1 over rows, / 4; dy likewise along y; then v / (|v| + 1e-5).
 * A density without a finite positive maximum gives a zero field.
 */
export function unitGradient(
  density: Float64Array, width: number, height: number, field: Float64Array, length = 1,
): void {
  const cells = width * height;
  let max = 0;
  for (let i = 0; i < cells; i++) if (density[i] > max) max = density[i];
  if (!(max > 0) || !Number.isFinite(max)) {
    field.fill(0, 0, 2 * cells);
    return;
  }
  for (let i = 0; i < cells; i++) density[i] /= max; // not * (1/max): that overflows for a tiny max
  for (let y = 0; y < height; y++) {
    const up = (y + 1 < height ? y + 1 : y) * width;
    const mid = y * width;
    const down = (y > 0 ? y - 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const r = x + 1 < width ? x + 1 : x;
      const l = x > 0 ? x - 1 : x;
      const dx = (density[down + r] + 2 * density[mid + r] + density[up + r])
        - (density[down + l] + 2 * density[mid + l] + density[up + l]);
      const dy = (density[up + l] + 2 * density[up + x] + density[up + r])
        - (density[down + l] + 2 * density[down + x] + density[down + r]);
      const sx = dx * 0.25, sy = dy * 0.25;
      const k = length / (Math.sqrt(sx * sx + sy * sy) + GRADIENT_EPSILON);
      field[2 * (mid + x)] = sx * k;
      field[2 * (mid + x) + 1] = sy * k;
    }
  }
}
