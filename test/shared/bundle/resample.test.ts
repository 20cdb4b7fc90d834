import { describe, expect, it } from 'vitest';
import {
  OUT_TOO_SMALL, resamplePolyline, resampledLength, segmentRules,
} from '../../../shared/bundle/resample.js';

const rules = segmentRules(0.008, 0.016); // mean piece length 0.012

/** Resamples a polyline given as [x, y] pairs and returns the result as pairs. */
function resample(points: [number, number][]): [number, number][] {
  const xy = Float64Array.from(points.flat());
  const out = new Float64Array(1000);
  const n = resamplePolyline(xy, 0, points.length, rules, out, 0);
  expect(n).toBe(resampledLength(xy, 0, points.length, rules));
  return Array.from({ length: n }, (_, i) => [out[2 * i], out[2 * i + 1]] as [number, number]);
}

function expectPairs(actual: [number, number][], expected: [number, number][]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach(([x, y], i) => {
    expect(actual[i][0]).toBeCloseTo(x, 12);
    expect(actual[i][1]).toBeCloseTo(y, 12);
  });
}

describe('resamplePolyline', () => {
  it('splits a long gap into ceil(d / mean) equal pieces', () => {
    // d = 0.04, mean 0.012: ceil(3.33) = 4 pieces of 0.01.
    expectPairs(resample([[0, 0], [0.04, 0]]), [[0, 0], [0.01, 0], [0.02, 0], [0.03, 0], [0.04, 0]]);
    // d = 0.05 along the diagonal (0.03, 0.04): ceil(4.17) = 5 pieces.
    expectPairs(resample([[0.1, 0.2], [0.13, 0.24]]),
      [[0.1, 0.2], [0.106, 0.208], [0.112, 0.216], [0.118, 0.224], [0.124, 0.232], [0.13, 0.24]]);
  });

  it('leaves segments between min and max alone (max itself is not split)', () => {
    const points: [number, number][] = [[0, 0], [0.016, 0], [0.026, 0], [0.034, 0]];
    expectPairs(resample(points), points);
  });

  it('merges an interior vertex closer than min into its predecessor at the midpoint', () => {
    // 0.012 is 0.002 from 0.01: the two become 0.011; the rest stays.
    expectPairs(resample([[0, 0], [0.01, 0], [0.012, 0], [0.022, 0], [0.032, 0]]),
      [[0, 0], [0.011, 0], [0.022, 0], [0.032, 0]]);
  });

  it('merges repeatedly: each close vertex pulls the pending midpoint halfway', () => {
    // 0.01 & 0.011 -> 0.0105; with 0.012 -> 0.01125.
    expectPairs(resample([[0, 0], [0.01, 0], [0.011, 0], [0.012, 0], [0.022, 0], [0.032, 0]]),
      [[0, 0], [0.01125, 0], [0.022, 0], [0.032, 0]]);
  });

  it('keeps both endpoints, even next to a very close vertex', () => {
    const nearStart: [number, number][] = [[0, 0], [0.001, 0], [0.01, 0]];
    expectPairs(resample(nearStart), nearStart);
    const nearEnd: [number, number][] = [[0, 0], [0.01, 0], [0.0105, 0]];
    expectPairs(resample(nearEnd), nearEnd);
    const out = resample([[0.3, 0.7], [0.3004, 0.7], [0.3008, 0.7], [0.3012, 0.7]]);
    expect(out[0]).toEqual([0.3, 0.7]);
    expect(out[out.length - 1]).toEqual([0.3012, 0.7]);
  });

  it('keeps a zero-length edge (a self-loop) as its two endpoints', () => {
    expectPairs(resample([[0.5, 0.5], [0.5, 0.5]]), [[0.5, 0.5], [0.5, 0.5]]);
  });

  it('reads and writes at vertex offsets', () => {
    const xy = Float64Array.from([9, 9, 0, 0, 0.03, 0, 9, 9]);
    const out = new Float64Array(12).fill(-1);
    expect(resamplePolyline(xy, 1, 2, rules, out, 2)).toBe(4); // 0.03 / 0.012 -> 3 pieces
    expect(Array.from(out.subarray(0, 4))).toEqual([-1, -1, -1, -1]);
    expect(out[4]).toBe(0);
    expect(out[6]).toBeCloseTo(0.01, 15);
    expect(out[10]).toBe(0.03);
  });

  it('says OUT_TOO_SMALL instead of writing past the end of out', () => {
    const xy = Float64Array.from([0, 0, 0.04, 0]);
    expect(resamplePolyline(xy, 0, 2, rules, new Float64Array(3), 0)).toBe(OUT_TOO_SMALL);
    expect(resamplePolyline(xy, 0, 2, rules, new Float64Array(8), 0)).toBe(OUT_TOO_SMALL);
    expect(resamplePolyline(xy, 0, 2, rules, new Float64Array(10), 0)).toBe(5);
  });

  it('agrees with resampledLength on random walks', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const out = new Float64Array(100000);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(rand() * 60);
      const xy = new Float64Array(2 * n);
      for (let i = 0; i < 2 * n; i++) xy[i] = rand() * (trial % 2 ? 0.05 : 1);
      const m = resamplePolyline(xy, 0, n, rules, out, 0);
      expect(m).toBe(resampledLength(xy, 0, n, rules));
      expect([out[0], out[1]]).toEqual([xy[0], xy[1]]);
      expect([out[2 * m - 2], out[2 * m - 1]]).toEqual([xy[2 * n - 2], xy[2 * n - 1]]);
    }
  });
});
