// Expected values are worked out by hand: pixel = trunc(v * W / span + offset), row 0 the lowest y;
// for the antialiased mode, pixel k spans k .. k+1 in pixel units (centre k+0.5), a column gets the
// segment's length inside it, split between the two rows around the line by nearness.
import { describe, it, expect } from 'vitest';
import { canvasSpec } from '../../../shared/raster/canvas.js';
import { aggregateLines, aggregatePoints } from '../../../shared/raster/aggregate.js';
import { aggregateLinesAntialiased, sumLines, sumPoints } from '../../../shared/raster/aggregate-weighted.js';

function lines(polylines: number[][]): { xy: Float64Array; offsets: Uint32Array } {
  const xy = new Float64Array(polylines.flat());
  const offsets = new Uint32Array(polylines.length + 1);
  polylines.forEach((p, i) => { offsets[i + 1] = offsets[i] + p.length / 2; });
  return { xy, offsets };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random polylines over a range a little wider than the canvas (so some get clipped), with some NaN breaks. */
function randomPolylines(seed: number, count: number): { xy: Float64Array; offsets: Uint32Array } {
  const next = random(seed);
  const polylines: number[][] = [];
  for (let i = 0; i < count; i++) {
    const points: number[] = [];
    const n = 1 + Math.floor(next() * 6);
    for (let k = 0; k < n; k++) {
      if (next() < 0.05) points.push(Number.NaN, Number.NaN);
      else points.push(-0.2 + next() * 1.4, -0.2 + next() * 1.4);
    }
    polylines.push(points);
  }
  return lines(polylines);
}

const specUnit = canvasSpec({ width: 37, height: 23, xRange: [0, 1], yRange: [0, 1] });

describe('sumPoints', () => {
  it('adds each polyline weight on its points, max in the last pixel, outside and NaN dropped', () => {
    const spec = canvasSpec({ width: 4, height: 4, xRange: [0, 4], yRange: [0, 4] });
    const { xy, offsets } = lines([
      [0, 0, 4, 4, 1.5, 2.5], // (0,0), (3,3), (1,2) with 2.5
      [1.5, 2.5, -0.1, 1, Number.NaN, 1], // (1,2) with -1; the rest dropped
      [3.999, 0], // not drawn: polylineCount is 2
    ]);
    const out = new Float64Array(16);
    out[0] = 10; // added to, not replaced
    sumPoints(spec, xy, offsets, 2, new Float64Array([2.5, -1, 100]), out);
    const expected = new Float64Array(16);
    expected[0] = 12.5;
    expected[3 * 4 + 3] = 2.5;
    expected[2 * 4 + 1] = 1.5;
    expect(out).toEqual(expected);
  });

  it('with weight 1 equals aggregatePoints', () => {
    const { xy, offsets } = randomPolylines(7, 300);
    const counts = new Uint32Array(specUnit.width * specUnit.height);
    aggregatePoints(specUnit, xy, offsets[300], counts);
    const sums = new Float64Array(counts.length);
    sumPoints(specUnit, xy, offsets, 300, new Float64Array(300).fill(1), sums);
    expect(Array.from(sums)).toEqual(Array.from(counts));
  });
});

describe('sumLines', () => {
  it('with all weights 1 equals aggregateLines exactly (clipping, NaN breaks, shared vertices)', () => {
    for (const seed of [1, 2, 3]) {
      const { xy, offsets } = randomPolylines(seed, 400);
      const counts = new Uint32Array(specUnit.width * specUnit.height);
      aggregateLines(specUnit, xy, offsets, 400, counts);
      const sums = new Float64Array(counts.length);
      sumLines(specUnit, xy, offsets, 400, new Float64Array(400).fill(1), sums);
      expect(Array.from(sums)).toEqual(Array.from(counts));
    }
  });

  it('adds the weight of each polyline on the pixels it counts', () => {
    const spec = canvasSpec({ width: 10, height: 10, xRange: [0, 10], yRange: [0, 10] });
    // Polyline 0: (0,0)-(3,0)-(3,2): pixels x 0..3 on row 0, then (3,1), (3,2), vertex (3,0) once.
    // Polyline 1: (2.5,0.5)-(2.5,1.5): pixels (2,0), (2,1).
    const { xy, offsets } = lines([[0.5, 0.5, 3.5, 0.5, 3.5, 2.5], [2.5, 0.5, 2.5, 1.5]]);
    const out = new Float64Array(100);
    sumLines(spec, xy, offsets, 2, new Float64Array([0.25, 4]), out);
    const expected = new Float64Array(100);
    for (const cell of [0, 1, 2, 3, 13, 23]) expected[cell] += 0.25;
    for (const cell of [2, 12]) expected[cell] += 4;
    expect(out).toEqual(expected);
  });
});

describe('aggregateLinesAntialiased', () => {
  const spec = canvasSpec({ width: 10, height: 8, xRange: [0, 10], yRange: [0, 8] });
  const cell = (x: number, y: number): number => y * 10 + x;

  it('puts a horizontal line through pixel centres wholly on its row', () => {
    // y = 3.5 is the centre of row 3; x 0.5 .. 9.5 covers columns 0 and 9 by half, 1..8 whole.
    const { xy, offsets } = lines([[0.5, 3.5, 9.5, 3.5]]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 1, null, out);
    const expected = new Float32Array(80);
    for (let x = 1; x <= 8; x++) expected[cell(x, 3)] = 1;
    expected[cell(0, 3)] = 0.5;
    expected[cell(9, 3)] = 0.5;
    expect(out).toEqual(expected);
  });

  it('covers a full-width line whole in every column', () => {
    const { xy, offsets } = lines([[0, 2.5, 10, 2.5]]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 1, null, out);
    const expected = new Float32Array(80);
    for (let x = 0; x < 10; x++) expected[cell(x, 2)] = 1;
    expect(out).toEqual(expected);
  });

  it('splits a line halfway between two rows 0.5 / 0.5, times the weight', () => {
    const { xy, offsets } = lines([[0, 4, 10, 4]]); // between the centres of rows 3 (3.5) and 4 (4.5)
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 1, new Float64Array([3]), out);
    const expected = new Float32Array(80);
    for (let x = 0; x < 10; x++) {
      expected[cell(x, 3)] = 1.5;
      expected[cell(x, 4)] = 1.5;
    }
    expect(out).toEqual(expected);
  });

  it('splits by nearness: a quarter pixel above a centre gives 0.75 / 0.25', () => {
    const { xy, offsets } = lines([[0, 1.75, 10, 1.75]]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 1, null, out);
    for (let x = 0; x < 10; x++) {
      expect(out[cell(x, 1)]).toBeCloseTo(0.75, 6);
      expect(out[cell(x, 2)]).toBeCloseTo(0.25, 6);
    }
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(10, 5);
  });

  it('draws a vertical line along rows, and a diagonal through centres one pixel per column', () => {
    const { xy, offsets } = lines([[6.5, 0, 6.5, 8], [0.5, 0.5, 7.5, 7.5]]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 2, new Float64Array([1, 2]), out);
    const expected = new Float32Array(80);
    for (let y = 0; y < 8; y++) expected[cell(6, y)] = 1;
    for (let k = 1; k <= 6; k++) expected[cell(k, k)] += 2;
    expected[cell(0, 0)] += 1; // half-covered end columns
    expected[cell(7, 7)] += 1;
    expect(out).toEqual(expected);
  });

  it('meets consecutive segments without overlap: a bent polyline covers its major length once', () => {
    const { xy, offsets } = lines([[0.5, 1.5, 3.25, 1.5, 6.8, 2.5, 9.5, 2.5]]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 1, null, out);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(9, 5);
    for (let x = 1; x <= 8; x++) {
      expect(out[cell(x, 0)] + out[cell(x, 1)] + out[cell(x, 2)] + out[cell(x, 3)]).toBeCloseTo(1, 5);
    }
  });

  it('adds up to the length along the major axis for long random lines, never NaN', () => {
    const big = canvasSpec({ width: 500, height: 400, xRange: [0, 1], yRange: [0, 1] });
    const next = random(11);
    const n = 200;
    const xy = new Float64Array(4 * n);
    const offsets = new Uint32Array(n + 1);
    let expectedTotal = 0;
    for (let i = 0; i < n; i++) {
      // Ends at least a pixel inside the canvas, so nothing falls beyond an edge.
      for (let k = 0; k < 4; k++) xy[4 * i + k] = 0.01 + next() * 0.98;
      offsets[i + 1] = 2 * (i + 1);
      expectedTotal += Math.max(Math.abs(xy[4 * i + 2] - xy[4 * i]) * 500, Math.abs(xy[4 * i + 3] - xy[4 * i + 1]) * 400);
    }
    const out = new Float32Array(500 * 400);
    aggregateLinesAntialiased(big, xy, offsets, n, null, out);
    let total = 0;
    let bad = 0;
    for (let c = 0; c < out.length; c++) {
      if (!(Number.isFinite(out[c]) && out[c] >= 0)) bad++;
      total += out[c];
    }
    expect(bad).toBe(0);
    expect(Math.abs(total - expectedTotal) / expectedTotal).toBeLessThan(1e-5);
  });

  it('clips to the ranges, skips non-finite ends and zero-length segments', () => {
    const { xy, offsets } = lines([
      [-5, 2.5, 15, 2.5], // clipped to the full width of row 2
      [1, 1, Number.NaN, 1, 3, 6.5], // both segments touch the NaN: skipped
      [Number.POSITIVE_INFINITY, 5, 3, 5, 3, 5], // infinite end skipped, then zero length
      [20, 20, 30, 30], // wholly outside
    ]);
    const out = new Float32Array(80);
    aggregateLinesAntialiased(spec, xy, offsets, 4, null, out);
    const expected = new Float32Array(80);
    for (let x = 0; x < 10; x++) expected[cell(x, 2)] = 1;
    expect(out).toEqual(expected);
  });

  it('validates its parameters up front, naming them', () => {
    const { xy, offsets } = lines([[0, 0, 1, 1]]);
    const out = new Float32Array(80);
    expect(() => aggregateLinesAntialiased(spec, [0, 0] as unknown as Float64Array, offsets, 1, null, out)).toThrow(/xy must be/);
    expect(() => aggregateLinesAntialiased(spec, xy, [0, 2] as unknown as Uint32Array, 1, null, out)).toThrow(/offsets must be a Uint32Array/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 2, null, out)).toThrow(RangeError);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, -1, null, out)).toThrow(/polylineCount must be a non-negative integer/);
    expect(() => aggregateLinesAntialiased(spec, xy, new Uint32Array([0, 3]), 1, null, out)).toThrow(/offsets\[1\] = 3 exceeds the 2 points/);
    expect(() => aggregateLinesAntialiased(spec, xy, new Uint32Array([2, 1]), 1, null, out)).toThrow(/offsets must not decrease/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 1, new Float64Array(0), out)).toThrow(/weights must hold at least polylineCount = 1/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 1, new Float64Array([Number.NaN]), out)).toThrow(/weights\[0\] must be finite/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 1, [1] as unknown as Float64Array, out)).toThrow(/weights must be a Float64Array or null/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 1, null, new Float32Array(79))).toThrow(/out must have width\*height = 80/);
    expect(() => aggregateLinesAntialiased(spec, xy, offsets, 1, null, new Float64Array(80) as unknown as Float32Array)).toThrow(/out must be a Float32Array/);
    const sums = new Float64Array(80);
    expect(() => sumLines(spec, xy, offsets, 1, null as unknown as Float64Array, sums)).toThrow(/weights must be a Float64Array$/);
    expect(() => sumPoints(spec, xy, offsets, 1, new Float64Array([Number.POSITIVE_INFINITY]), sums)).toThrow(/weights\[0\] must be finite/);
    expect(() => sumPoints(spec, xy, offsets, 1, new Float64Array([1]), new Uint32Array(80) as unknown as Float64Array)).toThrow(/out must be a Float64Array/);
    // Validation happens before anything is drawn: a bad weight of the second polyline leaves out untouched.
    const two = lines([[0.5, 0.5, 5.5, 0.5], [0.5, 1.5, 5.5, 1.5]]);
    expect(() => sumLines(spec, two.xy, two.offsets, 2, new Float64Array([1, Number.NaN]), sums)).toThrow(/weights\[1\] must be finite/);
    expect(() => aggregateLinesAntialiased(spec, two.xy, two.offsets, 2, new Float64Array([1, Number.NaN]), out)).toThrow(/weights\[1\]/);
    expect(sums.every((v) => v === 0) && out.every((v) => v === 0)).toBe(true);
  });
});
