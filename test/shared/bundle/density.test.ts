import { describe, expect, it } from 'vitest';
import { blurSeparable, gaussianKernel, splatPolylines } from '../../../shared/bundle/density.js';

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

describe('blurSeparable', () => {
  const size = 21;
  const k = gaussianKernel(1); // radius 4

  it('blurs a delta into the outer product of the kernel', () => {
    const grid = new Float64Array(size * size);
    grid[10 * size + 10] = 1;
    blurSeparable(grid, size, size, k, new Float64Array(size * size));
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
  });

  it('replicates edge cells: a corner delta keeps the taps that fall off the grid', () => {
    const grid = new Float64Array(size * size);
    grid[0] = 1;
    blurSeparable(grid, size, size, k, new Float64Array(size * size));
    const inward = k[4] + k[5] + k[6] + k[7] + k[8]; // taps at offsets <= 0 all read cell 0
    expect(grid[0]).toBeCloseTo(inward * inward, 15);
    expect(grid[1]).toBeCloseTo(inward * (k[3] + k[2] + k[1] + k[0]), 15);
    expect(grid[size + 1]).toBeCloseTo((k[3] + k[2] + k[1] + k[0]) ** 2, 15);
  });

  it('leaves a constant grid constant and handles a kernel wider than the grid', () => {
    const grid = new Float64Array(5 * 3).fill(2.5);
    blurSeparable(grid, 5, 3, gaussianKernel(3), new Float64Array(15));
    for (const v of grid) expect(v).toBeCloseTo(2.5, 13);
  });
});

describe('splatPolylines', () => {
  it('adds each vertex weight to cell floor(x*accuracy), floor(y*accuracy); 1 lands in the last cell', () => {
    const accuracy = 10, width = 11;
    const grid = new Float64Array(width * width);
    // polyline 0 (weight 2): (0,0) (0.55,0.25) ; polyline 1 (weight 0.5): (1,1) (0.999,0.001) (0.55,0.25)
    const xy = Float64Array.from([0, 0, 0.55, 0.25, 1, 1, 0.999, 0.001, 0.55, 0.25]);
    splatPolylines(grid, accuracy, xy, Uint32Array.from([0, 2, 5]), 2, Float64Array.from([2, 0.5]));
    expect(grid[0]).toBe(2);
    expect(grid[2 * width + 5]).toBe(2.5);
    expect(grid[10 * width + 10]).toBe(0.5);
    expect(grid[0 * width + 9]).toBe(0.5);
    expect(grid.reduce((a, b) => a + b, 0)).toBe(5.5);
  });

  it('counts 1 per vertex without weights', () => {
    const grid = new Float64Array(4);
    splatPolylines(grid, 1, Float64Array.from([0, 0, 0.5, 0.5, 1, 0]), Uint32Array.from([0, 3]), 1, null);
    expect(Array.from(grid)).toEqual([2, 1, 0, 0]);
  });
});
