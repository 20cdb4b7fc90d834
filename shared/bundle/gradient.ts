// Direction of steepest density ascent per cell: Sobel derivatives of the density (scaled by
// its maximum, as the reference does), each vector then brought to a length of one cell.
// Advection moves vertices by these vectors, so every vertex moves at the same speed.
// Work is by row ranges so that threads can share it.
import type { DensityGrid } from './density.js';
import { unitGradientSimd } from './grid-simd.js';

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

/**
 * Writes the gradient direction of `density` (width x height, row-major, row = y) for rows
 * y0 .. y1-1 to `field` as x,y pairs per cell, one cell (FIELD_ONE) long, rounded to
 * integers. `max` is the density's maximum over all cells. Sobel with edge cells replicated
 * on density / max: dx = (right column - left column) weighted 1,2,1 over rows, / 4; dy
 * likewise along y; then v / (|v| + 1e-5). A `max` that is not finite and positive (no
 * weight anywhere) gives zero vectors. Computed in float32 with WebAssembly SIMD
 * (grid-simd.ts): the caller keeps the density within float32's range (hammer.ts scales the
 * weights to a maximum of 1).
 */
export function unitGradient(
  density: DensityGrid, width: number, height: number, max: number,
  field: Int8Array, y0: number, y1: number,
): void {
  if (!(max > 0) || !Number.isFinite(max)) {
    field.fill(0, 2 * y0 * width, 2 * y1 * width);
    return;
  }
  unitGradientSimd(density, width, height, 0.25 / max, FIELD_ONE, GRADIENT_EPSILON, field, y0, y1);
}
