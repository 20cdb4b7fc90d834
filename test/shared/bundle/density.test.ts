import { describe, expect, it } from 'vitest';
import { blurColumnsY, blurRowsX, gaussianKernel, splatEdges } from '../../../shared/bundle/density.js';
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
  blurRowsX(sources, across, width, 0, height, kernel, new Float64Array(width + kernel.length));
  return blurColumnsY(across, grid, width, height, 0, width, kernel);
}

describe('blurRowsX + blurColumnsY', () => {
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
        expect(grid[y * size + x]).toBeCloseTo(expected, 15);
        sum += grid[y * size + x];
      }
    }
    expect(sum).toBeCloseTo(1, 14);
    expect(max).toBe(grid[10 * size + 10]);
  });

  it('replicates edge cells: a corner delta keeps the taps that fall off the grid', () => {
    const grid = new Float64Array(size * size);
    grid[0] = 1;
    blur(grid, size, size, k);
    const inward = k[4] + k[5] + k[6] + k[7] + k[8]; // taps at offsets <= 0 all read cell 0
    expect(grid[0]).toBeCloseTo(inward * inward, 15);
    expect(grid[1]).toBeCloseTo(inward * (k[3] + k[2] + k[1] + k[0]), 15);
    expect(grid[size + 1]).toBeCloseTo((k[3] + k[2] + k[1] + k[0]) ** 2, 15);
  });

  it('leaves a constant grid constant, also with a kernel wider than the grid', () => {
    for (const kernel of [gaussianKernel(0.3), k, gaussianKernel(3)]) { // radius 1, 4, 12 on 5 x 3
      const grid = new Float64Array(5 * 3).fill(2.5);
      expect(blur(grid, 5, 3, kernel)).toBeCloseTo(2.5, 13);
      for (const v of grid) expect(v).toBeCloseTo(2.5, 13);
    }
  });

  it('blurs the sum of several source grids', () => {
    const a = new Float64Array(size * size), b = new Float64Array(size * size), both = new Float64Array(size * size);
    a[3 * size + 7] = 2; b[3 * size + 7] = 0.5; b[15 * size + 2] = 1;
    both[3 * size + 7] = 2.5; both[15 * size + 2] = 1;
    const out = new Float64Array(size * size);
    blur(out, size, size, k, [a, b]);
    blur(both, size, size, k);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(both[i], 15);
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
    const row = new Float64Array(w + kernel.length);
    blurRowsX([grid], across, w, 0, 11, kernel, row);
    blurRowsX([grid], across, w, 11, h, kernel, row);
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
