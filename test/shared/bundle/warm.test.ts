// Warm starts (shared/bundle/warm.ts through hammerBundle): carried edges keep their
// polylines, fresh ones are bundled among them, a cold bundling comes back once most edges
// are no longer from one, and the displacement measure.
import { describe, expect, it } from 'vitest';
import { type BundleResult, hammerBundle, planBundle, splitWeights, warmPlan } from '../../../shared/bundle/hammer.js';
import { WARM_MIN_COLD, joinStartLines, meanDisplacement } from '../../../shared/bundle/warm.js';
import { circularLayout } from '../../../shared/layout/circular.js';

const params = { accuracy: 200 };

/** n nodes on the circle and m random chords (seeded), keyed 0 .. m-1. */
function graph(n: number, m: number, seed = 3) {
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const source = new Int32Array(m), target = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    source[i] = Math.floor(rand() * n);
    target[i] = (source[i] + 1 + Math.floor(rand() * (n - 1))) % n;
  }
  return { nodeXY: circularLayout(n), source, target, keys: Float64Array.from({ length: m }, (_, i) => i), rand };
}

function polyline(r: BundleResult, e: number): number[] {
  return Array.from(r.points.subarray(2 * r.offsets[e], 2 * r.offsets[e + 1]));
}

describe('warm starts', () => {
  it('carry every edge of an unchanged graph over exactly', () => {
    const g = graph(40, 120);
    const cold = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: null });
    expect(cold.warm).toBe(false);
    const warm = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: cold.state! });
    expect(warm.warm).toBe(true);
    expect(warm.points).toEqual(cold.points);
    expect(Array.from(warm.offsets)).toEqual(Array.from(cold.offsets));
    expect(meanDisplacement(cold, g.keys, warm, g.keys, 1)).toEqual({ mean: 0, edges: 120 });
  });

  it('keep carried edges where they were and bundle fresh ones among them, in any edge order', () => {
    const g = graph(50, 200, 11);
    const cold = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: null });
    // Replace 10 edges (new keys 1000+), and list the edges in reverse order.
    const source = Int32Array.from(g.source).reverse(), target = Int32Array.from(g.target).reverse();
    const keys = Float64Array.from(g.keys).reverse();
    for (let j = 0; j < 10; j++) {
      const i = 7 + 13 * j;
      source[i] = j; target[i] = 25 + j; keys[i] = 1000 + j;
    }
    const warm = hammerBundle(g.nodeXY, source, target, null, params, { keys, previous: cold.state! });
    expect(warm.warm).toBe(true);
    for (let e = 0; e < 200; e++) {
      const before = cold.state!.keys.indexOf(keys[e]);
      if (keys[e] >= 1000) {
        expect(before).toBe(-1);
        const line = polyline(warm, e);
        // A fresh chord is bent: some vertex lies off the straight line between its nodes.
        const [x0, y0] = line, [x1, y1] = line.slice(-2);
        let off = 0;
        for (let k = 0; k < line.length; k += 2) {
          off = Math.max(off, Math.abs((x1 - x0) * (line[k + 1] - y0) - (y1 - y0) * (line[k] - x0)) / Math.hypot(x1 - x0, y1 - y0));
        }
        expect(off).toBeGreaterThan(0.01);
        expect(warm.state!.cold[e]).toBe(0);
      } else {
        expect(polyline(warm, e)).toEqual(polyline(cold, before));
        expect(warm.state!.cold[e]).toBe(1);
      }
    }
    expect(meanDisplacement(cold, g.keys, warm, keys, 1)).toEqual({ mean: 0, edges: 190 });
    for (const v of warm.points) expect(Number.isFinite(v)).toBe(true);
  });

  it('move carried edges with their nodes: ends exactly on them, the interior no further than the ends moved', () => {
    const g = graph(30, 60, 5);
    const cold = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: null });
    const moved = circularLayout(30);
    for (let i = 0; i < moved.length; i++) moved[i] += 0.002 * Math.sin(i); // every node moves a little
    const warm = hammerBundle(moved, g.source, g.target, null, params, { keys: g.keys, previous: cold.state! });
    expect(warm.warm).toBe(true);
    for (let e = 0; e < 60; e++) {
      const before = polyline(cold, e), after = polyline(warm, e);
      expect(after.length).toBe(before.length);
      const s = g.source[e], t = g.target[e];
      expect(after.slice(0, 2)).toEqual([moved[2 * s], moved[2 * s + 1]]);
      expect(after.slice(-2)).toEqual([moved[2 * t], moved[2 * t + 1]]);
      for (let k = 0; k < after.length; k++) expect(Math.abs(after[k] - before[k])).toBeLessThanOrEqual(0.002 + 1e-12);
    }
    const d = meanDisplacement(cold, g.keys, warm, g.keys, 1);
    expect(d.edges).toBe(60);
    expect(d.mean).toBeGreaterThan(0);
    expect(d.mean).toBeLessThan(0.003);
  });

  it('bundle cold again once fewer than half the edges date from a cold bundling', () => {
    const g = graph(40, 100, 23);
    let state = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: null }).state!;
    const keys = Float64Array.from(g.keys);
    const warmth: boolean[] = [];
    for (let round = 0; round < 3; round++) {
      for (let j = 0; j < 30; j++) keys[round * 30 + j] = 1000 + round * 30 + j; // 30% fresh each time
      const r = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys, previous: state });
      warmth.push(r.warm!);
      state = r.state!;
    }
    // 70% then 40% (< WARM_MIN_COLD) from the cold bundling: warm, then cold; after it all are.
    expect(WARM_MIN_COLD).toBe(0.5);
    expect(warmth).toEqual([true, false, true]);
  });

  it('rejects keys that are not one per edge, or repeat', () => {
    const g = graph(10, 20);
    expect(() => hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: new Float64Array(3), previous: null }))
      .toThrow(/edge keys length 3 differs from edge count 20/);
    const cold = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: null });
    const twice = Float64Array.from(g.keys);
    twice[5] = 4;
    const again = hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: twice, previous: null });
    expect(() => hammerBundle(g.nodeXY, g.source, g.target, null, params, { keys: g.keys, previous: again.state! }))
      .toThrow(/edge keys must be unique, got 4 twice/);
    expect(cold.state!.keys.length).toBe(20);
  });
});

describe('warm start pieces', () => {
  it('warmPlan keeps the widest and narrowest rounds, and none when every edge is carried', () => {
    const g = graph(20, 30);
    const plan = planBundle(g.nodeXY, g.source, g.target, null, params);
    expect(plan.sigmas.length).toBe(4);
    const someFresh = warmPlan(plan, Int32Array.of(0, -1, 2));
    expect(Array.from(someFresh.sigmas)).toEqual([plan.sigmas[0], plan.sigmas[3]]);
    expect(Array.from(someFresh.advectCells)).toEqual([plan.advectCells[0], plan.advectCells[3]]);
    const allCarried = warmPlan(plan, Int32Array.of(2, 0, 1));
    expect([allCarried.sigmas.length, allCarried.advectCells.length]).toEqual([0, 0]);
  });

  it('joinStartLines interleaves carried and moved polylines back into edge order', () => {
    // Edges: carried (2 vertices), moved (3), moved (1), carried (2), carried (1).
    const fixed = { xy: Int32Array.of(1, 1, 2, 2, /**/ 7, 7, 8, 8, /**/ 9, 9), offsets: Uint32Array.of(0, 2, 4, 5) };
    const moving = { xy: Int32Array.of(3, 3, 4, 4, 5, 5, /**/ 6, 6, /**/ -1, -1), offsets: Uint32Array.of(0, 3, 4) };
    const out = new Int32Array(2 * 10).fill(-9);
    const offsets = joinStartLines(fixed, moving, Uint8Array.of(1, 0, 0, 1, 1), out, 1);
    expect(Array.from(offsets)).toEqual([0, 2, 5, 6, 8, 9]);
    expect(Array.from(out)).toEqual([-9, -9, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
  });

  it('splitWeights gives moved and carried edges their weights in edge order', () => {
    const w = Float64Array.of(0.5, 1, 0.25, 0);
    expect(splitWeights(w, Uint8Array.of(0, 1, 0, 1))).toEqual({ moving: Float64Array.of(0.5, 0.25), fixed: Float64Array.of(1, 0) });
    expect(splitWeights(w, null)).toEqual({ moving: w, fixed: null });
    expect(splitWeights(null, Uint8Array.of(1, 0))).toEqual({ moving: null, fixed: null });
  });
});

describe('meanDisplacement', () => {
  it('compares edges with the same key along their length, over the canvas side', () => {
    // Edge 7: (0,0)-(1,0) before, (0,0.1)-(1,0.1) after: 0.1 everywhere. Edge 8: only before.
    const before: BundleResult = {
      points: Float64Array.from([0, 0, 0.5, 0, 1, 0, 0, 0, 2, 2]), offsets: Uint32Array.from([0, 3, 5]), edgeIndex: Int32Array.from([0, 1]),
    };
    const after: BundleResult = {
      points: Float64Array.from([0, 0.1, 1, 0.1]), offsets: Uint32Array.from([0, 2]), edgeIndex: Int32Array.from([0]),
    };
    const d = meanDisplacement(before, Float64Array.from([7, 8]), after, Float64Array.from([7]), 2);
    expect(d.edges).toBe(1);
    expect(d.mean).toBeCloseTo(0.05, 12);
  });
});
