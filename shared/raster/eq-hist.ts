// datashader's `eq_hist` for integer counts (already offset so the smallest is 0): a count's level
// is the fraction of non-empty pixels at or below it. Exact per integer when the counts span
// fewer than EQ_HIST_BINS values; otherwise np.histogram's EQ_HIST_BINS equal bins, empty bins
// dropped, and each count interpolated between bin centres.

export const EQ_HIST_BINS = 65536;

/**
 * counts[v] = number of cells holding min + v, v = 0..range, over cells[0..n) (all n cells when
 * `cells` is null); returns the number of non-empty cells.
 */
export function countByValue(
  agg: Uint32Array, cells: Int32Array | null, n: number, min: number, range: number, counts: Float64Array,
): number {
  counts.fill(0, 0, range + 1);
  let total = 0;
  if (cells === null) {
    for (let i = 0; i < n; i++) {
      const v = agg[i];
      if (v !== 0) {
        counts[v - min] += 1;
        total++;
      }
    }
  } else {
    for (let k = 0; k < n; k++) {
      const v = agg[cells[k]];
      if (v !== 0) {
        counts[v - min] += 1;
        total++;
      }
    }
  }
  return total;
}

/** Turns counts[0..range] into the cdf in place: cumsum / total, as numpy computes it. */
export function cumulate(counts: Float64Array, range: number, total: number): void {
  let cumulative = 0;
  for (let v = 0; v <= range; v++) {
    cumulative += counts[v];
    counts[v] = cumulative / total;
  }
}

/**
 * np.histogram(counts - min, bins=EQ_HIST_BINS) with numpy's index corrections at bin edges, then
 * empty bins dropped: writes the kept bins' centres and cdf values, returns how many were kept.
 */
export function binnedCdf(
  agg: Uint32Array, cells: Int32Array | null, n: number, min: number, range: number,
  cdf: Float64Array, centres: Float64Array,
): number {
  const bins = EQ_HIST_BINS;
  // np.linspace(0, range, bins + 1): i * step, the last edge exactly `range`.
  const step = range / bins;
  const edge = (i: number): number => (i === bins ? range : i * step);
  cdf.fill(0, 0, bins);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const count = agg[cells === null ? j : cells[j]];
    if (count === 0) continue;
    const v = count - min;
    let k = Math.trunc((v / range) * bins);
    if (k === bins) k -= 1;
    if (v < edge(k)) k -= 1;
    else if (v >= edge(k + 1) && k !== bins - 1) k += 1;
    cdf[k] += 1;
    total++;
  }
  let kept = 0;
  let cumulative = 0;
  for (let k = 0; k < bins; k++) {
    if (cdf[k] === 0) continue;
    cumulative += cdf[k];
    centres[kept] = (edge(k) + edge(k + 1)) / 2;
    cdf[kept] = cumulative / total;
    kept++;
  }
  return kept;
}
