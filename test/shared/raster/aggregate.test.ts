// Expected pixels are worked out by hand from datashader's rules: pixel = trunc(v * W / span +
// offset), max falls in the last pixel, row 0 is the lowest y; lines follow datashader's
// Bresenham (error = 2*dy - dx on doubled deltas, ties stepping only when moving +x / +y).
import { describe, it, expect } from 'vitest';
import { canvasSpec } from '../../../shared/raster/canvas.js';
import { aggregateLines, aggregatePoints, aggregatePointsAt, aggregatePointsListed, createPointBuckets } from '../../../shared/raster/aggregate.js';

const spec10 = canvasSpec({ width: 10, height: 10, xRange: [0, 10], yRange: [0, 10] });

/** The non-zero cells as 'x,y=count', sorted. */
function cells(agg: Uint32Array, width: number): string[] {
  const out: string[] = [];
  agg.forEach((v, i) => { if (v) out.push(`${i % width},${Math.floor(i / width)}=${v}`); });
  return out.sort();
}

function lines(polylines: number[][]): { xy: Float64Array; offsets: Uint32Array } {
  const xy = new Float64Array(polylines.flat());
  const offsets = new Uint32Array(polylines.length + 1);
  polylines.forEach((p, i) => { offsets[i + 1] = offsets[i] + p.length / 2; });
  return { xy, offsets };
}

describe('aggregatePoints', () => {
  it('counts points per pixel, row 0 at the lowest y, max in the last pixel, outside and NaN dropped', () => {
    const spec = canvasSpec({ width: 4, height: 4, xRange: [0, 4], yRange: [0, 4] });
    const xy = new Float64Array([
      0, 0, // (0,0)
      4, 4, // exactly max on both: (3,3)
      3.999, 0, // (3,0)
      4, 0, // x at max: (3,0)
      1.5, 2.5, // (1,2)
      1.5, 2.5, // again
      -0.1, 1, 4.1, 1, 1, -0.0001, 1, 4.0001, // outside
      Number.NaN, 1, 1, Number.NaN, // NaN
    ]);
    const agg = new Uint32Array(16);
    aggregatePoints(spec, xy, xy.length / 2, agg);
    expect(cells(agg, 4)).toEqual(['0,0=1', '1,2=2', '3,0=2', '3,3=1']);
  });

  it('takes Float32Array coordinates, adds into what is there, and counts only `count` points', () => {
    const spec = canvasSpec({ width: 2, height: 1, xRange: [0, 1], yRange: [0, 1] });
    const agg = new Uint32Array([5, 0]);
    aggregatePoints(spec, new Float32Array([0.75, 0.5, 0.25, 0.5, 0.25, 0.5]), 2, agg);
    expect([...agg]).toEqual([6, 1]);
  });

  it('maps a non-zero-based range like datashader (x * W/span - min * W/span)', () => {
    const spec = canvasSpec({ width: 2000, height: 2000, xRange: [-0.01, 1.01], yRange: [-0.01, 1.01] });
    const agg = new Uint32Array(2000 * 2000);
    // 0.5 -> 0.51 * 2000 / 1.02 = 1000; 1.01 (max) -> 1999; -0.01 -> 0.
    aggregatePoints(spec, new Float64Array([0.5, -0.01, 1.01, 1.01]), 2, agg);
    expect(cells(agg, 2000)).toEqual(['1000,0=1', '1999,1999=1']);
  });

  it('validates its parameters', () => {
    const agg = new Uint32Array(100);
    expect(() => aggregatePoints(spec10, [1, 2] as unknown as Float64Array, 1, agg)).toThrow(/xy must be a Float64Array or Float32Array/);
    expect(() => aggregatePoints(spec10, new Float64Array(4), 3, agg)).toThrow(/count \(3\) exceeds the 2 points in xy/);
    expect(() => aggregatePoints(spec10, new Float64Array(4), -1, agg)).toThrow(/count must be a non-negative integer/);
    expect(() => aggregatePoints(spec10, new Float64Array(4), 1, new Uint32Array(99))).toThrow(/out must have width\*height = 100 cells/);
    expect(() => aggregatePoints(spec10, new Float64Array(4), 1, new Int32Array(100) as unknown as Uint32Array)).toThrow(TypeError);
  });
});

describe('aggregatePointsListed', () => {
  it('counts as aggregatePoints does, replacing what out held, and lists the non-empty cells in ascending order', () => {
    const spec = canvasSpec({ width: 4, height: 4, xRange: [0, 4], yRange: [0, 4] });
    const xy = new Float64Array([
      1.5, 2.5, 0, 0, 4, 4, 3.999, 0, 4, 0, 1.5, 2.5,
      -0.1, 1, 4.1, 1, 1, -0.0001, 1, 4.0001, Number.NaN, 1, 1, Number.NaN,
    ]);
    const agg = new Uint32Array(16).fill(7);
    const listed = new Int32Array(12);
    const values = new Uint32Array(12);
    const n = aggregatePointsListed(spec, xy, xy.length / 2, agg, listed, createPointBuckets(), values);
    expect(cells(agg, 4)).toEqual(['0,0=1', '1,2=2', '3,0=2', '3,3=1']);
    // Cells y * 4 + x: (0,0) 0, (3,0) 3, (1,2) 9, (3,3) 15.
    expect([...listed.subarray(0, n)]).toEqual([0, 3, 9, 15]);
    expect([...values.subarray(0, n)]).toEqual([1, 2, 2, 1]);
  });

  it('equals aggregatePoints on a canvas of many bands, with buckets reused across calls and sizes', () => {
    let seed = 11;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const buckets = createPointBuckets();
    // The repeated sizes count other points with the rooms sized from the call before: some
    // bands' rooms overflow (more points there), some are left part empty.
    for (const [width, height, count] of [[700, 500, 20_000], [700, 500, 30_000], [700, 500, 3_000], [300, 301, 5], [1000, 1000, 60_000]] as const) {
      const spec = canvasSpec({ width, height, xRange: [0, 1], yRange: [0, 1] });
      // Clustered points: many cells hit several times, most never.
      const xy = new Float64Array(2 * count).map((_, i) => (i % 2 === 0 ? random() : random() ** 3));
      const expected = new Uint32Array(width * height);
      aggregatePoints(spec, xy, count, expected);
      const agg = new Uint32Array(width * height);
      const listed = new Int32Array(count);
      const n = aggregatePointsListed(spec, xy, count, agg, listed, buckets);
      const bytes = (a: Uint32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(bytes(agg).equals(bytes(expected))).toBe(true);
      const nonEmpty: number[] = [];
      expected.forEach((v, i) => { if (v !== 0) nonEmpty.push(i); });
      expect(bytes(listed.subarray(0, n)).equals(bytes(Int32Array.from(nonEmpty)))).toBe(true);
    }
  });

  it('validates its parameters', () => {
    const agg = new Uint32Array(100);
    const buckets = createPointBuckets();
    expect(() => aggregatePointsListed(spec10, new Float64Array(4), 3, agg, new Int32Array(3), buckets)).toThrow(/count \(3\) exceeds the 2 points in xy/);
    expect(() => aggregatePointsListed(spec10, new Float64Array(4), 2, agg, new Int32Array(1), buckets)).toThrow(/listed must be an Int32Array of at least min\(count, width\*height\) = 2/);
    expect(() => aggregatePointsListed(spec10, new Float64Array(4), 2, new Uint32Array(99), new Int32Array(2), buckets)).toThrow(/out must have width\*height = 100 cells/);
    expect(() => aggregatePointsListed(spec10, new Float64Array(4), 2, agg, new Int32Array(2), {} as never)).toThrow(/buckets must come from createPointBuckets/);
    expect(() => aggregatePointsListed(spec10, new Float64Array(4), 2, agg, new Int32Array(2), buckets, new Uint32Array(1))).toThrow(/values must be a Uint32Array of at least min\(count, width\*height\) = 2/);
  });
});

describe('aggregatePointsAt', () => {
  it('counts the listed points and records each cell it takes from 0 to 1', () => {
    const spec = canvasSpec({ width: 4, height: 1, xRange: [0, 4], yRange: [0, 1] });
    const xy = new Float64Array([0.5, 0.5, 1.5, 0.5, 2.5, 0.5, 9, 9]);
    const agg = new Uint32Array(4);
    const touched = new Int32Array(5);
    const n = aggregatePointsAt(spec, xy, new Int32Array([2, 0, 2, 3, 0]), 5, agg, touched);
    expect([...agg]).toEqual([2, 0, 2, 0]);
    expect([...touched.subarray(0, n)]).toEqual([2, 0]);
  });

  it('rejects indices outside xy and a short touched list', () => {
    const agg = new Uint32Array(100);
    expect(() => aggregatePointsAt(spec10, new Float64Array(4), new Int32Array([2]), 1, agg)).toThrow(/indices\[0\] = 2 is not a point of xy/);
    expect(() => aggregatePointsAt(spec10, new Float64Array(4), new Int32Array([-1]), 1, agg)).toThrow(RangeError);
    expect(() => aggregatePointsAt(spec10, new Float64Array(4), new Int32Array([0, 1]), 2, agg, new Int32Array(1))).toThrow(/touched/);
  });
});

describe('aggregateLines', () => {
  it('draws a horizontal segment end to end', () => {
    const { xy, offsets } = lines([[0.5, 0.5, 5.5, 0.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=1', '2,0=1', '3,0=1', '4,0=1', '5,0=1']);
  });

  it('counts the vertex shared by consecutive segments once', () => {
    const { xy, offsets } = lines([[0.5, 0.5, 3.5, 0.5, 3.5, 3.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=1', '2,0=1', '3,0=1', '3,1=1', '3,2=1', '3,3=1']);
  });

  it('draws a shallow slope: (0,0) to (6,2)', () => {
    // dx=12, dy=4 (doubled): error -4, +4, -12, -4, +4, -12 ... stepping y after x=1 and x=4.
    const { xy, offsets } = lines([[0.5, 0.5, 6.5, 2.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=1', '2,1=1', '3,1=1', '4,1=1', '5,2=1', '6,2=1']);
  });

  it('draws a steep negative slope: (2,6) to (0,0)', () => {
    const { xy, offsets } = lines([[2.5, 6.5, 0.5, 0.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '0,1=1', '1,2=1', '1,3=1', '1,4=1', '2,5=1', '2,6=1']);
  });

  it('breaks ties the same way in both directions', () => {
    // (0,0)-(2,1): error starts at 0; datashader steps y on a zero error only when moving +x.
    const forward = new Uint32Array(100);
    const backward = new Uint32Array(100);
    const a = lines([[0.5, 0.5, 2.5, 1.5]]);
    const b = lines([[2.5, 1.5, 0.5, 0.5]]);
    aggregateLines(spec10, a.xy, a.offsets, 1, forward);
    aggregateLines(spec10, b.xy, b.offsets, 1, backward);
    expect(cells(forward, 10)).toEqual(['0,0=1', '1,1=1', '2,1=1']);
    expect(cells(backward, 10)).toEqual(cells(forward, 10));
  });

  it('skips segments with a NaN end and restarts after them', () => {
    const { xy, offsets } = lines([[0.5, 0.5, 2.5, 0.5, Number.NaN, Number.NaN, 0.5, 2.5, 2.5, 2.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '0,2=1', '1,0=1', '1,2=1', '2,0=1', '2,2=1']);
  });

  it('keeps polylines apart: each starts with its first vertex', () => {
    const { xy, offsets } = lines([[0.5, 0.5, 1.5, 0.5], [1.5, 0.5, 2.5, 0.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 2, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=2', '2,0=1']);
  });

  it('counts a segment inside one pixel by itself, as datashader does', () => {
    // Second segment (2.5,0.5)-(2.6,0.6) stays in pixel (2,0): datashader adds that pixel again.
    const { xy, offsets } = lines([[0.5, 0.5, 2.5, 0.5, 2.6, 0.6], [5.5, 5.5, 5.6, 5.7]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 2, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=1', '2,0=2', '5,5=1']);
  });

  it('clips segments to the ranges; a clipped start is drawn, max falls in the last pixel', () => {
    const { xy, offsets } = lines([[-5, 0.5, 3.5, 0.5], [7.5, 9.5, 15, 9.5], [20, 1, 30, 1], [5.5, -3, 5.5, 1.5]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 4, agg);
    expect(cells(agg, 10)).toEqual(['0,0=1', '1,0=1', '2,0=1', '3,0=1', '5,0=1', '5,1=1', '7,9=1', '8,9=1', '9,9=1']);
  });

  it('draws along the max edge in the last row', () => {
    const { xy, offsets } = lines([[0.5, 10, 2.5, 10]]);
    const agg = new Uint32Array(100);
    aggregateLines(spec10, xy, offsets, 1, agg);
    expect(cells(agg, 10)).toEqual(['0,9=1', '1,9=1', '2,9=1']);
  });

  it('validates offsets and counts', () => {
    const agg = new Uint32Array(100);
    const xy = new Float64Array(8);
    expect(() => aggregateLines(spec10, xy, new Uint32Array([0, 2]), 2, agg)).toThrow(/polylineCount \(2\) exceeds the 1 polylines in offsets/);
    expect(() => aggregateLines(spec10, xy, new Uint32Array([0, 3, 2]), 2, agg)).toThrow(/offsets must not decrease/);
    expect(() => aggregateLines(spec10, xy, new Uint32Array([0, 5]), 1, agg)).toThrow(/offsets\[1\] = 5 exceeds the 4 points in xy/);
    expect(() => aggregateLines(spec10, xy, [0, 1] as unknown as Uint32Array, 1, agg)).toThrow(TypeError);
  });
});
