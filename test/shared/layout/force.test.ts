import { describe, expect, it } from 'vitest';
import { FORCE_DEFAULTS, fitUnitSquare, forceLayout, forceLayoutUnfitted } from '../../../shared/layout/force.js';
import { randomLayout } from '../../../shared/layout/random.js';
import { mulberry32 } from '../../../server/sources/demo-traffic.js';
import { readEdgeCsv } from '../../helpers/density-correlation.js';
import { dataPath, describeData } from '../../helpers/data.js';

/** Every pair inside each of `groups` cliques of `size` nodes (node ids group*size + k). */
function cliques(groups: number, size: number): { source: Int32Array; target: Int32Array } {
  const s: number[] = [], t: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let a = 0; a < size; a++) for (let b = a + 1; b < size; b++) { s.push(g * size + a); t.push(g * size + b); }
  }
  return { source: Int32Array.from(s), target: Int32Array.from(t) };
}

const dist = (xy: Float64Array, a: number, b: number) => Math.hypot(xy[2 * a] - xy[2 * b], xy[2 * a + 1] - xy[2 * b + 1]);

describe('forceLayout', () => {
  it('pulls linked nodes together: two cliques end up apart', () => {
    const { source, target } = cliques(2, 10);
    const xy = forceLayout(20, source, target, null, { iterations: 200 });
    let inside = 0, across = 0, nIn = 0, nAcross = 0;
    for (let a = 0; a < 20; a++) {
      for (let b = a + 1; b < 20; b++) {
        if ((a < 10) === (b < 10)) { inside += dist(xy, a, b); nIn++; } else { across += dist(xy, a, b); nAcross++; }
      }
    }
    expect(inside / nIn).toBeLessThan(0.5 * (across / nAcross));
  });

  it('fits the drawing in the unit square, keeping its aspect, and is deterministic', () => {
    const { source, target } = cliques(3, 6);
    const a = forceLayout(18, source, target, null);
    const b = forceLayout(18, source, target, null);
    expect(Array.from(a)).toEqual(Array.from(b));
    const xs = Array.from(a).filter((_, i) => i % 2 === 0), ys = Array.from(a).filter((_, i) => i % 2 === 1);
    for (const v of a) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
    const spanX = Math.max(...xs) - Math.min(...xs), spanY = Math.max(...ys) - Math.min(...ys);
    expect(Math.max(spanX, spanY)).toBeCloseTo(1, 12);
  });

  it('started from its own result, moves little (a live picture stays put)', () => {
    const { source, target } = cliques(2, 8);
    const settled = forceLayout(16, source, target, null, { iterations: 300 });
    const again = forceLayout(16, source, target, null, { iterations: 5 }, settled);
    let moved = 0;
    for (let i = 0; i < 16; i++) moved += Math.hypot(again[2 * i] - settled[2 * i], again[2 * i + 1] - settled[2 * i + 1]);
    expect(moved / 16).toBeLessThan(0.05);
  });

  it('handles no nodes, one node, no edges, self-loops and unknown nodes', () => {
    expect(forceLayout(0, new Int32Array(0), new Int32Array(0), null)).toHaveLength(0);
    expect(Array.from(forceLayout(1, new Int32Array(0), new Int32Array(0), null))).toEqual([0.5, 0.5]);
    const lone = forceLayout(5, Int32Array.of(0, 1, 2), Int32Array.of(0, 9, -1), null);
    expect(lone.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
  });

  it('validates every parameter up front, naming it', () => {
    const e = new Int32Array(0);
    expect(() => forceLayout(2, e, e, null, { iterations: -1 })).toThrow(/iterations/);
    expect(() => forceLayout(2, e, e, null, { gravity: Number.NaN })).toThrow(/gravity/);
    expect(() => forceLayout(2, e, e, null, { scalingRatio: Infinity })).toThrow(/scalingRatio/);
    expect(() => forceLayout(2, e, e, null, { edgeWeightInfluence: -1 })).toThrow(/edgeWeightInfluence/);
    expect(() => forceLayout(1.5, e, e, null)).toThrow(/nodeCount/);
    expect(() => forceLayout(2, Int32Array.of(0), e, null)).toThrow(/edgeTarget length/);
    expect(() => forceLayout(2, Int32Array.of(0), Int32Array.of(1), Float64Array.of(-1), { edgeWeightInfluence: 1 })).toThrow(/weights/);
    expect(() => forceLayout(2, e, e, null, {}, new Float64Array(3))).toThrow(/start must have length 2\*nodeCount = 4/);
    expect(FORCE_DEFAULTS.iterations).toBe(100);
  });
});

describe('fitUnitSquare', () => {
  it('maps the larger span onto [0, 1] and centres the other', () => {
    // x spans 10..14 (4), y spans 0..2 (2): scale 1/4, y centred: (0.5 - 0.25) + y/4.
    expect(Array.from(fitUnitSquare(Float64Array.of(10, 0, 14, 2)))).toEqual([0, 0.25, 1, 0.75]);
  });
});

describe('randomLayout', () => {
  it('places each node at the next two values of the random source', () => {
    const values = [0.1, 0.2, 0.3, 0.4];
    let k = 0;
    expect(Array.from(randomLayout(2, () => values[k++]))).toEqual(values);
    expect(() => randomLayout(1, () => 1)).toThrow(/\[0, 1\)/);
    const seeded = randomLayout(1000, mulberry32(7));
    expect(Array.from(seeded)).toEqual(Array.from(randomLayout(1000, mulberry32(7))));
  });
});

describeData('forceLayout on a real graph', () => {
  it('lays out the MACCDC sample (2,176 edges) with every position finite and in the unit square', () => {
    const g = readEdgeCsv(dataPath('graphs', 'maccdc2012-sample-edges.csv'));
    const xy = forceLayout(g.nodeCount, g.source, g.target, g.weight, { iterations: 50 });
    expect(xy).toHaveLength(2 * g.nodeCount);
    expect(xy.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
  });
});

describe('forceLayoutUnfitted', () => {
  it('is forceLayout before the fit, and a start that keeps the next layout where it was', () => {
    // A star (hub 0) and a lone pair (5-6).
    const source = Int32Array.of(0, 0, 0, 0, 5), target = Int32Array.of(1, 2, 3, 4, 6);
    const params = { strongGravity: true };
    const raw = forceLayoutUnfitted(7, source, target, null, params);
    expect(Array.from(fitUnitSquare(raw.slice()))).toEqual(Array.from(forceLayout(7, source, target, null, params)));
    // Warm-started from its own result, the fitted drawing moves little; started from the fitted
    // one (the wrong scale) it is blown up and lands elsewhere.
    const warm = fitUnitSquare(forceLayoutUnfitted(7, source, target, null, params, raw));
    const fitted = forceLayout(7, source, target, null, params);
    const fromFitted = forceLayout(7, source, target, null, params, fitted);
    const meanMove = (a: Float64Array) => Array.from({ length: 7 }, (_, i) => dist(new Float64Array([...a, ...fitted]), i, i + 7)).reduce((x, y) => x + y) / 7;
    expect(meanMove(warm)).toBeLessThan(0.05);
    expect(meanMove(fromFitted)).toBeGreaterThan(2 * meanMove(warm));
  });

  it('with strong gravity keeps a part not linked to the rest close to it', () => {
    // A 30-leaf star and a lone pair: with constant gravity the pair settles far out and the
    // fitted star shrinks; with strong gravity the star keeps most of the square.
    const leaves = 30;
    const source = Int32Array.from([...Array(leaves).fill(0), leaves + 1]);
    const target = Int32Array.from([...Array.from({ length: leaves }, (_, i) => i + 1), leaves + 2]);
    const starSpan = (xy: Float64Array) => {
      const xs = Array.from({ length: leaves + 1 }, (_, i) => xy[2 * i]), ys = Array.from({ length: leaves + 1 }, (_, i) => xy[2 * i + 1]);
      return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    };
    const weak = starSpan(forceLayout(leaves + 3, source, target, null));
    const strong = starSpan(forceLayout(leaves + 3, source, target, null, { strongGravity: true }));
    expect(strong).toBeGreaterThan(0.5);
    expect(strong).toBeGreaterThan(weak);
    expect(() => forceLayout(2, new Int32Array(0), new Int32Array(0), null, { strongGravity: 1 as unknown as boolean })).toThrow(/strongGravity must be a boolean/);
  });
});
