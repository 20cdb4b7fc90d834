// Which part of the layout a picture shows: the layout's unit square (with a margin) by
// default, or a zoomed region of it. Shared so that the page maps its pointer to layout
// coordinates exactly as the server maps layout coordinates to pixels.

/** A region's smallest side: a million-fold zoom, well inside what the canvas mapping resolves in doubles. */
export const MIN_REGION_SPAN = 1e-6;

/** The part of the layout's unit square a picture shows (zoom and pan), in layout coordinates (y up). */
export interface PictureRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The data ranges a width x height canvas shows. */
export interface ViewRanges {
  xRange: [number, number];
  yRange: [number, number];
}

/** The reference canvas range (-0.01, 1.01), widened on the long side to keep circles round. */
export function squareRanges(width: number, height: number): ViewRanges {
  const lo = -0.01, hi = 1.01, span = hi - lo, mid = 0.5;
  if (width >= height) {
    const half = (span * width) / height / 2;
    return { xRange: [mid - half, mid + half], yRange: [lo, hi] };
  }
  const half = (span * height) / width / 2;
  return { xRange: [lo, hi], yRange: [mid - half, mid + half] };
}

/**
 * The canvas ranges showing `region` (default: squareRanges), widened about its centre on the
 * side that needs it so that pixels stay square: a zoomed region is drawn at full resolution.
 */
export function regionRanges(width: number, height: number, region?: PictureRegion): ViewRanges {
  if (region === undefined) return squareRanges(width, height);
  const fields = (typeof region === 'object' && region !== null ? region : {}) as Partial<Record<keyof PictureRegion, unknown>>;
  const [x0, y0, x1, y1] = [fields.x0, fields.y0, fields.x1, fields.y1];
  if (typeof x0 !== 'number' || typeof y0 !== 'number' || typeof x1 !== 'number' || typeof y1 !== 'number' ||
      ![x0, y0, x1, y1].every(Number.isFinite) || !(x1 - x0 >= MIN_REGION_SPAN && x1 - x0 < Infinity) || !(y1 - y0 >= MIN_REGION_SPAN && y1 - y0 < Infinity)) {
    throw new RangeError(`region must be {x0, y0, x1, y1}, finite, with x1 - x0 and y1 - y0 at least ${MIN_REGION_SPAN}, got ${JSON.stringify(region)}`);
  }
  const midX = (x0 + x1) / 2, midY = (y0 + y1) / 2;
  let spanX = x1 - x0, spanY = y1 - y0;
  if (spanX * height < spanY * width) spanX = (spanY * width) / height;
  else spanY = (spanX * height) / width;
  return { xRange: [midX - spanX / 2, midX + spanX / 2], yRange: [midY - spanY / 2, midY + spanY / 2] };
}
