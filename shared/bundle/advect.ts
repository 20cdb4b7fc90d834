// Advection: interior vertices climb the density gradient one grid cell per step (the step
// vectors come from unitGradient with length 1/accuracy), staying in the unit square; the
// polyline is resampled after every second step so segments keep their length as edges
// bend. Endpoints never move.
import { type SegmentRules, OUT_TOO_SMALL, resampledLength, resamplePolyline } from './resample.js';

/**
 * Moves vertices start+1 .. start+count-2 by the step vector of their cell
 * (floor(x*accuracy), floor(y*accuracy)) in `steps` (x,y pairs per cell, row-major), clamped to [0, 1].
 */
export function advectStep(
  xy: Float64Array, start: number, count: number, steps: Float64Array, accuracy: number,
): void {
  const width = accuracy + 1;
  const end = start + count - 1;
  for (let v = start + 1; v < end; v++) {
    const x = xy[2 * v], y = xy[2 * v + 1];
    const cell = 2 * (((y * accuracy) | 0) * width + ((x * accuracy) | 0));
    const nx = x + steps[cell];
    const ny = y + steps[cell + 1];
    xy[2 * v] = nx < 0 ? 0 : nx > 1 ? 1 : nx;
    xy[2 * v + 1] = ny < 0 ? 0 : ny > 1 ? 1 : ny;
  }
}

/**
 * Two vertex buffers one polyline moves between while it is advected and resampled.
 * `front` holds the polyline (from vertex 0); both grow on demand and are reused across edges.
 */
export class PolylineScratch {
  front: Float64Array;
  back: Float64Array;

  constructor(vertices = 256) {
    this.front = new Float64Array(2 * vertices);
    this.back = new Float64Array(2 * vertices);
  }

  /** Loads vertices start .. start+count of `xy` into `front`, growing it if needed. */
  load(xy: Float64Array, start: number, count: number): void {
    if (2 * count > this.front.length) this.front = new Float64Array(2 * Math.max(count, this.front.length));
    this.front.set(xy.subarray(2 * start, 2 * (start + count)));
  }

  /** Resamples front into back and swaps them; returns the new vertex count. */
  resample(count: number, rules: SegmentRules): number {
    let length = resamplePolyline(this.front, 0, count, rules, this.back, 0);
    if (length === OUT_TOO_SMALL) {
      const needed = Math.max(resampledLength(this.front, 0, count, rules), count);
      this.back = new Float64Array(2 * Math.max(needed, this.back.length)); // at least doubles
      length = resamplePolyline(this.front, 0, count, rules, this.back, 0);
    }
    const t = this.front; this.front = this.back; this.back = t;
    return length;
  }
}

/**
 * Advects the `count`-vertex polyline in scratch.front `iterations` times, resampling after steps
 * 0, 2, 4, ... (as the reference does). Returns the final vertex count; the result is in scratch.front.
 */
export function advectPolyline(
  scratch: PolylineScratch, count: number, iterations: number,
  steps: Float64Array, accuracy: number, rules: SegmentRules,
): number {
  let n = count;
  for (let s = 0; s < iterations; s++) {
    advectStep(scratch.front, 0, n, steps, accuracy);
    if ((s & 1) === 0) n = scratch.resample(n, rules);
  }
  return n;
}
