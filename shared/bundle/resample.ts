// Resampling a polyline so its segments stay between a minimum and a maximum length:
// interior points closer than the minimum merge into their midpoint, gaps longer than the
// maximum are split into equal pieces of about the mean length. Endpoints always stay.
//
// Polylines are x,y interleaved: vertex k of a polyline starting at vertex `start` is at
// [2*(start+k), 2*(start+k)+1]. This file works in float (the first and last resample);
// advect.ts has the same walk on the fixed-point vertices of the rounds.
//
// The walk carries one pending point `c` (not yet written) and looks at the next vertex p:
// - |c-p| < min and p is interior and c is not the first vertex: c becomes the midpoint;
// - |c-p| > max: write c and the ceil(|c-p| / mean) - 1 points that split c..p evenly; c = p;
// - otherwise: write c; c = p.
// The reference (datashader) writes a merged midpoint twice and drops the vertex after it
// (and so never merges the second-to-last vertex); here a merge replaces the two vertices by
// one, as its description says. That leaves about a quarter fewer vertices than the reference.

/** Lengths that drive resampling, squared where a comparison suffices. */
export interface SegmentRules {
  minSq: number;
  maxSq: number;
  /** (min + max) / 2: the target length of split pieces. */
  mean: number;
}

export function segmentRules(minSegmentLength: number, maxSegmentLength: number): SegmentRules {
  return {
    minSq: minSegmentLength * minSegmentLength,
    maxSq: maxSegmentLength * maxSegmentLength,
    mean: (minSegmentLength + maxSegmentLength) / 2,
  };
}

/** Returned by resamplePolyline when `out` is too small for the result. */
export const OUT_TOO_SMALL = -1;

/** Vertex count after resampling `count` vertices from `start` (the count walk of resamplePolyline). */
export function resampledLength(xy: Float64Array, start: number, count: number, rules: SegmentRules): number {
  const { minSq, maxSq, mean } = rules;
  const last = count - 1;
  let cx = xy[2 * start], cy = xy[2 * start + 1];
  let total = 1;
  for (let k = 1; k < count; k++) {
    const px = xy[2 * (start + k)], py = xy[2 * (start + k) + 1];
    const dx = px - cx, dy = py - cy;
    const dSq = dx * dx + dy * dy;
    if (dSq < minSq && k >= 2 && k < last) {
      cx = (cx + px) * 0.5; cy = (cy + py) * 0.5;
      continue;
    }
    total += dSq > maxSq ? Math.ceil(Math.sqrt(dSq) / mean) : 1;
    cx = px; cy = py;
  }
  return total;
}

/**
 * Writes the resampled polyline to `out` from vertex `outStart` and returns its vertex count,
 * or OUT_TOO_SMALL when `out` cannot hold it (resampledLength says how much it needs; what was
 * written is then partial). `out` must not overlap the source.
 */
export function resamplePolyline(
  xy: Float64Array, start: number, count: number, rules: SegmentRules,
  out: Float64Array, outStart: number,
): number {
  const { minSq, maxSq, mean } = rules;
  const last = count - 1;
  let cx = xy[2 * start], cy = xy[2 * start + 1];
  let o = 2 * outStart;
  for (let k = 1; k < count; k++) {
    const px = xy[2 * (start + k)], py = xy[2 * (start + k) + 1];
    const dx = px - cx, dy = py - cy;
    const dSq = dx * dx + dy * dy;
    if (dSq < minSq && k >= 2 && k < last) {
      cx = (cx + px) * 0.5; cy = (cy + py) * 0.5;
      continue;
    }
    const pieces = dSq > maxSq ? Math.ceil(Math.sqrt(dSq) / mean) : 1;
    if (o + 2 * pieces > out.length) return OUT_TOO_SMALL;
    const sx = dx / pieces, sy = dy / pieces;
    for (let i = 0; i < pieces; i++) {
      out[o++] = cx + i * sx;
      out[o++] = cy + i * sy;
    }
    cx = px; cy = py;
  }
  if (o + 2 > out.length) return OUT_TOO_SMALL;
  out[o++] = cx;
  out[o++] = cy;
  return o / 2 - outStart;
}
