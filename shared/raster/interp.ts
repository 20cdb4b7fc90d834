// numpy's `linspace` and `interp`, operation for operation, so that shading lands on exactly the
// same floats (and, after truncation to bytes, the same colours) as datashader.

/** np.linspace(start, stop, out.length): i * step + start, the last entry set to stop exactly. */
export function linspace(start: number, stop: number, out: Float64Array): Float64Array {
  const n = out.length;
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const div = n - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < n; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  out[n - 1] = stop;
  return out;
}

/**
 * np.interp(x, xp[0..n), fp[0..n), left, right) for one x; xp ascending. Ties in xp resolve to
 * the last equal entry, as numpy's search does, so a zero-width xp maps x == xp[0] to fp[n-1].
 * `fp` is read as fp[fpOffset + k * fpStride].
 */
export function interp(
  x: number, xp: Float64Array, n: number,
  fp: ArrayLike<number>, fpOffset: number, fpStride: number,
  left: number, right: number,
): number {
  if (Number.isNaN(x)) return x;
  if (x < xp[0]) return left;
  if (x > xp[n - 1]) return right;
  // Last j with xp[j] <= x.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x >= xp[mid]) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  const fj = fp[fpOffset + j * fpStride];
  if (j === n - 1 || xp[j] === x) return fj;
  const fk = fp[fpOffset + (j + 1) * fpStride];
  const slope = (fk - fj) / (xp[j + 1] - xp[j]);
  const y = slope * (x - xp[j]) + fj;
  if (!Number.isNaN(y)) return y;
  const y2 = slope * (x - xp[j + 1]) + fk;
  return Number.isNaN(y2) && fj === fk ? fj : y2;
}
