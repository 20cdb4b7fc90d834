// KDE ("hammer") edge bundling, after datashader's hammer_bundle: edges become polylines that
// repeatedly climb the gradient of their own blurred vertex density, with a shrinking blur,
// so that edges running close together merge into bundles.
//
// In grid units (node coordinates normalised per axis to [0, accuracy], fixed point: see
// polylines.ts): resample every edge; then per round splat all vertices (weighted) onto the
// grid, blur, take the unit gradient and advect + resample every edge against it; finally
// resample, smooth, and map back. hammerBundle runs it on one thread; the pieces are exported
// so that a driver can split the edges (and the grid work, by rows and columns) across
// threads: planBundle once, then per thread startPolylines, the rounds (splatEdges or, for wide
// blurs, blurCoarseRowsX in place of blurRowsX, then blurColumnsY, widenRows; unitGradient,
// flowMap, advectEdges) and finishPolylines. With edge keys, a bundling can start from the
// last one's state (warm.ts).
import { type BundleParams, resolveBundleParams } from './params.js';
import { type SegmentRules, OUT_TOO_SMALL, resamplePolyline, resampledLength, segmentRules } from './resample.js';
import { splatEdges, gaussianKernel, blurRowsX, blurCoarseRowsX, blurColumnsY, blurSigma, coarseWidth, widenRows } from './density.js';
import { unitGradient } from './gradient.js';
import { AdvectScratch, advectEdges, flowMap, resampleFixed, straightVertexCount } from './advect.js';
import { type BundleState, WARM_MIN_COLD, followEnds, joinStartLines, keyIndex, matchEdges, warmPolylines } from './warm.js';
import { smoothPolyline } from './smooth.js';
import { FIXED_ONE, type PolylineStore } from './polylines.js';

export { BUNDLE_DEFAULTS, type BundleParams } from './params.js';
export type { BundleState } from './warm.js';

export interface BundleResult {
  /** Bundled vertices of all output edges, x,y interleaved, in the input's coordinates. */
  points: Float64Array;
  /** Length edgeIndex.length + 1: output edge i's vertices are points[2*offsets[i] .. 2*offsets[i+1]). */
  offsets: Uint32Array;
  /** Input edge of each output polyline, ascending; input edges with an unknown node are absent. */
  edgeIndex: Int32Array;
  /** What the next bundling can start from (warm.ts); only when edge keys were given. */
  state?: BundleState;
  /** Whether this bundling started from a previous one. */
  warm?: boolean;
}

/**
 * Edge keys for warm starts (warm.ts): one per input edge, the same for the same edge from
 * one graph to the next, and the state the last bundling left (null: none yet).
 */
export interface WarmStart {
  keys: Float64Array;
  previous: BundleState | null;
}

/**
 * The polylines a bundling's rounds start from. Cold: every kept edge's, all moving. Warm
 * (warm.ts): fresh edges' move; carried edges' (`fixed`) do not, so the rounds splat them
 * once and never copy them.
 */
export interface StartLines {
  /** Polylines the rounds move, in edge order: every edge's, or a warm start's fresh edges'. */
  moving: PolylineStore;
  /** A warm start's carried polylines, in edge order; null: cold. */
  fixed: PolylineStore | null;
  /** Per edge, 1 where it is carried (its polyline in `fixed`); null: cold. */
  carried: Uint8Array | null;
}

/** Everything the rounds need besides the polylines; plain data, so it can be posted to a worker. */
export interface BundlePlan {
  params: BundleParams;
  /** Grid side, accuracy + 1 cells. */
  width: number;
  /** Unit square = (v - origin) / scale per axis; grid units are that times accuracy. */
  originX: number;
  scaleX: number;
  originY: number;
  scaleY: number;
  /** Kept input edges (both nodes known), ascending. */
  edgeIndex: Int32Array;
  /** Weight per kept edge, divided by the largest (so densities stay small); null: all alike. */
  weights: Float64Array | null;
  /** Blur sigma (cells) of each round (density.ts blurSigma says how it runs); rounds whose bandwidth would be under 2 cells are left out. */
  sigmas: Float64Array;
  /** Distance (cells) each round advects: advectIterations in proportion to its bandwidth (advect.ts says why). */
  advectCells: Int32Array;
}

/**
 * The grids of a one-thread bundling: density, blur intermediate, the half-resolution density
 * of wide blurs (density.ts), the step field (gradient.ts) and its flow map (advect.ts), and
 * for a warm start the carried edges' vertex counts, which every round's density starts from.
 */
interface BundleGrid {
  width: number;
  fixed: Float32Array | null;
  density: Float32Array;
  blurred: Float32Array;
  coarse: Float32Array;
  field: Int8Array;
  flow: Int8Array;
}

function createBundleGrid(width: number, warm: boolean): BundleGrid {
  const cells = width * width;
  return {
    width, fixed: warm ? new Float32Array(cells) : null, density: new Float32Array(cells), blurred: new Float32Array(cells),
    coarse: new Float32Array(coarseWidth(width) ** 2), field: new Int8Array(2 * cells), flow: new Int8Array(2 * cells),
  };
}

/**
 * Bundles the edges source[i]-target[i] between nodes at nodeXY (x,y interleaved).
 * weights (one per edge, finite, >= 0) make heavier edges pull harder; null weighs all alike.
 */
export function hammerBundle(
  nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  weights: Float64Array | null, params?: Partial<BundleParams>, warm?: WarmStart,
): BundleResult {
  const cold = planBundle(nodeXY, edgeSource, edgeTarget, weights, params);
  if (warm !== undefined) checkEdgeKeys(warm.keys, edgeSource.length);
  const match = warm === undefined ? null : matchPrevious(cold, warm);
  const plan = match === null ? cold : warmPlan(cold, match);
  const kept = plan.edgeIndex.length;
  const rules = gridRules(plan);
  const start = startPolylines(plan, nodeXY, edgeSource, edgeTarget, 0, kept,
    match === null ? null : { previous: warm!.previous!, match });
  let cur = start.moving;
  const moving = cur.offsets.length - 1;
  if (kept > 0 && plan.sigmas.length > 0) {
    const grid = createBundleGrid(plan.width, start.fixed !== null);
    const weights = splitWeights(plan.weights, start.carried);
    if (grid.fixed !== null) splatEdges(grid.fixed, plan.width, start.fixed!, 0, kept - moving, weights.fixed);
    const row = new Float64Array(blurRowLength(plan));
    const scratch = new AdvectScratch();
    let next: PolylineStore = { xy: new Int32Array(cur.xy.length), offsets: new Uint32Array(moving + 1) };
    for (let i = 0; i < plan.sigmas.length; i++) {
      densityField(grid, cur, moving, weights.moving, plan.sigmas[i], row);
      advectEdges(cur, next, 0, moving, grid, plan.advectCells[i], rules, scratch);
      const t = cur; cur = next; next = t;
    }
  }
  const { points, offsets } = finishPolylines(plan, cur, nodeXY, edgeSource, edgeTarget, 0, kept,
    match === null ? null : { previous: warm!.previous!, match, carried: start.carried! });
  const result: BundleResult = { points, offsets, edgeIndex: plan.edgeIndex, warm: match !== null };
  if (warm !== undefined) {
    const xy = new Int32Array(2 * roundVertices(start, cur));
    const lines = { xy, offsets: joinRoundLines(start, cur, xy) };
    result.state = bundleState(plan, warm.keys, lines, coldFlags(match, warm.previous), { points, offsets });
  }
  return result;
}

/** Vertices of the edges' polylines as the rounds left them: `moving` (the rounds' output) and a warm start's fixed ones. */
export function roundVertices(start: StartLines, moving: PolylineStore): number {
  return moving.offsets[moving.offsets.length - 1] + (start.fixed === null ? 0 : start.fixed.offsets[start.fixed.offsets.length - 1]);
}

/**
 * The edges' polylines as the rounds left them, all in edge order (for the next warm start):
 * `moving` (the rounds' output), with a warm start's fixed ones among them (warm.ts
 * joinStartLines), written into `out`, which holds exactly roundVertices of them. Returns
 * their offsets, from 0.
 */
export function joinRoundLines(start: StartLines, moving: PolylineStore, out: Int32Array): Uint32Array {
  if (start.fixed === null) {
    out.set(moving.xy.subarray(0, out.length));
    return moving.offsets;
  }
  return joinStartLines(start.fixed, moving, start.carried!, out, 0);
}

/**
 * Edge weights (null: all alike) split as startPolylines splits the edges: those of moving
 * edges and those of carried ones, each in edge order (`carried` null: all move).
 */
export function splitWeights(
  weights: Float64Array | null, carried: Uint8Array | null,
): { moving: Float64Array | null; fixed: Float64Array | null } {
  if (weights === null || carried === null) return { moving: weights, fixed: null };
  let fixedEdges = 0;
  for (let e = 0; e < carried.length; e++) fixedEdges += carried[e];
  const moving = new Float64Array(carried.length - fixedEdges), fixed = new Float64Array(fixedEdges);
  for (let e = 0, f = 0, m = 0; e < carried.length; e++) {
    if (carried[e] === 1) fixed[f++] = weights[e]; else moving[m++] = weights[e];
  }
  return { moving, fixed };
}

/**
 * The warm-start match of each kept edge (index of its polyline in the previous state, or -1),
 * or null when the bundling should start cold: no previous state, or fewer than WARM_MIN_COLD
 * of the kept edges carried from a cold bundling.
 */
export function matchPrevious(plan: BundlePlan, warm: WarmStart): Int32Array | null {
  const kept = plan.edgeIndex.length;
  const previous = warm.previous;
  if (previous === null || kept === 0 || plan.sigmas.length === 0) return null;
  const match = matchEdges(plan, warm.keys, keyIndex(previous.keys), 0, kept);
  let cold = 0;
  for (let e = 0; e < kept; e++) if (match[e] >= 0 && previous.cold[match[e]] === 1) cold++;
  return cold >= WARM_MIN_COLD * kept ? match : null;
}

/**
 * A plan's warm rounds (warm.ts): its widest blur and its narrowest; none when every edge is
 * carried (`match`, matchPrevious's), as only fresh edges move in them.
 */
export function warmPlan(plan: BundlePlan, match: Int32Array): BundlePlan {
  if (match.every((from) => from >= 0)) return { ...plan, sigmas: new Float64Array(0), advectCells: new Int32Array(0) };
  const last = plan.sigmas.length - 1;
  return last <= 0 ? plan : {
    ...plan, sigmas: Float64Array.of(plan.sigmas[0], plan.sigmas[last]), advectCells: Int32Array.of(plan.advectCells[0], plan.advectCells[last]),
  };
}

/** Per kept edge, whether its polyline dates from a cold bundling: all for a cold one, carried ones' flags for a warm one. */
export function coldFlags(match: Int32Array | null, previous: BundleState | null): Uint8Array | null {
  if (match === null || previous === null) return null;
  const cold = new Uint8Array(match.length);
  for (let e = 0; e < match.length; e++) cold[e] = match[e] >= 0 ? previous.cold[match[e]] : 0;
  return cold;
}

/**
 * The state a bundling leaves: its frame, kept edges' keys, the rounds' polylines (all kept
 * edges, in order; exactly sized), which date from a cold bundling (coldFlags; null: this one
 * was cold), and its output, by reference (results are read, never written; for threads to
 * read the state without copies, lines and output points should lie in SharedArrayBuffers).
 */
export function bundleState(
  plan: BundlePlan, keys: Float64Array, lines: PolylineStore, cold: Uint8Array | null,
  output: { points: Float64Array; offsets: Uint32Array },
): BundleState {
  const kept = plan.edgeIndex.length;
  const edgeKeys = new Float64Array(kept);
  for (let e = 0; e < kept; e++) edgeKeys[e] = keys[plan.edgeIndex[e]];
  const { originX, scaleX, originY, scaleY } = plan;
  return {
    frame: { originX, scaleX, originY, scaleY, accuracy: plan.params.accuracy }, keys: edgeKeys, lines,
    cold: cold ?? new Uint8Array(kept).fill(1), points: output.points, pointOffsets: output.offsets,
  };
}

/**
 * The polylines of `parts` (consecutive ranges of edges, each from vertex 0) as one store,
 * exactly sized, its vertices in memory from `share` (a SharedArrayBuffer lets threads read
 * them without copies).
 */
export function joinPolylines(
  parts: PolylineStore[], share: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): PolylineStore {
  const offsets = joinOffsets(parts.map((part) => part.offsets));
  const xy = new Int32Array(share(8 * offsets[offsets.length - 1]));
  let at = 0;
  for (const part of parts) {
    const used = part.offsets[part.offsets.length - 1];
    xy.set(part.xy.subarray(0, 2 * used), 2 * at);
    at += used;
  }
  return { xy, offsets };
}

/** Offsets of consecutive ranges of edges (each from vertex 0) as the offsets of them all. */
export function joinOffsets(parts: Uint32Array[]): Uint32Array {
  let edges = 0;
  for (const part of parts) edges += part.length - 1;
  const offsets = new Uint32Array(edges + 1);
  let at = 0, edge = 0;
  for (const part of parts) {
    const n = part.length - 1;
    for (let e = 1; e <= n; e++) offsets[edge + e] = at + part[e];
    at += part[n];
    edge += n;
  }
  return offsets;
}

/** Edge keys must be one Float64Array entry per input edge (uniqueness is checked where they are indexed). */
export function checkEdgeKeys(keys: Float64Array, edges: number): void {
  if (!(keys instanceof Float64Array)) throw new TypeError('edge keys must be a Float64Array');
  if (keys.length !== edges) throw new RangeError(`edge keys length ${keys.length} differs from edge count ${edges}`);
}

/**
 * Splat, blur, maximum, gradient and flow map of the density of the `edges` polylines of
 * `lines` and, for a warm start, the carried ones counted in grid.fixed (one thread: all rows
 * and columns).
 */
function densityField(
  grid: BundleGrid, lines: PolylineStore, edges: number, weights: Float64Array | null, sigma: number, row: Float64Array,
): void {
  const { width, density, blurred, coarse, field, flow } = grid;
  const blur = blurSigma(sigma);
  const kernel = gaussianKernel(blur.sigma);
  let max: number;
  if (grid.fixed === null) density.fill(0); else density.set(grid.fixed);
  splatEdges(density, width, lines, 0, edges, weights);
  if (blur.coarse) {
    const cw = coarseWidth(width);
    blurCoarseRowsX([density], blurred, width, 0, cw, kernel, row);
    blurColumnsY(blurred, coarse, cw, cw, 0, cw, kernel);
    max = widenRows(coarse, density, width, 0, width, row);
  } else {
    blurRowsX([density], blurred, width, 0, width, kernel);
    max = blurColumnsY(blurred, density, width, width, 0, width, kernel);
  }
  unitGradient(density, width, width, max, field, 0, width);
  flowMap(field, width, flow, 0, width);
}

/** Length of blurCoarseRowsX's and widenRows' scratch row. */
export function blurRowLength(plan: BundlePlan): number {
  return plan.width;
}

/** Validates the input and works out the frame, the kept edges, their weights and the rounds. */
export function planBundle(
  nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  weights: Float64Array | null, params?: Partial<BundleParams>,
): BundlePlan {
  const p = resolveBundleParams(params);
  validateGraph(nodeXY, edgeSource, edgeTarget, weights);
  if (edgeSource.length > p.maxEdges) {
    throw new RangeError(`${edgeSource.length} edges exceed maxEdges (${p.maxEdges}): bundling them would take minutes and gigabytes; draw them straight or keep the heaviest`);
  }
  const nodeCount = nodeXY.length / 2;
  const [originX, scaleX] = axisFrame(nodeXY, 0);
  const [originY, scaleY] = axisFrame(nodeXY, 1);

  let kept = 0;
  const all = new Int32Array(edgeSource.length);
  for (let i = 0; i < edgeSource.length; i++) {
    const s = edgeSource[i], t = edgeTarget[i];
    if (s >= 0 && s < nodeCount && t >= 0 && t < nodeCount) all[kept++] = i;
  }
  const edgeIndex = all.slice(0, kept);
  let keptWeights: Float64Array | null = null;
  if (weights !== null) {
    keptWeights = new Float64Array(kept);
    let max = 0;
    for (let e = 0; e < kept; e++) {
      keptWeights[e] = weights[edgeIndex[e]];
      if (keptWeights[e] > max) max = keptWeights[e];
    }
    // Only the weights' ratios matter (the gradient divides by the density maximum); dividing,
    // not multiplying by 1/max, which overflows for a subnormal max.
    if (max > 0) for (let e = 0; e < kept; e++) keptWeights[e] /= max;
  }

  // Round i blurs with bandwidth initialBandwidth * decay^(i+1) * accuracy cells, sigma half
  // that; a bandwidth under 2 cells would change nothing, so the rounds stop there. It
  // advects advectIterations cells times its bandwidth over the first round's, decay^i.
  const sigmas: number[] = [];
  const advectCells: number[] = [];
  for (let i = 0; i < p.iterations; i++) {
    const bandwidth = p.initialBandwidth * Math.pow(p.decay, i + 1) * p.accuracy;
    if (!(bandwidth >= 2)) break;
    sigmas.push(bandwidth / 2);
    advectCells.push(Math.round(p.advectIterations * Math.pow(p.decay, i)));
  }
  return {
    params: p, width: p.accuracy + 1, originX, scaleX, originY, scaleY,
    edgeIndex, weights: keptWeights, sigmas: Float64Array.from(sigmas), advectCells: Int32Array.from(advectCells),
  };
}

/** The segment length rules in grid units. */
export function gridRules(plan: BundlePlan): SegmentRules {
  const a = plan.params.accuracy;
  return segmentRules(plan.params.minSegmentLength * a, plan.params.maxSegmentLength * a);
}

/**
 * The starting polylines of kept edges first .. end-1 of the plan, in fixed-point grid units
 * (polyline 0 of a store is the first of its edges from `first` on): resampled straight
 * edges, or for a warm start (`warm`: the previous state and the match of each of these
 * edges, matchPrevious) carried-over polylines where there are (StartLines).
 */
export function startPolylines(
  plan: BundlePlan, nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  first: number, end: number, warm: { previous: BundleState; match: Int32Array } | null = null,
): StartLines {
  const count = end - first;
  const rules = gridRules(plan);
  const straight = straightEdges(plan, nodeXY, edgeSource, edgeTarget, first, end);
  if (warm !== null) return warmPolylines(plan, warm.previous, warm.match, straight, rules);
  const offsets = new Uint32Array(count + 1);
  for (let e = 0; e < count; e++) {
    offsets[e + 1] = offsets[e] + straightVertexCount(straight, e, rules);
  }
  const xy = new Int32Array(2 * offsets[count]);
  for (let e = 0; e < count; e++) {
    if (resampleFixed(straight, 2 * e, 2, rules, xy, offsets[e]) === OUT_TOO_SMALL) {
      throw new Error('straightVertexCount disagrees with resampleFixed'); // the same arithmetic: cannot happen
    }
  }
  return { moving: { xy, offsets }, fixed: null, carried: null };
}

/** Endpoints of kept edges first .. end-1 in fixed-point grid units: x0,y0,x1,y1 per edge. */
function straightEdges(
  plan: BundlePlan, nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  first: number, end: number,
): Int32Array {
  const limit = plan.params.accuracy * FIXED_ONE;
  const kx = limit / plan.scaleX, ky = limit / plan.scaleY;
  const fixed = (v: number): number => {
    const r = Math.round(v);
    return r < 0 ? 0 : r > limit ? limit : r; // against rounding in the frame mapping
  };
  const out = new Int32Array(4 * (end - first));
  for (let e = 0; e < end - first; e++) {
    const i = plan.edgeIndex[first + e];
    const s = edgeSource[i], t = edgeTarget[i];
    out[4 * e] = fixed((nodeXY[2 * s] - plan.originX) * kx);
    out[4 * e + 1] = fixed((nodeXY[2 * s + 1] - plan.originY) * ky);
    out[4 * e + 2] = fixed((nodeXY[2 * t] - plan.originX) * kx);
    out[4 * e + 3] = fixed((nodeXY[2 * t + 1] - plan.originY) * ky);
  }
  return out;
}

/**
 * Per kept edge, the vertices it starts the rounds with (startPolylines): its resampled
 * straight line, or for a warm start (`match`, matchPrevious's) its carried polyline where
 * carried.
 */
export function edgeStartVertices(
  plan: BundlePlan, nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  warm: { previous: BundleState; match: Int32Array } | null = null,
): Uint32Array {
  const kept = plan.edgeIndex.length;
  const rules = gridRules(plan);
  const straight = straightEdges(plan, nodeXY, edgeSource, edgeTarget, 0, kept);
  const vertices = new Uint32Array(kept);
  for (let e = 0; e < kept; e++) {
    const from = warm === null ? -1 : warm.match[e];
    vertices[e] = from >= 0
      ? warm!.previous.lines.offsets[from + 1] - warm!.previous.lines.offsets[from]
      : straightVertexCount(straight, e, rules);
  }
  return vertices;
}

/** Work of a carried edge's vertex (warm starts: copied, not advected) against a fresh edge's. */
const CARRIED_WORK = 0.1;

/**
 * Splits the kept edges into contiguous ranges, range p (bounds[p] .. bounds[p+1]) getting
 * shares[p] of the work (null: equal shares). An edge's work is the vertices it starts with
 * (`startVertices`, edgeStartVertices'), which the rounds' work follows, or CARRIED_WORK of
 * them for an edge a warm start carries (`match`, matchPrevious's; null: cold).
 */
export function splitEdges(
  startVertices: Uint32Array, parts: number, shares: Float64Array | null = null, match: Int32Array | null = null,
): Uint32Array {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a positive integer, got ${parts}`);
  if (shares !== null && shares.length !== parts) throw new RangeError(`shares must hold ${parts} numbers, got ${shares.length}`);
  const kept = startVertices.length;
  const cumulative = new Float64Array(kept + 1);
  for (let e = 0; e < kept; e++) {
    const work = match !== null && match[e] >= 0 ? CARRIED_WORK * startVertices[e] : startVertices[e];
    cumulative[e + 1] = cumulative[e] + work;
  }
  let shareTotal = 0;
  for (let p = 0; p < parts; p++) shareTotal += shares === null ? 1 : shares[p];
  const bounds = new Uint32Array(parts + 1);
  let e = 0, taken = 0;
  for (let p = 1; p < parts; p++) {
    taken += shares === null ? 1 : shares[p - 1];
    const goal = (cumulative[kept] * taken) / shareTotal;
    while (e < kept && cumulative[e] < goal) e++;
    bounds[p] = e;
  }
  bounds[parts] = kept;
  return bounds;
}

/**
 * The last stage for kept edges first .. end-1 (their polylines as the rounds left them in
 * `moving`, fixed-point grid units, polyline 0 = kept edge `first`): resample, smooth, and
 * map back to the input's coordinates. Endpoints are put back exactly (fixed point rounds
 * them to 1/65536 of a cell). Edges a warm start carried over (`reuse`: the previous state,
 * and per edge its match and carried flag) did not move in the rounds and are not in
 * `moving`: their previous output is reused, its ends following their nodes (warm.ts
 * followEnds). Returns the vertices and offsets from 0; the vertices are written where
 * `place` says once their count is known (default: a new array), into an array of exactly
 * 2 * count numbers.
 */
export function finishPolylines(
  plan: BundlePlan, moving: PolylineStore, nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  first: number, end: number, reuse: { previous: BundleState; match: Int32Array; carried: Uint8Array } | null = null,
  place: (vertices: number) => Float64Array = (vertices) => new Float64Array(2 * vertices),
): { points: Float64Array; offsets: Uint32Array } {
  const count = end - first;
  const a = plan.params.accuracy;
  const kx = a / plan.scaleX, ky = a / plan.scaleY;
  const rules = gridRules(plan);
  // In float grid units from here on (smoothing needs the precision); edge by edge.
  let longest = 0;
  for (let k = 0; k < moving.offsets.length - 1; k++) longest = Math.max(longest, moving.offsets[k + 1] - moving.offsets[k]);
  const grid = new Float64Array(2 * longest);
  const offsets = new Uint32Array(count + 1);
  for (let e = 0, k = 0; e < count; e++) {
    if (reuse !== null && reuse.carried[e] === 1) {
      offsets[e + 1] = offsets[e] + reuse.previous.pointOffsets[reuse.match[e] + 1] - reuse.previous.pointOffsets[reuse.match[e]];
      continue;
    }
    const n = moving.offsets[k + 1] - moving.offsets[k];
    offsets[e + 1] = offsets[e] + resampledLength(edgeGrid(plan, moving, k++, first + e, nodeXY, edgeSource, edgeTarget, grid), 0, n, rules);
  }
  const xy = place(offsets[count]);
  for (let e = 0, k = 0; e < count; e++) {
    const i = plan.edgeIndex[first + e];
    const s = edgeSource[i], t = edgeTarget[i];
    if (reuse !== null && reuse.carried[e] === 1) {
      followEnds(reuse.previous, reuse.match[e], nodeXY[2 * s], nodeXY[2 * s + 1], nodeXY[2 * t], nodeXY[2 * t + 1], xy, offsets[e]);
      continue;
    }
    const n = moving.offsets[k + 1] - moving.offsets[k];
    resamplePolyline(edgeGrid(plan, moving, k++, first + e, nodeXY, edgeSource, edgeTarget, grid), 0, n, rules, xy, offsets[e]);
    const v0 = offsets[e], m = offsets[e + 1] - v0;
    smoothPolyline(xy, v0, m, plan.params.tension);
    for (let v = v0; v < v0 + m; v++) {
      xy[2 * v] = plan.originX + xy[2 * v] / kx;
      xy[2 * v + 1] = plan.originY + xy[2 * v + 1] / ky;
    }
    // Mapping back rounds: the ends are the nodes, exactly.
    xy[2 * v0] = nodeXY[2 * s]; xy[2 * v0 + 1] = nodeXY[2 * s + 1];
    xy[2 * (v0 + m - 1)] = nodeXY[2 * t]; xy[2 * (v0 + m - 1) + 1] = nodeXY[2 * t + 1];
  }
  return { points: xy, offsets };
}

/**
 * Polyline `line` of `lines` (kept edge `edge`) in float grid units, written to the start of
 * `grid`, with its ends exactly at its nodes; returns `grid`.
 */
function edgeGrid(
  plan: BundlePlan, lines: PolylineStore, line: number, edge: number, nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  grid: Float64Array,
): Float64Array {
  const v0 = lines.offsets[line], n = lines.offsets[line + 1] - v0;
  for (let k = 0; k < 2 * n; k++) grid[k] = lines.xy[2 * v0 + k] / FIXED_ONE;
  const a = plan.params.accuracy;
  const kx = a / plan.scaleX, ky = a / plan.scaleY;
  const i = plan.edgeIndex[edge];
  const s = edgeSource[i], t = edgeTarget[i];
  grid[0] = (nodeXY[2 * s] - plan.originX) * kx;
  grid[1] = (nodeXY[2 * s + 1] - plan.originY) * ky;
  grid[2 * n - 2] = (nodeXY[2 * t] - plan.originX) * kx;
  grid[2 * n - 1] = (nodeXY[2 * t + 1] - plan.originY) * ky;
  return grid;
}

function validateGraph(
  nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array, weights: Float64Array | null,
): void {
  if (!(nodeXY instanceof Float64Array)) throw new TypeError('nodeXY must be a Float64Array');
  if (!(edgeSource instanceof Int32Array)) throw new TypeError('edgeSource must be an Int32Array');
  if (!(edgeTarget instanceof Int32Array)) throw new TypeError('edgeTarget must be an Int32Array');
  if (weights !== null && !(weights instanceof Float64Array)) throw new TypeError('weights must be a Float64Array or null');
  if (nodeXY.length % 2 !== 0) throw new RangeError(`nodeXY must hold x,y pairs, got length ${nodeXY.length}`);
  for (let i = 0; i < nodeXY.length; i++) {
    if (!Number.isFinite(nodeXY[i])) throw new RangeError(`nodeXY must be finite, got ${nodeXY[i]} at index ${i}`);
  }
  if (edgeTarget.length !== edgeSource.length) {
    throw new RangeError(`edgeTarget length ${edgeTarget.length} differs from edgeSource length ${edgeSource.length}`);
  }
  if (weights !== null) {
    if (weights.length !== edgeSource.length) {
      throw new RangeError(`weights length ${weights.length} differs from edge count ${edgeSource.length}`);
    }
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || weights[i] === Infinity) {
        throw new RangeError(`weights must be finite and >= 0, got ${weights[i]} at index ${i}`);
      }
    }
  }
}

/**
 * [origin, scale] of axis `axis` (0 = x, 1 = y) of interleaved xy. A zero span borrows the
 * other axis's span (or 1) as its scale and centres the nodes at 0.5, so bundling can still
 * bend edges sideways.
 */
function axisFrame(xy: Float64Array, axis: number): [number, number] {
  const [min, max] = axisRange(xy, axis);
  const span = max - min;
  if (span === Infinity) throw new RangeError('nodeXY coordinates must span a finite range');
  if (span > 0) return [min, span];
  const [omin, omax] = axisRange(xy, 1 - axis);
  const scale = omax - omin > 0 && omax - omin < Infinity ? omax - omin : 1;
  return [min - 0.5 * scale, scale];
}

function axisRange(xy: Float64Array, axis: number): [number, number] {
  let min = Infinity, max = -Infinity;
  for (let i = axis; i < xy.length; i += 2) {
    if (xy[i] < min) min = xy[i];
    if (xy[i] > max) max = xy[i];
  }
  return min <= max ? [min, max] : [0, 0];
}
