import { describe, expect, it } from 'vitest';
import {
  type BundleResult, type BundleState, edgeStartVertices, finishPolylines, hammerBundle, planBundle, splitEdges, startPolylines,
} from '../../../shared/bundle/hammer.js';
import { circularLayout } from '../../../shared/layout/circular.js';

function expectWellFormed(r: BundleResult): void {
  expect(r.offsets.length).toBe(r.edgeIndex.length + 1);
  expect(r.offsets[0]).toBe(0);
  expect(r.points.length).toBe(2 * r.offsets[r.edgeIndex.length]);
  for (let e = 0; e < r.edgeIndex.length; e++) expect(r.offsets[e + 1] - r.offsets[e]).toBeGreaterThanOrEqual(2);
  for (const v of r.points) expect(Number.isFinite(v)).toBe(true);
}

function vertex(r: BundleResult, v: number): [number, number] {
  return [r.points[2 * v], r.points[2 * v + 1]];
}

/** Checks that each output edge starts at its source node and ends at its target node. */
function expectEndpoints(r: BundleResult, xy: Float64Array, src: Int32Array, dst: Int32Array): void {
  for (let e = 0; e < r.edgeIndex.length; e++) {
    const i = r.edgeIndex[e];
    const [x0, y0] = vertex(r, r.offsets[e]);
    const [x1, y1] = vertex(r, r.offsets[e + 1] - 1);
    expect(x0).toBeCloseTo(xy[2 * src[i]], 12);
    expect(y0).toBeCloseTo(xy[2 * src[i] + 1], 12);
    expect(x1).toBeCloseTo(xy[2 * dst[i]], 12);
    expect(y1).toBeCloseTo(xy[2 * dst[i] + 1], 12);
  }
}

describe('hammerBundle: degenerate inputs', () => {
  it('returns an empty result for no edges', () => {
    const r = hammerBundle(circularLayout(5), new Int32Array(0), new Int32Array(0), null);
    expect(r.points.length).toBe(0);
    expect(Array.from(r.offsets)).toEqual([0]);
    expect(r.edgeIndex.length).toBe(0);
  });

  it('returns an empty result for no nodes (every edge is unknown)', () => {
    const r = hammerBundle(new Float64Array(0), Int32Array.from([0]), Int32Array.from([1]), null);
    expectWellFormed(r);
    expect(r.edgeIndex.length).toBe(0);
  });

  it('drops edges with an unknown node and says which input edges remain', () => {
    const xy = circularLayout(4);
    const src = Int32Array.from([0, 5, 1, -1, 2]);
    const dst = Int32Array.from([2, 1, 3, 0, 4]);
    const r = hammerBundle(xy, src, dst, Float64Array.from([1, 1, 1, 1, 1]));
    expectWellFormed(r);
    expect(Array.from(r.edgeIndex)).toEqual([0, 2]);
    expectEndpoints(r, xy, src, dst);
  });

  it('keeps a single node with a self-loop as two vertices at the node', () => {
    const xy = Float64Array.from([3, -2]);
    const r = hammerBundle(xy, Int32Array.from([0]), Int32Array.from([0]), null);
    expectWellFormed(r);
    expect(Array.from(r.points)).toEqual([3, -2, 3, -2]);
  });

  it('keeps self-loops as points among bundled edges', () => {
    const xy = circularLayout(6);
    const src = Int32Array.from([0, 1, 2, 3]), dst = Int32Array.from([3, 1, 5, 0]);
    const r = hammerBundle(xy, src, dst, null);
    expectWellFormed(r);
    expect(r.offsets[2] - r.offsets[1]).toBe(2);
    expect(vertex(r, r.offsets[1])).toEqual(vertex(r, r.offsets[1] + 1));
    expectEndpoints(r, xy, src, dst);
  });

  it('collapses everything onto the point when all nodes coincide', () => {
    const xy = Float64Array.from([0.7, 0.2, 0.7, 0.2, 0.7, 0.2]);
    const r = hammerBundle(xy, Int32Array.from([0, 1]), Int32Array.from([1, 2]), Float64Array.from([1, 2]));
    expectWellFormed(r);
    for (let v = 0; v < r.points.length / 2; v++) expect(vertex(r, v)).toEqual([0.7, 0.2]);
  });

  it('bundles nodes on a line (zero y span) without NaN, ends fixed', () => {
    const xy = Float64Array.from([0, 5, 0.2, 5, 0.8, 5, 1, 5]);
    const src = Int32Array.from([0, 1, 0]), dst = Int32Array.from([2, 3, 3]);
    const r = hammerBundle(xy, src, dst, null);
    expectWellFormed(r);
    expectEndpoints(r, xy, src, dst);
  });

  it('leaves edges straight (only resampled and smoothed) when every weight is zero', () => {
    const xy = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    const src = Int32Array.from([0, 2]), dst = Int32Array.from([1, 3]);
    const r = hammerBundle(xy, src, dst, new Float64Array(2));
    expectWellFormed(r);
    for (let e = 0; e < 2; e++) {
      // ceil(1 / 0.012) = 84 pieces, evenly spaced; smoothing a straight, even polyline is a no-op.
      expect(r.offsets[e + 1] - r.offsets[e]).toBe(85);
      for (let k = 0; k <= 84; k++) {
        const [x, y] = vertex(r, r.offsets[e] + k);
        expect(x).toBeCloseTo(k / 84, 7); // interior vertices: fixed point, 1/65536 cell = 3e-8
        expect(y).toBe(e === 0 ? 0 : 1);
      }
    }
  });
});

describe('hammerBundle: too many edges', () => {
  it('refuses a million edges up front, saying why and what to do', () => {
    const n = 1_000_000;
    const src = new Int32Array(n), dst = new Int32Array(n).fill(1);
    const t0 = performance.now();
    expect(() => hammerBundle(circularLayout(2), src, dst, null)).toThrow(/1000000 edges exceed maxEdges \(250000\).*draw them straight/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => hammerBundle(circularLayout(2), Int32Array.of(0, 0), Int32Array.of(1, 1), null, { maxEdges: 1 })).toThrow(/2 edges exceed maxEdges \(1\)/);
    expect(() => hammerBundle(circularLayout(2), src.subarray(0, 1), dst.subarray(0, 1), null, { maxEdges: 0 })).toThrow(/maxEdges must be >= 1/);
  });
});

describe('hammerBundle: extreme weights', () => {
  const xy = circularLayout(12);
  const src = Int32Array.from([0, 1, 2, 3, 4, 5]), dst = Int32Array.from([6, 7, 8, 9, 10, 11]);

  it('stays finite when the weighted density overflows to Infinity', () => {
    const r = hammerBundle(xy, src, dst, new Float64Array(6).fill(1e307));
    expectWellFormed(r);
    expectEndpoints(r, xy, src, dst);
  });

  it('stays finite with subnormal weights (the density maximum is tiny)', () => {
    const r = hammerBundle(xy, src, dst, new Float64Array(6).fill(5e-324));
    expectWellFormed(r);
    expectEndpoints(r, xy, src, dst);
  });

  it('rejects node coordinates whose span overflows', () => {
    expect(() => hammerBundle(Float64Array.from([-1e308, 0, 1e308, 1]), src, dst, null)).toThrow(/nodeXY/);
  });
});

describe('hammerBundle: behaviour', () => {
  it('with no iterations gives the resampled straight edges, mapped back to node coordinates', () => {
    // Node x span 10, y span 4: the edge (0,0)-(10,4) is (0,0)-(1,1) in the unit square,
    // length sqrt(2) -> ceil(1.41421 / 0.012) = 118 pieces.
    const xy = Float64Array.from([0, 0, 10, 4]);
    const r = hammerBundle(xy, Int32Array.from([0]), Int32Array.from([1]), null, { iterations: 0 });
    expect(r.offsets[1]).toBe(119);
    // Endpoints exactly; interior vertices to the rounds' fixed-point resolution (1/65536 of
    // a cell: 3e-8 of the span).
    expect([r.points[0], r.points[1], r.points[236], r.points[237]]).toEqual([0, 0, 10, 4]);
    for (let k = 0; k <= 118; k++) {
      expect(r.points[2 * k]).toBeCloseTo((10 * k) / 118, 6);
      expect(r.points[2 * k + 1]).toBeCloseTo((4 * k) / 118, 6);
    }
  });

  it('pulls two nearby parallel edges together', () => {
    // Corner nodes fix the unit square; edges 4-5 and 6-7 run 0.02 apart: 10 cells, close
    // enough (< 2 sigma of the first blur) for their summed density to have a single ridge.
    const xy = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1, 0, 0.49, 1, 0.49, 0, 0.51, 1, 0.51]);
    const src = Int32Array.from([4, 6]), dst = Int32Array.from([5, 7]);
    const r = hammerBundle(xy, src, dst, null);
    expectWellFormed(r);
    expectEndpoints(r, xy, src, dst);
    const midY = (e: number): number => vertex(r, (r.offsets[e] + r.offsets[e + 1]) >> 1)[1];
    expect(Math.abs(midY(1) - midY(0))).toBeLessThan(0.004);
    expect(midY(0)).toBeCloseTo(0.5, 1);
  });

  it('lets the heavier edge pull the lighter one to it', () => {
    // 0.04 apart: equal weights would leave two ridges; weight 100 to 1 leaves one.
    const xy = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1, 0, 0.48, 1, 0.48, 0, 0.52, 1, 0.52]);
    const src = Int32Array.from([4, 6]), dst = Int32Array.from([5, 7]);
    const r = hammerBundle(xy, src, dst, Float64Array.from([100, 1]));
    const midY = (e: number): number => vertex(r, (r.offsets[e] + r.offsets[e + 1]) >> 1)[1];
    expect(Math.abs(midY(0) - 0.48)).toBeLessThan(Math.abs(midY(1) - 0.52));
  });

  it('is deterministic and keeps every vertex inside the node bounding box', () => {
    const n = 40;
    const xy = circularLayout(n);
    const m = 120;
    const src = new Int32Array(m), dst = new Int32Array(m), w = new Float64Array(m);
    for (let i = 0; i < m; i++) { src[i] = (i * 7) % n; dst[i] = (i * 13 + 5) % n; w[i] = 1 + (i % 5); }
    const a = hammerBundle(xy, src, dst, w);
    const b = hammerBundle(xy, src, dst, w);
    expect(a.points).toEqual(b.points);
    expectWellFormed(a);
    expectEndpoints(a, xy, src, dst);
    for (const v of a.points) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe('hammerBundle pieces for threads', () => {
  // Node 0 at (0,0), nodes 1..4 along x at 1, 0.5, 0.25, 0.125 (unit square: x span 1, y span 1).
  const xy = Float64Array.from([0, 0, 1, 0, 0.5, 0, 0.25, 0, 0.125, 0, 0, 1]);
  const src = Int32Array.from([0, 0, 0, 0]), dst = Int32Array.from([1, 2, 3, 4]);

  it('splitEdges cuts the kept edges into ranges of about equal resampled vertices', () => {
    const plan = planBundle(xy, src, dst, null);
    // Straight edges of 1, 0.5, 0.25, 0.125: ceil(d / 0.012) + 1 = 85, 43, 22, 12 vertices.
    const vertices = edgeStartVertices(plan, xy, src, dst);
    expect(Array.from(vertices)).toEqual([85, 43, 22, 12]);
    expect(Array.from(splitEdges(vertices, 1))).toEqual([0, 4]);
    expect(Array.from(splitEdges(vertices, 2))).toEqual([0, 1, 4]); // 85 | 77
    // Cumulative 85, 128, 150, 162; goals 27, 54, 81, 108, 135: a range ends at the first edge
    // whose cumulative count reaches its goal (empty ranges where one edge spans several).
    expect(Array.from(splitEdges(vertices, 6))).toEqual([0, 1, 1, 1, 2, 3, 4]);
    expect(() => splitEdges(vertices, 0)).toThrow(/^parts /);
  });

  it('splitEdges gives each range its share, and counts carried edges at a tenth of their vertices', () => {
    const plan = planBundle(xy, src, dst, null);
    // Goal 0.85 * 162 = 137.7: reached at edge 3 (cumulative 150).
    const straight = edgeStartVertices(plan, xy, src, dst);
    expect(Array.from(splitEdges(straight, 2, Float64Array.of(0.85, 0.15)))).toEqual([0, 3, 4]);
    expect(() => splitEdges(straight, 2, Float64Array.of(1))).toThrow(/shares must hold 2 numbers/);
    // Edge 0 carried with a 100-vertex polyline: work 10, 43, 22, 12 -> cumulative 10, 53, 75, 87;
    // the half-way goal 43.5 is reached at edge 2.
    const previous: BundleState = {
      frame: { originX: 0, scaleX: 1, originY: 0, scaleY: 1, accuracy: 500 }, keys: Float64Array.of(7),
      lines: { xy: new Int32Array(200), offsets: Uint32Array.of(0, 100) }, cold: Uint8Array.of(1),
      points: new Float64Array(200), pointOffsets: Uint32Array.of(0, 100),
    };
    const warm = { previous, match: Int32Array.of(0, -1, -1, -1) };
    const vertices = edgeStartVertices(plan, xy, src, dst, warm);
    expect(Array.from(vertices)).toEqual([100, 43, 22, 12]);
    expect(Array.from(splitEdges(vertices, 2, null, warm.match))).toEqual([0, 2, 4]);
  });

  it('startPolylines and finishPolylines over ranges make up the whole bundling', () => {
    const params = { iterations: 0 };
    const whole = hammerBundle(xy, src, dst, null, params);
    const plan = planBundle(xy, src, dst, null, params);
    const a = finishPolylines(plan, startPolylines(plan, xy, src, dst, 0, 1).moving, xy, src, dst, 0, 1);
    const b = finishPolylines(plan, startPolylines(plan, xy, src, dst, 1, 4).moving, xy, src, dst, 1, 4);
    expect(Array.from(a.points).concat(Array.from(b.points))).toEqual(Array.from(whole.points));
    expect(Array.from(b.offsets).map((o) => o + a.offsets[1])).toEqual(Array.from(whole.offsets.subarray(1)));
  });
});
