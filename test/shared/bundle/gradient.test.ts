import { describe, expect, it } from 'vitest';
import { GRADIENT_EPSILON, unitGradient } from '../../../shared/bundle/gradient.js';

/** Runs unitGradient and splits the interleaved field into x and y grids. */
function gradient(d: Float64Array, w: number, h: number, length = 1): { gx: Float64Array; gy: Float64Array } {
  const field = new Float64Array(2 * w * h).fill(7);
  unitGradient(d, w, h, field, length);
  const gx = new Float64Array(w * h), gy = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) { gx[i] = field[2 * i]; gy[i] = field[2 * i + 1]; }
  return { gx, gy };
}

describe('unitGradient', () => {
  it('gives the Sobel slope of a ramp, scaled by the maximum, at (nearly) unit length', () => {
    // d[y][x] = x on 5x5: interior Sobel dx = (1+2+1) * 2 = 8, /4 = 2, /max 4 = 0.5; dy = 0.
    const w = 5, h = 5;
    const d = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = x;
    const { gx, gy } = gradient(d, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 1; x < w - 1; x++) {
        expect(gx[y * w + x]).toBeCloseTo(0.5 / (0.5 + GRADIENT_EPSILON), 15);
        expect(gy[y * w + x]).toBe(0);
      }
      // Edge columns replicate: dx = (1 - 0) * 4 / 4 / 4 = 0.25.
      expect(gx[y * w]).toBeCloseTo(0.25 / (0.25 + GRADIENT_EPSILON), 15);
    }
  });

  it('scales the vectors to the requested length', () => {
    const d = Float64Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const { gx, gy } = gradient(d, 3, 3, 0.002);
    // centre: dx = 8 / 4 / 2 = 1.
    expect(gx[4]).toBeCloseTo(0.002 / (1 + GRADIENT_EPSILON), 18);
    expect(gy[4]).toBe(0);
  });

  it('points uphill, towards a density peak, along both axes (row = y)', () => {
    const w = 9, h = 9;
    const d = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = Math.exp(-((x - 4) ** 2 + (y - 4) ** 2) / 4);
    const { gx, gy } = gradient(d, w, h);
    expect(gx[4 * w + 2]).toBeCloseTo(1, 4); // left of the peak: +x
    expect(gx[4 * w + 6]).toBeCloseTo(-1, 4); // right: -x
    expect(gy[2 * w + 4]).toBeCloseTo(1, 4); // below (smaller y): +y
    expect(gy[6 * w + 4]).toBeCloseTo(-1, 4); // above: -y
    expect(gx[4 * w + 4]).toBe(0);
    expect(gy[4 * w + 4]).toBe(0);
    expect(gx[2 * w + 2]).toBeCloseTo(Math.SQRT1_2, 4);
    expect(gy[2 * w + 2]).toBeCloseTo(Math.SQRT1_2, 4);
  });

  it('gives a zero field for an empty density (no division by a zero maximum)', () => {
    const { gx, gy } = gradient(new Float64Array(9), 3, 3);
    expect(Array.from(gx)).toEqual(new Array(9).fill(0));
    expect(Array.from(gy)).toEqual(new Array(9).fill(0));
  });
});

describe('unitGradient normalisation', () => {
  it('divides the density by its maximum in place and copes with tiny or huge maxima', () => {
    for (const peak of [5e-324, 1e-300, 1e300, 1.7e308]) {
      const d = Float64Array.from([0, 0, 0, 0, peak, 0, 0, 0, 0]);
      const field = new Float64Array(18);
      unitGradient(d, 3, 3, field);
      expect(d[4]).toBe(1);
      for (const v of field) expect(Number.isFinite(v)).toBe(true);
      expect(field[2 * 3]).toBeCloseTo(1, 4); // cell (0,1): peak to the right
    }
  });
});
