// Comparing a bundling with the reference outputs (../shared/data/reference/README.md):
// count bundled vertices on a 512x512 grid over [-0.01, 1.01]^2 (row 0 = lowest y), blur with
// a Gaussian of sigma 4 cells, normalise to sum 1, Pearson correlation.
// Written independently of shared/bundle (its own blur) so a bug there cannot hide here.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const GRID_SIZE = 512;
export const GRID_RANGE: readonly [number, number] = [-0.01, 1.01];

export interface EdgeTable {
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  /** max node id + 1, as the reference README defines N. */
  nodeCount: number;
}

/** Reads a graphs/*.csv edge table (header with source, target, weight; other columns ignored). */
export function readEdgeCsv(path: string): EdgeTable {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const si = header.indexOf('source'), ti = header.indexOf('target'), wi = header.indexOf('weight');
  if (si < 0 || ti < 0 || wi < 0) throw new Error(`${path}: missing source/target/weight column`);
  const n = lines.length - 1;
  const source = new Int32Array(n), target = new Int32Array(n), weight = new Float64Array(n);
  let maxId = -1;
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    source[i] = Number(f[si]);
    target[i] = Number(f[ti]);
    weight[i] = Number(f[wi]);
    maxId = Math.max(maxId, source[i], target[i]);
  }
  return { source, target, weight, nodeCount: maxId + 1 };
}

/** A reference density grid: gzip of size*size little-endian uint32, row-major. */
export function readReferenceDensity(path: string, size = GRID_SIZE): Float64Array {
  const raw = gunzipSync(readFileSync(path));
  if (raw.length !== size * size * 4) throw new Error(`${path}: expected ${size * size * 4} bytes, got ${raw.length}`);
  const grid = new Float64Array(size * size);
  for (let i = 0; i < grid.length; i++) grid[i] = raw.readUInt32LE(4 * i);
  return grid;
}

/** Counts x,y interleaved points per cell; a value at the range's top falls in the last cell; outside/NaN dropped. */
export function countOnGrid(points: Float64Array, size = GRID_SIZE, range = GRID_RANGE): Float64Array {
  const [lo, hi] = range;
  const grid = new Float64Array(size * size);
  const cellIndex = (v: number): number => {
    if (!(v >= lo && v <= hi)) return -1;
    return v === hi ? size - 1 : Math.floor(((v - lo) * size) / (hi - lo));
  };
  for (let i = 0; i + 1 < points.length; i += 2) {
    const cx = cellIndex(points[i]), cy = cellIndex(points[i + 1]);
    if (cx >= 0 && cy >= 0) grid[cy * size + cx] += 1;
  }
  return grid;
}

/** Gaussian blur as scipy.ndimage.gaussian_filter does it (truncate 4, mode 'reflect'). */
function gaussianBlur(grid: Float64Array, size: number, sigma: number): Float64Array {
  const radius = Math.floor(4 * sigma + 0.5);
  const kernel: number[] = [];
  for (let i = -radius; i <= radius; i++) kernel.push(Math.exp((-0.5 * i * i) / (sigma * sigma)));
  const ksum = kernel.reduce((a, b) => a + b, 0);
  const reflect = (i: number): number => {
    for (;;) {
      if (i < 0) i = -i - 1;
      else if (i >= size) i = 2 * size - i - 1;
      else return i;
    }
  };
  const pass = (src: Float64Array, alongX: boolean): Float64Array => {
    const dst = new Float64Array(src.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          s += kernel[k + radius] * (alongX ? src[y * size + reflect(x + k)] : src[reflect(y + k) * size + x]);
        }
        dst[y * size + x] = s / ksum;
      }
    }
    return dst;
  };
  return pass(pass(grid, true), false);
}

/** Pearson correlation of the two count grids after blurring (sigma cells) and normalising to sum 1. */
export function densityCorrelation(a: Float64Array, b: Float64Array, size = GRID_SIZE, sigma = 4): number {
  const ba = gaussianBlur(a, size, sigma), bb = gaussianBlur(b, size, sigma);
  const sa = ba.reduce((s, v) => s + v, 0), sb = bb.reduce((s, v) => s + v, 0);
  const n = ba.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ba[i] /= sa; bb[i] /= sb; ma += ba[i]; mb += bb[i]; }
  ma /= n; mb /= n;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < n; i++) {
    const da = ba[i] - ma, db = bb[i] - mb;
    cov += da * db; va += da * da; vb += db * db;
  }
  return cov / Math.sqrt(va * vb);
}
