// Advection: interior vertices climb the density gradient (the step vectors come from
// unitGradient: one cell long, pointing uphill), staying inside the grid, and the polyline is
// resampled every few steps so segments keep their length as edges bend. Endpoints never move.
//
// The reference takes advect_iterations steps of one cell in every round and resamples after
// steps 0, 2, 4, .... Here a round covers a distance in proportion to its bandwidth (the
// plan's advectCells: advect_iterations cells in the first, widest round, 70% of that in the
// next at the default decay, ...), in steps of STEP_CELLS = 2 cells, resampling after every
// STEPS_PER_RESAMPLE = 3rd step; the steps left over after the last resample (and a one-cell
// step for an odd distance) are taken without one, as the reference leaves its last step.
// A vertex needs about one bandwidth to reach the ridge it joins: further steps in a narrow
// round only jostle it on the ridge, merging and splitting segments, and those walks are
// most of the bundling's time. Measured against the reference densities (means over five
// runs with the nodes moved by up to 1e-6; the spread of one graph's runs is about 0.005):
// the reference's schedule in two-cell steps with a resample after the first step scored
// 0.979 (MACCDC sample) and 0.973 (8,218 edges); no resample until the third step, 0.985
// and 0.974; that with each round's distance following its bandwidth (50, 35, 25 and 17
// cells: 21 walks instead of 36) 0.984 and 0.976, for about a third less time. Fewer cells
// in every round (the first included) cost correlation: 0.965 on the 8,218 edges at 44
// cells a round; so do rarer resamples (every 4th step: 0.967).
//
// The STEPS_PER_RESAMPLE steps between two walks are taken from a flow map: per cell, where
// those steps lead from the cell's centre (flowMap, once per round). A vertex then moves by its
// cell's entry in one lookup instead of three dependent ones; it differs from stepping it
// only where a vertex off its cell's centre would cross into another cell on the way. Against
// the reference densities it is no worse (0.973 -> 0.980 on the MACCDC sample, 0.975 -> 0.975
// on the 8,218-edge graph, means over six perturbed runs), and it takes 12-25% off the
// bundling.
//
// Coordinates are fixed point (polylines.ts); the field holds FIELD_ONE-scaled vectors and
// the flow map FLOW_ONE-scaled displacements, x,y pairs per cell, row-major with `width` =
// accuracy + 1 cells per row. The moves between resamples are done one vertex at a time
// inside the resample walk: each vertex is read and written once per walk, and one edge stays
// in cache for all its steps.
import { FIXED_BITS, type PolylineStore } from './polylines.js';
import { FIELD_BITS } from './gradient.js';
import { type SegmentRules, OUT_TOO_SMALL } from './resample.js';

/** Length of a step, in cells (a power of two). */
export const STEP_CELLS = 2;
/** Steps between two resamples (after the first step, which has its own). */
export const STEPS_PER_RESAMPLE = 3;

// Module-level copies of the scales: hot loops then read plain constants, whatever a loader
// makes of imported bindings.
/** Fixed-point coordinate to cell index: a shift. */
const CELL_SHIFT = FIXED_BITS;
/**
 * Flow-map displacements are stored to 1/16 of a cell: at most STEPS_PER_RESAMPLE *
 * STEP_CELLS = 6 cells, so one byte per component (the map stays in a core's cache).
 */
export const FLOW_BITS = 4;
export const FLOW_ONE = 1 << FLOW_BITS;
if (STEPS_PER_RESAMPLE * STEP_CELLS * FLOW_ONE > 127) throw new Error('flow map displacements must fit a byte');
/** Flow-map displacement to fixed point: a shift. */
const FLOW_SHIFT = FIXED_BITS - FLOW_BITS;
/** Field vector to a fixed-point step of one cell: a shift, as both scales are powers of two. */
const CELL_STEP_SHIFT = FIXED_BITS - FIELD_BITS;
/** The same for a step of STEP_CELLS cells. */
const STEP_SHIFT = CELL_STEP_SHIFT + Math.log2(STEP_CELLS);
/** Segment lengths are compared in cells: fixed-point differences times this. */
const CELLS_PER_UNIT = 1 / (1 << FIXED_BITS);

/**
 * Moves vertices start+1 .. start+count-2 of `xy` (in place) by `cells` (1 or STEP_CELLS)
 * times the vector of their cell, clamped to [0, (width - 1) * FIXED_ONE].
 */
export function advectStep(
  xy: Int32Array, start: number, count: number, field: Int8Array, width: number, cells: 1 | typeof STEP_CELLS,
): void {
  const shift = cells === 1 ? CELL_STEP_SHIFT : STEP_SHIFT;
  const limit = (width - 1) << CELL_SHIFT;
  const end = start + count - 1;
  for (let v = start + 1; v < end; v++) {
    const x = xy[2 * v], y = xy[2 * v + 1];
    const cell = (Math.imul(y >> CELL_SHIFT, width) + (x >> CELL_SHIFT)) << 1;
    const nx = (x + (field[cell] << shift)) | 0;
    const ny = (y + (field[cell + 1] << shift)) | 0;
    xy[2 * v] = nx < 0 ? 0 : nx > limit ? limit : nx;
    xy[2 * v + 1] = ny < 0 ? 0 : ny > limit ? limit : ny;
  }
}

// The walks below are written for V8's optimizing compiler: `| 0` keeps integer sums in int32
// without overflow checks, Math.imul likewise, and the rare long gaps go to a helper so the
// loop body stays small. Their cost is the work and the unpredictable merge/split branches,
// not memory: the same walk in C (gcc -O3) is only about 15% faster.

/**
 * Resamples the `count`-vertex polyline at vertex `start` of `src` into `out` from vertex
 * `outStart` (see resample.ts for the rules; `rules` here in cells) and returns the new vertex
 * count, or OUT_TOO_SMALL when `out` cannot hold it. `out` must not overlap the source.
 */
export function resampleFixed(
  src: Int32Array, start: number, count: number, rules: SegmentRules, out: Int32Array, outStart: number,
): number {
  if (2 * (outStart + count) > out.length) return OUT_TOO_SMALL;
  const minSq = rules.minSq, maxSq = rules.maxSq, mean = rules.mean;
  const last = count - 1;
  let cx = src[2 * start] | 0, cy = src[2 * start + 1] | 0;
  let o = 2 * outStart;
  for (let k = 1; k < count; k++) {
    const px = src[2 * (start + k)] | 0, py = src[2 * (start + k) + 1] | 0;
    const dx = ((px - cx) | 0) * CELLS_PER_UNIT, dy = ((py - cy) | 0) * CELLS_PER_UNIT;
    const dSq = dx * dx + dy * dy;
    if (dSq < minSq && k >= 2 && k < last) {
      cx = (cx + px) >> 1; cy = (cy + py) >> 1;
      continue;
    }
    if (dSq > maxSq) {
      o = writeSplit(out, o, cx, cy, px, py, dSq, mean, count - k);
      if (o < 0) return OUT_TOO_SMALL;
    } else {
      out[o] = cx;
      out[o + 1] = cy;
      o = (o + 2) | 0;
    }
    cx = px; cy = py;
  }
  out[o] = cx;
  out[o + 1] = cy;
  return ((o + 2) >> 1) - outStart;
}

/**
 * Vertices of a straight edge once resampled by resampleFixed: edge e of `straight` (fixed
 * point x0,y0,x1,y1 per edge), by the same arithmetic.
 */
export function straightVertexCount(straight: Int32Array, e: number, rules: SegmentRules): number {
  const cx = ((straight[4 * e + 2] - straight[4 * e]) | 0) * CELLS_PER_UNIT, cy = ((straight[4 * e + 3] - straight[4 * e + 1]) | 0) * CELLS_PER_UNIT;
  const dSq = cx * cx + cy * cy;
  return (dSq > rules.maxSq ? Math.ceil(Math.sqrt(dSq) / rules.mean) : 1) + 1;
}

/**
 * Writes rows y0 .. y1-1 of the flow map: for each cell, the displacement (FLOW_ONE per cell,
 * rounded) of a vertex at the cell's centre after STEPS_PER_RESAMPLE steps of STEP_CELLS by
 * `field`, clamped to the grid as advectStep does.
 */
export function flowMap(field: Int8Array, width: number, flow: Int8Array, y0: number, y1: number): void {
  const limit = (width - 1) << CELL_SHIFT;
  const half = 1 << (CELL_SHIFT - 1);
  // Paths from cells at least `reach` cells inside the grid cannot reach its edge: no clamping.
  const reach = STEPS_PER_RESAMPLE * STEP_CELLS;
  const innerLo = reach, innerHi = width - 1 - reach;
  for (let cy = y0; cy < y1; cy++) {
    const yc = cy === width - 1 ? limit : (cy << CELL_SHIFT) + half;
    const row = cy * width;
    if (cy < innerLo || cy >= innerHi) {
      flowCells(field, width, flow, row, 0, width, yc, limit);
      continue;
    }
    flowCells(field, width, flow, row, 0, innerLo, yc, limit);
    for (let cx = innerLo; cx < innerHi; cx++) {
      const xc = (cx << CELL_SHIFT) + half;
      const at = (row + cx) << 1;
      let px = (xc + (field[at] << STEP_SHIFT)) | 0, py = (yc + (field[at + 1] << STEP_SHIFT)) | 0;
      for (let step = 1; step < STEPS_PER_RESAMPLE; step++) {
        const cell = (Math.imul(py >> CELL_SHIFT, width) + (px >> CELL_SHIFT)) << 1;
        px = (px + (field[cell] << STEP_SHIFT)) | 0;
        py = (py + (field[cell + 1] << STEP_SHIFT)) | 0;
      }
      flow[at] = (px - xc + FLOW_ROUND) >> FLOW_SHIFT;
      flow[at + 1] = (py - yc + FLOW_ROUND) >> FLOW_SHIFT;
    }
    flowCells(field, width, flow, row, innerHi, width, yc, limit);
  }
}

/** Half a flow-map unit in fixed point: (d + FLOW_ROUND) >> FLOW_SHIFT rounds d half up, as Math.round. */
const FLOW_ROUND = 1 << (FLOW_SHIFT - 1);

/** flowMap of cells x0 .. x1-1 of the row starting at cell `row` (centre y `yc`), clamping every step. */
function flowCells(
  field: Int8Array, width: number, flow: Int8Array, row: number, x0: number, x1: number, yc: number, limit: number,
): void {
  const half = 1 << (CELL_SHIFT - 1);
  for (let cx = x0; cx < x1; cx++) {
    // The last cell holds only coordinates of exactly `limit`: its "centre" is that.
    const xc = cx === width - 1 ? limit : (cx << CELL_SHIFT) + half;
    let px = xc, py = yc;
    for (let step = 0; step < STEPS_PER_RESAMPLE; step++) {
      const cell = (Math.imul(py >> CELL_SHIFT, width) + (px >> CELL_SHIFT)) << 1;
      px = (px + (field[cell] << STEP_SHIFT)) | 0;
      py = (py + (field[cell + 1] << STEP_SHIFT)) | 0;
      px = px < 0 ? 0 : px > limit ? limit : px;
      py = py < 0 ? 0 : py > limit ? limit : py;
    }
    const at = (row + cx) << 1;
    flow[at] = (px - xc + FLOW_ROUND) >> FLOW_SHIFT;
    flow[at + 1] = (py - yc + FLOW_ROUND) >> FLOW_SHIFT;
  }
}

/**
 * Moves the interior vertices by their cell's flow-map entry (STEPS_PER_RESAMPLE steps, see
 * flowMap), clamped to the grid, and resamples, as resampleFixed of the moved polyline, in one
 * walk; `src` is left unchanged (so a call that returns OUT_TOO_SMALL can be repeated with a
 * larger `out`).
 */
export function advectResample(
  src: Int32Array, start: number, count: number, flow: Int8Array, width: number,
  rules: SegmentRules, out: Int32Array, outStart: number,
): number {
  if (2 * (outStart + count) > out.length) return OUT_TOO_SMALL;
  const minSq = rules.minSq, maxSq = rules.maxSq, mean = rules.mean;
  const limit = (width - 1) << CELL_SHIFT;
  const last = count - 1;
  let cx = src[2 * start] | 0, cy = src[2 * start + 1] | 0;
  let o = 2 * outStart;
  for (let k = 1; k < count; k++) {
    let px = src[2 * (start + k)] | 0, py = src[2 * (start + k) + 1] | 0;
    if (k < last) {
      const cell = (Math.imul(py >> CELL_SHIFT, width) + (px >> CELL_SHIFT)) << 1;
      px = (px + (flow[cell] << FLOW_SHIFT)) | 0;
      py = (py + (flow[cell + 1] << FLOW_SHIFT)) | 0;
      px = px < 0 ? 0 : px > limit ? limit : px;
      py = py < 0 ? 0 : py > limit ? limit : py;
    }
    // From here on, resampleFixed's walk.
    const dx = ((px - cx) | 0) * CELLS_PER_UNIT, dy = ((py - cy) | 0) * CELLS_PER_UNIT;
    const dSq = dx * dx + dy * dy;
    if (dSq < minSq && k >= 2 && k < last) {
      cx = (cx + px) >> 1; cy = (cy + py) >> 1;
      continue;
    }
    if (dSq > maxSq) {
      o = writeSplit(out, o, cx, cy, px, py, dSq, mean, count - k);
      if (o < 0) return OUT_TOO_SMALL;
    } else {
      out[o] = cx;
      out[o + 1] = cy;
      o = (o + 2) | 0;
    }
    cx = px; cy = py;
  }
  out[o] = cx;
  out[o + 1] = cy;
  return ((o + 2) >> 1) - outStart;
}

/**
 * Writes c and the points that split the gap c..p (squared length dSq cells^2) into
 * ceil(|c-p| / mean) equal pieces at `o`; returns the next `o`, or -1 when `out` lacks room
 * for them and one vertex for each of the `toCome` source vertices still to come. Most gaps
 * that need splitting are at most two pieces long (segments are resampled every few steps):
 * those skip the square root.
 */
function writeSplit(
  out: Int32Array, o: number, cx: number, cy: number, px: number, py: number,
  dSq: number, mean: number, toCome: number,
): number {
  const pieces = dSq <= 4 * mean * mean ? 2 : Math.ceil(Math.sqrt(dSq) / mean);
  if (o + 2 * (pieces + toCome) > out.length) return -1;
  out[o] = cx;
  out[o + 1] = cy;
  o += 2;
  // Coordinates are >= 0, so | 0 after + 0.5 rounds to nearest.
  const sx = (px - cx) / pieces, sy = (py - cy) / pieces;
  for (let i = 1; i < pieces; i++) {
    out[o] = (cx + i * sx + 0.5) | 0;
    out[o + 1] = (cy + i * sy + 0.5) | 0;
    o += 2;
  }
  return o;
}

/** Per-edge buffers for advectEdges; they grow on demand and are reused across edges and rounds. */
export class AdvectScratch {
  front: Int32Array = new Int32Array(1024);
  back: Int32Array = new Int32Array(1024);
}

/** Output room advectEdges sets aside, over the input's vertex count. */
const ROOM_FOR_GROWTH = 1.5;

/**
 * A copy of the first `keep` numbers of `a` in a buffer of at least `needed` (and, when
 * `double`, of 2 * a.length: growing by small steps would copy again and again).
 */
function grown(a: Int32Array, needed: number, keep: number, double = true): Int32Array {
  const b = new Int32Array(double ? Math.max(needed, 2 * a.length) : needed);
  if (keep > 0) b.set(a.subarray(0, keep));
  return b;
}

/** The fields a round's advection reads: the step field and its flow map (width x width cells). */
export interface AdvectField {
  field: Int8Array;
  flow: Int8Array;
  width: number;
}

/**
 * Steps of a round that covers `cells` cells (see the top of this file): `walks` flow-map
 * moves of STEPS_PER_RESAMPLE steps, each with its resample (the last writes into `next`),
 * then `leftover` steps of STEP_CELLS and `oneCell` (0 or 1) step of one cell in place.
 */
interface Schedule { walks: number; leftover: number; oneCell: number }

function schedule(cells: number): Schedule {
  const steps = Math.floor(cells / STEP_CELLS);
  const walks = Math.floor(steps / STEPS_PER_RESAMPLE);
  return { walks, leftover: steps - walks * STEPS_PER_RESAMPLE, oneCell: cells - steps * STEP_CELLS };
}

/**
 * One round of advection, `cells` grid cells, for edges first .. end-1 of `cur` (see the top
 * of this file for the schedule), written as the same edges of `next`, whose offsets[first]
 * must be set; next.offsets[first+1 .. end] are set here and next.xy grows as needed. `abort`
 * (null, or a flag at index 0 that another thread may set) is read every 64 edges: once set,
 * the round stops and returns false.
 */
export function advectEdges(
  cur: PolylineStore, next: PolylineStore, first: number, end: number,
  fields: AdvectField, cells: number, rules: SegmentRules, scratch: AdvectScratch, abort: Int32Array | null = null,
): boolean {
  const { field, flow, width } = fields;
  const { walks, leftover, oneCell } = schedule(cells);
  // Room for the round's output up front, so that growing next.xy mid-round (which copies
  // what is written) is rare: edges lengthen as they bend (over a cold bundling of the team's
  // graphs, by a third and by a half).
  const room = 2 * (next.offsets[first] + Math.ceil(ROOM_FOR_GROWTH * (cur.offsets[end] - cur.offsets[first]))) + 64;
  if (next.xy.length < room) next.xy = grown(next.xy, room, 2 * next.offsets[first], false);
  for (let e = first; e < end; e++) {
    if ((e & 63) === 0 && abort !== null && Atomics.load(abort, 0) !== 0) return false;
    const start = cur.offsets[e];
    let n = cur.offsets[e + 1] - start;
    const at = next.offsets[e];
    if (walks === 0) {
      if (2 * (at + n) > next.xy.length) next.xy = grown(next.xy, 2 * (at + n), 2 * at);
      next.xy.set(cur.xy.subarray(2 * start, 2 * (start + n)), 2 * at);
    }
    let src = cur.xy, srcStart = start;
    for (let w = 0; w < walks; w++) {
      const intoNext = w === walks - 1;
      let dst = intoNext ? next.xy : scratch.front;
      const dstStart = intoNext ? at : 0;
      let m: number;
      for (;;) {
        m = advectResample(src, srcStart, n, flow, width, rules, dst, dstStart);
        if (m !== OUT_TOO_SMALL) break;
        dst = grown(dst, 2 * (dstStart + 2 * n + 64), 2 * dstStart);
        if (intoNext) next.xy = dst; else scratch.front = dst;
      }
      n = m;
      if (!intoNext) {
        // The result is the next source; the old source (if scratch) is free to write.
        const t = scratch.front; scratch.front = scratch.back; scratch.back = t;
        src = scratch.back; srcStart = 0;
      }
    }
    for (let s = 0; s < leftover; s++) advectStep(next.xy, at, n, field, width, STEP_CELLS);
    if (oneCell === 1) advectStep(next.xy, at, n, field, width, 1);
    next.offsets[e + 1] = at + n;
  }
  return true;
}
