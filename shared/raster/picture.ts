// The picture the server draws, in one call: bundled edges counted (as points or Bresenham
// lines) and shaded with `fire`; active hosts counted, shaded red and spread into dots; dots
// over edges, over black. Every buffer is the caller's and is reused from frame to frame.
//
// The result equals the stage-by-stage composition
//   setBackground(over(spread(shade(hosts)), shade(edges)), black)
// computed with fewer passes over the frame: edges are shaded straight onto the background
// (their pixels are opaque or empty, and an opaque pixel comes through set_background and
// 'over' a transparent top unchanged), and the host layer is touched only where it has dots.
// The host buffers are all zero between frames: they are cleared after use.
import { fire } from '../colormaps/fire.js';
import type { Rgb } from '../colormaps/ramp.js';
import type { CanvasSpec } from './canvas.js';
import { aggregateLines, aggregatePoints, aggregatePointsAt } from './aggregate.js';
import { createShadeScratch, shade, shadeCells, SHADE_HOWS, type ShadeHow, type ShadeScratch } from './shade.js';
import { discArea, spreadPixels } from './spread.js';
import { overPixel } from './composite.js';

export const HOST_COLOR: Rgb = [255, 0, 0];
export const HOST_SPREAD_PX = 5;
export const BACKGROUND: Rgb = [0, 0, 0];
const BACKGROUND_PIXEL = new Uint8Array([BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]);
const TRANSPARENT_PIXEL = new Uint8Array(4);

export type EdgeMode = 'points' | 'lines';

export interface PictureInput {
  /** Bundled edge vertices, x, y interleaved. */
  edgePoints: Float64Array;
  /** Edge i is vertices edgeOffsets[i] .. edgeOffsets[i+1]-1. */
  edgeOffsets: Uint32Array;
  edgeCount: number;
  /** 'points' counts the vertices (what the reference does); 'lines' draws the polylines. */
  mode: EdgeMode;
  how: ShadeHow;
  /** Host positions, x, y interleaved, indexed by host id. */
  hostXY: Float64Array;
  /** Ids of the hosts drawn as dots. */
  activeHosts: Int32Array;
  activeCount: number;
  /** Dot radius in pixels (default HOST_SPREAD_PX, the reference's at 2000x2000). */
  hostSpreadPx?: number;
}

export interface PictureBuffers {
  readonly width: number;
  readonly height: number;
  readonly edgeCounts: Uint32Array;
  /** Host counts, red host pixels and spread dots: all zero between frames. */
  readonly hostCounts: Uint32Array;
  readonly hostImage: Uint8ClampedArray;
  readonly dotImage: Uint8ClampedArray;
  /** Cells holding hosts (then their image pixels), and dot pixels; grown as needed. */
  hostCells: Int32Array;
  dotPixels: Int32Array;
  readonly scratch: ShadeScratch;
  /** The finished picture: opaque RGBA, row 0 at the top. */
  readonly image: Uint8ClampedArray;
}

export function createPictureBuffers(width: number, height: number): PictureBuffers {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  const cells = width * height;
  return {
    width, height,
    edgeCounts: new Uint32Array(cells),
    hostCounts: new Uint32Array(cells),
    hostImage: new Uint8ClampedArray(cells * 4),
    dotImage: new Uint8ClampedArray(cells * 4),
    hostCells: new Int32Array(1024),
    dotPixels: new Int32Array(Math.min(cells, 1024 * discArea(HOST_SPREAD_PX))),
    scratch: createShadeScratch(),
    image: new Uint8ClampedArray(cells * 4),
  };
}

/** Draws the picture into buffers.image and returns it. */
export function renderPicture(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): Uint8ClampedArray {
  const { width, height } = spec;
  if (buffers.width !== width || buffers.height !== height) {
    throw new RangeError(`buffers are ${buffers.width}x${buffers.height}, the canvas is ${width}x${height}`);
  }
  if (input.mode !== 'points' && input.mode !== 'lines') throw new RangeError(`mode must be 'points' or 'lines', got ${String(input.mode)}`);
  if (!SHADE_HOWS.includes(input.how)) throw new RangeError(`how must be one of ${SHADE_HOWS.join(', ')}, got ${String(input.how)}`);
  const { first, end } = vertexRange(input);
  if (!Number.isInteger(input.activeCount) || input.activeCount < 0) throw new RangeError(`activeCount must be a non-negative integer, got ${input.activeCount}`);
  const px = input.hostSpreadPx ?? HOST_SPREAD_PX;
  if (!Number.isInteger(px) || px < 0 || px > 64) throw new RangeError(`hostSpreadPx must be an integer 0..64, got ${px}`);
  ensureCapacity(buffers, input.activeCount, px);

  const { edgeCounts, hostCounts, hostImage, dotImage, scratch, image } = buffers;
  edgeCounts.fill(0);
  if (input.mode === 'lines') aggregateLines(spec, input.edgePoints, input.edgeOffsets, input.edgeCount, edgeCounts);
  else aggregatePoints(spec, input.edgePoints.subarray(2 * first, 2 * end), end - first, edgeCounts);
  // Few distinct counts (sparse captures) would put most edges at fire's black bottom.
  shade(edgeCounts, width, height, { how: input.how, cmap: fire, background: BACKGROUND, rescaleDiscreteLevels: true }, image, scratch);

  const cells = buffers.hostCells;
  const cellCount = aggregatePointsAt(spec, input.hostXY, input.activeHosts, input.activeCount, hostCounts, cells);
  // Ascending aggregate order is datashader's stamping order for spread.
  cells.subarray(0, cellCount).sort();
  shadeCells(hostCounts, width, height, cells, cellCount, { how: 'eq_hist', cmap: HOST_COLOR }, hostImage, scratch);
  for (let k = 0; k < cellCount; k++) {
    hostCounts[cells[k]] = 0;
    cells[k] = flipIndex(cells[k], width, height);
  }
  const dots = buffers.dotPixels;
  const dotCount = spreadPixels(hostImage, width, height, px, cells, cellCount, dotImage, dots);
  for (let k = 0; k < dotCount; k++) {
    const o = dots[k] * 4;
    // The edge pixel under the dot: transparent where no edge passed, else its opaque colour.
    if (edgeCounts[flipIndex(dots[k], width, height)] === 0) overPixel(dotImage, o, TRANSPARENT_PIXEL, 0, image, o);
    else overPixel(dotImage, o, image, o, image, o);
    overPixel(image, o, BACKGROUND_PIXEL, 0, image, o);
    dotImage[o] = dotImage[o + 1] = dotImage[o + 2] = dotImage[o + 3] = 0;
  }
  for (let k = 0; k < cellCount; k++) {
    const o = cells[k] * 4;
    hostImage[o] = hostImage[o + 1] = hostImage[o + 2] = hostImage[o + 3] = 0;
  }
  return image;
}

/** Aggregate cell <-> image pixel (the image is the aggregate flipped vertically; self-inverse). */
function flipIndex(index: number, width: number, height: number): number {
  const y = (index / width) | 0;
  return (height - 1 - y) * width + (index - y * width);
}

function ensureCapacity(buffers: PictureBuffers, activeCount: number, px: number): void {
  if (buffers.hostCells.length < activeCount) {
    buffers.hostCells = new Int32Array(Math.max(activeCount, buffers.hostCells.length * 2));
  }
  const dots = Math.min(buffers.width * buffers.height, buffers.hostCells.length * discArea(px));
  if (buffers.dotPixels.length < dots) buffers.dotPixels = new Int32Array(dots);
}

function vertexRange(input: PictureInput): { first: number; end: number } {
  const { edgeOffsets, edgeCount } = input;
  if (!(input.edgePoints instanceof Float64Array)) throw new TypeError('edgePoints must be a Float64Array');
  if (!(edgeOffsets instanceof Uint32Array)) throw new TypeError('edgeOffsets must be a Uint32Array');
  if (!Number.isInteger(edgeCount) || edgeCount < 0 || (edgeCount > 0 && edgeCount >= edgeOffsets.length)) {
    throw new RangeError(`edgeCount must be an integer 0..${Math.max(0, edgeOffsets.length - 1)}, got ${edgeCount}`);
  }
  if (edgeCount === 0) return { first: 0, end: 0 };
  const first = edgeOffsets[0];
  const end = edgeOffsets[edgeCount];
  if (end < first || 2 * end > input.edgePoints.length) {
    throw new RangeError(`edgeOffsets[0..${edgeCount}] = ${first}..${end} is not a range of the ${input.edgePoints.length >> 1} edge vertices`);
  }
  return { first, end };
}
