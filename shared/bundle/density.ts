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
// widened back by bilinear interpolation. (Counting cells first, then sharing them, costs a
// pass over the grid instead of four scattered additions per vertex: a third of a warm
// start's time went to the latter.) That is a quarter of the cells and half the
// taps, and at such widths the density has nothing finer than the coarse grid can hold:
// correlation with the reference is unchanged (means over six runs with the nodes moved by up
// to 1e-6: 0.980 and 0.974 on the two graphs, as at full resolution; even the last round at
// half resolution scores the same, but it is kept whole, the finest detail being its work).
// The blur is split in two passes so that threads can share it: along x by rows (each row on
// its own), then along y by column bands (each column on its own).
import { FIXED_BITS, type PolylineStore } from './polylines.js';

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
 * Blur along x of rows y0 .. y1-1: the sum of the `sources` grids (partial densities, e.g. one
 * per thread) convolved with the odd, symmetric `kernel`, edge cells replicated, into `dst`.
 * `row` is scratch of at least width + kernel.length numbers.
 */
export function blurRowsX(
  sources: readonly DensityGrid[], dst: DensityGrid, width: number, y0: number, y1: number,
  kernel: Float64Array, row: Float64Array,
): void {
  const radius = (kernel.length - 1) >> 1;
  for (let y = y0; y < y1; y++) {
    const at = y * width;
    const first = sources[0];
    for (let x = 0; x < width; x++) row[radius + x] = first[at + x];
    for (let s = 1; s < sources.length; s++) {
      const src = sources[s];
      for (let x = 0; x < width; x++) row[radius + x] += src[at + x];
    }
    convolveRow(row, width, kernel, dst, at);
  }
}

/**
 * blurRowsX of rows b0 .. b1-1 of the half-resolution grid of the `sources` (full grids of
 * fineWidth square, summed): each full-grid cell is first shared between the coarse bins as
 * splatting a vertex there onto the coarse grid would share it: bin b's centre lies between
 * cells 2b and 2b+1, so a cell gives 3/4 to its own bin and 1/4 to the neighbouring one along
 * each axis (all to its own bin at the grid's edge). `row` is scratch of at least fineWidth +
 * coarseWidth(fineWidth) + kernel.length numbers.
 */
export function blurCoarseRowsX(
  sources: readonly DensityGrid[], dst: DensityGrid, fineWidth: number, b0: number, b1: number,
  kernel: Float64Array, row: Float64Array,
): void {
  const radius = (kernel.length - 1) >> 1;
  const cw = coarseWidth(fineWidth);
  const lastBin = cw - 1;
  // The full-grid rows of bin b, weighted, summed into `mixed`; then shared along x into
  // the padded row that convolveRow reads.
  const mixed = cw + kernel.length;
  for (let b = b0; b < b1; b++) {
    if (b > 0 && b < lastBin) {
      // Away from the grid's edge: rows 2b-1 .. 2b+2 weighted 1/4, 3/4, 3/4, 1/4, in one pass a source.
      const r0 = (2 * b - 1) * fineWidth, r1 = r0 + fineWidth, r2 = r1 + fineWidth, r3 = r2 + fineWidth;
      for (let s = 0; s < sources.length; s++) {
        const src = sources[s];
        if (s === 0) {
          for (let x = 0; x < fineWidth; x++) row[mixed + x] = 0.25 * (src[r0 + x] + src[r3 + x]) + 0.75 * (src[r1 + x] + src[r2 + x]);
        } else {
          for (let x = 0; x < fineWidth; x++) row[mixed + x] += 0.25 * (src[r0 + x] + src[r3 + x]) + 0.75 * (src[r1 + x] + src[r2 + x]);
        }
      }
      coarsenRow(row, mixed, fineWidth, radius, lastBin);
      convolveRow(row, cw, kernel, dst, b * cw);
      continue;
    }
    let filled = false;
    for (let y = 2 * b - 1; y <= 2 * b + 2; y++) {
      if (y < 0 || y >= fineWidth) continue;
      const w = shareOf(y, b, lastBin);
      if (w === 0) continue;
      const at = y * fineWidth;
      for (let s = 0; s < sources.length; s++) {
        const src = sources[s];
        if (!filled) {
          for (let x = 0; x < fineWidth; x++) row[mixed + x] = w * src[at + x];
          filled = true;
        } else {
          for (let x = 0; x < fineWidth; x++) row[mixed + x] += w * src[at + x];
        }
      }
    }
    coarsenRow(row, mixed, fineWidth, radius, lastBin);
    convolveRow(row, cw, kernel, dst, b * cw);
  }
}

/** Shares the full-grid row at row[mixed ..] between the coarse bins along x, into row[radius ..] (see blurCoarseRowsX). */
function coarsenRow(row: Float64Array, mixed: number, fineWidth: number, radius: number, lastBin: number): void {
  for (let c = 1; c < lastBin; c++) {
    const x = mixed + 2 * c;
    row[radius + c] = 0.75 * (row[x] + row[x + 1]) + 0.25 * (row[x - 1] + row[x + 2]);
  }
  for (let c = 0; c <= lastBin; c += lastBin > 0 ? lastBin : 1) {
    let v = 0;
    for (let x = 2 * c - 1; x <= 2 * c + 2; x++) {
      if (x >= 0 && x < fineWidth) v += shareOf(x, c, lastBin) * row[mixed + x];
    }
    row[radius + c] = v;
  }
}

/** The share of full-grid cell (row or column) `cell` that goes to coarse bin `bin` (see blurCoarseRowsX). */
function shareOf(cell: number, bin: number, lastBin: number): number {
  const own = cell >> 1;
  const other = (cell & 1) === 0 ? (own > 0 ? own - 1 : 0) : (own < lastBin ? own + 1 : lastBin);
  return (own === bin ? 0.75 : 0) + (other === bin ? 0.25 : 0);
}

/**
 * Convolves row[radius .. radius+width) with the odd, symmetric `kernel` into dst[at ..
 * at+width), edge cells replicated: pads `row` with `radius` copies of its edge cells each
 * side (and one more on the right for the odd last pair), so the taps never need clamping.
 */
function convolveRow(row: Float64Array, width: number, kernel: Float64Array, dst: DensityGrid, at: number): void {
  const radius = (kernel.length - 1) >> 1;
  const centre = kernel[radius];
  const left = row[radius], right = row[radius + width - 1];
  for (let j = 0; j < radius; j++) row[j] = left;
  for (let j = 0; j <= radius; j++) row[radius + width + j] = right;
  // Two outputs per pass over the taps: two independent sums, one kernel load.
  for (let x = 0; x < width; x += 2) {
    const c = radius + x;
    let s0 = centre * row[c], s1 = centre * row[c + 1];
    for (let j = 1; j <= radius; j++) {
      const k = kernel[radius + j];
      s0 += k * (row[c - j] + row[c + j]);
      s1 += k * (row[c + 1 - j] + row[c + 1 + j]);
    }
    dst[at + x] = s0;
    if (x + 1 < width) dst[at + x + 1] = s1;
  }
}

/**
 * Blur along y of columns x0 .. x1-1 of `src` (width x height) into `dst`, edge rows
 * replicated; returns the largest value written (at least 0), so that threads can share the
 * maximum without another pass over the grid. Whole row segments per tap pair, four pairs at a
 * time, so the inner loops run contiguously with few passes over `dst`.
 */
export function blurColumnsY(
  src: DensityGrid, dst: DensityGrid, width: number, height: number, x0: number, x1: number,
  kernel: Float64Array,
): number {
  const radius = (kernel.length - 1) >> 1;
  const centre = kernel[radius];
  const last = height - 1;
  const rowAt = (y: number): number => (y < 0 ? 0 : y > last ? last : y) * width;
  let max = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = x0; x < x1; x++) dst[row + x] = centre * src[row + x];
    let j = 1;
    for (; j + 3 <= radius; j += 4) {
      const b1 = rowAt(y - j), a1 = rowAt(y + j), b2 = rowAt(y - j - 1), a2 = rowAt(y + j + 1);
      const b3 = rowAt(y - j - 2), a3 = rowAt(y + j + 2), b4 = rowAt(y - j - 3), a4 = rowAt(y + j + 3);
      const w1 = kernel[radius + j], w2 = kernel[radius + j + 1], w3 = kernel[radius + j + 2], w4 = kernel[radius + j + 3];
      for (let x = x0; x < x1; x++) {
        dst[row + x] += w1 * (src[b1 + x] + src[a1 + x]) + w2 * (src[b2 + x] + src[a2 + x])
          + w3 * (src[b3 + x] + src[a3 + x]) + w4 * (src[b4 + x] + src[a4 + x]);
      }
    }
    for (; j <= radius; j++) {
      const b = rowAt(y - j), a = rowAt(y + j);
      const w = kernel[radius + j];
      for (let x = x0; x < x1; x++) dst[row + x] += w * (src[b + x] + src[a + x]);
    }
    for (let x = x0; x < x1; x++) {
      const v = dst[row + x];
      if (v > max) max = v;
    }
  }
  return max;
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
