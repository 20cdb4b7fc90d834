import { describe, it, expect } from 'vitest';
import { levelsHow, MAX_LEVEL, quantiseLevels } from '../../../shared/raster/levels.js';

describe('quantiseLevels', () => {
  const agg = Float64Array.of(0, 10, 0, 110, 100, 0);

  it('lists the non-empty cells in order, the smallest at level 1 and the largest at MAX_LEVEL', () => {
    const cells = new Int32Array(6), levels = new Uint32Array(6);
    expect(quantiseLevels(agg, 'linear', cells, levels)).toBe(3);
    expect(Array.from(cells.subarray(0, 3))).toEqual([1, 3, 4]);
    // Values less the smallest (10): 0, 100, 90 of 100, over levels 1..65535.
    expect(MAX_LEVEL).toBe(65535);
    expect(Array.from(levels.subarray(0, 3))).toEqual([1, 65535, 1 + Math.round(0.9 * 65534)]);
    quantiseLevels(agg, 'eq_hist', cells, levels);
    expect(Array.from(levels.subarray(0, 3))).toEqual([1, 65535, 1 + Math.round(0.9 * 65534)]);
  });

  it('puts the shading transform into the levels', () => {
    const cells = new Int32Array(6), levels = new Uint32Array(6);
    quantiseLevels(agg, 'log', cells, levels);
    expect(Array.from(levels.subarray(0, 3))).toEqual([1, 65535, 1 + Math.round((Math.log(91) / Math.log(101)) * 65534)]);
    quantiseLevels(Float32Array.from(agg), 'cbrt', cells, levels);
    expect(levels[2]).toBe(1 + Math.round((Math.cbrt(90) / Math.cbrt(100)) * 65534));
    expect([levelsHow('eq_hist'), levelsHow('log'), levelsHow('cbrt'), levelsHow('linear')]).toEqual(['eq_hist', 'linear', 'linear', 'linear']);
  });

  it('gives equal values level 1, and needs room for every cell', () => {
    const cells = new Int32Array(4), levels = new Uint32Array(4);
    expect(quantiseLevels(Float64Array.of(0, 2.5, 2.5, 0), 'linear', cells, levels)).toBe(2);
    expect(Array.from(levels.subarray(0, 2))).toEqual([1, 1]);
    expect(() => quantiseLevels(new Float64Array(5), 'linear', cells, levels)).toThrow(RangeError);
  });
});
