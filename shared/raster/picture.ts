// The picture the server draws, in one call: bundled edges counted (as points or Bresenham
// lines) and shaded with `fire`; active hosts counted, shaded red and spread into dots; dots
// over edges, over black. Every buffer is the caller's and is reused from frame to frame.
// renderPicture draws it as RGBA; renderFrame (live frames) as a palette index per drawn pixel,
// which is all the frame encoder reads: it skips the RGBA frame's fill and colour writes (4
// bytes a pixel over the whole frame) and the encoder's colour look-ups.
//
// The result equals the stage-by-stage composition
//   setBackground(over(spread(shade(hosts)), shade(edges)), black)
// computed with fewer passes over the frame: the frame is the background except where drawn,
// and only the non-empty edge cells (listed as they are counted) are shaded onto it (their
// pixels are opaque or empty, and an opaque pixel comes through set_background and 'over' a
// transparent top unchanged); the host layer is touched only where it has dots.
// The host buffers are all zero between frames: they are cleared after use.
import { fire } from '../colormaps/fire.js';
import type { Rgb } from '../colormaps/ramp.js';
import type { CanvasSpec } from './canvas.js';
import { aggregateLines, aggregatePointsAt, aggregatePointsListed, createPointBuckets, type PointBuckets } from './aggregate.js';
import { colorsByCount, createShadeScratch, EQ_HIST_BINS, shadeCells, SHADE_HOWS, type ShadeHow, type ShadeOptions, type ShadeScratch } from './shade.js';
import { discArea, spreadPixels } from './spread.js';
import { overPixel } from './composite.js';
import { pixelMaskWords } from './pixel-mask.js';

export const HOST_COLOR: Rgb = [255, 0, 0];
export const HOST_SPREAD_PX = 5;
export const BACKGROUND: Rgb = [0, 0, 0];
const BACKGROUND_PIXEL = new Uint8Array([BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]);
const BACKGROUND_WORD = new Uint32Array(BACKGROUND_PIXEL.buffer)[0];
const TRANSPARENT_PIXEL = new Uint8Array(4);
/** Colours of an indexed picture at most (a PNG palette's). */
export const PALETTE_SIZE = 256;
const PALETTE_SLOTS = 1024;

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

/** A picture as palette indices: what renderFrame draws. */
export interface IndexedPicture {
  /** Per pixel whose bit in the buffers' `drawn` is set, its colour's index in `palette`; other pixels are the background (and their entries stale). */
  readonly indices: Uint8Array;
  /** Opaque RGBA words; entry 0 is the background. */
  readonly palette: Uint32Array;
  size: number;
}

export interface PictureBuffers {
  readonly width: number;
  readonly height: number;
  readonly edgeCounts: Uint32Array;
  /** The frame's non-empty edge cells (ascending) and their counts, and the points' grouping memory; grown as needed. */
  edgeCells: Int32Array;
  edgeCellCounts: Uint32Array;
  readonly pointBuckets: PointBuckets;
  /** Host counts, red host pixels and spread dots: all zero between frames. */
  readonly hostCounts: Uint32Array;
  readonly hostImage: Uint8ClampedArray;
  readonly dotImage: Uint8ClampedArray;
  /** Cells holding hosts (then their image pixels, hostCellCount of them), and dot pixels; grown as needed. */
  hostCells: Int32Array;
  hostCellCount: number;
  dotPixels: Int32Array;
  readonly scratch: ShadeScratch;
  /** renderPicture's picture: opaque RGBA, row 0 at the top. */
  readonly image: Uint8ClampedArray;
  /** `image` as one word per pixel. */
  readonly pixels: Uint32Array;
  /** renderFrame's picture. */
  readonly indexed: IndexedPicture;
  /** The pixels drawn over the background (pixel-mask.ts): every other pixel is the background. */
  readonly drawn: Int32Array;
  /** renderFrame's palette look-up: open addressing on the colour word (slot: index + 1, 0 empty), and per edge count its index. */
  readonly paletteKeys: Int32Array;
  readonly paletteSlots: Uint16Array;
  readonly countIndex: Uint8Array;
}

export function createPictureBuffers(width: number, height: number): PictureBuffers {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  const cells = width * height;
  const image = new Uint8ClampedArray(cells * 4);
  return {
    width, height,
    edgeCounts: new Uint32Array(cells),
    edgeCells: new Int32Array(0),
    edgeCellCounts: new Uint32Array(0),
    pointBuckets: createPointBuckets(),
    hostCounts: new Uint32Array(cells),
    hostImage: new Uint8ClampedArray(cells * 4),
    dotImage: new Uint8ClampedArray(cells * 4),
    hostCells: new Int32Array(1024),
    hostCellCount: 0,
    dotPixels: new Int32Array(Math.min(cells, 1024 * discArea(HOST_SPREAD_PX))),
    scratch: createShadeScratch(),
    image,
    pixels: new Uint32Array(image.buffer),
    indexed: { indices: new Uint8Array(cells), palette: new Uint32Array(PALETTE_SIZE), size: 0 },
    drawn: new Int32Array(pixelMaskWords(width, height)),
    paletteKeys: new Int32Array(PALETTE_SLOTS),
    paletteSlots: new Uint16Array(PALETTE_SLOTS),
    countIndex: new Uint8Array(EQ_HIST_BINS),
  };
}

/** Few distinct counts (sparse captures) would put most edges at fire's black bottom: rescaled. */
function edgeShading(how: ShadeHow): ShadeOptions {
  return { how, cmap: fire, background: BACKGROUND, rescaleDiscreteLevels: true };
}

/** Draws the picture into buffers.image, marks buffers.drawn, and returns the image. */
export function renderPicture(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): Uint8ClampedArray {
  const { width, height } = spec;
  const px = checkPicture(spec, input, buffers);
  const { edgeCounts, edgeCells, edgeCellCounts, dotImage, scratch, image, pixels, drawn } = buffers;
  const edgeCellCount = aggregateEdges(spec, input, buffers);
  pixels.fill(BACKGROUND_WORD);
  shadeCells(edgeCounts, width, height, edgeCells, edgeCellCount, edgeShading(input.how), image, scratch, edgeCellCounts);
  drawn.fill(0);
  markCells(edgeCells, edgeCellCount, width, height, drawn);

  const dots = buffers.dotPixels;
  const dotCount = spreadHosts(spec, input, px, buffers);
  const dotPixels = new Uint32Array(dotImage.buffer, dotImage.byteOffset, width * height);
  for (let k = 0; k < dotCount; k++) {
    const o = dots[k] * 4;
    drawn[dots[k] >> 5] |= 1 << (dots[k] & 31);
    if (dotImage[o + 3] === 255) {
      // An opaque dot comes through 'over' anything and set_background unchanged.
      pixels[dots[k]] = dotPixels[dots[k]];
    } else {
      // The edge pixel under the dot: transparent where no edge passed, else its opaque colour.
      if (edgeCounts[flipIndex(dots[k], width, height)] === 0) overPixel(dotImage, o, TRANSPARENT_PIXEL, 0, image, o);
      else overPixel(dotImage, o, image, o, image, o);
      overPixel(image, o, BACKGROUND_PIXEL, 0, image, o);
    }
    dotPixels[dots[k]] = 0;
  }
  clearHosts(buffers);
  return image;
}

/**
 * Draws the picture as buffers.indexed, the same picture as renderPicture's, and marks
 * buffers.drawn. Returns false, with nothing usable drawn, when it has more than PALETTE_SIZE
 * colours or edge counts of EQ_HIST_BINS or more: renderPicture draws those.
 */
export function renderFrame(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): boolean {
  const { width, height } = spec;
  const px = checkPicture(spec, input, buffers);
  const { edgeCounts, edgeCellCounts, dotImage, scratch, drawn, countIndex } = buffers;
  const { indices, palette } = buffers.indexed;
  const edgeCellCount = aggregateEdges(spec, input, buffers);
  const maxCount = colorsByCount(edgeCellCounts, edgeCellCount, edgeShading(input.how), scratch);
  if (maxCount < 0) return false;
  buffers.paletteSlots.fill(0);
  buffers.indexed.size = 0;
  paletteIndex(buffers, BACKGROUND_WORD);
  for (let v = 1; v <= maxCount; v++) {
    if (scratch.counts[v] === 0) continue;
    const index = paletteIndex(buffers, scratch.colors[v]);
    if (index < 0) return false;
    countIndex[v] = index;
  }
  drawn.fill(0);
  indexCells(buffers.edgeCells, edgeCellCounts, edgeCellCount, width, height, countIndex, indices, drawn);

  // The host layer shades with the same scratch: edge colours come from the palette from here on.
  const dots = buffers.dotPixels;
  const dotCount = spreadHosts(spec, input, px, buffers);
  const dotPixels = new Uint32Array(dotImage.buffer, dotImage.byteOffset, width * height);
  const blended = new Uint8Array(4);
  const blendedWord = new Uint32Array(blended.buffer, 0, 1);
  let fits = true;
  for (let k = 0; k < dotCount; k++) {
    const p = dots[k];
    const o = p * 4;
    drawn[p >> 5] |= 1 << (p & 31);
    let color = dotPixels[p];
    if (dotImage[o + 3] !== 255) {
      // As renderPicture: the dot over the edge pixel (transparent where no edge passed), over the background.
      const count = edgeCounts[flipIndex(p, width, height)];
      if (count === 0) {
        overPixel(dotImage, o, TRANSPARENT_PIXEL, 0, blended, 0);
      } else {
        blendedWord[0] = palette[countIndex[count]];
        overPixel(dotImage, o, blended, 0, blended, 0);
      }
      overPixel(blended, 0, BACKGROUND_PIXEL, 0, blended, 0);
      color = blendedWord[0];
    }
    const index = fits ? paletteIndex(buffers, color) : -1;
    if (index < 0) fits = false;
    else indices[p] = index;
    dotPixels[p] = 0;
  }
  clearHosts(buffers);
  return fits;
}

/** Validates a render's arguments, makes room in the buffers; returns the dot radius. */
function checkPicture(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): number {
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
  ensureCapacity(buffers, input.activeCount, px, input.mode === 'lines' ? width * height : end - first);
  return px;
}

/** Counts the edges into buffers.edgeCounts and lists the non-empty cells (ascending) with their counts; returns how many. */
function aggregateEdges(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): number {
  const { edgeCounts, edgeCells, edgeCellCounts } = buffers;
  if (input.mode === 'lines') {
    edgeCounts.fill(0);
    aggregateLines(spec, input.edgePoints, input.edgeOffsets, input.edgeCount, edgeCounts);
    return listNonEmpty(edgeCounts, edgeCells, edgeCellCounts);
  }
  const { first, end } = vertexRange(input);
  return aggregatePointsListed(
    spec, input.edgePoints.subarray(2 * first, 2 * end), end - first, edgeCounts, edgeCells, buffers.pointBuckets, edgeCellCounts,
  );
}

/**
 * Counts and shades the active hosts (buffers.hostImage) and spreads them into dots
 * (buffers.dotImage); lists the dot pixels in buffers.dotPixels, returns how many. The host
 * cells are left in buffers.hostCells as image pixels, for clearHosts.
 */
function spreadHosts(spec: CanvasSpec, input: PictureInput, px: number, buffers: PictureBuffers): number {
  const { width, height } = spec;
  const { hostCounts, hostImage, dotImage, scratch } = buffers;
  const cells = buffers.hostCells;
  const cellCount = aggregatePointsAt(spec, input.hostXY, input.activeHosts, input.activeCount, hostCounts, cells);
  // Ascending aggregate order is datashader's stamping order for spread.
  cells.subarray(0, cellCount).sort();
  shadeCells(hostCounts, width, height, cells, cellCount, { how: 'eq_hist', cmap: HOST_COLOR }, hostImage, scratch);
  for (let k = 0; k < cellCount; k++) {
    hostCounts[cells[k]] = 0;
    cells[k] = flipIndex(cells[k], width, height);
  }
  buffers.hostCellCount = cellCount;
  return spreadPixels(hostImage, width, height, px, cells, cellCount, dotImage, buffers.dotPixels);
}

/** Clears the host pixels spreadHosts left (the dot pixels are cleared as they are used). */
function clearHosts(buffers: PictureBuffers): void {
  const { hostImage, hostCells } = buffers;
  for (let k = 0; k < buffers.hostCellCount; k++) {
    const o = hostCells[k] * 4;
    hostImage[o] = hostImage[o + 1] = hostImage[o + 2] = hostImage[o + 3] = 0;
  }
  buffers.hostCellCount = 0;
}

/** The palette index of an RGBA word, added if new; -1 when the palette is full. */
function paletteIndex(buffers: PictureBuffers, color: number): number {
  const { paletteKeys: keys, paletteSlots: slots, indexed } = buffers;
  const key = color | 0;
  let h = Math.imul(key, 0x9e3779b1) >>> 22;
  while (slots[h] !== 0 && keys[h] !== key) h = (h + 1) & (PALETTE_SLOTS - 1);
  if (slots[h] !== 0) return slots[h] - 1;
  if (indexed.size === PALETTE_SIZE) return -1;
  keys[h] = key;
  slots[h] = indexed.size + 1;
  indexed.palette[indexed.size] = color;
  return indexed.size++;
}

/** Aggregate cell <-> image pixel (the image is the aggregate flipped vertically; self-inverse). */
function flipIndex(index: number, width: number, height: number): number {
  const y = (index / width) | 0;
  return (height - 1 - y) * width + (index - y * width);
}

/**
 * Writes the palette index of each listed edge cell (by its count) at its image pixel, and marks
 * the pixel; the cells ascending (rows followed, not divided out).
 */
function indexCells(
  cells: Int32Array, counts: Uint32Array, count: number, width: number, height: number,
  countIndex: Uint8Array, indices: Uint8Array, mask: Int32Array,
): void {
  let rowStart = 0;
  // The image row of aggregate row y is height - 1 - y: its first pixel moves up a row as y grows.
  let imageRowStart = (height - 1) * width;
  for (let k = 0; k < count; k++) {
    const cell = cells[k];
    while (cell >= rowStart + width) {
      rowStart += width;
      imageRowStart -= width;
    }
    const p = imageRowStart + cell - rowStart;
    indices[p] = countIndex[counts[k]];
    mask[p >> 5] |= 1 << (p & 31);
  }
}

/** Marks the image pixels of aggregate cells listed in ascending order (rows followed, not divided out). */
function markCells(cells: Int32Array, count: number, width: number, height: number, mask: Int32Array): void {
  let rowStart = 0;
  // The image row of aggregate row y is height - 1 - y: its first pixel moves up a row as y grows.
  let imageRowStart = (height - 1) * width;
  for (let k = 0; k < count; k++) {
    const cell = cells[k];
    while (cell >= rowStart + width) {
      rowStart += width;
      imageRowStart -= width;
    }
    const p = imageRowStart + cell - rowStart;
    mask[p >> 5] |= 1 << (p & 31);
  }
}

/** Lists the non-empty cells of `agg` and their counts (capacity: all of them); returns how many. */
function listNonEmpty(agg: Uint32Array, cells: Int32Array, counts: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < agg.length; i++) {
    if (agg[i] === 0) continue;
    counts[n] = agg[i];
    cells[n++] = i;
  }
  return n;
}

function ensureCapacity(buffers: PictureBuffers, activeCount: number, px: number, edgeCells: number): void {
  const wanted = Math.min(edgeCells, buffers.width * buffers.height);
  if (buffers.edgeCells.length < wanted) {
    buffers.edgeCells = new Int32Array(wanted);
    buffers.edgeCellCounts = new Uint32Array(wanted);
  }
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
