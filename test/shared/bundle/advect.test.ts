import { describe, expect, it } from 'vitest';
import {
  AdvectScratch, FLOW_ONE, STEP_CELLS, STEPS_PER_RESAMPLE, advectEdges, advectResample, advectStep, flowMap, resampleFixed,
} from '../../../shared/bundle/advect.js';
import { FIELD_ONE } from '../../../shared/bundle/gradient.js';
import { FIXED_ONE, type PolylineStore } from '../../../shared/bundle/polylines.js';
import { OUT_TOO_SMALL, resamplePolyline, resampledLength, segmentRules } from '../../../shared/bundle/resample.js';

const cellRules = segmentRules(4, 8); // accuracy 500's 0.008 / 0.016, in cells
const fx = (cells: number): number => Math.round(cells * FIXED_ONE);

function random(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
}

/** A field of random unit vectors (and some zero cells), as unitGradient stores them. */
function randomField(width: number, rand: () => number): Int8Array {
  const field = new Int8Array(2 * width * width);
  for (let c = 0; c < width * width; c++) {
    if (rand() < 0.1) continue;
    const a = rand() * 2 * Math.PI;
    field[2 * c] = Math.trunc(Math.cos(a) * FIELD_ONE);
    field[2 * c + 1] = Math.trunc(Math.sin(a) * FIELD_ONE);
  }
  return field;
}

/** A wandering polyline of n vertices inside [0, limit] cells, fixed point. */
function randomPolyline(n: number, limit: number, rand: () => number): Int32Array {
  const xy = new Int32Array(2 * n);
  let x = rand() * limit, y = rand() * limit;
  for (let k = 0; k < n; k++) {
    x = Math.min(limit, Math.max(0, x + (rand() - 0.5) * 14));
    y = Math.min(limit, Math.max(0, y + (rand() - 0.5) * 14));
    xy[2 * k] = fx(x); xy[2 * k + 1] = fx(y);
  }
  return xy;
}

describe('advectStep', () => {
  it('moves interior vertices by their cell vector (times 1 or STEP_CELLS), clamped to the grid', () => {
    const width = 5; // accuracy 4
    const field = new Int8Array(2 * 25);
    field[2 * (2 * width + 1)] = FIELD_ONE / 4; // cell (x=1, y=2): (+0.25, -0.125) cells
    field[2 * (2 * width + 1) + 1] = -FIELD_ONE / 8;
    field[2 * (0 * width + 3)] = FIELD_ONE; // cell (x=3, y=0): (+1, -1)
    field[2 * (0 * width + 3) + 1] = -FIELD_ONE;
    const xy = Int32Array.from([1.2, 2.4, 1.2, 2.4, 3.96, 0.4, 1.2, 2.4].map(fx));
    advectStep(xy, 0, 4, field, width, 1);
    expect(Array.from(xy)).toEqual([fx(1.2), fx(2.4), fx(1.2) + FIXED_ONE / 4, fx(2.4) - FIXED_ONE / 8, 4 * FIXED_ONE, 0, fx(1.2), fx(2.4)]);
    advectStep(xy, 0, 4, field, width, STEP_CELLS); // (1.45, 2.275) is still in cell (1, 2)
    expect(Array.from(xy.subarray(2, 4))).toEqual([fx(1.2) + 3 * FIXED_ONE / 4, fx(2.4) - 3 * FIXED_ONE / 8]);
  });

  it('reads a vertex on the far grid edge (accuracy) from the last cell', () => {
    const field = new Int8Array(2 * 9);
    field[2 * 8] = -FIELD_ONE / 2; // cell (2, 2)
    const xy = Int32Array.from([0, 0, 2, 2, 0, 0].map(fx));
    advectStep(xy, 0, 3, field, 3, 1);
    expect(Array.from(xy)).toEqual([0, 0, fx(1.5), fx(2), 0, 0]);
  });
});

describe('resampleFixed', () => {
  it('follows the float walk of resample.ts (to the fixed-point rounding)', () => {
    const rand = random(99);
    const out = new Int32Array(20000), ref = new Float64Array(20000);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(rand() * 40);
      const xy = randomPolyline(n, 100, rand);
      const cells = Float64Array.from(xy, (v) => v / FIXED_ONE);
      const m = resampleFixed(xy, 0, n, cellRules, out, 0);
      expect(m).toBe(resamplePolyline(cells, 0, n, cellRules, ref, 0));
      for (let i = 0; i < 2 * m; i++) expect(Math.abs(out[i] / FIXED_ONE - ref[i])).toBeLessThan(2 / FIXED_ONE);
      expect([out[0], out[1], out[2 * m - 2], out[2 * m - 1]]).toEqual([xy[0], xy[1], xy[2 * n - 2], xy[2 * n - 1]]);
    }
  });

  it('says OUT_TOO_SMALL instead of writing past the end of out', () => {
    const xy = Int32Array.from([0, 0, 24, 0].map(fx)); // 24 cells: 4 pieces of 6
    expect(resampleFixed(xy, 0, 2, cellRules, new Int32Array(3), 0)).toBe(OUT_TOO_SMALL);
    expect(resampleFixed(xy, 0, 2, cellRules, new Int32Array(8), 0)).toBe(OUT_TOO_SMALL);
    const out = new Int32Array(10);
    expect(resampleFixed(xy, 0, 2, cellRules, out, 0)).toBe(5);
    expect(Array.from(out)).toEqual([0, 0, 6, 0, 12, 0, 18, 0, 24, 0].map(fx));
  });
});

/**
 * The flow-map entry of cell (cx, cy), computed by stepping: a vertex at the cell's centre (at
 * the grid edge for the last cell) moved by STEPS_PER_RESAMPLE advectSteps of STEP_CELLS, its
 * displacement rounded to 1/FLOW_ONE of a cell.
 */
function steppedFlow(field: Int8Array, width: number, cx: number, cy: number): [number, number] {
  const centre = (c: number): number => (c === width - 1 ? c * FIXED_ONE : c * FIXED_ONE + FIXED_ONE / 2);
  const xy = Int32Array.from([0, 0, centre(cx), centre(cy), 0, 0]);
  for (let s = 0; s < STEPS_PER_RESAMPLE; s++) advectStep(xy, 0, 3, field, width, STEP_CELLS);
  const round = (v: number): number => Math.round(v) + 0; // + 0: no -0 (the map stores integers)
  return [round(((xy[2] - centre(cx)) * FLOW_ONE) / FIXED_ONE), round(((xy[3] - centre(cy)) * FLOW_ONE) / FIXED_ONE)];
}

/** Moves interior vertices by their cell's flow-map entry, clamped to the grid (what advectResample does before resampling). */
function flowMove(xy: Int32Array, n: number, flow: Int8Array, width: number): void {
  const limit = (width - 1) * FIXED_ONE;
  for (let k = 1; k < n - 1; k++) {
    const c = Math.floor(xy[2 * k + 1] / FIXED_ONE) * width + Math.floor(xy[2 * k] / FIXED_ONE);
    xy[2 * k] = Math.min(limit, Math.max(0, xy[2 * k] + (flow[2 * c] * FIXED_ONE) / FLOW_ONE));
    xy[2 * k + 1] = Math.min(limit, Math.max(0, xy[2 * k + 1] + (flow[2 * c + 1] * FIXED_ONE) / FLOW_ONE));
  }
}

describe('flowMap', () => {
  it('holds, per cell, where STEPS_PER_RESAMPLE steps lead from its centre, for any band of rows', () => {
    const rand = random(17);
    const width = 23;
    const field = randomField(width, rand);
    const whole = new Int8Array(2 * width * width), bands = new Int8Array(2 * width * width).fill(99);
    flowMap(field, width, whole, 0, width);
    flowMap(field, width, bands, 0, 9);
    flowMap(field, width, bands, 9, width);
    expect(Array.from(bands)).toEqual(Array.from(whole));
    for (let cy = 0; cy < width; cy++) {
      for (let cx = 0; cx < width; cx++) {
        const c = cy * width + cx;
        expect([whole[2 * c], whole[2 * c + 1]]).toEqual(steppedFlow(field, width, cx, cy));
      }
    }
  });

  it('keeps the steps inside the grid: a corner cell pointing out moves nowhere', () => {
    const width = 4;
    const field = new Int8Array(2 * width * width).fill(-FIELD_ONE / 2); // every vector (-0.5, -0.5)
    const flow = new Int8Array(2 * width * width);
    flowMap(field, width, flow, 0, width);
    expect([flow[0], flow[1]]).toEqual([-FLOW_ONE / 2, -FLOW_ONE / 2]); // from (0.5, 0.5) to (0, 0)
    const far = 2 * (width * width - 1); // last cell: from (3, 3), 3 steps of (-1, -1) to (0, 0)
    expect([flow[far], flow[far + 1]]).toEqual([-3 * FLOW_ONE, -3 * FLOW_ONE]);
  });
});

describe('advectResample', () => {
  it('equals moving interior vertices by their flow-map entry, then a resample, exactly', () => {
    const rand = random(5);
    const width = 41;
    const field = randomField(width, rand);
    const flow = new Int8Array(2 * width * width);
    flowMap(field, width, flow, 0, width);
    const fused = new Int32Array(4000), plain = new Int32Array(4000);
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(rand() * 30);
      const xy = randomPolyline(n, width - 1, rand);
      const before = Int32Array.from(xy);
      const m = advectResample(xy, 0, n, flow, width, cellRules, fused, 3);
      expect(Array.from(xy)).toEqual(Array.from(before)); // source untouched
      flowMove(xy, n, flow, width);
      expect(m).toBe(resampleFixed(xy, 0, n, cellRules, plain, 3));
      expect(Array.from(fused.subarray(6, 6 + 2 * m))).toEqual(Array.from(plain.subarray(6, 6 + 2 * m)));
    }
  });

  it('says OUT_TOO_SMALL when out is too small', () => {
    const xy = Int32Array.from([0, 0, 24, 0].map(fx));
    expect(advectResample(xy, 0, 2, new Int8Array(2 * 36), 6, cellRules, new Int32Array(8), 0)).toBe(OUT_TOO_SMALL);
  });
});

describe('advectEdges', () => {
  /**
   * The schedule step by step: floor(cells / 2) steps of 2 cells, a resample after every 3rd
   * (the three steps before it one flow-map move), the steps after the last resample taken
   * one by one without one, and a last step of 1 cell when `cells` is odd.
   */
  function naiveRound(lines: PolylineStore, count: number, field: Int8Array, width: number, cells: number): number[][] {
    const steps = Math.floor(cells / 2);
    const flow = new Int8Array(2 * width * width);
    for (let cy = 0; cy < width; cy++) {
      for (let cx = 0; cx < width; cx++) [flow[2 * (cy * width + cx)], flow[2 * (cy * width + cx) + 1]] = steppedFlow(field, width, cx, cy);
    }
    const result: number[][] = [];
    for (let e = 0; e < count; e++) {
      let xy = lines.xy.slice(2 * lines.offsets[e], 2 * lines.offsets[e + 1]);
      let n = xy.length / 2;
      const walks = Math.floor(steps / 3);
      for (let s = 1; s <= steps; s++) {
        if (s > 3 * walks) advectStep(xy, 0, n, field, width, 2);
        else if (s % 3 === 0) {
          flowMove(xy, n, flow, width);
          const out = new Int32Array(2 * Math.max(n, resampledLength(Float64Array.from(xy, (v) => v / FIXED_ONE), 0, n, cellRules)) + 64);
          n = resampleFixed(xy, 0, n, cellRules, out, 0);
          xy = out.slice(0, 2 * n);
        }
      }
      if (cells % 2 === 1) advectStep(xy, 0, n, field, width, 1);
      result.push(Array.from(xy.subarray(0, 2 * n)));
    }
    return result;
  }

  function store(polylines: Int32Array[]): PolylineStore {
    const offsets = new Uint32Array(polylines.length + 1);
    polylines.forEach((p, e) => { offsets[e + 1] = offsets[e] + p.length / 2; });
    const xy = new Int32Array(2 * offsets[polylines.length]);
    polylines.forEach((p, e) => xy.set(p, 2 * offsets[e]));
    return { xy, offsets };
  }

  it('equals the step-by-step rounds for any number of steps, growing small buffers', () => {
    const rand = random(321);
    const width = 61;
    const field = randomField(width, rand);
    const flow = new Int8Array(2 * width * width);
    flowMap(field, width, flow, 0, width);
    expect([STEP_CELLS, STEPS_PER_RESAMPLE]).toEqual([2, 3]); // the schedule naiveRound spells out
    for (const cells of [0, 1, 2, 3, 5, 6, 7, 8, 12, 13, 35, 50, 51]) {
      const polylines = Array.from({ length: 12 }, () => randomPolyline(2 + Math.floor(rand() * 25), width - 1, rand));
      const expected = naiveRound(store(polylines), polylines.length, field, width, cells);
      const cur = store(polylines);
      const next: PolylineStore = { xy: new Int32Array(2), offsets: new Uint32Array(polylines.length + 1) };
      const scratch = new AdvectScratch();
      scratch.front = new Int32Array(4); scratch.back = new Int32Array(4);
      advectEdges(cur, next, 0, polylines.length, { field, flow, width }, cells, cellRules, scratch);
      const got = polylines.map((_, e) => Array.from(next.xy.subarray(2 * next.offsets[e], 2 * next.offsets[e + 1])));
      expect(got).toEqual(expected);
    }
  });

  it('advects a range of edges, starting at next.offsets[first], covering `cells` cells', () => {
    const width = 11;
    const field = new Int8Array(2 * width * width);
    for (let c = 0; c < width * width; c++) field[2 * c + 1] = FIELD_ONE; // +1 cell in y everywhere
    const flow = new Int8Array(2 * width * width);
    flowMap(field, width, flow, 0, width);
    const a = Int32Array.from([1, 1, 5, 1, 9, 1].map(fx)), b = Int32Array.from([1, 1, 4, 1, 7, 1].map(fx));
    const cur = store([a, b]);
    const next: PolylineStore = { xy: new Int32Array(100), offsets: Uint32Array.from([0, 40, 0]) };
    advectEdges(cur, next, 1, 2, { field, flow, width }, 7, cellRules, new AdvectScratch());
    expect(next.offsets[2]).toBe(43);
    // 7 cells up (a flow-map move of three 2-cell steps and its resample, then a step of 1);
    // only the middle vertex moves, and its segments stay under 8 cells.
    expect(Array.from(next.xy.subarray(80, 86))).toEqual([1, 1, 4, 8, 7, 1].map(fx));
  });
});
