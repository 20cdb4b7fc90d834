// Values as numpy gives them (np.linspace, np.interp), worked by hand.
import { describe, it, expect } from 'vitest';
import { interp, linspace } from '../../../shared/raster/interp.js';

const xp = (...v: number[]) => new Float64Array(v);

describe('linspace', () => {
  it('spaces evenly and ends exactly on stop', () => {
    expect([...linspace(0, 1, new Float64Array(5))]).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([...linspace(2, 2, new Float64Array(3))]).toEqual([2, 2, 2]);
    expect([...linspace(3, 9, new Float64Array(1))]).toEqual([3]);
    expect(linspace(0.1, 0.7, new Float64Array(7))[6]).toBe(0.7);
  });
});

describe('interp', () => {
  it('interpolates linearly between the points around x', () => {
    expect(interp(2.5, xp(1, 2, 3), 3, [3, 2, 0], 0, 1, -1, -2)).toBe(1);
    expect(interp(1.25, xp(1, 2, 3), 3, [0, 4, 8], 0, 1, -1, -2)).toBe(1);
  });

  it('returns left / right outside, the point itself on a point, NaN for NaN', () => {
    expect(interp(0, xp(1, 2), 2, [5, 6], 0, 1, -1, -2)).toBe(-1);
    expect(interp(3, xp(1, 2), 2, [5, 6], 0, 1, -1, -2)).toBe(-2);
    expect(interp(2, xp(1, 2), 2, [5, 6], 0, 1, -1, -2)).toBe(6);
    expect(interp(Number.NaN, xp(1, 2), 2, [5, 6], 0, 1, -1, -2)).toBeNaN();
  });

  it('with equal xp, takes the last of them (numpy\'s search finds the last xp <= x)', () => {
    expect(interp(1, xp(1, 1, 1), 3, [0, 5, 9], 0, 1, -1, -2)).toBe(9);
    expect(interp(1, new Float64Array(256).fill(1), 256, Array.from({ length: 256 }, (_, i) => i), 0, 1, -1, -2)).toBe(255);
  });

  it('reads fp with an offset and a stride', () => {
    // Channel 1 of [r, g, b] stops (0, 10, 20), (3, 30, 40): half way -> 20.
    expect(interp(0.5, xp(0, 1), 2, [0, 10, 20, 3, 30, 40], 1, 3, 0, 0)).toBe(20);
  });
});
