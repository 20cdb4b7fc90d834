// The picture the server draws, in one call: bundled edges counted (as points or Bresenham
// lines) and shaded with a ramp (`fire` by default); active hosts counted, shaded red and spread
// into dots; dots over edges, over the background (black by default). Every buffer is the
// caller's and is reused from frame to frame.
// renderPicture draws it as RGBA; renderFrame (live frames) as a palette index per drawn pixel,
// which is all the frame encoder reads: it skips the RGBA frame's fill and colour writes (4
// bytes a pixel over the whole frame) and the encoder's colour look-ups.
//
// The result equals the stage-by-stage composition
//   setBackground(over(ring, over(spread(shade(hosts)), over(highlights, over(layers...)))), background)
// computed with fewer passes over the frame: the frame is the background except where drawn,
// and only the non-empty cells of each edge layer (listed as they are counted) are shaded onto
// it. Every edge, highlight and ring pixel is opaque or empty, and an opaque pixel comes through
// set_background and 'over' a transparent top unchanged, so each layer simply overwrites the
// ones below; the host layer is touched only where it has dots.
// Optional parts, all off by default (which draws the reference's picture): one edge layer per
// protocol (`layers`), dots sized by traffic, highlighted edges and host, and edges summed by
// weight or drawn antialiased (a float aggregate, shaded through 16-bit levels: levels.ts).
// The host buffers are all zero between frames: they are cleared after use.
import { LAYER_RAMPS, ramps, type RampName } from '../colormaps/index.js';
import type { ColorRamp, Rgb } from '../colormaps/ramp.js';
import { PROTO_COUNT } from '../records.js';
import type { CanvasSpec } from './canvas.js';
import {
  aggregateLines, aggregatePointsAt, aggregatePointsListed, createPointBuckets, pointCells, type PointBuckets,
} from './aggregate.js';
import { colorsByCount, createShadeScratch, EQ_HIST_BINS, shadeCells, SHADE_HOWS, type ShadeHow, type ShadeOptions, type ShadeScratch } from './shade.js';
import { discArea, spreadPixels } from './spread.js';
import { overPixel } from './composite.js';
import { pixelMaskWords } from './pixel-mask.js';
import { aggregateLinesAntialiased, sumLines, sumPoints } from './aggregate-weighted.js';
import { levelsHow, quantiseLevels } from './levels.js';

export const HOST_COLOR: Rgb = [255, 0, 0];
export const HOST_SPREAD_PX = 5;
/** Edges flagged HIGHLIGHT_NEW (new in the current window). */
export const NEW_EDGE_COLOR: Rgb = [0, 255, 255];
/** Edges flagged HIGHLIGHT_HOST (the highlighted host's), and the ring round that host's dot. */
export const HIGHLIGHT_COLOR: Rgb = [57, 255, 20];
/** Bits of PictureInput.highlightEdges. */
export const HIGHLIGHT_NEW = 1;
export const HIGHLIGHT_HOST = 2;
/** With hostDots 'traffic', the busiest host's dot radius over the quietest's (hostSpreadPx). */
export const TRAFFIC_DOT_SCALE = 3;
/** The highlighted host's ring: this many pixels clear of its dot, this many wide. */
const RING_GAP_PX = 1;
const RING_WIDTH_PX = 2;
const TRANSPARENT_PIXEL = new Uint8Array(4);
/** Colours of an indexed picture at most (a PNG palette's). */
export const PALETTE_SIZE = 256;
const PALETTE_SLOTS = 1024;
/** Edge passes with their own point grouping memory: a layer per protocol, then each highlight. */
const PASS_NEW = PROTO_COUNT;
const PASS_HOST = PROTO_COUNT + 1;

export type EdgeMode = 'points' | 'lines';
export type HostDots = 'fixed' | 'traffic';
export const HOST_DOTS: readonly HostDots[] = ['fixed', 'traffic'];

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
  /** Ramp of the edges (with `layers`, of the tcp layer); default 'fire'. */
  cmap?: RampName;
  /** '#rrggbb' under everything; default '#000000'. */
  background?: string;
  /**
   * One aggregate per protocol, each shaded with its ramp (layerRamps(cmap)) and drawn over the
   * ones before in protocol code order, tcp at the bottom; reads edgeProto. Default false.
   */
  layers?: boolean;
  /** Protocol code (records.ts `Proto`) of each edge; read with `layers`. */
  edgeProto?: Uint8Array;
  /**
   * 'fixed' (default): every dot hostSpreadPx. 'traffic': the radius grows with the log of the
   * host's bytes, from hostSpreadPx (the quietest active host) to TRAFFIC_DOT_SCALE times that
   * (the busiest); reads hostBytes.
   */
  hostDots?: HostDots;
  /** Bytes per host, indexed by host id; read with hostDots 'traffic'. */
  hostBytes?: Float64Array;
  /**
   * Per edge, HIGHLIGHT_NEW and HIGHLIGHT_HOST bits: such edges are drawn again on top, in one
   * colour (NEW_EDGE_COLOR, then HIGHLIGHT_COLOR over it), under the dots.
   */
  highlightEdges?: Uint8Array;
  /** A host id whose dot gets a ring in HIGHLIGHT_COLOR, over everything; -1 (default) none. */
  highlightHost?: number;
  /**
   * Per edge, its weight (finite, >= 0): an edge adds its weight wherever it would add 1, so
   * pixels hold weighted sums (datashader's sum(column)), not counts. Default none (counts).
   * Highlighted edges are drawn from counts either way.
   */
  edgeWeights?: Float64Array;
  /** With mode 'lines': lines antialiased (Xiaolin Wu coverage, times the weight with edgeWeights). Default false. */
  antialias?: boolean;
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
  /** The pass's non-empty edge cells (ascending) and their counts, and the points' grouping memory; grown as needed. */
  edgeCells: Int32Array;
  edgeCellCounts: Uint32Array;
  readonly pointBuckets: PointBuckets;
  /** Grouping memory per layer and highlight pass (each pass's points alike from frame to frame); made when first used. */
  readonly passBuckets: (PointBuckets | null)[];
  /** The polylines of one layer or highlight, copied together, and their weights; grown as needed. */
  selectedPoints: Float64Array;
  selectedOffsets: Uint32Array;
  selectedWeights: Float64Array;
  /** Weighted or antialiased edges: the float aggregate (antialiasing uses its memory as float32); made when first used. */
  edgeSums: Float64Array | null;
  /** Host counts, red host pixels and spread dots: all zero between frames. */
  readonly hostCounts: Uint32Array;
  readonly hostImage: Uint8ClampedArray;
  readonly dotImage: Uint8ClampedArray;
  /** Cells holding hosts (then their image pixels, hostCellCount of them), and dot pixels; grown as needed. */
  hostCells: Int32Array;
  hostCellCount: number;
  dotPixels: Int32Array;
  /** Dots sized by traffic: the cell of each active host, the dot radius of each host cell, and per cell its radius (all zero between frames; made when first used). */
  hostPointCells: Int32Array;
  dotRadii: Uint8Array;
  cellRadius: Uint8Array | null;
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
  // Byte offsets into the RGBA images are computed as int32 (p * 4, p << 2 ...).
  if (cells > 2 ** 29) throw new RangeError(`width*height must be at most 2^29 pixels, got ${width}x${height}`);
  const image = new Uint8ClampedArray(cells * 4);
  return {
    width, height,
    edgeCounts: new Uint32Array(cells),
    edgeCells: new Int32Array(0),
    edgeCellCounts: new Uint32Array(0),
    pointBuckets: createPointBuckets(),
    passBuckets: new Array<PointBuckets | null>(PASS_HOST + 1).fill(null),
    selectedPoints: new Float64Array(0),
    selectedOffsets: new Uint32Array(0),
    selectedWeights: new Float64Array(0),
    edgeSums: null,
    hostCounts: new Uint32Array(cells),
    hostImage: new Uint8ClampedArray(cells * 4),
    dotImage: new Uint8ClampedArray(cells * 4),
    hostCells: new Int32Array(1024),
    hostCellCount: 0,
    dotPixels: new Int32Array(Math.min(cells, 1024 * discArea(HOST_SPREAD_PX))),
    hostPointCells: new Int32Array(0),
    dotRadii: new Uint8Array(0),
    cellRadius: null,
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

/** A render's options, validated and looked up. */
interface PictureStyle {
  /** Dot radius (of the quietest host with traffic dots), and the largest any dot gets. */
  readonly px: number;
  readonly largestPx: number;
  /** The edges' ramp, or per protocol code its layer's ramp (layers). */
  readonly ramp: ColorRamp;
  readonly layerRamps: readonly ColorRamp[] | null;
  readonly background: Rgb;
  readonly backgroundPixel: Uint8Array;
  readonly backgroundWord: number;
  readonly traffic: boolean;
  /** log1p of the fewest and most bytes of an active host (traffic dots). */
  readonly logBytesMin: number;
  readonly logBytesMax: number;
  /** OR of every edge's highlight bits (0: no highlight pass). */
  readonly highlightBits: number;
  readonly highlightHost: number;
  /** Whether the edge passes aggregate floats (weights or antialiasing), and how their aggregates are shaded. */
  readonly floatEdges: boolean;
  readonly edgeHow: ShadeHow;
}

function rgbaWord(rgb: Rgb): number {
  return new Uint32Array(Uint8Array.of(rgb[0], rgb[1], rgb[2], 255).buffer)[0];
}

const NEW_EDGE_WORD = rgbaWord(NEW_EDGE_COLOR);
const HIGHLIGHT_WORD = rgbaWord(HIGHLIGHT_COLOR);

/** Few distinct counts (sparse captures) would put most edges at the ramp's dark bottom: rescaled. */
function edgeShading(how: ShadeHow, ramp: ColorRamp, background: Rgb): ShadeOptions {
  return { how, cmap: ramp, background, rescaleDiscreteLevels: true };
}

/** Draws the picture into buffers.image, marks buffers.drawn, and returns the image. */
export function renderPicture(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): Uint8ClampedArray {
  const { width, height } = spec;
  const style = checkPicture(spec, input, buffers);
  const { edgeCounts, dotImage, scratch, image, pixels, drawn } = buffers;
  pixels.fill(style.backgroundWord);
  drawn.fill(0);
  for (let pass = 0; pass <= PASS_HOST; pass++) {
    const cellCount = aggregatePass(spec, input, style, pass, buffers);
    if (cellCount < 0) continue;
    if (pass >= PASS_NEW) {
      fillCells(buffers.edgeCells, cellCount, width, height, pass === PASS_NEW ? NEW_EDGE_WORD : HIGHLIGHT_WORD, pixels, drawn);
      continue;
    }
    const ramp = style.layerRamps === null ? style.ramp : style.layerRamps[pass];
    shadeCells(edgeCounts, width, height, buffers.edgeCells, cellCount, edgeShading(style.edgeHow, ramp, style.background), image, scratch, buffers.edgeCellCounts);
    markCells(buffers.edgeCells, cellCount, width, height, drawn);
  }

  const dots = buffers.dotPixels;
  const dotCount = spreadHosts(spec, input, style, buffers);
  const dotPixels = new Uint32Array(dotImage.buffer, dotImage.byteOffset, width * height);
  for (let k = 0; k < dotCount; k++) {
    const p = dots[k];
    const o = p * 4;
    if (dotImage[o + 3] === 255) {
      // An opaque dot comes through 'over' anything and set_background unchanged.
      pixels[p] = dotPixels[p];
    } else {
      // The pixel under the dot: transparent where nothing was drawn, else its opaque colour.
      if ((drawn[p >> 5] & (1 << (p & 31))) === 0) overPixel(dotImage, o, TRANSPARENT_PIXEL, 0, image, o);
      else overPixel(dotImage, o, image, o, image, o);
      overPixel(image, o, style.backgroundPixel, 0, image, o);
    }
    drawn[p >> 5] |= 1 << (p & 31);
    dotPixels[p] = 0;
  }
  clearHosts(buffers);
  if (style.highlightHost >= 0) drawRing(spec, input, style, buffers, HIGHLIGHT_WORD, pixels);
  return image;
}

/**
 * Draws the picture as buffers.indexed, the same picture as renderPicture's, and marks
 * buffers.drawn. Returns false, with nothing usable drawn, when it has more than PALETTE_SIZE
 * colours or edge counts of EQ_HIST_BINS or more: renderPicture draws those.
 */
export function renderFrame(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): boolean {
  const { width, height } = spec;
  const style = checkPicture(spec, input, buffers);
  const { edgeCellCounts, dotImage, scratch, drawn, countIndex } = buffers;
  const { indices, palette } = buffers.indexed;
  buffers.paletteSlots.fill(0);
  buffers.indexed.size = 0;
  paletteIndex(buffers, style.backgroundWord);
  drawn.fill(0);
  for (let pass = 0; pass <= PASS_HOST; pass++) {
    const cellCount = aggregatePass(spec, input, style, pass, buffers);
    if (cellCount < 0) continue;
    if (pass >= PASS_NEW) {
      const index = paletteIndex(buffers, pass === PASS_NEW ? NEW_EDGE_WORD : HIGHLIGHT_WORD);
      if (index < 0) return false;
      fillCells(buffers.edgeCells, cellCount, width, height, index, indices, drawn);
      continue;
    }
    const ramp = style.layerRamps === null ? style.ramp : style.layerRamps[pass];
    const maxCount = colorsByCount(edgeCellCounts, cellCount, edgeShading(style.edgeHow, ramp, style.background), scratch);
    if (maxCount < 0) return false;
    for (let v = 1; v <= maxCount; v++) {
      if (scratch.counts[v] === 0) continue;
      const index = paletteIndex(buffers, scratch.colors[v]);
      if (index < 0) return false;
      countIndex[v] = index;
    }
    indexCells(buffers.edgeCells, edgeCellCounts, cellCount, width, height, countIndex, indices, drawn);
  }

  // The host layer shades with the same scratch: edge colours come from the palette from here on.
  const dots = buffers.dotPixels;
  const dotCount = spreadHosts(spec, input, style, buffers);
  const dotPixels = new Uint32Array(dotImage.buffer, dotImage.byteOffset, width * height);
  const blended = new Uint8Array(4);
  const blendedWord = new Uint32Array(blended.buffer, 0, 1);
  let fits = true;
  for (let k = 0; k < dotCount; k++) {
    const p = dots[k];
    const o = p * 4;
    let color = dotPixels[p];
    if (dotImage[o + 3] !== 255) {
      // As renderPicture: the dot over the pixel drawn there (transparent where none was), over the background.
      if ((drawn[p >> 5] & (1 << (p & 31))) === 0) {
        overPixel(dotImage, o, TRANSPARENT_PIXEL, 0, blended, 0);
      } else {
        blendedWord[0] = palette[indices[p]];
        overPixel(dotImage, o, blended, 0, blended, 0);
      }
      overPixel(blended, 0, style.backgroundPixel, 0, blended, 0);
      color = blendedWord[0];
    }
    drawn[p >> 5] |= 1 << (p & 31);
    const index = fits ? paletteIndex(buffers, color) : -1;
    if (index < 0) fits = false;
    else indices[p] = index;
    dotPixels[p] = 0;
  }
  clearHosts(buffers);
  if (fits && style.highlightHost >= 0) {
    const index = paletteIndex(buffers, HIGHLIGHT_WORD);
    if (index < 0) return false;
    drawRing(spec, input, style, buffers, index, indices);
  }
  return fits;
}

/** Validates a render's arguments, makes room in the buffers; returns the options looked up. */
function checkPicture(spec: CanvasSpec, input: PictureInput, buffers: PictureBuffers): PictureStyle {
  const { width, height } = spec;
  if (buffers.width !== width || buffers.height !== height) {
    throw new RangeError(`buffers are ${buffers.width}x${buffers.height}, the canvas is ${width}x${height}`);
  }
  if (input.mode !== 'points' && input.mode !== 'lines') throw new RangeError(`mode must be 'points' or 'lines', got ${String(input.mode)}`);
  if (!SHADE_HOWS.includes(input.how)) throw new RangeError(`how must be one of ${SHADE_HOWS.join(', ')}, got ${String(input.how)}`);
  const { first, end } = vertexRange(input);
  const { edgeCount } = input;
  if (!(input.hostXY instanceof Float64Array)) throw new TypeError('hostXY must be a Float64Array');
  const hostCount = input.hostXY.length >> 1;
  if (!Number.isInteger(input.activeCount) || input.activeCount < 0) throw new RangeError(`activeCount must be a non-negative integer, got ${input.activeCount}`);
  const px = input.hostSpreadPx ?? HOST_SPREAD_PX;
  if (!Number.isInteger(px) || px < 0 || px > 64) throw new RangeError(`hostSpreadPx must be an integer 0..64, got ${px}`);
  const { ramp, background, layers, traffic } = checkPictureOptions(input);
  if (layers) checkEdgeBytes(input.edgeProto, edgeCount, 'edgeProto', PROTO_COUNT - 1);
  let logBytesMin = 0, logBytesMax = 0;
  if (traffic) [logBytesMin, logBytesMax] = checkHostBytes(input, hostCount);
  let highlightBits = 0;
  if (input.highlightEdges !== undefined) {
    checkEdgeBytes(input.highlightEdges, edgeCount, 'highlightEdges', HIGHLIGHT_NEW | HIGHLIGHT_HOST);
    for (let i = 0; i < edgeCount; i++) highlightBits |= input.highlightEdges[i];
  }
  const highlightHost = input.highlightHost ?? -1;
  if (!Number.isInteger(highlightHost) || highlightHost < -1 || highlightHost >= hostCount) {
    throw new RangeError(`highlightHost must be -1 or a host id 0..${hostCount - 1}, got ${highlightHost}`);
  }
  const weighted = input.edgeWeights !== undefined;
  if (weighted) checkEdgeWeights(input.edgeWeights, edgeCount);
  const antialias = input.antialias ?? false;
  if (typeof antialias !== 'boolean') throw new RangeError(`antialias must be a boolean, got ${String(antialias)}`);
  const floatEdges = weighted || (antialias && input.mode === 'lines');
  if (layers || highlightBits !== 0) checkOffsetsAscend(input.edgeOffsets, edgeCount);
  const largestPx = traffic ? Math.round(px * TRAFFIC_DOT_SCALE) : px;
  ensureCapacity(buffers, input.activeCount, largestPx, input.mode === 'lines' || floatEdges ? width * height : end - first, traffic);
  if (layers || highlightBits !== 0) ensureSelection(buffers, end - first, edgeCount, weighted);
  if (floatEdges && buffers.edgeSums === null) buffers.edgeSums = new Float64Array(width * height);
  const backgroundPixel = Uint8Array.of(background[0], background[1], background[2], 255);
  return {
    px, largestPx, ramp,
    layerRamps: layers ? [ramp, LAYER_RAMPS.udp, LAYER_RAMPS.icmp, LAYER_RAMPS.other] : null,
    background, backgroundPixel, backgroundWord: rgbaWord(background),
    traffic, logBytesMin, logBytesMax, highlightBits, highlightHost,
    floatEdges, edgeHow: floatEdges ? levelsHow(input.how) : input.how,
  };
}

function checkEdgeWeights(weights: unknown, edgeCount: number): void {
  if (!(weights instanceof Float64Array) || weights.length < edgeCount) throw new RangeError(`edgeWeights must be a Float64Array of at least edgeCount = ${edgeCount}`);
  for (let i = 0; i < edgeCount; i++) {
    if (!(weights[i] >= 0) || weights[i] === Infinity) throw new RangeError(`edgeWeights[${i}] must be finite and >= 0, got ${weights[i]}`);
  }
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The picture options that need no edges or hosts to check. */
export type PictureStyleInput = Pick<PictureInput, 'cmap' | 'background' | 'layers' | 'hostDots'>;

/**
 * Checks cmap, background, layers and hostDots (RangeError naming the option); returns them
 * looked up, defaults filled in. Callers check with it before costlier work than the render's.
 */
export function checkPictureOptions(options: PictureStyleInput): { ramp: ColorRamp; background: Rgb; layers: boolean; traffic: boolean } {
  const cmap = options.cmap ?? 'fire';
  if (typeof cmap !== 'string' || !Object.hasOwn(ramps, cmap)) throw new RangeError(`cmap must be one of ${Object.keys(ramps).join(', ')}, got ${String(cmap)}`);
  const background = options.background ?? '#000000';
  if (typeof background !== 'string' || !HEX_COLOR.test(background)) throw new RangeError(`background must be '#rrggbb', got ${JSON.stringify(background)}`);
  const rgb = parseInt(background.slice(1), 16);
  const layers = options.layers ?? false;
  if (typeof layers !== 'boolean') throw new RangeError(`layers must be a boolean, got ${String(layers)}`);
  const hostDots = options.hostDots ?? 'fixed';
  if (!HOST_DOTS.includes(hostDots)) throw new RangeError(`hostDots must be 'fixed' or 'traffic', got ${String(hostDots)}`);
  return { ramp: ramps[cmap], background: [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255], layers, traffic: hostDots === 'traffic' };
}

/** A byte per edge (edgeProto, highlightEdges), each at most `max`. */
function checkEdgeBytes(values: unknown, edgeCount: number, name: string, max: number): void {
  if (!(values instanceof Uint8Array) || values.length < edgeCount) throw new RangeError(`${name} must be a Uint8Array of at least edgeCount = ${edgeCount}`);
  for (let i = 0; i < edgeCount; i++) {
    if (values[i] > max) throw new RangeError(`${name}[${i}] = ${values[i]} is not 0..${max}`);
  }
}

/** Checks hostBytes; returns log1p of the fewest and most bytes of an active host. */
function checkHostBytes(input: PictureInput, hostCount: number): [number, number] {
  const bytes = input.hostBytes;
  if (!(bytes instanceof Float64Array) || bytes.length < hostCount) throw new RangeError(`hostBytes must be a Float64Array of at least one entry per host (${hostCount}) with hostDots 'traffic'`);
  let min = Infinity, max = -Infinity;
  for (let k = 0; k < input.activeCount; k++) {
    const b = bytes[input.activeHosts[k]];
    // An id outside hostXY reads undefined here; aggregatePointsAt reports it.
    if (b === undefined) continue;
    if (!(b >= 0) || b === Infinity) throw new RangeError(`hostBytes[${input.activeHosts[k]}] must be finite and >= 0, got ${b}`);
    if (b < min) min = b;
    if (b > max) max = b;
  }
  return min === Infinity ? [0, 0] : [Math.log1p(min), Math.log1p(max)];
}

function checkOffsetsAscend(offsets: Uint32Array, edgeCount: number): void {
  for (let i = 0; i < edgeCount; i++) {
    if (offsets[i + 1] < offsets[i]) throw new RangeError(`edgeOffsets must not decrease (edgeOffsets[${i + 1}] < edgeOffsets[${i}])`);
  }
}

/**
 * Counts one pass's edges into buffers.edgeCounts and lists its non-empty cells (ascending) with
 * their counts; returns how many, or -1 when the picture has no such pass. Passes: the edges (0,
 * or with layers one per protocol code), then the highlighted ones (PASS_NEW, PASS_HOST).
 */
function aggregatePass(spec: CanvasSpec, input: PictureInput, style: PictureStyle, pass: number, buffers: PictureBuffers): number {
  if (pass < PASS_NEW) {
    if (style.layerRamps === null) {
      if (pass > 0) return -1;
      if (style.floatEdges) return aggregateEdgeLevels(spec, input, input.edgePoints, input.edgeOffsets, input.edgeCount, input.edgeWeights ?? null, buffers);
      return aggregateEdges(spec, input.mode, input.edgePoints, input.edgeOffsets, input.edgeCount, buffers.pointBuckets, buffers);
    }
    const count = selectPolylines(input, input.edgeProto!, 0xff, pass, buffers);
    if (style.floatEdges) {
      return aggregateEdgeLevels(spec, input, buffers.selectedPoints, buffers.selectedOffsets, count, input.edgeWeights ? buffers.selectedWeights : null, buffers);
    }
    return aggregateEdges(spec, input.mode, buffers.selectedPoints, buffers.selectedOffsets, count, passBuckets(buffers, pass), buffers);
  }
  const bit = pass === PASS_NEW ? HIGHLIGHT_NEW : HIGHLIGHT_HOST;
  if ((style.highlightBits & bit) === 0) return -1;
  const count = selectPolylines(input, input.highlightEdges!, bit, bit, buffers);
  return aggregateEdges(spec, input.mode, buffers.selectedPoints, buffers.selectedOffsets, count, passBuckets(buffers, pass), buffers);
}

function passBuckets(buffers: PictureBuffers, pass: number): PointBuckets {
  return buffers.passBuckets[pass] ??= createPointBuckets();
}

/** Counts polylines 0..count of (xy, offsets) into buffers.edgeCounts and lists the non-empty cells (ascending) with their counts; returns how many. */
function aggregateEdges(
  spec: CanvasSpec, mode: EdgeMode, xy: Float64Array, offsets: Uint32Array, count: number, buckets: PointBuckets, buffers: PictureBuffers,
): number {
  const { edgeCounts, edgeCells, edgeCellCounts } = buffers;
  if (mode === 'lines') {
    edgeCounts.fill(0);
    aggregateLines(spec, xy, offsets, count, edgeCounts);
    return listNonEmpty(edgeCounts, edgeCells, edgeCellCounts);
  }
  const first = count === 0 ? 0 : offsets[0];
  const end = count === 0 ? 0 : offsets[count];
  return aggregatePointsListed(spec, xy.subarray(2 * first, 2 * end), end - first, edgeCounts, edgeCells, buckets, edgeCellCounts);
}

/**
 * Sums polylines 0..count of (xy, offsets) by weight (each 1 when `weights` is null), antialiased
 * or not as the input asks, into buffers.edgeSums, and lists its non-empty cells (ascending) with
 * their levels (levels.ts) in place of counts; returns how many.
 */
function aggregateEdgeLevels(
  spec: CanvasSpec, input: PictureInput, xy: Float64Array, offsets: Uint32Array, count: number, weights: Float64Array | null, buffers: PictureBuffers,
): number {
  const sums = buffers.edgeSums!;
  if (input.mode === 'lines' && input.antialias) {
    const coverage = new Float32Array(sums.buffer, sums.byteOffset, sums.length);
    coverage.fill(0);
    aggregateLinesAntialiased(spec, xy, offsets, count, weights, coverage);
    return quantiseLevels(coverage, input.how, buffers.edgeCells, buffers.edgeCellCounts);
  }
  sums.fill(0);
  if (input.mode === 'lines') sumLines(spec, xy, offsets, count, weights!, sums);
  else sumPoints(spec, xy, offsets, count, weights!, sums);
  return quantiseLevels(sums, input.how, buffers.edgeCells, buffers.edgeCellCounts);
}

/**
 * Copies the polylines i < edgeCount with (keys[i] & mask) === value, in order, into
 * buffers.selectedPoints / selectedOffsets (and their edgeWeights, if any, into selectedWeights);
 * returns how many.
 */
function selectPolylines(input: PictureInput, keys: Uint8Array, mask: number, value: number, buffers: PictureBuffers): number {
  const { edgePoints, edgeOffsets, edgeCount, edgeWeights } = input;
  const points = buffers.selectedPoints, offsets = buffers.selectedOffsets, weights = buffers.selectedWeights;
  let n = 0;
  let at = 0;
  offsets[0] = 0;
  for (let i = 0; i < edgeCount; i++) {
    if ((keys[i] & mask) !== value) continue;
    const end = 2 * edgeOffsets[i + 1];
    for (let j = 2 * edgeOffsets[i]; j < end; j++) points[at++] = edgePoints[j];
    if (edgeWeights !== undefined) weights[n] = edgeWeights[i];
    offsets[++n] = at >> 1;
  }
  return n;
}

/**
 * Counts and shades the active hosts (buffers.hostImage) and spreads them into dots
 * (buffers.dotImage); lists the dot pixels in buffers.dotPixels, returns how many. The host
 * cells are left in buffers.hostCells as image pixels, for clearHosts.
 */
function spreadHosts(spec: CanvasSpec, input: PictureInput, style: PictureStyle, buffers: PictureBuffers): number {
  const { width, height } = spec;
  const { hostCounts, hostImage, dotImage, scratch } = buffers;
  const cells = buffers.hostCells;
  const cellCount = aggregatePointsAt(spec, input.hostXY, input.activeHosts, input.activeCount, hostCounts, cells);
  const cellRadius = buffers.cellRadius;
  if (style.traffic && cellRadius !== null) {
    // A cell holding several hosts gets the largest of their dots.
    const hostCells = buffers.hostPointCells;
    pointCells(spec, input.hostXY, input.activeHosts, input.activeCount, hostCells);
    for (let k = 0; k < input.activeCount; k++) {
      if (hostCells[k] < 0) continue;
      const radius = dotRadius(style, input.hostBytes![input.activeHosts[k]]);
      if (radius > cellRadius[hostCells[k]]) cellRadius[hostCells[k]] = radius;
    }
  }
  // Ascending aggregate order is datashader's stamping order for spread.
  cells.subarray(0, cellCount).sort();
  shadeCells(hostCounts, width, height, cells, cellCount, { how: 'eq_hist', cmap: HOST_COLOR }, hostImage, scratch);
  const radii = buffers.dotRadii;
  for (let k = 0; k < cellCount; k++) {
    hostCounts[cells[k]] = 0;
    if (style.traffic && cellRadius !== null) {
      radii[k] = cellRadius[cells[k]];
      cellRadius[cells[k]] = 0;
    }
    cells[k] = flipIndex(cells[k], width, height);
  }
  buffers.hostCellCount = cellCount;
  return spreadPixels(hostImage, width, height, style.px, cells, cellCount, dotImage, buffers.dotPixels, style.traffic ? radii : undefined);
}

/** A host's dot radius with traffic dots: px to TRAFFIC_DOT_SCALE * px, by log1p(bytes) between the active hosts' fewest and most. */
function dotRadius(style: PictureStyle, bytes: number): number {
  const span = style.logBytesMax - style.logBytesMin;
  const t = span > 0 ? Math.min(1, Math.max(0, (Math.log1p(bytes) - style.logBytesMin) / span)) : 0;
  return Math.round(style.px * (1 + (TRAFFIC_DOT_SCALE - 1) * t));
}

/**
 * Draws the ring round the highlighted host's dot, `value` at each of its image pixels (a colour
 * word or a palette index), and marks them. The ring is drawn where it falls on the canvas, even
 * with the host itself off it.
 */
function drawRing(
  spec: CanvasSpec, input: PictureInput, style: PictureStyle, buffers: PictureBuffers, value: number, out: Uint32Array | Uint8Array,
): void {
  const { width, height } = spec;
  const host = style.highlightHost;
  const x = input.hostXY[2 * host], y = input.hostXY[2 * host + 1];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  const cell = buffers.hostPointCells;
  pointCells(spec, input.hostXY, Int32Array.of(host), 1, cell);
  // On the canvas, the dot's own pixel; off it, where that pixel would be.
  const cx = cell[0] >= 0 ? cell[0] % width : Math.floor(x * spec.xScale + spec.xOffset);
  const cy = cell[0] >= 0 ? height - 1 - Math.floor(cell[0] / width) : height - 1 - Math.floor(y * spec.yScale + spec.yOffset);
  const radius = style.traffic ? dotRadius(style, input.hostBytes![host]) : style.px;
  // The disc conventions of spread: within r + 0.5, i.e. dx² + dy² <= r² + r.
  const inner = radius + RING_GAP_PX, outer = inner + RING_WIDTH_PX;
  const innerReach = inner * inner + inner, outerReach = outer * outer + outer;
  const drawn = buffers.drawn;
  for (let ty = Math.max(0, cy - outer); ty <= Math.min(height - 1, cy + outer); ty++) {
    const dy = ty - cy;
    for (let tx = Math.max(0, cx - outer); tx <= Math.min(width - 1, cx + outer); tx++) {
      const dx = tx - cx;
      const d = dx * dx + dy * dy;
      if (d <= innerReach || d > outerReach) continue;
      const p = ty * width + tx;
      out[p] = value;
      drawn[p >> 5] |= 1 << (p & 31);
    }
  }
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

/** Writes `value` (a colour word or a palette index) at the image pixel of each listed cell, and marks it. */
function fillCells(
  cells: Int32Array, count: number, width: number, height: number, value: number, out: Uint32Array | Uint8Array, mask: Int32Array,
): void {
  for (let k = 0; k < count; k++) {
    const p = flipIndex(cells[k], width, height);
    out[p] = value;
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

function ensureCapacity(buffers: PictureBuffers, activeCount: number, largestPx: number, edgeCells: number, traffic: boolean): void {
  const cells = buffers.width * buffers.height;
  const wanted = Math.min(edgeCells, cells);
  if (buffers.edgeCells.length < wanted) {
    buffers.edgeCells = new Int32Array(wanted);
    buffers.edgeCellCounts = new Uint32Array(wanted);
  }
  if (buffers.hostCells.length < activeCount) {
    buffers.hostCells = new Int32Array(Math.max(activeCount, buffers.hostCells.length * 2));
  }
  const dots = Math.min(cells, buffers.hostCells.length * discArea(largestPx));
  if (buffers.dotPixels.length < dots) buffers.dotPixels = new Int32Array(dots);
  // The ring looks up one cell in hostPointCells; traffic dots one per active host.
  const hostCapacity = traffic ? buffers.hostCells.length : 1;
  if (buffers.hostPointCells.length < hostCapacity) {
    buffers.hostPointCells = new Int32Array(hostCapacity);
    buffers.dotRadii = new Uint8Array(hostCapacity);
  }
  if (traffic && buffers.cellRadius === null) buffers.cellRadius = new Uint8Array(cells);
}

function ensureSelection(buffers: PictureBuffers, vertices: number, edgeCount: number, weighted: boolean): void {
  if (buffers.selectedPoints.length < 2 * vertices) buffers.selectedPoints = new Float64Array(2 * vertices);
  if (buffers.selectedOffsets.length < edgeCount + 1) buffers.selectedOffsets = new Uint32Array(edgeCount + 1);
  if (weighted && buffers.selectedWeights.length < edgeCount) buffers.selectedWeights = new Float64Array(edgeCount);
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
