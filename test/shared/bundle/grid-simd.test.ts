import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { blurColumnsY, blurRowsX, unitGradientSimd } from '../../../shared/bundle/grid-simd.js';
import { gaussianKernel } from '../../../shared/bundle/density.js';

function random(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
}

/** The blur along x of rows y0 .. y1-1 of the summed sources, in float64, edge cells replicated. */
function rowsByHand(sources: Float32Array[], width: number, y0: number, y1: number, kernel: Float64Array): Float64Array {
  const r = (kernel.length - 1) >> 1;
  const out = new Float64Array(sources[0].length);
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let j = -r; j <= r; j++) {
        const xx = Math.min(width - 1, Math.max(0, x + j));
        for (const s of sources) sum += kernel[j + r] * s[y * width + xx];
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}

/** The blur along y of columns x0 .. x1-1, in float64, edge rows replicated. */
function columnsByHand(src: Float32Array, width: number, height: number, x0: number, x1: number, kernel: Float64Array): Float64Array {
  const r = (kernel.length - 1) >> 1;
  const out = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = x0; x < x1; x++) {
      let sum = 0;
      for (let j = -r; j <= r; j++) sum += kernel[j + r] * src[Math.min(height - 1, Math.max(0, y + j)) * width + x];
      out[y * width + x] = sum;
    }
  }
  return out;
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, from: number, to: number): void {
  for (let i = from; i < to; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
}

describe('grid-simd (WebAssembly)', () => {
  it('is the module its AssemblyScript source compiles to', () => {
    const run = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('blurs rows of summed sources as the float64 sum does, for any width, band and kernel', () => {
    const rand = random(41);
    for (const [width, height, sigma] of [[1, 3, 1], [7, 5, 0.4], [13, 9, 3], [37, 20, 2.5], [501, 6, 8.75]] as const) {
      const kernel = gaussianKernel(sigma);
      const sources = [0, 1].map(() => Float32Array.from({ length: width * height }, () => (rand() < 0.3 ? rand() * 9 : 0)));
      const dst = new Float32Array(width * height).fill(-1);
      blurRowsX(sources, dst, width, 1, height - 1, kernel);
      const want = rowsByHand(sources, width, 1, height - 1, kernel);
      expectNear(dst, want, width, (height - 1) * width);
      expect(dst[0]).toBe(-1); // rows outside the band untouched
      expect(dst[dst.length - 1]).toBe(-1);
    }
  });

  it('blurs a band of columns as the float64 sum does, returning its largest value', () => {
    const rand = random(43);
    for (const [width, height, sigma, x0, x1] of [[9, 9, 1, 0, 9], [23, 17, 3, 5, 18], [10, 4, 6, 3, 10], [251, 251, 4.3, 0, 125]] as const) {
      const kernel = gaussianKernel(sigma);
      const src = Float32Array.from({ length: width * height }, () => (rand() < 0.3 ? rand() * 9 : 0));
      const dst = new Float64Array(width * height).fill(-1);
      const max = blurColumnsY(src, dst, width, height, x0, x1, kernel);
      const want = columnsByHand(src, width, height, x0, x1, kernel);
      let wantMax = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = y * width + x;
          if (x < x0 || x >= x1) { expect(dst[i]).toBe(-1); continue; }
          expectNear(dst, want, i, i + 1);
          wantMax = Math.max(wantMax, dst[i]);
        }
      }
      expect(max).toBe(wantMax);
    }
  });

  it('grows its memory for a larger grid after a small one', () => {
    const kernel = gaussianKernel(2);
    const small = new Float32Array(16).fill(1), big = new Float32Array(1500 * 1500).fill(1);
    blurColumnsY(small, new Float32Array(16), 4, 4, 0, 4, kernel);
    const out = new Float32Array(big.length);
    expect(blurColumnsY(big, out, 1500, 1500, 0, 1500, kernel)).toBeCloseTo(1, 5);
    expect(out[1500 * 1500 - 1]).toBeCloseTo(1, 5);
  });

  it('takes the unit gradient as the float64 Sobel does, to within a 64th of a cell, exactly in most cells', () => {
    const rand = random(47);
    const width = 37, height = 23;
    const d = Float32Array.from({ length: width * height }, () => rand() * rand());
    const field = new Int8Array(2 * width * height);
    unitGradientSimd(d, width, height, 0.25, 64, 1e-5, field, 0, height);
    const at = (x: number, y: number): number => d[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
    let exact = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const column = (c: number): number => at(c, y - 1) + 2 * at(c, y) + at(c, y + 1);
        const row = (r: number): number => at(x - 1, r) + 2 * at(x, r) + at(x + 1, r);
        const sx = (column(x + 1) - column(x - 1)) * 0.25, sy = (row(y + 1) - row(y - 1)) * 0.25;
        const k = 64 / (Math.hypot(sx, sy) + 1e-5);
        const want = [Math.floor(sx * k + 64.5) - 64, Math.floor(sy * k + 64.5) - 64];
        const got = [field[2 * (y * width + x)], field[2 * (y * width + x) + 1]];
        expect(Math.abs(got[0] - want[0])).toBeLessThanOrEqual(1);
        expect(Math.abs(got[1] - want[1])).toBeLessThanOrEqual(1);
        if (got[0] === want[0] && got[1] === want[1]) exact++;
      }
    }
    expect(exact).toBeGreaterThan(0.95 * width * height);
  });
});
