// Edge-vertex density on the bundling grid: every vertex adds its edge's weight to its cell,
// then a Gaussian blur (separable, truncated at 4 sigma, edge cells replicated) turns the
// counts into a kernel density estimate. Grids are row-major, row = y cell, width = height =
// accuracy + 1 (a coordinate of exactly 1 lands in the last cell).

/**
 * Adds each vertex's weight to cell (floor(x*accuracy), floor(y*accuracy)); coordinates must
 * lie in [0, 1]. Polyline e spans vertices offsets[e] .. offsets[e+1]; weights[e] (or 1) is its weight.
 */
export function splatPolylines(
  grid: Float64Array, accuracy: number,
  xy: Float64Array, offsets: Uint32Array, polylineCount: number, weights: Float64Array | null,
): void {
  const width = accuracy + 1;
  for (let e = 0; e < polylineCount; e++) {
    const w = weights === null ? 1 : weights[e];
    if (w === 0) continue;
    const end = offsets[e + 1];
    for (let v = offsets[e]; v < end; v++) {
      const cx = (xy[2 * v] * accuracy) | 0;
      const cy = (xy[2 * v + 1] * accuracy) | 0;
      grid[cy * width + cx] += w;
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
 * Blurs `grid` (width x height, row-major) in place with the odd-length, symmetric `kernel`
 * along x, then along y, replicating edge cells ('nearest'). `scratch` holds the intermediate
 * (same size). Taps at +j and -j share one multiply.
 */
export function blurSeparable(
  grid: Float64Array, width: number, height: number, kernel: Float64Array, scratch: Float64Array,
): void {
  const radius = (kernel.length - 1) >> 1;
  const centre = kernel[radius];
  // Along x: grid -> scratch. Cells whose window stays inside the row skip the clamping.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = row + x;
      let s = centre * grid[c];
      if (x >= radius && x + radius < width) {
        for (let j = 1; j <= radius; j++) s += kernel[radius + j] * (grid[c - j] + grid[c + j]);
      } else {
        for (let j = 1; j <= radius; j++) {
          const l = x - j < 0 ? 0 : x - j;
          const r = x + j >= width ? width - 1 : x + j;
          s += kernel[radius + j] * (grid[row + l] + grid[row + r]);
        }
      }
      scratch[c] = s;
    }
  }
  // Along y: scratch -> grid, whole source rows per tap pair so the inner loop runs contiguously.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) grid[row + x] = centre * scratch[row + x];
    for (let j = 1; j <= radius; j++) {
      const below = (y - j < 0 ? 0 : y - j) * width;
      const above = (y + j >= height ? height - 1 : y + j) * width;
      const w = kernel[radius + j];
      for (let x = 0; x < width; x++) grid[row + x] += w * (scratch[below + x] + scratch[above + x]);
    }
  }
}
