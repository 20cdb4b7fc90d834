// Direction of steepest density ascent per cell: Sobel derivatives of the density (scaled by
// its maximum, as the reference does), each vector then brought to a length of one cell.
// Advection moves vertices by these vectors, so every vertex moves at the same speed.
// Work is by row ranges so that threads can share it.
import type { DensityGrid } from './density.js';

/** Added to a gradient's length before dividing, so flat regions stay (near) zero. */
export const GRADIENT_EPSILON = 1e-5;

/**
 * Field vectors are stored as small integers, FIELD_ONE per cell: direction to 1/64 of a cell
 * is far finer than a vertex's cell, and one byte per component keeps the whole field (half
 * a megabyte at the default accuracy) in a core's cache, which the two threads' advection
 * needs (measured: 20-35% less advection time than 16-bit vectors on this 2-core machine).
 */
export const FIELD_BITS = 6;
export const FIELD_ONE = 1 << FIELD_BITS;
const ROUND_BIAS = FIELD_ONE + 0.5;

/**
 * Writes the gradient direction of `density` (width x height, row-major, row = y) for rows
 * y0 .. y1-1 to `field` as x,y pairs per cell, one cell (FIELD_ONE) long, rounded to
 * integers. `max` is the density's maximum over all cells. Sobel with edge cells replicated
 * on density / max: dx = (right column - left column) weighted 1,2,1 over rows, / 4; dy
 * likewise along y; then v / (|v| + 1e-5). A `max` that is not finite and positive (no
 * weight anywhere) gives zero vectors. The caller keeps the density small enough that 1 / max
 * and the Sobel sums are finite (hammer.ts scales the weights to a maximum of 1).
 */
export function unitGradient(
  density: DensityGrid, width: number, height: number, max: number,
  field: Int8Array, y0: number, y1: number,
): void {
  if (!(max > 0) || !Number.isFinite(max)) {
    field.fill(0, 2 * y0 * width, 2 * y1 * width);
    return;
  }
  const scale = 0.25 / max;
  const last = width - 1;
  for (let y = y0; y < y1; y++) {
    const up = (y + 1 < height ? y + 1 : y) * width;
    const mid = y * width;
    const down = (y > 0 ? y - 1 : y) * width;
    // Sobel by columns, sliding along the row: per column the 1,2,1-weighted sum across rows
    // (its difference between columns x+1 and x-1 is dx) and the difference up - down (its
    // 1,2,1-weighted sum over columns x-1..x+1 is dy): three loads per cell instead of eight.
    let sumCur = density[down] + 2 * density[mid] + density[up], diffCur = density[up] - density[down];
    let sumPrev = sumCur, diffPrev = diffCur; // column -1 replicates column 0
    for (let x = 0; x < width; x++) {
      const n = x < last ? x + 1 : last;
      const sumNext = density[down + n] + 2 * density[mid + n] + density[up + n];
      const diffNext = density[up + n] - density[down + n];
      const sx = (sumNext - sumPrev) * scale, sy = (diffPrev + 2 * diffCur + diffNext) * scale;
      const k = FIELD_ONE / (Math.sqrt(sx * sx + sy * sy) + GRADIENT_EPSILON);
      // Rounded half up (|v| < FIELD_ONE, so floor(v + FIELD_ONE + 0.5) - FIELD_ONE): truncating
      // would shorten every step by up to 1/64 of a cell.
      field[2 * (mid + x)] = ((sx * k + ROUND_BIAS) | 0) - FIELD_ONE;
      field[2 * (mid + x) + 1] = ((sy * k + ROUND_BIAS) | 0) - FIELD_ONE;
      sumPrev = sumCur; sumCur = sumNext;
      diffPrev = diffCur; diffCur = diffNext;
    }
  }
}
