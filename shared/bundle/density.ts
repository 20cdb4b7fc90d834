// Edge-vertex density on the bundling grid: every vertex adds its edge's weight to its cell,
// then a Gaussian blur (truncated at 4 sigma, edge cells replicated) turns the counts into a
// kernel density estimate. Grids are row-major, row = y cell, width = height = accuracy + 1;
// vertices are fixed-point grid units (polylines.ts; one of exactly accuracy lands in the last
// cell).
//
// The blur is the truncated Gaussian: every gradient is scaled to unit length, so even its
// tails steer vertices, and the cheaper approximations measured (three box passes, truncating
// at 3 sigma) cost 0.005-0.02 of correlation with the reference. Wide blurs (sigma of
// COARSE_SIGMA cells or more: all rounds but the last at the reference defaults) run on a grid
// of half the resolution instead: vertices are counted on the full grid as for narrow blurs,
// and each cell is shared linearly between the four nearest coarse bins (splatting whole
// cells into 2x2 bins would shift them by half a cell and turn gradients by about 10 degrees
// on average) as the rows are blurred; the coarse grid is blurred with half the sigma and
// widened back by bilinear interpolation. That is a quarter of the cells and half the taps,
// and at such widths the density has nothing finer than the coarse grid can hold:
// correlation with the reference is unchanged (means over six runs with the nodes moved by up
// to 1e-6: 0.980 and 0.974 on the two graphs, as at full resolution; even the last round at
// half resolution scores the same, but it is kept whole, the finest detail being its work).
// Counting cells first, then sharing them, costs a pass over the grid instead of four
// scattered additions per vertex (an eighth of a warm start's time went to the latter).
// The blur is split in two passes so that threads can share it: along x by rows (each row on
// its own), then along y by column bands (each column on its own).
import { FIXED_BITS, type PolylineStore } from './polylines.js';
import { blurRowsX } from './grid-simd.js';

// The blurs along x and y themselves run in WebAssembly (grid-simd.ts).
export { blurRowsX, blurColumnsY } from './grid-simd.js';

/**
 * A density grid. The bundler keeps its grids in float32: the grid passes are bound by memory
 * traffic when both threads run them, and float32 halves it (7 digits are far more than a
 * blurred count needs: the gradient's direction is what is used). Tests may pass float64.
 */
export type DensityGrid = Float32Array | Float64Array;

/** Blurs at least this wide (sigma, in cells) run at half resolution. */
export const COARSE_SIGMA = 4;

/**
 * Variance (cells^2) that sharing vertices linearly between bins 2 cells apart and widening
 * back by linear interpolation add (2^2 / 6 each) to a half-resolution blur; its sigma is
 * reduced to match.
 */
const COARSE_ADDED_VARIANCE = 2 * (4 / 6);

/** Side of the half-resolution grid of a `width`-cell grid. */
export function coarseWidth(width: number): number {
  return (width + 1) >> 1;
}

/** The sigma, in its own cells, of the blur that stands for a blur of `sigma` cells: half resolution when wide. */
export function blurSigma(sigma: number): { coarse: boolean; sigma: number } {
  if (sigma < COARSE_SIGMA) return { coarse: false, sigma };
  return { coarse: true, sigma: Math.sqrt(sigma * sigma - COARSE_ADDED_VARIANCE) / 2 };
}

/**
 * Adds each vertex of edges first .. end-1 of `lines` (fixed point, polylines.ts) to its cell
 * of `grid` (width x width, width = accuracy + 1) with weight weights[e] (1 when null);
 * coordinates must lie in [0, accuracy] cells.
 */
export function splatEdges(
  grid: DensityGrid, width: number, lines: PolylineStore, first: number, end: number,
  weights: Float64Array | null,
): void {
  const { xy, offsets } = lines;
  for (let e = first; e < end; e++) {
    const w = weights === null ? 1 : weights[e];
    if (w === 0) continue;
    const last = offsets[e + 1];
    for (let v = offsets[e]; v < last; v++) {
      grid[(xy[2 * v + 1] >> FIXED_BITS) * width + (xy[2 * v] >> FIXED_BITS)] += w;
    }
  }
}

/** Normalised Gaussian taps, radius floor(truncate*sigma + 0.5), as scipy.ndimage builds them. */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be a positive finite number, got ${sigma}`);
  if (!(truncate > 0) || !Number.isFinite(truncate)) throw new RangeError(`truncate must be a positive finite number, got ${truncate}`);
  const radius = Math.floor(truncate * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  const a = -0.5 / (sigma * sigma);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(a * i * i);
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/**
 * blurRowsX of rows b0 .. b1-1 of the half-resolution grid of the `sources` (full grids of
 * fineWidth square, summed): each full-grid cell is first shared between the coarse bins as
 * splatting a vertex there onto the coarse grid would share it: bin b's centre lies between
 * cells 2b and 2b+1, so a cell gives 3/4 to its own bin and 1/4 to the neighbouring one along
 * each axis (all to its own bin at the grid's edge). `row` is scratch of at least fineWidth
 * numbers.
 */
export function blurCoarseRowsX(
  sources: readonly DensityGrid[], dst: DensityGrid, fineWidth: number, b0: number, b1: number,
  kernel: Float64Array, row: Float64Array,
): void {
  const cw = coarseWidth(fineWidth);
  const lastBin = cw - 1;
  // Per bin row: its full-grid rows, weighted, summed into `row`; then shared along x into
  // dst, which is blurred in place at the end.
  for (let b = b0; b < b1; b++) {
    if (b > 0 && b < lastBin) {
      // Away from the grid's edge: rows 2b-1 .. 2b+2 weighted 1/4, 3/4, 3/4, 1/4, in one pass a source.
      const r0 = (2 * b - 1) * fineWidth, r1 = r0 + fineWidth, r2 = r1 + fineWidth, r3 = r2 + fineWidth;
      for (let s = 0; s < sources.length; s++) {
        const src = sources[s];
        if (s === 0) {
          for (let x = 0; x < fineWidth; x++) row[x] = 0.25 * (src[r0 + x] + src[r3 + x]) + 0.75 * (src[r1 + x] + src[r2 + x]);
        } else {
          for (let x = 0; x < fineWidth; x++) row[x] += 0.25 * (src[r0 + x] + src[r3 + x]) + 0.75 * (src[r1 + x] + src[r2 + x]);
        }
      }
    } else {
      let filled = false;
      for (let y = 2 * b - 1; y <= 2 * b + 2; y++) {
        if (y < 0 || y >= fineWidth) continue;
        const w = shareOf(y, b, lastBin);
        if (w === 0) continue;
        const at = y * fineWidth;
        for (let s = 0; s < sources.length; s++) {
          const src = sources[s];
          if (!filled) {
            for (let x = 0; x < fineWidth; x++) row[x] = w * src[at + x];
            filled = true;
          } else {
            for (let x = 0; x < fineWidth; x++) row[x] += w * src[at + x];
          }
        }
      }
    }
    coarsenRow(row, fineWidth, lastBin, dst, b * cw);
  }
  blurRowsX([dst], dst, cw, b0, b1, kernel);
}

/** Shares the full-grid row in `row` between the coarse bins along x, into dst[at .. at + lastBin] (see blurCoarseRowsX). */
function coarsenRow(row: Float64Array, fineWidth: number, lastBin: number, dst: DensityGrid, at: number): void {
  for (let c = 1; c < lastBin; c++) {
    const x = 2 * c;
    dst[at + c] = 0.75 * (row[x] + row[x + 1]) + 0.25 * (row[x - 1] + row[x + 2]);
  }
  for (let c = 0; c <= lastBin; c += lastBin > 0 ? lastBin : 1) {
    let v = 0;
    for (let x = 2 * c - 1; x <= 2 * c + 2; x++) {
      if (x >= 0 && x < fineWidth) v += shareOf(x, c, lastBin) * row[x];
    }
    dst[at + c] = v;
  }
}

/** The share of full-grid cell (row or column) `cell` that goes to coarse bin `bin` (see blurCoarseRowsX). */
function shareOf(cell: number, bin: number, lastBin: number): number {
  const own = cell >> 1;
  const other = (cell & 1) === 0 ? (own > 0 ? own - 1 : 0) : (own < lastBin ? own + 1 : lastBin);
  return (own === bin ? 0.75 : 0) + (other === bin ? 0.25 : 0);
}

/**
 * Rows y0 .. y1-1 of `fine` (fineWidth square) interpolated bilinearly from `coarse`
 * (coarseWidth(fineWidth) square, 2x2 bins of the fine grid), edge bins replicated. A bin's
 * centre lies between its two fine cells, so a fine cell takes 3/4 of its own bin and 1/4 of
 * the neighbouring one along each axis. Returns the largest value written. `row` is scratch of
 * at least coarseWidth numbers.
 */
export function widenRows(
  coarse: DensityGrid, fine: DensityGrid, fineWidth: number, y0: number, y1: number, row: Float64Array,
): number {
  const cw = coarseWidth(fineWidth);
  const lastBin = cw - 1;
  let max = 0;
  for (let y = y0; y < y1; y++) {
    const bin = y >> 1;
    const other = (y & 1) === 0 ? (bin > 0 ? bin - 1 : 0) : (bin < lastBin ? bin + 1 : lastBin);
    const near = bin * cw, far = other * cw;
    for (let i = 0; i < cw; i++) row[i] = 0.75 * coarse[near + i] + 0.25 * coarse[far + i];
    const at = y * fineWidth;
    for (let x = 0; x < fineWidth; x++) {
      const b = x >> 1;
      const o = (x & 1) === 0 ? (b > 0 ? b - 1 : 0) : (b < lastBin ? b + 1 : lastBin);
      const v = 0.75 * row[b] + 0.25 * row[o];
      fine[at + x] = v;
      if (v > max) max = v;
    }
  }
  return max;
}
