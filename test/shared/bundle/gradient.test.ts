import { describe, expect, it } from 'vitest';
import { FIELD_ONE, GRADIENT_EPSILON, unitGradient } from '../../../shared/bundle/gradient.js';

/** Runs unitGradient over all rows and splits the field into x and y grids, in cells. */
function gradient(d: Float64Array, w: number, h: number): { gx: Float64Array; gy: Float64Array } {
  let max = 0;
  for (const v of d) max = Math.max(max, v);
  const field = new Int8Array(2 * w * h).fill(7);
  unitGradient(d, w, h, max, field, 0, h);
  const gx = new Float64Array(w * h), gy = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) { gx[i] = field[2 * i] / FIELD_ONE; gy[i] = field[2 * i + 1] / FIELD_ONE; }
  return { gx, gy };
}

/** The stored (rounded) form of a component v in cells. */
const stored = (v: number): number => Math.round(v * FIELD_ONE) / FIELD_ONE;

describe('unitGradient', () => {
  it('gives the Sobel slope of a ramp, scaled by the maximum, at (nearly) unit length', () => {
    // d[y][x] = x on 5x5: interior Sobel dx = (1+2+1) * 2 = 8, /4 = 2, /max 4 = 0.5; dy = 0.
    const w = 5, h = 5;
    const d = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = x;
    const { gx, gy } = gradient(d, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 1; x < w - 1; x++) {
        expect(gx[y * w + x]).toBe(stored(0.5 / (0.5 + GRADIENT_EPSILON)));
        expect(gy[y * w + x]).toBe(0);
      }
      // Edge columns replicate: dx = (1 - 0) * 4 / 4 / 4 = 0.25.
      expect(gx[y * w]).toBe(stored(0.25 / (0.25 + GRADIENT_EPSILON)));
    }
  });

  it('points uphill, towards a density peak, along both axes (row = y)', () => {
    const w = 9, h = 9;
    const d = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = Math.exp(-((x - 4) ** 2 + (y - 4) ** 2) / 4);
    const { gx, gy } = gradient(d, w, h); // stored to 1/64 of a cell, rounded
    expect(gx[4 * w + 2]).toBe(1); // left of the peak: +x
    expect(gx[4 * w + 6]).toBe(-1); // right: -x
    expect(gy[2 * w + 4]).toBe(1); // below (smaller y): +y
    expect(gy[6 * w + 4]).toBe(-1); // above: -y
    expect(gx[4 * w + 4]).toBe(0);
    expect(gy[4 * w + 4]).toBe(0);
    expect(gx[2 * w + 2]).toBe(stored(Math.SQRT1_2)); // 45 degrees: 45/64 of a cell each way
    expect(gy[2 * w + 2]).toBe(stored(Math.SQRT1_2));
  });

  it('gives a zero field for an empty density (no division by a zero maximum)', () => {
    const { gx, gy } = gradient(new Float64Array(9), 3, 3);
    expect(Array.from(gx)).toEqual(new Array(9).fill(0));
    expect(Array.from(gy)).toEqual(new Array(9).fill(0));
  });

  it('depends only on density / max, for tiny and huge densities alike (within float32)', () => {
    const base = Float64Array.from([0, 1, 2, 0, 3, 1, 2, 0, 1]);
    const reference = gradient(base, 3, 3);
    for (const scale of [1e-30, 1e-5, 1e5, 1e30]) {
      const { gx, gy } = gradient(base.map((v) => v * scale), 3, 3);
      for (let i = 0; i < 9; i++) {
        expect(Math.abs(gx[i] - reference.gx[i])).toBeLessThanOrEqual(1 / FIELD_ONE);
        expect(Math.abs(gy[i] - reference.gy[i])).toBeLessThanOrEqual(1 / FIELD_ONE);
      }
    }
  });

  it('writes only rows y0 .. y1-1, the same as a whole-grid pass there', () => {
    const w = 6, h = 7;
    const d = new Float64Array(w * h);
    for (let i = 0; i < d.length; i++) d[i] = (i * 37) % 11;
    const whole = new Int8Array(2 * w * h);
    unitGradient(d, w, h, 10, whole, 0, h);
    const parts = new Int8Array(2 * w * h).fill(-9);
    unitGradient(d, w, h, 10, parts, 2, 5);
    for (let i = 0; i < 2 * w * h; i++) {
      const row = Math.floor(i / (2 * w));
      expect(parts[i]).toBe(row >= 2 && row < 5 ? whole[i] : -9);
    }
  });
});
