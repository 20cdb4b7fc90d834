import { describe, expect, it } from 'vitest';
import {
  COARSE_SIGMA, blurCoarseRowsX, blurColumnsY, blurRowsX, blurSigma, coarseWidth, gaussianKernel, splatEdges, widenRows,
} from '../../../shared/bundle/density.js';
import { FIXED_ONE } from '../../../shared/bundle/polylines.js';

describe('gaussianKernel', () => {
  it('has radius floor(4 sigma + 0.5), sums to 1 and is symmetric', () => {
    for (const sigma of [0.3, 1, 3.00125, 4.2875, 6.125, 8.75]) {
      const k = gaussianKernel(sigma);
      expect(k.length).toBe(2 * Math.floor(4 * sigma + 0.5) + 1);
      expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      for (let i = 0; i < k.length; i++) expect(k[i]).toBe(k[k.length - 1 - i]);
    }
  });

  it('matches exp(-x^2 / 2 sigma^2) normalised, for sigma = 1', () => {
    const k = gaussianKernel(1);
    expect(k.length).toBe(9);
    const sum = 1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5) + Math.exp(-8));
    expect(k[4]).toBeCloseTo(1 / sum, 15);
    expect(k[5]).toBeCloseTo(Math.exp(-0.5) / sum, 15);
    expect(k[8]).toBeCloseTo(Math.exp(-8) / sum, 15);
  });

  it('rejects a non-positive sigma', () => {
    expect(() => gaussianKernel(0)).toThrow(/sigma/);
    expect(() => gaussianKernel(NaN)).toThrow(/sigma/);
  });
});

/** Both blur passes over the whole grid, as one thread runs them; returns the max the y pass reports. */
function blur(grid: Float64Array, width: number, height: number, kernel: Float64Array, sources = [grid]): number {
  const across = new Float64Array(width * height);
  blurRowsX(sources, across, width, 0, height, kernel);
  return blurColumnsY(across, grid, width, height, 0, width, kernel);
}

describe('blurRowsX + blurColumnsY (float32 arithmetic)', () => {
  const size = 21;
  const k = gaussianKernel(1); // radius 4

  it('blurs a delta into the outer product of the kernel and reports its peak', () => {
    const grid = new Float64Array(size * size);
    grid[10 * size + 10] = 1;
    const max = blur(grid, size, size, k);
    let sum = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dy = y - 10, dx = x - 10;
        const expected = Math.abs(dx) <= 4 && Math.abs(dy) <= 4 ? k[dy + 4] * k[dx + 4] : 0;
        expect(grid[y * size + x]).toBeCloseTo(expected, 7);
        sum += grid[y * size + x];
      }
    }
    expect(sum).toBeCloseTo(1, 6);
    expect(max).toBe(grid[10 * size + 10]);
  });

  it('replicates edge cells: a corner delta keeps the taps that fall off the grid', () => {
    const grid = new Float64Array(size * size);
    grid[0] = 1;
    blur(grid, size, size, k);
    const inward = k[4] + k[5] + k[6] + k[7] + k[8]; // taps at offsets <= 0 all read cell 0
    expect(grid[0]).toBeCloseTo(inward * inward, 7);
    expect(grid[1]).toBeCloseTo(inward * (k[3] + k[2] + k[1] + k[0]), 7);
    expect(grid[size + 1]).toBeCloseTo((k[3] + k[2] + k[1] + k[0]) ** 2, 7);
  });

  it('leaves a constant grid constant, also with a kernel wider than the grid', () => {
    for (const kernel of [gaussianKernel(0.3), k, gaussianKernel(3)]) { // radius 1, 4, 12 on 5 x 3
      const grid = new Float64Array(5 * 3).fill(2.5);
      expect(blur(grid, 5, 3, kernel)).toBeCloseTo(2.5, 6);
      for (const v of grid) expect(v).toBeCloseTo(2.5, 6);
    }
  });

  it('blurs the sum of several source grids', () => {
    const a = new Float64Array(size * size), b = new Float64Array(size * size), both = new Float64Array(size * size);
    a[3 * size + 7] = 2; b[3 * size + 7] = 0.5; b[15 * size + 2] = 1;
    both[3 * size + 7] = 2.5; both[15 * size + 2] = 1;
    const out = new Float64Array(size * size);
    blur(out, size, size, k, [a, b]);
    blur(both, size, size, k);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(both[i], 7);
  });

  it('gives the same result split into row and column bands (as threads share it)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const w = 37, h = 37;
    const grid = new Float64Array(w * h);
    for (let i = 0; i < grid.length; i++) grid[i] = rand() < 0.2 ? rand() : 0;
    const whole = Float64Array.from(grid);
    const wholeMax = blur(whole, w, h, gaussianKernel(2.5));
    const kernel = gaussianKernel(2.5);
    const across = new Float64Array(w * h), out = new Float64Array(w * h);
    blurRowsX([grid], across, w, 0, 11, kernel);
    blurRowsX([grid], across, w, 11, h, kernel);
    const max = Math.max(blurColumnsY(across, out, w, h, 0, 20, kernel), blurColumnsY(across, out, w, h, 20, w, kernel));
    expect(Array.from(out)).toEqual(Array.from(whole));
    expect(max).toBe(wholeMax);
  });
});

describe('splatEdges', () => {
  const f = (cells: number): number => Math.round(cells * FIXED_ONE);

  it('adds each vertex weight to its cell; the grid edge (accuracy) lands in the last cell', () => {
    const width = 11; // accuracy 10
    const grid = new Float64Array(width * width);
    // edge 0 (weight 2): (0,0) (5.5,2.5) ; edge 1 (weight 0.5): (10,10) (9.99,0.01) (5.5,2.5)
    const xy = Int32Array.from([0, 0, 5.5, 2.5, 10, 10, 9.99, 0.01, 5.5, 2.5].map(f));
    splatEdges(grid, width, { xy, offsets: Uint32Array.from([0, 2, 5]) }, 0, 2, Float64Array.from([2, 0.5]));
    expect(grid[0]).toBe(2);
    expect(grid[2 * width + 5]).toBe(2.5);
    expect(grid[10 * width + 10]).toBe(0.5);
    expect(grid[0 * width + 9]).toBe(0.5);
    expect(grid.reduce((a, b) => a + b, 0)).toBe(5.5);
  });

  it('counts 1 per vertex without weights, and only the edges asked for', () => {
    const grid = new Float64Array(4);
    const xy = Int32Array.from([0, 0, 0.5, 0.5, 1, 0, 0, 1].map(f));
    splatEdges(grid, 2, { xy, offsets: Uint32Array.from([0, 3, 4]) }, 0, 1, null);
    expect(Array.from(grid)).toEqual([2, 1, 0, 0]);
    splatEdges(grid, 2, { xy, offsets: Uint32Array.from([0, 3, 4]) }, 1, 2, null);
    expect(Array.from(grid)).toEqual([2, 1, 1, 0]);
  });
});

describe('half-resolution blurs', () => {
  const f = (cells: number): number => Math.round(cells * FIXED_ONE);

  it('run at half resolution from COARSE_SIGMA cells, with the variance the binning and widening add taken off', () => {
    expect(blurSigma(COARSE_SIGMA - 0.01)).toEqual({ coarse: false, sigma: COARSE_SIGMA - 0.01 });
    const wide = blurSigma(8.75);
    expect(wide.coarse).toBe(true);
    // Linear sharing and linear widening at a spacing of 2 cells each add 2^2/6 cells^2.
    expect(wide.sigma).toBeCloseTo(Math.sqrt(8.75 ** 2 - 8 / 6) / 2, 14);
    expect(coarseWidth(501)).toBe(251);
    expect(coarseWidth(500)).toBe(250);
  });

  /** The half-resolution grid of `sources` (fineWidth square) with no blur: blurCoarseRowsX with a one-tap kernel. */
  function coarsened(sources: Float64Array[], fineWidth: number, b0 = 0, b1 = coarseWidth(fineWidth), into?: Float64Array): Float64Array {
    const cw = coarseWidth(fineWidth);
    const out = into ?? new Float64Array(cw * cw);
    blurCoarseRowsX(sources, out, fineWidth, b0, b1, Float64Array.of(1), new Float64Array(fineWidth));
    return out;
  }

  it('share a cell 9/16, 3/16, 3/16, 1/16 between the bins around it, keeping what would fall off the grid', () => {
    const fineWidth = 9, cw = coarseWidth(fineWidth); // bins 0..4, bin b centred between cells 2b and 2b+1
    const fine = new Float64Array(fineWidth * fineWidth);
    // cell (3, 4): odd x -> bins 1 and 2 along x; even y -> bins 2 and 1 along y.
    const lines = { xy: Int32Array.from([3.5, 4.2, 0, 0, 8, 8].map(f)), offsets: Uint32Array.from([0, 1, 3]) };
    splatEdges(fine, fineWidth, lines, 0, 1, Float64Array.from([16, 4]));
    let grid = coarsened([fine], fineWidth);
    expect(grid[2 * cw + 1]).toBe(9);
    expect(grid[2 * cw + 2]).toBe(3);
    expect(grid[1 * cw + 1]).toBe(3);
    expect(grid[1 * cw + 2]).toBe(1);
    expect(grid.reduce((a, b) => a + b, 0)).toBe(16);
    // Cell (0, 0) has no bin before it: all its weight stays in bin (0, 0). Cell (8, 8), the
    // last, is even: bin 4 (centred between 8 and the 9th cell there is not) and bin 3.
    fine.fill(0);
    splatEdges(fine, fineWidth, lines, 1, 2, Float64Array.from([16, 4]));
    grid = coarsened([fine], fineWidth);
    expect(grid[0]).toBe(4);
    expect([grid[4 * cw + 4], grid[4 * cw + 3], grid[3 * cw + 4], grid[3 * cw + 3]]).toEqual([2.25, 0.75, 0.75, 0.25]);
    expect(grid.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('equal the vertices shared straight onto the coarse grid, for summed partial grids and any band of rows, odd or even widths', () => {
    let seed = 5;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const fineWidth of [1, 2, 3, 8, 9, 30, 31]) {
      const cw = coarseWidth(fineWidth), lastBin = cw - 1;
      const parts = [new Float64Array(fineWidth * fineWidth), new Float64Array(fineWidth * fineWidth)];
      const expected = new Float64Array(cw * cw);
      // Each vertex: 3/4 to its own bin along an axis, 1/4 to the bin its cell leans to.
      const near = (c: number): [number, number] => {
        const own = c >> 1;
        const other = c % 2 === 0 ? Math.max(own - 1, 0) : Math.min(own + 1, lastBin);
        return [own, other];
      };
      for (let v = 0; v < 200; v++) {
        const x = Math.floor(rand() * fineWidth), y = Math.floor(rand() * fineWidth), w = 1 + Math.floor(rand() * 4);
        parts[v % 2][y * fineWidth + x] += w;
        const [ox, fx] = near(x), [oy, fy] = near(y);
        expected[oy * cw + ox] += w * 0.75 * 0.75;
        expected[oy * cw + fx] += w * 0.75 * 0.25;
        expected[fy * cw + ox] += w * 0.25 * 0.75;
        expected[fy * cw + fx] += w * 0.25 * 0.25;
      }
      const whole = coarsened(parts, fineWidth);
      const bands = coarsened(parts, fineWidth, 0, cw >> 1, new Float64Array(cw * cw).fill(-1));
      coarsened(parts, fineWidth, cw >> 1, cw, bands);
      for (let i = 0; i < cw * cw; i++) {
        expect(Math.abs(whole[i] - expected[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, expected[i])); // float32
        expect(bands[i]).toBe(whole[i]);
      }
    }
  });

  it('widen back bilinearly: 3/4 of the own bin and 1/4 of the next, edges replicated; returning the max', () => {
    const fineWidth = 7, cw = coarseWidth(fineWidth); // 4 bins
    const coarse = new Float64Array(cw * cw);
    for (let by = 0; by < cw; by++) for (let bx = 0; bx < cw; bx++) coarse[by * cw + bx] = 8 * bx; // ramp along x
    const fine = new Float64Array(fineWidth * fineWidth);
    const max = widenRows(coarse, fine, fineWidth, 0, fineWidth, new Float64Array(cw));
    // Cell x lies at bin coordinate (x - 0.5) / 2, clamped to [0, 3] bins: values 8 * that.
    const expected = [0, 2, 6, 10, 14, 18, 22].map((v, x) => (x === 0 ? 0 : v));
    for (let y = 0; y < fineWidth; y++) expect(Array.from(fine.subarray(y * fineWidth, (y + 1) * fineWidth))).toEqual(expected);
    expect(max).toBe(22);
  });

  it('give nearly the full-resolution blur of the same vertices', () => {
    const fineWidth = 101, cw = coarseWidth(fineWidth);
    const sigma = 8.75;
    let seed = 11;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 400;
    const xy = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) { xy[2 * i] = f(20 + 60 * rand()); xy[2 * i + 1] = f(30 + 40 * rand() * rand()); }
    const lines = { xy, offsets: Uint32Array.from([0, n]) };
    const fine = new Float64Array(fineWidth * fineWidth), across = new Float64Array(fineWidth * fineWidth);
    const row = new Float64Array(fineWidth);
    splatEdges(fine, fineWidth, lines, 0, 1, null);
    const k = gaussianKernel(sigma);
    blurRowsX([fine], across, fineWidth, 0, fineWidth, k);
    blurColumnsY(across, fine, fineWidth, fineWidth, 0, fineWidth, k);
    const coarse = new Float64Array(cw * cw), widened = new Float64Array(fineWidth * fineWidth);
    const counts = new Float64Array(fineWidth * fineWidth);
    splatEdges(counts, fineWidth, lines, 0, 1, null);
    const kc = gaussianKernel(blurSigma(sigma).sigma);
    blurCoarseRowsX([counts], across, fineWidth, 0, cw, kc, row);
    blurColumnsY(across, coarse, cw, cw, 0, cw, kc);
    widenRows(coarse, widened, fineWidth, 0, fineWidth, row);
    // Each bin stands for 4 cells: the widened density is 4x the full-resolution one.
    let worst = 0, peak = 0;
    for (let i = 0; i < fine.length; i++) {
      worst = Math.max(worst, Math.abs(widened[i] / 4 - fine[i]));
      peak = Math.max(peak, fine[i]);
    }
    expect(worst / peak).toBeLessThan(0.01);
  });
});
