// Which drawn host is under a pointer. The page holds the layout coordinates of the hosts a frame
// draws (the host positions message); a uniform grid over them, built once per placing, answers
// "the host nearest this canvas pixel, within r pixels" by looking only at the cells within r,
// with no allocation per query (the pointer moves at 60 Hz over thousands of hosts). Pixels map
// to layout coordinates as the picture was drawn: `ranges` (regionRanges, the server's mapping)
// spread over the frame's place on the canvas.
import type { ViewRanges } from './view-region.js';

/** Where a frame lies on the page's canvas, in device pixels. */
export interface PixelRect { x: number; y: number; w: number; h: number }

/** Grid sides at most: a million cells. */
const MAX_SIDE = 1024;

/** Canvas pixel x of layout x, with `ranges` drawn over `rect`. */
export function pixelX(ranges: ViewRanges, rect: PixelRect, x: number): number {
  return rect.x + ((x - ranges.xRange[0]) / (ranges.xRange[1] - ranges.xRange[0])) * rect.w;
}

/** Canvas pixel y of layout y (y up in the layout, down on the canvas). */
export function pixelY(ranges: ViewRanges, rect: PixelRect, y: number): number {
  return rect.y + ((ranges.yRange[1] - y) / (ranges.yRange[1] - ranges.yRange[0])) * rect.h;
}

export class HostHitGrid {
  private x: Float64Array = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);
  private count = 0;
  private side = 1;
  private minX = 0;
  private minY = 0;
  /** Cells per layout unit. */
  private perX = 1;
  private perY = 1;
  /** Hosts of cell c: cellHosts[cellStart[c] .. cellStart[c + 1]]. */
  private cellStart = new Int32Array(2);
  private cellHosts = new Int32Array(0);

  /**
   * Indexes hosts 0..count-1 at (x[i], y[i]), in layout coordinates (the arrays are kept, not
   * copied). About one host per cell; the buffers are reused and grown as needed.
   */
  index(x: Float64Array, y: Float64Array, count = x.length): void {
    if (!Number.isInteger(count) || count < 0 || count > x.length || count > y.length) {
      throw new RangeError(`count must be an integer 0..${Math.min(x.length, y.length)}, got ${count}`);
    }
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new RangeError(`host ${i} is not at a finite place: (${x[i]}, ${y[i]})`);
      if (x[i] < minX) minX = x[i];
      if (x[i] > maxX) maxX = x[i];
      if (y[i] < minY) minY = y[i];
      if (y[i] > maxY) maxY = y[i];
    }
    const side = Math.min(MAX_SIDE, Math.max(1, Math.ceil(Math.sqrt(count))));
    this.x = x; this.y = y; this.count = count; this.side = side;
    this.minX = count > 0 ? minX : 0;
    this.minY = count > 0 ? minY : 0;
    // Hosts all at one x (or y), or none: one column (row) of cells holds them.
    this.perX = maxX > minX ? side / (maxX - minX) : 0;
    this.perY = maxY > minY ? side / (maxY - minY) : 0;
    const cells = side * side;
    if (this.cellStart.length < cells + 1) this.cellStart = new Int32Array(cells + 1);
    if (this.cellHosts.length < count) this.cellHosts = new Int32Array(count);
    const start = this.cellStart;
    start.fill(0, 0, cells + 1);
    // Counting sort by cell: start[c] counts cell c, then its running total (the end of its run);
    // filled back to front, start[c] ends at the run's beginning, in host order within it.
    for (let i = 0; i < count; i++) start[this.cellOf(x[i], y[i])]++;
    for (let c = 1; c < cells; c++) start[c] += start[c - 1];
    start[cells] = count;
    for (let i = count - 1; i >= 0; i--) this.cellHosts[--start[this.cellOf(x[i], y[i])]] = i;
  }

  /**
   * The host nearest canvas pixel (px, py), at most radiusPx away as drawn (`ranges` of the
   * layout over `rect`), or -1. Ties go to the lower index.
   */
  hostAt(px: number, py: number, ranges: ViewRanges, rect: PixelRect, radiusPx: number): number {
    if (this.count === 0 || !(rect.w > 0) || !(rect.h > 0)) return -1;
    // Pixels per layout unit, and the pointer in layout coordinates.
    const sx = rect.w / (ranges.xRange[1] - ranges.xRange[0]), sy = rect.h / (ranges.yRange[1] - ranges.yRange[0]);
    const lx = ranges.xRange[0] + (px - rect.x) / sx, ly = ranges.yRange[1] - (py - rect.y) / sy;
    const rx = radiusPx / sx, ry = radiusPx / sy;
    const side = this.side;
    const cx0 = this.clampCell((lx - rx - this.minX) * this.perX), cx1 = this.clampCell((lx + rx - this.minX) * this.perX);
    const cy0 = this.clampCell((ly - ry - this.minY) * this.perY), cy1 = this.clampCell((ly + ry - this.minY) * this.perY);
    const { x, y, cellStart, cellHosts } = this;
    let best = -1, bestD2 = radiusPx * radiusPx;
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * side + cx;
        for (let k = cellStart[c], end = cellStart[c + 1]; k < end; k++) {
          const i = cellHosts[k];
          const dx = (x[i] - lx) * sx, dy = (y[i] - ly) * sy;
          const d2 = dx * dx + dy * dy;
          if (d2 < bestD2 || (d2 === bestD2 && (best < 0 || i < best))) { best = i; bestD2 = d2; }
        }
      }
    }
    return best;
  }

  private cellOf(x: number, y: number): number {
    return this.clampCell((y - this.minY) * this.perY) * this.side + this.clampCell((x - this.minX) * this.perX);
  }

  private clampCell(v: number): number {
    return v <= 0 ? 0 : v >= this.side - 1 ? this.side - 1 : Math.floor(v);
  }
}
