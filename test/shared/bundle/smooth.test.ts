import { describe, expect, it } from 'vitest';
import { smoothPolyline } from '../../../shared/bundle/smooth.js';

describe('smoothPolyline', () => {
  it('moves each interior vertex towards the mean of its neighbours, in place', () => {
    // tension 0.5, one pass over (0,0) (1,1) (2,1) (3,0):
    // v1 = 0.5*(1,1) + 0.25*((0,0)+(2,1)) = (1, 0.75)
    // v2 = 0.5*(2,1) + 0.25*((1,0.75)+(3,0)) = (2, 0.6875)   (uses the new v1)
    const xy = Float64Array.from([0, 0, 1, 1, 2, 1, 3, 0]);
    smoothPolyline(xy, 0, 4, 0.5, 1);
    expect(Array.from(xy)).toEqual([0, 0, 1, 0.75, 2, 0.6875, 3, 0]);
  });

  it('makes 10 passes by default', () => {
    // One interior vertex between (0,0) and (2,0) at (1,1): y halves each pass at tension 0.5.
    const xy = Float64Array.from([0, 0, 1, 1, 2, 0]);
    smoothPolyline(xy, 0, 3, 0.5);
    expect(xy[2]).toBe(1);
    expect(xy[3]).toBe(0.5 ** 10);
  });

  it('uses the default tension formula (1 - t) * p + t * mean for t = 0.3', () => {
    const xy = Float64Array.from([0, 0, 1, 1, 2, 0]);
    smoothPolyline(xy, 0, 3, 0.3, 1);
    expect(xy[3]).toBeCloseTo(0.7, 15);
  });

  it('leaves endpoints, two-vertex polylines, other polylines and tension 0 alone', () => {
    const xy = Float64Array.from([5, 5, 0, 0, 1, 1, 2, 0, 5, 5]);
    smoothPolyline(xy, 1, 3, 0, 10);
    expect(Array.from(xy)).toEqual([5, 5, 0, 0, 1, 1, 2, 0, 5, 5]);
    smoothPolyline(xy, 1, 3, 1, 1);
    expect(Array.from(xy)).toEqual([5, 5, 0, 0, 1, 0, 2, 0, 5, 5]);
    const two = Float64Array.from([0, 0, 1, 1]);
    smoothPolyline(two, 0, 2, 0.3);
    expect(Array.from(two)).toEqual([0, 0, 1, 1]);
  });

  it('equals pass after pass, bit for bit, for any length and number of passes', () => {
    let seed = 3;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const n of [3, 4, 5, 12, 40]) {
      for (const passes of [1, 2, 9, 10, 45]) {
        const xy = Float64Array.from({ length: 2 * n + 4 }, () => rand() * 100);
        const expected = Float64Array.from(xy);
        const keep = 1 - 0.3, half = 0.3 * 0.5;
        for (let p = 0; p < passes; p++) {
          for (let v = 2; v < n; v++) { // interior vertices of the polyline at vertex 1
            expected[2 * v] = keep * expected[2 * v] + half * (expected[2 * v - 2] + expected[2 * v + 2]);
            expected[2 * v + 1] = keep * expected[2 * v + 1] + half * (expected[2 * v - 1] + expected[2 * v + 3]);
          }
        }
        smoothPolyline(xy, 1, n, 0.3, passes); // vertex 0 and the last stay outside
        expect(Array.from(xy)).toEqual(Array.from(expected));
      }
    }
  });
});
