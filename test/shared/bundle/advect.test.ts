import { describe, expect, it } from 'vitest';
import { PolylineScratch, advectPolyline, advectStep } from '../../../shared/bundle/advect.js';
import { segmentRules } from '../../../shared/bundle/resample.js';

describe('advectStep', () => {
  it('moves interior vertices by the step vector of their cell, clamped to [0, 1]', () => {
    const accuracy = 4, width = 5;
    const steps = new Float64Array(2 * 25);
    steps[2 * (2 * width + 1)] = 0.25; // cell (x=1, y=2)
    steps[2 * (2 * width + 1) + 1] = -0.125;
    steps[2 * (0 * width + 3)] = 0.25; // cell (x=3, y=0)
    steps[2 * (0 * width + 3) + 1] = -0.25;
    const xy = Float64Array.from([0.3, 0.6, 0.3, 0.6, 0.99, 0.1, 0.3, 0.6]);
    advectStep(xy, 0, 4, steps, accuracy);
    expect(Array.from(xy)).toEqual([0.3, 0.6, 0.3 + 0.25, 0.6 - 0.125, 1, 0, 0.3, 0.6]);
  });

  it('reads a vertex at exactly 1 from the last cell', () => {
    const steps = new Float64Array(2 * 9);
    steps[2 * 8] = -0.5; // cell (2, 2)
    const xy = Float64Array.from([0, 0, 1, 1, 0, 0]);
    advectStep(xy, 0, 3, steps, 2);
    expect(Array.from(xy)).toEqual([0, 0, 0.5, 1, 0, 0]);
  });
});

describe('advectPolyline', () => {
  const rules = segmentRules(0.008, 0.016);

  it('with a zero field only resamples (after the first step), keeping the endpoints', () => {
    const steps = new Float64Array(2 * 121);
    const scratch = new PolylineScratch(2); // too small: must grow
    scratch.load(Float64Array.from([0, 0, 0.1, 0]), 0, 2);
    const n = advectPolyline(scratch, 2, 1, steps, 10, rules);
    expect(n).toBe(10); // 0.1 / 0.012 -> 9 pieces
    expect(scratch.front[0]).toBe(0);
    expect(scratch.front[2]).toBeCloseTo(0.1 / 9, 15);
    expect(scratch.front[18]).toBe(0.1);
    expect(advectPolyline(scratch, n, 0, steps, 10, rules)).toBe(10);
  });

  it('moves the polyline along a uniform field, one step per iteration, ends fixed', () => {
    const accuracy = 100, cells = 101 * 101;
    const steps = new Float64Array(2 * cells);
    for (let c = 0; c < cells; c++) steps[2 * c + 1] = 0.01;
    const scratch = new PolylineScratch();
    scratch.load(Float64Array.from([0.2, 0.5, 0.2 + 0.012 * 10, 0.5]), 0, 2);
    const n = advectPolyline(scratch, 2, 5, steps, accuracy, rules);
    expect(scratch.front[1]).toBe(0.5);
    expect(scratch.front[2 * n - 1]).toBe(0.5);
    // The vertices made by the first resample moved in steps 1..4 (the first step moved no
    // interior vertex: there was none); the middle ones are 0.04 up.
    const mid = n >> 1;
    expect(scratch.front[2 * mid + 1]).toBeCloseTo(0.54, 12);
  });
});
