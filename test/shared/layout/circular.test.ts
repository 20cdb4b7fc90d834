import { describe, expect, it } from 'vitest';
import { circularLayout } from '../../../shared/layout/circular.js';

const H = Math.sqrt(3) / 4; // 0.5 * sin(60 deg)
const Q = Math.SQRT1_2 / 2; // 0.5 * cos(45 deg)

function expectPoints(xy: Float64Array, expected: [number, number][]): void {
  expect(xy.length).toBe(2 * expected.length);
  expected.forEach(([x, y], i) => {
    expect(xy[2 * i]).toBeCloseTo(x, 14);
    expect(xy[2 * i + 1]).toBeCloseTo(y, 14);
  });
}

describe('circularLayout', () => {
  it('places small n on the circle of radius 0.5 around (0.5, 0.5), counter-clockwise from angle 0', () => {
    expectPoints(circularLayout(0), []);
    expectPoints(circularLayout(1), [[1, 0.5]]);
    expectPoints(circularLayout(2), [[1, 0.5], [0, 0.5]]);
    expectPoints(circularLayout(3), [[1, 0.5], [0.25, 0.5 + H], [0.25, 0.5 - H]]);
    expectPoints(circularLayout(4), [[1, 0.5], [0.5, 1], [0, 0.5], [0.5, 0]]);
    expectPoints(circularLayout(8), [
      [1, 0.5], [0.5 + Q, 0.5 + Q], [0.5, 1], [0.5 - Q, 0.5 + Q],
      [0, 0.5], [0.5 - Q, 0.5 - Q], [0.5, 0], [0.5 + Q, 0.5 - Q],
    ]);
  });

  it('gives exactly n distinct points for n = 61 (where a float range yields 62 angles)', () => {
    const n = 61;
    const xy = circularLayout(n);
    expect(xy.length).toBe(122);
    expect(xy[0]).toBe(1);
    expect(xy[1]).toBe(0.5);
    const step = (2 * Math.PI) / n;
    for (let i = 0; i < n; i++) {
      const dx = xy[2 * i] - 0.5, dy = xy[2 * i + 1] - 0.5;
      expect(Math.hypot(dx, dy)).toBeCloseTo(0.5, 14);
      const angle = (Math.atan2(dy, dx) + 2 * Math.PI) % (2 * Math.PI);
      expect(angle).toBeCloseTo(i * step, 12);
    }
    // The last node sits one step short of the first, not on top of it.
    const gap = Math.hypot(xy[2 * 60] - xy[0], xy[2 * 60 + 1] - xy[1]);
    expect(gap).toBeCloseTo(2 * 0.5 * Math.sin(step / 2), 14);
  });

  it('writes into a caller-owned buffer and returns it', () => {
    const out = new Float64Array(8).fill(NaN);
    expect(circularLayout(4, out)).toBe(out);
    expectPoints(out, [[1, 0.5], [0.5, 1], [0, 0.5], [0.5, 0]]);
  });

  it('rejects a bad n or out', () => {
    for (const n of [-1, 1.5, NaN, Infinity]) expect(() => circularLayout(n)).toThrow(/\bn must be/);
    expect(() => circularLayout(3, new Float64Array(4))).toThrow(RangeError);
    expect(() => circularLayout(3, new Float64Array(4))).toThrow(/out must have length 2\*n = 6/);
    expect(() => circularLayout(2, new Float32Array(4) as unknown as Float64Array)).toThrow(TypeError);
  });
});
