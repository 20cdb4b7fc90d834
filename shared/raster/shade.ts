// Aggregate -> RGBA image, reproducing datashader's `tf.shade` for 2-D count aggregates
// (`_interpolate`): empty pixels transparent; the minimum count subtracted; a transform
// (eq_hist, log1p, identity, cube root); then a colour ramp, or one colour with alpha ramped
// from minAlpha to alpha, interpolated over the transformed span and truncated to bytes.
// The image is flipped on the way: image row 0 is the top (highest y), aggregate row 0 the bottom.
// Counts spanning fewer than EQ_HIST_BINS values (the usual case) get one colour per value,
// computed once; wider ones are computed pixel by pixel.
import type { ColorRamp, Rgb } from '../colormaps/ramp.js';
import { overPixel } from './composite.js';
import { binnedCdf, countByValue, cumulate, EQ_HIST_BINS } from './eq-hist.js';
import { interp, linspace } from './interp.js';

export { EQ_HIST_BINS };
export type ShadeHow = 'eq_hist' | 'log' | 'linear' | 'cbrt';
export const SHADE_HOWS: readonly ShadeHow[] = ['eq_hist', 'log', 'linear', 'cbrt'];

export interface ShadeOptions {
  how?: ShadeHow;
  /** A ramp (colours interpolated over the span) or one colour (alpha interpolated instead). */
  cmap: ColorRamp | Rgb;
  /** Alpha of coloured pixels with a ramp; the top of the alpha ramp with one colour. Default 255. */
  alpha?: number;
  /** Bottom of the alpha ramp with one colour. Default 40. */
  minAlpha?: number;
  /**
   * eq_hist only: datashader's `rescale_discrete_levels`. With few distinct counts the lowest
   * one would sit at the bottom of the ramp (black for `fire`, invisible on black); this lowers
   * the span's start so that few levels spread over the upper part of the ramp. Default false
   * (datashader's tf.shade default, which the reference pictures use).
   */
  rescaleDiscreteLevels?: boolean;
  /** If set, every pixel written is composited over this opaque colour (set_background, fused). */
  background?: Rgb;
}

/** Working memory for shade, reusable between calls. */
export interface ShadeScratch {
  /** Per count value below EQ_HIST_BINS: how many cells hold it. */
  readonly counts: Uint32Array;
  /** Per value (or per bin): counts, then the level. */
  readonly levels: Float64Array;
  /** Bin centres of the binned eq_hist. */
  readonly centres: Float64Array;
  /** Per value: the pixel's RGBA, 4 bytes in memory order. */
  readonly colors: Uint32Array;
}

export function createShadeScratch(): ShadeScratch {
  return {
    counts: new Uint32Array(EQ_HIST_BINS),
    levels: new Float64Array(EQ_HIST_BINS),
    centres: new Float64Array(EQ_HIST_BINS),
    colors: new Uint32Array(EQ_HIST_BINS),
  };
}

/** Validated options, and the ramp's stops (or the alpha stops) with their positions. */
interface Coloring {
  readonly how: ShadeHow;
  readonly single: boolean;
  readonly rgb: Rgb;
  readonly alpha: number;
  readonly channels: ArrayLike<number>;
  readonly stops: Float64Array;
  /** RGBA of the background, or null. */
  readonly background: Uint8Array | null;
  readonly rescaleDiscreteLevels: boolean;
}

function isRgb(value: unknown): value is Rgb {
  return Array.isArray(value) && value.length === 3 && value.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
}

function makeColoring(options: ShadeOptions): Coloring {
  const how = options.how ?? 'eq_hist';
  if (!SHADE_HOWS.includes(how)) throw new RangeError(`how must be one of ${SHADE_HOWS.join(', ')}, got ${String(how)}`);
  const alpha = options.alpha ?? 255;
  const minAlpha = options.minAlpha ?? 40;
  for (const [name, v] of [['alpha', alpha], ['minAlpha', minAlpha]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${name} must be an integer 0..255, got ${v}`);
  }
  if (minAlpha > alpha) throw new RangeError(`minAlpha (${minAlpha}) must not exceed alpha (${alpha})`);
  const { cmap, background } = options;
  const rescaleDiscreteLevels = options.rescaleDiscreteLevels ?? false;
  if (typeof rescaleDiscreteLevels !== 'boolean') throw new TypeError('rescaleDiscreteLevels must be a boolean');
  if (background !== undefined && !isRgb(background)) throw new RangeError('background must be [r, g, b] with integers 0..255');
  const backgroundRgba = background === undefined ? null : new Uint8Array([background[0], background[1], background[2], 255]);
  if (Array.isArray(cmap)) {
    if (!isRgb(cmap)) throw new RangeError('cmap as one colour must be [r, g, b] with integers 0..255');
    // np.arange(min_alpha, alpha + 1): one alpha stop per integer.
    const alphas = new Float64Array(alpha - minAlpha + 1);
    for (let k = 0; k < alphas.length; k++) alphas[k] = minAlpha + k;
    return { how, single: true, rgb: cmap, alpha, channels: alphas, stops: new Float64Array(alphas.length), background: backgroundRgba, rescaleDiscreteLevels };
  }
  const ramp = cmap as ColorRamp;
  if (!(ramp?.rgb instanceof Uint8Array) || !Number.isInteger(ramp.size) || ramp.size < 2 || ramp.rgb.length !== ramp.size * 3) {
    throw new TypeError('cmap must be a ColorRamp (size >= 2, rgb of 3 * size bytes) or an [r, g, b] colour');
  }
  return { how, single: false, rgb: [0, 0, 0], alpha, channels: ramp.rgb, stops: new Float64Array(ramp.size), background: backgroundRgba, rescaleDiscreteLevels };
}

function checkShadeArgs(agg: Uint32Array, width: number, height: number, out: Uint8ClampedArray): void {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  const cells = width * height;
  if (!(agg instanceof Uint32Array) || agg.length !== cells) throw new RangeError(`agg must be a Uint32Array of width*height = ${cells}`);
  if (!(out instanceof Uint8ClampedArray) || out.length !== cells * 4) throw new RangeError(`out must be a Uint8ClampedArray of width*height*4 = ${cells * 4}`);
  if (out.byteOffset % 4 !== 0) throw new RangeError('out must start on a 4-byte boundary');
}

/**
 * Shades a W x H count aggregate into `out` (W*H*4 bytes RGBA, row 0 at the top).
 * `scratch` may be passed to avoid allocating working memory on every call.
 */
export function shade(
  agg: Uint32Array, width: number, height: number, options: ShadeOptions,
  out: Uint8ClampedArray, scratch: ShadeScratch = createShadeScratch(),
): Uint8ClampedArray {
  checkShadeArgs(agg, width, height, out);
  shadeListed(agg, width, height, null, agg.length, makeColoring(options), out, scratch);
  return out;
}

/**
 * shade() for an aggregate whose non-empty cells are all in `cells[0..cellCount)` (distinct
 * aggregate indices): the same colours, computed and written for those cells only. Every other
 * pixel of `out` is left as it is; it should be transparent for the result to equal shade()'s.
 * `values`, when the caller has them, holds agg[cells[k]] at k: read instead of agg, in order
 * (the cells' counts are scattered over the aggregate).
 */
export function shadeCells(
  agg: Uint32Array, width: number, height: number, cells: Int32Array, cellCount: number,
  options: ShadeOptions, out: Uint8ClampedArray, scratch: ShadeScratch = createShadeScratch(),
  values?: Uint32Array,
): Uint8ClampedArray {
  checkShadeArgs(agg, width, height, out);
  if (!(cells instanceof Int32Array)) throw new TypeError('cells must be an Int32Array');
  if (!Number.isInteger(cellCount) || cellCount < 0 || cellCount > cells.length) {
    throw new RangeError(`cellCount must be an integer 0..${cells.length}, got ${cellCount}`);
  }
  if (values !== undefined && (!(values instanceof Uint32Array) || values.length < cellCount)) {
    throw new RangeError(`values must be a Uint32Array of at least cellCount = ${cellCount}`);
  }
  for (let k = 0; k < cellCount; k++) {
    if (cells[k] < 0 || cells[k] >= agg.length) throw new RangeError(`cells[${k}] = ${cells[k]} is not a cell of agg`);
  }
  shadeListed(agg, width, height, cells, cellCount, makeColoring(options), out, scratch, values ?? null);
  return out;
}

/**
 * The colours shadeCells gives a listed aggregate whose counts are values[0..n) (all non-zero):
 * scratch.colors[v] becomes the pixel (RGBA word) of a cell holding v, for every v present
 * (scratch.counts[v] > 0), and scratch.colors[0] the empty pixel. Returns the largest count, or
 * -1 when a count is EQ_HIST_BINS or more (shadeCells then colours such aggregates cell by cell,
 * and nothing is filled in). The tables are valid until scratch is used again.
 */
export function colorsByCount(values: Uint32Array, n: number, options: ShadeOptions, scratch: ShadeScratch): number {
  if (!(values instanceof Uint32Array)) throw new TypeError('values must be a Uint32Array');
  if (!Number.isInteger(n) || n < 0 || n > values.length) throw new RangeError(`n must be an integer 0..${values.length}, got ${n}`);
  const coloring = makeColoring(options);
  if (!countValues(values, null, n, scratch.counts)) return -1;
  return colorsByValue(coloring, scratch, emptyPixel(coloring));
}

function emptyPixel(coloring: Coloring): number {
  return coloring.background === null ? 0 : new Uint32Array(coloring.background.buffer)[0];
}

/** The cells visited are cells[0..n), or all n cells when `cells` is null. */
function shadeListed(
  agg: Uint32Array, width: number, height: number, cells: Int32Array | null, n: number,
  coloring: Coloring, out: Uint8ClampedArray, scratch: ShadeScratch, values: Uint32Array | null = null,
): void {
  const { counts, levels, colors } = scratch;
  const pixels = new Uint32Array(out.buffer, out.byteOffset, width * height);
  const empty = emptyPixel(coloring);
  // The cells are read once to count their values (when all are below EQ_HIST_BINS, the usual
  // case, the range then comes from the counts) and once to write them through a table indexed
  // by the count itself (entry 0 the empty pixel).
  const byValue = values === null ? countValues(agg, cells, n, counts) : countValues(values, null, n, counts);
  if (byValue) {
    colorsByValue(coloring, scratch, empty);
    if (cells === null) writeFlipped(agg, width, height, colors, pixels);
    else writeCells(agg, values, width, height, cells, n, colors, pixels);
    return;
  }
  // Some count is EQ_HIST_BINS or more: the range from the counts themselves.
  let min = 0xffffffff;
  let max = 0;
  for (let k = 0; k < n; k++) {
    const v = agg[cells === null ? k : cells[k]];
    if (v !== 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const range = max - min;
  if (range >= EQ_HIST_BINS) {
    shadeWideRange(agg, width, height, cells, n, min, range, coloring, scratch, out);
    return;
  }
  if (coloring.how === 'eq_hist') countByValue(agg, cells, n, min, range, levels);
  colorRange(coloring, scratch, min, range, min);
  for (let k = 0; k < n; k++) {
    const cell = cells === null ? k : cells[k];
    const v = agg[cell];
    pixels[pixelOf(cell, width, height)] = v === 0 ? empty : colors[v - min];
  }
}

/**
 * With scratch.counts[v] counted for every v below EQ_HIST_BINS: colors[v] for each count
 * present, colors[0] the empty pixel; returns the largest count (0: all empty).
 */
function colorsByValue(coloring: Coloring, scratch: ShadeScratch, empty: number): number {
  const { counts, levels, colors } = scratch;
  let min = 0xffffffff;
  let max = 0;
  // A local copy: an imported binding is re-checked on every read in the loop.
  const bins = EQ_HIST_BINS;
  for (let v = 1; v < bins; v++) {
    if (counts[v] !== 0) {
      if (min === 0xffffffff) min = v;
      max = v;
    }
  }
  if (max > 0) {
    const range = max - min;
    if (coloring.how === 'eq_hist') for (let v = 0; v <= range; v++) levels[v] = counts[min + v];
    colorRange(coloring, scratch, min, range, 0);
  }
  colors[0] = empty;
  return max;
}

/**
 * Colours of the counts min..min+range into colors[v - base]: levels (eq_hist: the cdf of the
 * counts, levels[0..range] holding on entry how many cells hold min + v; otherwise the
 * transform), then the ramp between the levels present.
 */
function colorRange(coloring: Coloring, scratch: ShadeScratch, min: number, range: number, base: number): void {
  const { levels, colors } = scratch;
  let discrete = 0;
  if (coloring.how === 'eq_hist') {
    let total = 0;
    for (let v = 0; v <= range; v++) total += levels[v];
    if (coloring.rescaleDiscreteLevels) {
      for (let v = 0; v <= range; v++) if (levels[v] !== 0) discrete++;
    }
    cumulate(levels, range, total);
  } else {
    for (let v = 0; v <= range; v++) levels[v] = transform(coloring.how, v);
  }
  // The transforms are monotone, so the span of the levels present is their first and last.
  linspace(rescaledSpanStart(levels[0], levels[range], discrete), levels[range], coloring.stops);
  const bytes = new Uint8Array(colors.buffer, colors.byteOffset, (min + range - base + 1) * 4);
  for (let v = min; v <= min + range; v++) colorAt(coloring, levels[v - min], bytes, (v - base) * 4);
}

/** datashader's _rescale_discrete_levels: the span's new start for `discrete` levels (0 = off). */
function rescaledSpanStart(lo: number, hi: number, discrete: number): number {
  if (discrete === 0) return lo;
  const m = -0.5 / 98.0;
  const c = 1.5 - 2 * m;
  const multiple = m * discrete + c;
  return multiple > 1 ? Math.max(hi - multiple * (hi - lo), 0) : lo;
}

/**
 * counts[v] = cells holding v, for all v below EQ_HIST_BINS, over cells[0..n) (all n cells when
 * `cells` is null); false if some count is not below EQ_HIST_BINS.
 */
function countValues(agg: Uint32Array, cells: Int32Array | null, n: number, counts: Uint32Array): boolean {
  counts.fill(0);
  // A local copy: an imported binding is re-checked on every read in the loop.
  const bins = EQ_HIST_BINS;
  let small = true;
  let nonEmpty = 0;
  // Empty cells (most of a picture) are only counted: incrementing counts[0] for each one
  // chains every iteration on one memory slot, measured a third slower.
  if (cells === null) {
    for (let i = 0; i < n; i++) {
      const v = agg[i];
      if (v !== 0) {
        nonEmpty++;
        if (v < bins) counts[v]++;
        else small = false;
      }
    }
  } else {
    for (let k = 0; k < n; k++) {
      const v = agg[cells[k]];
      if (v !== 0) {
        nonEmpty++;
        if (v < bins) counts[v]++;
        else small = false;
      }
    }
  }
  counts[0] = n - nonEmpty;
  return small;
}

/** Image pixel index of aggregate cell `cell` (the image is flipped vertically). */
function pixelOf(cell: number, width: number, height: number): number {
  const y = (cell / width) | 0;
  return (height - 1 - y) * width + (cell - y * width);
}

function transform(how: ShadeHow, v: number): number {
  if (how === 'log') return Math.log1p(v);
  if (how === 'cbrt') return Math.pow(v, 1 / 3);
  return v;
}

/** Writes the RGBA of one level at bytes[at..at+4), over the background if there is one. */
function colorAt(c: Coloring, level: number, bytes: Uint8Array | Uint8ClampedArray, at: number): void {
  const n = c.stops.length;
  if (c.single) {
    bytes[at] = c.rgb[0];
    bytes[at + 1] = c.rgb[1];
    bytes[at + 2] = c.rgb[2];
    bytes[at + 3] = Math.trunc(interp(level, c.stops, n, c.channels, 0, 1, 0, 255));
  } else {
    // left=255 as datashader passes it; neither end is reached, the stops span the levels.
    const last = (n - 1) * 3;
    bytes[at] = Math.trunc(interp(level, c.stops, n, c.channels, 0, 3, 255, c.channels[last]));
    bytes[at + 1] = Math.trunc(interp(level, c.stops, n, c.channels, 1, 3, 255, c.channels[last + 1]));
    bytes[at + 2] = Math.trunc(interp(level, c.stops, n, c.channels, 2, 3, 255, c.channels[last + 2]));
    bytes[at + 3] = c.alpha;
  }
  if (c.background !== null) overPixel(bytes, at, c.background, 0, bytes, at);
}

function writeFlipped(agg: Uint32Array, width: number, height: number, colors: Uint32Array, pixels: Uint32Array): void {
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = (height - 1 - y) * width;
    for (let x = 0; x < width; x++) pixels[dst + x] = colors[agg[src + x]];
  }
}

/** Writes the colours of the listed cells (their counts read from values[k], or agg). */
function writeCells(
  agg: Uint32Array, values: Uint32Array | null, width: number, height: number, cells: Int32Array, n: number,
  colors: Uint32Array, pixels: Uint32Array,
): void {
  // The row by a multiplication, not a division (measurably slower here): (cell + 0.5) / width is
  // at least 0.5 / width from a whole number, far more than the product's rounding error.
  const perRow = 1 / width;
  const last = (height - 1) * width;
  if (values !== null) {
    for (let k = 0; k < n; k++) {
      const cell = cells[k];
      const y = ((cell + 0.5) * perRow) | 0;
      pixels[last - 2 * y * width + cell] = colors[values[k]];
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const cell = cells[k];
    const y = ((cell + 0.5) * perRow) | 0;
    pixels[last - 2 * y * width + cell] = colors[agg[cell]];
  }
}

/** Counts spanning EQ_HIST_BINS or more: binned eq_hist or a transform, pixel by pixel. */
function shadeWideRange(
  agg: Uint32Array, width: number, height: number, cells: Int32Array | null, n: number,
  min: number, range: number, coloring: Coloring, scratch: ShadeScratch, out: Uint8ClampedArray,
): void {
  const { levels: cdf, centres } = scratch;
  const eqHist = coloring.how === 'eq_hist';
  const bins = eqHist ? binnedCdf(agg, cells, n, min, range, cdf, centres) : 0;
  const level = (v: number): number => (eqHist ? interp(v, centres, bins, cdf, 0, 1, cdf[0], cdf[bins - 1]) : transform(coloring.how, v));
  linspace(level(0), level(range), coloring.stops);
  const background = coloring.background ?? new Uint8Array(4);
  for (let k = 0; k < n; k++) {
    const cell = cells === null ? k : cells[k];
    const at = pixelOf(cell, width, height) * 4;
    const v = agg[cell];
    if (v !== 0) colorAt(coloring, level(v - min), out, at);
    else out.set(background, at);
  }
}
