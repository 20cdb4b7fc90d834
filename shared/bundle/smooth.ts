// Final smoothing: repeated passes of point = (1 - tension)*point + tension*(prev + next)/2
// over the interior vertices, in place (each update sees its predecessor's new position, as
// in the reference). Endpoints never move. The reference's loop stops one vertex early and
// never smooths the last interior vertex; here every interior vertex is smoothed.

/** Passes the reference makes. */
export const SMOOTH_PASSES = 10;

export function smoothPolyline(
  xy: Float64Array, start: number, count: number, tension: number, passes = SMOOTH_PASSES,
): void {
  const keep = 1 - tension;
  const half = tension * 0.5;
  const end = start + count - 1;
  for (let p = 0; p < passes; p++) {
    for (let v = start + 1; v < end; v++) {
      const i = 2 * v;
      xy[i] = keep * xy[i] + half * (xy[i - 2] + xy[i + 2]);
      xy[i + 1] = keep * xy[i + 1] + half * (xy[i - 1] + xy[i + 3]);
    }
  }
}
