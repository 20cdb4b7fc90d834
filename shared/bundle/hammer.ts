// KDE ("hammer") edge bundling, after datashader's hammer_bundle: edges become polylines that
// repeatedly climb the gradient of their own blurred vertex density, with a shrinking blur,
// so that edges running close together merge into bundles.
//
// In the unit square (node coordinates normalised per axis): resample every edge; then per
// iteration splat all vertices (weighted) onto the grid, blur, take the unit gradient and
// advect + resample every edge against it; finally resample, smooth, and map back.
import { type BundleParams, resolveBundleParams } from './params.js';
import { type SegmentRules, segmentRules } from './resample.js';
import { splatPolylines, gaussianKernel, blurSeparable } from './density.js';
import { unitGradient } from './gradient.js';
import { PolylineScratch, advectPolyline } from './advect.js';
import { smoothPolyline } from './smooth.js';

export { BUNDLE_DEFAULTS, type BundleParams } from './params.js';

export interface BundleResult {
  /** Bundled vertices of all output edges, x,y interleaved, in the input's coordinates. */
  points: Float64Array;
  /** Length edgeIndex.length + 1: output edge i's vertices are points[2*offsets[i] .. 2*offsets[i+1]). */
  offsets: Uint32Array;
  /** Input edge of each output polyline, ascending; input edges with an unknown node are absent. */
  edgeIndex: Int32Array;
}

/** Polylines stored back to back: polyline e spans vertices offsets[e] .. offsets[e+1]. */
interface Polylines {
  xy: Float64Array;
  offsets: Uint32Array;
}

/** Affine map of one axis onto [0, 1]: unit = (v - origin) / scale. */
interface AxisFrame { origin: number; scale: number }

/**
 * Bundles the edges source[i]-target[i] between nodes at nodeXY (x,y interleaved).
 * weights (one per edge, finite, >= 0) make heavier edges pull harder; null weighs all alike.
 */
export function hammerBundle(
  nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
  weights: Float64Array | null, params?: Partial<BundleParams>,
): BundleResult {
  const p = resolveBundleParams(params);
  validateGraph(nodeXY, edgeSource, edgeTarget, weights);
  const nodeCount = nodeXY.length / 2;
  const fx = axisFrame(nodeXY, 0);
  const fy = axisFrame(nodeXY, 1);

  // Keep edges whose two nodes exist, in input order.
  let kept = 0;
  const edgeIndex = new Int32Array(edgeSource.length);
  for (let i = 0; i < edgeSource.length; i++) {
    const s = edgeSource[i], t = edgeTarget[i];
    if (s >= 0 && s < nodeCount && t >= 0 && t < nodeCount) edgeIndex[kept++] = i;
  }
  const keptIndex = edgeIndex.slice(0, kept);
  let keptWeights: Float64Array | null = null;
  if (weights !== null) {
    keptWeights = new Float64Array(kept);
    for (let e = 0; e < kept; e++) keptWeights[e] = weights[keptIndex[e]];
  }

  const straight: Polylines = { xy: new Float64Array(4 * kept), offsets: new Uint32Array(kept + 1) };
  for (let e = 0; e < kept; e++) {
    const s = edgeSource[keptIndex[e]], t = edgeTarget[keptIndex[e]];
    straight.xy[4 * e] = (nodeXY[2 * s] - fx.origin) / fx.scale;
    straight.xy[4 * e + 1] = (nodeXY[2 * s + 1] - fy.origin) / fy.scale;
    straight.xy[4 * e + 2] = (nodeXY[2 * t] - fx.origin) / fx.scale;
    straight.xy[4 * e + 3] = (nodeXY[2 * t + 1] - fy.origin) / fy.scale;
    straight.offsets[e + 1] = 2 * (e + 1);
  }

  // Two stores the polylines move between; both grow as edges gain vertices.
  const rules = segmentRules(p.minSegmentLength, p.maxSegmentLength);
  const scratch = new PolylineScratch();
  const a: Polylines = { xy: new Float64Array(0), offsets: new Uint32Array(kept + 1) };
  const b: Polylines = { xy: new Float64Array(0), offsets: new Uint32Array(kept + 1) };
  resampleAll(straight, kept, rules, scratch, a);
  const bundled = advectIterations(a, b, kept, keptWeights, p, rules, scratch);
  const final = bundled === a ? b : a;
  resampleAll(bundled, kept, rules, scratch, final);

  const { offsets } = final;
  const vertices = offsets[kept];
  const xy = final.xy.length === 2 * vertices ? final.xy : final.xy.slice(0, 2 * vertices);
  for (let e = 0; e < kept; e++) smoothPolyline(xy, offsets[e], offsets[e + 1] - offsets[e], p.tension);
  for (let v = 0; v < vertices; v++) {
    xy[2 * v] = fx.origin + xy[2 * v] * fx.scale;
    xy[2 * v + 1] = fy.origin + xy[2 * v + 1] * fy.scale;
  }
  return { points: xy, offsets, edgeIndex: keptIndex };
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
 * Frame of axis `axis` (0 = x, 1 = y) of interleaved xy. A zero span borrows the other axis's
 * span (or 1) as its scale and centres the nodes at 0.5, so bundling can still bend edges sideways.
 */
function axisFrame(xy: Float64Array, axis: number): AxisFrame {
  const [min, max] = axisRange(xy, axis);
  const span = max - min;
  if (span === Infinity) throw new RangeError('nodeXY coordinates must span a finite range');
  if (span > 0) return { origin: min, scale: span };
  const [omin, omax] = axisRange(xy, 1 - axis);
  const scale = omax - omin > 0 && omax - omin < Infinity ? omax - omin : 1;
  return { origin: min - 0.5 * scale, scale };
}

function axisRange(xy: Float64Array, axis: number): [number, number] {
  let min = Infinity, max = -Infinity;
  for (let i = axis; i < xy.length; i += 2) {
    if (xy[i] < min) min = xy[i];
    if (xy[i] > max) max = xy[i];
  }
  return min <= max ? [min, max] : [0, 0];
}

/** Appends `count` vertices of `src` (from vertex 0) as polyline e of `store`, growing it if needed. */
function appendPolyline(store: Polylines, e: number, src: Float64Array, count: number): void {
  const at = store.offsets[e];
  if (2 * (at + count) > store.xy.length) {
    const grown = new Float64Array(Math.max(2 * (at + count), 2 * store.xy.length));
    grown.set(store.xy.subarray(0, 2 * at));
    store.xy = grown;
  }
  store.xy.set(src.subarray(0, 2 * count), 2 * at);
  store.offsets[e + 1] = at + count;
}

/** Resamples every polyline of `lines` into `out`. */
function resampleAll(lines: Polylines, count: number, rules: SegmentRules, scratch: PolylineScratch, out: Polylines): void {
  for (let e = 0; e < count; e++) {
    const start = lines.offsets[e], n = lines.offsets[e + 1] - start;
    scratch.load(lines.xy, start, n);
    const m = scratch.resample(n, rules); // swaps the scratch buffers: read front after it
    appendPolyline(out, e, scratch.front, m);
  }
}

/**
 * The bundling rounds: density, gradient, advection, with the bandwidth decaying each round
 * (a round whose bandwidth is under 2 cells would change nothing, so the rounds stop there).
 * Polylines move from `cur` to `next` and back; returns the store holding the result.
 */
function advectIterations(
  cur: Polylines, next: Polylines, count: number, weights: Float64Array | null,
  p: BundleParams, rules: SegmentRules, scratch: PolylineScratch,
): Polylines {
  const bandwidth = (i: number): number => p.initialBandwidth * Math.pow(p.decay, i + 1) * p.accuracy;
  let rounds = 0;
  while (rounds < p.iterations && bandwidth(rounds) >= 2) rounds++;
  if (count === 0 || rounds === 0) return cur;

  const width = p.accuracy + 1;
  const density = new Float64Array(width * width);
  const blurScratch = new Float64Array(width * width);
  const steps = new Float64Array(2 * width * width);
  for (let i = 0; i < rounds; i++) {
    density.fill(0);
    splatPolylines(density, p.accuracy, cur.xy, cur.offsets, count, weights);
    blurSeparable(density, width, width, gaussianKernel(bandwidth(i) / 2), blurScratch);
    unitGradient(density, width, width, steps, 1 / p.accuracy);

    for (let e = 0; e < count; e++) {
      const start = cur.offsets[e], n = cur.offsets[e + 1] - start;
      scratch.load(cur.xy, start, n);
      const m = advectPolyline(scratch, n, p.advectIterations, steps, p.accuracy, rules);
      appendPolyline(next, e, scratch.front, m);
    }
    const t = cur; cur = next; next = t;
  }
  return cur;
}
