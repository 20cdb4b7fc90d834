// Final smoothing: repeated passes of point = (1 - tension)*point + tension*(prev + next)/2
// over the interior vertices, in place (each update sees its predecessor's new position, as
// in the reference). Endpoints never move. The reference's loop stops one vertex early and
// never smooths the last interior vertex; here every interior vertex is smoothed.
// A pass keeps its predecessor's new position and the vertex's old one in locals as it
// walks: one load and one store a coordinate instead of three loads (half the time).

/** Passes the reference makes. */
export const SMOOTH_PASSES = 10;

export function smoothPolyline(
  xy: Float64Array, start: number, count: number, tension: number, passes = SMOOTH_PASSES,
): void {
  if (count < 3) return;
  const keep = 1 - tension;
  const half = tension * 0.5;
  const end = start + count - 1;
  for (let p = 0; p < passes; p++) {
    let prevX = xy[2 * start], prevY = xy[2 * start + 1];
    let curX = xy[2 * start + 2], curY = xy[2 * start + 3];
    for (let v = start + 1; v < end; v++) {
      const nextX = xy[2 * v + 2], nextY = xy[2 * v + 3];
      prevX = keep * curX + half * (prevX + nextX);
      prevY = keep * curY + half * (prevY + nextY);
      xy[2 * v] = prevX;
      xy[2 * v + 1] = prevY;
      curX = nextX; curY = nextY;
    }
  }
}
