// Weighted reductions onto the canvas, as datashader's `sum(column)` does for points and lines,
// and an antialiased line mode (Xiaolin Wu coverage). Weights are per polyline: polyline i is
// points offsets[i] .. offsets[i+1]-1 of xy and carries weights[i]. Results are added into a
// caller-owned W*H aggregate (row 0 = lowest y, see canvas.ts) which the caller zeroes; several
// calls may add into one aggregate.
//
// The pixel mapping, clipping and Bresenham below repeat aggregate.ts's (which keeps them private
// and is tuned for counts); the test checks sumLines with weight 1 against aggregateLines exactly.
import type { CanvasSpec } from './canvas.js';
import { cellOf, clipEdge, mappingOf, X_LAST, X_MAX, X_MIN, X_OFFSET, X_SCALE, Y_LAST, Y_MAX, Y_MIN, Y_OFFSET, Y_SCALE, type Coords } from './aggregate.js';

function checkCoords(xy: unknown): Coords {
  if (!(xy instanceof Float64Array) && !(xy instanceof Float32Array)) {
    throw new TypeError('xy must be a Float64Array or Float32Array of interleaved x, y');
  }
  return xy;
}

/** Checks offsets / polylineCount against xy, and weights (finite, one per polyline) when given. */
function checkPolylines(xy: Coords, offsets: unknown, polylineCount: unknown, weights: unknown, weightsOptional: boolean): void {
  if (!(offsets instanceof Uint32Array)) throw new TypeError('offsets must be a Uint32Array');
  if (typeof polylineCount !== 'number' || !Number.isInteger(polylineCount) || polylineCount < 0) {
    throw new RangeError(`polylineCount must be a non-negative integer, got ${String(polylineCount)}`);
  }
  const available = Math.max(0, offsets.length - 1);
  if (polylineCount > available) {
    throw new RangeError(`polylineCount (${polylineCount}) exceeds the ${available} polylines in offsets`);
  }
  for (let i = 0; i < polylineCount; i++) {
    if (offsets[i + 1] < offsets[i]) throw new RangeError(`offsets must not decrease (offsets[${i + 1}] < offsets[${i}])`);
  }
  if (polylineCount > 0 && offsets[polylineCount] > xy.length >> 1) {
    throw new RangeError(`offsets[${polylineCount}] = ${offsets[polylineCount]} exceeds the ${xy.length >> 1} points in xy`);
  }
  if (weights === null && weightsOptional) return;
  if (!(weights instanceof Float64Array)) {
    throw new TypeError(weightsOptional ? 'weights must be a Float64Array or null' : 'weights must be a Float64Array');
  }
  if (weights.length < polylineCount) {
    throw new RangeError(`weights must hold at least polylineCount = ${polylineCount} values, got ${weights.length}`);
  }
  // A NaN or infinite weight would poison every cell it touches (Inf + -Inf = NaN).
  for (let i = 0; i < polylineCount; i++) {
    if (!Number.isFinite(weights[i])) throw new RangeError(`weights[${i}] must be finite, got ${weights[i]}`);
  }
}

function checkAggregate(spec: CanvasSpec, out: unknown, type: typeof Float64Array | typeof Float32Array): void {
  if (!(out instanceof type)) throw new TypeError(`out must be a ${type.name}`);
  const cells = spec.width * spec.height;
  if (out.length !== cells) throw new RangeError(`out must have width*height = ${cells} cells, got ${out.length}`);
}

/**
 * Adds weights[i] for every point of polyline i into the cell aggregatePoints would count it in
 * (points outside the ranges, or NaN, dropped; max in the last pixel). Points of xy outside
 * offsets[0] .. offsets[polylineCount] are not drawn.
 */
export function sumPoints(
  spec: CanvasSpec, xy: Coords, offsets: Uint32Array, polylineCount: number, weights: Float64Array, out: Float64Array,
): void {
  checkCoords(xy);
  checkPolylines(xy, offsets, polylineCount, weights, false);
  checkAggregate(spec, out, Float64Array);
  const m = mappingOf(spec);
  const { width, height } = spec;
  for (let i = 0; i < polylineCount; i++) {
    const weight = weights[i];
    const end = offsets[i + 1];
    for (let j = offsets[i]; j < end; j++) {
      const cell = cellOf(m, width, height, xy[2 * j], xy[2 * j + 1]);
      if (cell >= 0) out[cell] += weight;
    }
  }
}

/**
 * Adds weights[i] on every pixel aggregateLines would count for polyline i, as often as it would
 * count it (Liang-Barsky clipping, datashader's Bresenham, a vertex shared by consecutive
 * segments once, a segment with a NaN end skipped).
 */
export function sumLines(
  spec: CanvasSpec, xy: Coords, offsets: Uint32Array, polylineCount: number, weights: Float64Array, out: Float64Array,
): void {
  checkCoords(xy);
  checkPolylines(xy, offsets, polylineCount, weights, false);
  checkAggregate(spec, out, Float64Array);
  const m = mappingOf(spec);
  const clip = new Float64Array(2);
  for (let i = 0; i < polylineCount; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    const weight = weights[i];
    for (let j = start; j + 1 < end; j++) {
      const segmentStart = j === start || Number.isNaN(xy[2 * j - 2]) || Number.isNaN(xy[2 * j - 1]);
      sumSegment(m, spec.width, xy[2 * j], xy[2 * j + 1], xy[2 * j + 2], xy[2 * j + 3], segmentStart, weight, clip, out);
    }
  }
}

/**
 * Liang-Barsky clip of (x0,y0)-(x1,y1) to the ranges: leaves the kept parameter interval in
 * clip[0] .. clip[1] and returns false when nothing is kept.
 */
function clipSegment(m: Float64Array, x0: number, y0: number, x1: number, y1: number, clip: Float64Array): boolean {
  const xmin = m[X_MIN], xmax = m[X_MAX], ymin = m[Y_MIN], ymax = m[Y_MAX];
  if ((x0 < xmin && x1 < xmin) || (x0 > xmax && x1 > xmax) || (y0 < ymin && y1 < ymin) || (y0 > ymax && y1 > ymax)) return false;
  clip[0] = 0;
  clip[1] = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  return clipEdge(-dx, x0 - xmin, clip) && clipEdge(dx, xmax - x0, clip) &&
    clipEdge(-dy, y0 - ymin, clip) && clipEdge(dy, ymax - y0, clip);
}

function sumSegment(
  m: Float64Array, width: number, x0: number, y0: number, x1: number, y1: number,
  segmentStart: boolean, weight: number, clip: Float64Array, out: Float64Array,
): void {
  if (Number.isNaN(x0) || Number.isNaN(y0) || Number.isNaN(x1) || Number.isNaN(y1)) return;
  if (!clipSegment(m, x0, y0, x1, y1, clip)) return;
  const clippedEnd = clip[1] < 1;
  const clippedStart = clip[0] > 0;
  const dx = x1 - x0;
  const dy = y1 - y0;
  if (clippedEnd) {
    x1 = x0 + clip[1] * dx;
    y1 = y0 + clip[1] * dy;
  }
  if (clippedStart) {
    x0 = x0 + clip[0] * dx;
    y0 = y0 + clip[0] * dy;
  }
  // Compared with the rounded pixel count (not the float max): a clipped end lies on the bound only up to rounding.
  let px0 = (x0 * m[X_SCALE] + m[X_OFFSET]) | 0;
  let py0 = (y0 * m[Y_SCALE] + m[Y_OFFSET]) | 0;
  let px1 = (x1 * m[X_SCALE] + m[X_OFFSET]) | 0;
  let py1 = (y1 * m[Y_SCALE] + m[Y_OFFSET]) | 0;
  if (px0 === m[X_LAST]) px0 -= 1;
  if (py0 === m[Y_LAST]) py0 -= 1;
  if (px1 === m[X_LAST]) px1 -= 1;
  if (py1 === m[Y_LAST]) py1 -= 1;
  bresenham(px0, py0, px1, py1, segmentStart || clippedStart, clippedStart || clippedEnd, weight, width, out);
}

/** Datashader's Bresenham: the start pixel only when the segment starts a run, then each step. */
function bresenham(
  x0: number, y0: number, x1: number, y1: number,
  drawStart: boolean, clipped: boolean, weight: number, w: number, out: Float64Array,
): void {
  const ix = Math.sign(x1 - x0);
  const iy = Math.sign(y1 - y0);
  const dx = Math.abs(x1 - x0) * 2;
  const dy = Math.abs(y1 - y0) * 2;
  if (!clipped && dx === 0 && dy === 0) {
    out[y0 * w + x0] += weight;
    return;
  }
  if (drawStart) out[y0 * w + x0] += weight;
  if (dx >= dy) {
    let error = 2 * dy - dx;
    while (x0 !== x1) {
      if (error >= 0 && (error !== 0 || ix > 0)) {
        error -= 2 * dx;
        y0 += iy;
      }
      error += 2 * dy;
      x0 += ix;
      out[y0 * w + x0] += weight;
    }
  } else {
    let error = 2 * dx - dy;
    while (y0 !== y1) {
      if (error >= 0 && (error !== 0 || iy > 0)) {
        error -= 2 * dy;
        x0 += ix;
      }
      error += 2 * dx;
      y0 += iy;
      out[y0 * w + x0] += weight;
    }
  }
}

/**
 * Antialiased lines (Xiaolin Wu): each segment, clipped to the ranges, adds to every pixel column
 * (row, for steep segments) it spans the length of the segment inside that column, split between
 * the two pixels straddling the ideal line at the column centre in proportion to their nearness,
 * times weights[i] (1 when weights is null). So a line through pixel centres puts all of it on one
 * pixel, a line between two centres splits it, and a segment adds its length along its major axis
 * in all. Consecutive segments along the same major axis meet without overlap or gap; at a turn
 * between x- and y-major the two may overlap or miss by up to half a pixel. Segments with a
 * non-finite end are skipped (NaN separates polylines), as are zero-length ones.
 */
export function aggregateLinesAntialiased(
  spec: CanvasSpec, xy: Coords, offsets: Uint32Array, polylineCount: number, weights: Float64Array | null, out: Float32Array,
): void {
  checkCoords(xy);
  checkPolylines(xy, offsets, polylineCount, weights, true);
  checkAggregate(spec, out, Float32Array);
  const m = mappingOf(spec);
  const clip = new Float64Array(2);
  const { width, height } = spec;
  for (let i = 0; i < polylineCount; i++) {
    const end = offsets[i + 1];
    const weight = weights === null ? 1 : weights[i];
    for (let j = offsets[i]; j + 1 < end; j++) {
      const x0 = xy[2 * j], y0 = xy[2 * j + 1], x1 = xy[2 * j + 2], y1 = xy[2 * j + 3];
      if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) continue;
      if (!clipSegment(m, x0, y0, x1, y1, clip)) continue;
      const dx = x1 - x0;
      const dy = y1 - y0;
      // Pixel coordinates with pixel centres on integers: pixel k spans k-0.5 .. k+0.5.
      const u0 = (x0 + clip[0] * dx) * m[X_SCALE] + m[X_OFFSET] - 0.5;
      const v0 = (y0 + clip[0] * dy) * m[Y_SCALE] + m[Y_OFFSET] - 0.5;
      const u1 = (x0 + clip[1] * dx) * m[X_SCALE] + m[X_OFFSET] - 0.5;
      const v1 = (y0 + clip[1] * dy) * m[Y_SCALE] + m[Y_OFFSET] - 0.5;
      if (Math.abs(u1 - u0) >= Math.abs(v1 - v0)) {
        wuSegment(u0, v0, u1, v1, width, height, 1, width, weight, out);
      } else {
        wuSegment(v0, u0, v1, u1, height, width, width, 1, weight, out);
      }
    }
  }
}

/**
 * One Wu segment along its major axis a (|da| >= |db|): column k of a (cells k*aStride) gets the
 * length of a0..a1 inside k-0.5 .. k+0.5, split between minor pixels floor(b) and floor(b)+1 of
 * the line's b at a = k. Pixels off the canvas (the half pixel beyond an edge) are not written.
 */
function wuSegment(
  a0: number, b0: number, a1: number, b1: number, aCount: number, bCount: number,
  aStride: number, bStride: number, weight: number, out: Float32Array,
): void {
  if (a1 < a0) {
    const a = a0; a0 = a1; a1 = a;
    const b = b0; b0 = b1; b1 = b;
  }
  const length = a1 - a0;
  if (length === 0) return;
  const gradient = (b1 - b0) / length;
  const first = Math.round(a0);
  const last = Math.round(a1);
  for (let k = first; k <= last; k++) {
    // Interior columns are covered whole; the end columns only up to the segment's ends.
    const cover = (k === last ? Math.min(a1 - k + 0.5, 1) : 1) - (k === first ? Math.max(a0 - k + 0.5, 0) : 0);
    if (k < 0 || k >= aCount || cover <= 0) continue;
    const b = b0 + gradient * (k - a0);
    const below = Math.floor(b);
    const far = b - below;
    const amount = cover * weight;
    if (below >= 0 && below < bCount) out[k * aStride + below * bStride] += amount * (1 - far);
    if (below + 1 >= 0 && below + 1 < bCount) out[k * aStride + (below + 1) * bStride] += amount * far;
  }
}
