// Warm starts: bundling a graph that differs a little from the last one bundled, starting from
// that result, so a live picture stays steady and the work follows the change.
//
// Edges are matched by a key the caller gives each edge (the same key for the same edge in
// consecutive graphs: e.g. its two host ids). An edge seen last time (carried) starts from its
// polyline then, as the rounds left it (before the final resample and smoothing), with its
// endpoints moved to where its nodes are now and its interior following them in proportion to
// how far along it a vertex is, counted in vertices (k / (n - 1)): the rounds and the final
// resample keep segments within a factor of two of each other's length, so this is close to the
// fraction of arc length (on the 8,218-edge graph's bundling, 0.009 apart on average, at most
// 0.35) and needs no square roots (with every node moved a little, as when two hosts join the
// circle, arc length made a warm start after a 5% change cost 0.23-0.25 of a cold one instead
// of 0.21). An edge not seen (fresh) starts straight. A warm bundling then runs two rounds
// (hammer.ts warmPlan), the widest blur and the narrowest, in which only fresh edges move: they
// join the bundles already there (none are run when no edge is fresh). Carried polylines are
// kept apart from the fresh ones (StartLines): their vertices are counted on the grid once,
// each round's density starts from those counts, and the rounds never copy them (with 5% of the
// 8,218-edge graph fresh, that took a warm start from 0.19-0.23 of a cold one's time to
// 0.14-0.21). Edges that left are simply absent from the density. Carried edges do not move:
// bundling is chaotic (re-bundling a graph with 5% of its edges replaced correlates only
// 0.82-0.98 with the bundling before), and letting them settle again in each bundling pulls
// bundles ever tighter. The picture so built drifts from what a cold bundling would draw as
// edges come and go, so once fewer than half the edges date from a cold bundling, the next
// bundling is cold again (WARM_MIN_COLD).
import { FIXED_ONE, type PolylineStore } from './polylines.js';
import type { BundlePlan, BundleResult, StartLines } from './hammer.js';
import { type SegmentRules, OUT_TOO_SMALL } from './resample.js';
import { resampleFixed, straightVertexCount } from './advect.js';

/** The share of kept edges that must date from a cold bundling for the next one to start warm. */
export const WARM_MIN_COLD = 0.5;

/** The frame a bundling's grid units were in: grid = (v - origin) / scale * accuracy per axis. */
export interface BundleFrame {
  originX: number;
  scaleX: number;
  originY: number;
  scaleY: number;
  accuracy: number;
}

/** What a bundling leaves for the next one to start from (plain data: it can be posted to a worker). */
export interface BundleState {
  frame: BundleFrame;
  /** Key of each kept edge, in kept order. */
  keys: Float64Array;
  /** Each kept edge's polyline as the rounds left it, fixed-point grid units of `frame`. */
  lines: PolylineStore;
  /** Per kept edge, 1 where its polyline dates from a cold bundling (carried since). */
  cold: Uint8Array;
  /** Each kept edge's finished polyline (the bundling's output), input coordinates, x,y interleaved. */
  points: Float64Array;
  /** Kept edge e's finished vertices are points[2*pointOffsets[e] .. 2*pointOffsets[e+1]). */
  pointOffsets: Uint32Array;
}

/** Index of each key among `keys` (keys must be unique): built once per warm start. */
export function keyIndex(keys: Float64Array): Map<number, number> {
  const index = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) {
    if (index.has(keys[i])) throw new RangeError(`edge keys must be unique, got ${keys[i]} twice`);
    index.set(keys[i], i);
  }
  return index;
}

/**
 * For kept edges first .. end-1 of the plan: the index of their previous polyline in
 * `previous` (by key), or -1 for fresh edges.
 */
export function matchEdges(
  plan: BundlePlan, keys: Float64Array, previous: Map<number, number>, first: number, end: number,
): Int32Array {
  const match = new Int32Array(end - first);
  for (let e = first; e < end; e++) match[e - first] = previous.get(keys[plan.edgeIndex[e]]) ?? -1;
  return match;
}

/**
 * Copies carried edge e's previous polyline (index `from` in `previous`) into `out` at vertex
 * `at`, moved into the plan's frame, with its ends at the straight edge's ends (sx,sy,tx,ty,
 * fixed point) and its interior moved with them (top of this file), kept inside the
 * grid. Returns the vertex count written.
 */
export function carryPolyline(
  plan: BundlePlan, previous: BundleState, from: number,
  sx: number, sy: number, tx: number, ty: number, out: Int32Array, at: number,
): number {
  const { lines, frame } = previous;
  const v0 = lines.offsets[from], n = lines.offsets[from + 1] - v0;
  const xy = lines.xy;
  // Previous grid units -> input coordinates -> this plan's grid units.
  const a = plan.params.accuracy;
  const ax = (frame.scaleX / frame.accuracy) * (a / plan.scaleX), bx = (frame.originX - plan.originX) * (a / plan.scaleX) * FIXED_ONE;
  const ay = (frame.scaleY / frame.accuracy) * (a / plan.scaleY), by = (frame.originY - plan.originY) * (a / plan.scaleY) * FIXED_ONE;
  const px0 = xy[2 * v0] * ax + bx, py0 = xy[2 * v0 + 1] * ay + by;
  const last = v0 + n - 1;
  const dsx = sx - px0, dsy = sy - py0;
  const dtx = tx - (xy[2 * last] * ax + bx), dty = ty - (xy[2 * last + 1] * ay + by);
  if (dsx === 0 && dsy === 0 && dtx === 0 && dty === 0 && ax === 1 && bx === 0 && ay === 1 && by === 0) {
    out.set(xy.subarray(2 * v0, 2 * (last + 1)), 2 * at);
    return n;
  }
  const limit = a * FIXED_ONE;
  // The move at fraction t along is ds + t * (dt - ds) (t = k / (n - 1): top of this file).
  const ex = dtx - dsx, ey = dty - dsy, cx = bx + dsx, cy = by + dsy;
  const perVertex = n > 1 ? 1 / (n - 1) : 0;
  for (let k = 0; k < n; k++) {
    const v = v0 + k;
    const t = k * perVertex;
    // Rounded to the nearest as (x + 0.5) | 0 once clamped to >= 0: Math.round here tripled the loop's time.
    const x = xy[2 * v] * ax + cx + t * ex + 0.5, y = xy[2 * v + 1] * ay + cy + t * ey + 0.5;
    out[2 * (at + k)] = x < 0 ? 0 : x > limit ? limit : x | 0;
    out[2 * (at + k) + 1] = y < 0 ? 0 : y > limit ? limit : y | 0;
  }
  out[2 * at] = sx; out[2 * at + 1] = sy;
  out[2 * (at + n - 1)] = tx; out[2 * (at + n - 1) + 1] = ty;
  return n;
}

/**
 * A carried edge's output: its previous finished polyline (index `from` in `previous`) with
 * its ends moved to (sx,sy) and (tx,ty) (where its nodes are now, input coordinates) and its
 * interior moved with them (top of this file), written to `out` at vertex `at`.
 * Unmoved ends copy it as it was. Returns the vertex count written.
 */
export function followEnds(
  previous: BundleState, from: number, sx: number, sy: number, tx: number, ty: number, out: Float64Array, at: number,
): number {
  const xy = previous.points;
  const v0 = previous.pointOffsets[from], n = previous.pointOffsets[from + 1] - v0;
  const last = v0 + n - 1;
  const dsx = sx - xy[2 * v0], dsy = sy - xy[2 * v0 + 1], dtx = tx - xy[2 * last], dty = ty - xy[2 * last + 1];
  if (dsx === 0 && dsy === 0 && dtx === 0 && dty === 0) {
    out.set(xy.subarray(2 * v0, 2 * (last + 1)), 2 * at);
    return n;
  }
  const ex = dtx - dsx, ey = dty - dsy;
  const perVertex = n > 1 ? 1 / (n - 1) : 0;
  for (let k = 0; k < n; k++) {
    const v = v0 + k;
    const t = k * perVertex;
    out[2 * (at + k)] = xy[2 * v] + dsx + t * ex;
    out[2 * (at + k) + 1] = xy[2 * v + 1] + dsy + t * ey;
  }
  out[2 * at] = sx; out[2 * at + 1] = sy;
  out[2 * (at + n - 1)] = tx; out[2 * (at + n - 1) + 1] = ty;
  return n;
}

/**
 * The starting polylines of kept edges first .. end-1 for a warm bundling: carried edges from
 * `previous` (matchEdges' `match`) in `fixed`, fresh ones straight and resampled in `moving`,
 * each store in kept order, and per edge 1 where it was carried. `straight` holds the edges'
 * fixed-point ends (x0,y0,x1,y1 per edge, as hammer.ts computes them).
 */
export function warmPolylines(
  plan: BundlePlan, previous: BundleState, match: Int32Array, straight: Int32Array, rules: SegmentRules,
): StartLines {
  const count = match.length;
  const carried = new Uint8Array(count);
  let fixedEdges = 0;
  for (let e = 0; e < count; e++) if (match[e] >= 0) { carried[e] = 1; fixedEdges++; }
  const fixedOffsets = new Uint32Array(fixedEdges + 1), movingOffsets = new Uint32Array(count - fixedEdges + 1);
  for (let e = 0, f = 0, m = 0; e < count; e++) {
    const from = match[e];
    if (from >= 0) {
      fixedOffsets[f + 1] = fixedOffsets[f] + previous.lines.offsets[from + 1] - previous.lines.offsets[from];
      f++;
    } else {
      movingOffsets[m + 1] = movingOffsets[m] + straightVertexCount(straight, e, rules);
      m++;
    }
  }
  const fixed = { xy: new Int32Array(2 * fixedOffsets[fixedEdges]), offsets: fixedOffsets };
  const moving = { xy: new Int32Array(2 * movingOffsets[count - fixedEdges]), offsets: movingOffsets };
  for (let e = 0, f = 0, m = 0; e < count; e++) {
    const from = match[e];
    if (from >= 0) {
      carryPolyline(plan, previous, from, straight[4 * e], straight[4 * e + 1], straight[4 * e + 2], straight[4 * e + 3], fixed.xy, fixedOffsets[f++]);
    } else if (resampleFixed(straight, 2 * e, 2, rules, moving.xy, movingOffsets[m++]) === OUT_TOO_SMALL) {
      throw new Error('warmPolylines counted fewer vertices than resampleFixed wrote'); // the same arithmetic: cannot happen
    }
  }
  return { moving, fixed, carried };
}

/**
 * The rounds' polylines of all `carried.length` edges in order, for the next warm start: a
 * carried edge's from `fixed`, any other's from `moving` (each store in edge order), written
 * into `out` from vertex `at` (it must hold them all). Returns their offsets, from 0.
 */
export function joinStartLines(
  fixed: PolylineStore, moving: PolylineStore, carried: Uint8Array, out: Int32Array, at: number,
): Uint32Array {
  const count = carried.length;
  const offsets = new Uint32Array(count + 1);
  let f = 0, m = 0;
  // Runs of carried or of moved edges lie back to back in their store: one copy a run.
  for (let e = 0; e < count;) {
    const isCarried = carried[e];
    let runEnd = e + 1;
    while (runEnd < count && carried[runEnd] === isCarried) runEnd++;
    const store = isCarried === 1 ? fixed : moving;
    const first = isCarried === 1 ? f : m, edges = runEnd - e;
    const v0 = store.offsets[first], v1 = store.offsets[first + edges];
    out.set(store.xy.subarray(2 * v0, 2 * v1), 2 * (at + offsets[e]));
    for (let k = 1; k <= edges; k++) offsets[e + k] = offsets[e] + store.offsets[first + k] - v0;
    if (isCarried === 1) f += edges; else m += edges;
    e = runEnd;
  }
  return offsets;
}

/** Points sampled along each polyline to compare two bundlings of an edge. */
const DISPLACEMENT_SAMPLES = 16;

/**
 * Mean distance between the polylines of the edges both bundlings hold (matched by key),
 * each sampled at DISPLACEMENT_SAMPLES points evenly spaced along its length, divided by
 * `side` (the canvas side, in the results' coordinates). Returns the mean and how many edges
 * were compared (0 gives a mean of 0).
 */
export function meanDisplacement(
  a: BundleResult, aKeys: Float64Array, b: BundleResult, bKeys: Float64Array, side: number,
): { mean: number; edges: number } {
  const inB = new Map<number, number>();
  for (let e = 0; e < b.edgeIndex.length; e++) inB.set(bKeys[b.edgeIndex[e]], e);
  const pa = new Float64Array(2 * DISPLACEMENT_SAMPLES), pb = new Float64Array(2 * DISPLACEMENT_SAMPLES);
  let sum = 0, edges = 0;
  for (let e = 0; e < a.edgeIndex.length; e++) {
    const f = inB.get(aKeys[a.edgeIndex[e]]);
    if (f === undefined) continue;
    sampleAlong(a.points, a.offsets[e], a.offsets[e + 1], pa);
    sampleAlong(b.points, b.offsets[f], b.offsets[f + 1], pb);
    let d = 0;
    for (let s = 0; s < DISPLACEMENT_SAMPLES; s++) d += Math.hypot(pa[2 * s] - pb[2 * s], pa[2 * s + 1] - pb[2 * s + 1]);
    sum += d / DISPLACEMENT_SAMPLES;
    edges++;
  }
  return { mean: edges > 0 ? sum / edges / side : 0, edges };
}

/** Writes out.length / 2 points evenly spaced by arc length along vertices v0 .. v1-1 of xy. */
function sampleAlong(xy: Float64Array, v0: number, v1: number, out: Float64Array): void {
  const samples = out.length / 2;
  let length = 0;
  for (let v = v0 + 1; v < v1; v++) length += Math.hypot(xy[2 * v] - xy[2 * v - 2], xy[2 * v + 1] - xy[2 * v - 1]);
  let v = v0, walked = 0;
  for (let s = 0; s < samples; s++) {
    const goal = samples > 1 ? (length * s) / (samples - 1) : 0;
    while (v + 1 < v1 - 1 && walked + Math.hypot(xy[2 * v + 2] - xy[2 * v], xy[2 * v + 3] - xy[2 * v + 1]) < goal) {
      walked += Math.hypot(xy[2 * v + 2] - xy[2 * v], xy[2 * v + 3] - xy[2 * v + 1]);
      v++;
    }
    if (v + 1 >= v1) { out[2 * s] = xy[2 * v]; out[2 * s + 1] = xy[2 * v + 1]; continue; }
    const seg = Math.hypot(xy[2 * v + 2] - xy[2 * v], xy[2 * v + 3] - xy[2 * v + 1]);
    const t = seg > 0 ? Math.min(1, Math.max(0, (goal - walked) / seg)) : 0;
    out[2 * s] = xy[2 * v] + t * (xy[2 * v + 2] - xy[2 * v]);
    out[2 * s + 1] = xy[2 * v + 1] + t * (xy[2 * v + 3] - xy[2 * v + 1]);
  }
}
