// datashader's `tf.spread(img, px, shape='circle')`: every non-transparent pixel is stamped onto
// the disc of pixels within px + 0.5 of it (datashader's circle mask: sqrt(x² + y²) <= px + 0.5),
// each stamp composited 'over' what is already there. Stamps go in datashader's order (its
// array's row 0 is the bottom, so image rows bottom to top, left to right): later stamps on top.
import { overPixel } from './composite.js';

function checkSpreadArgs(rgba: Uint8ClampedArray, width: number, height: number, px: number, out: Uint8ClampedArray): void {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  if (!Number.isInteger(px) || px < 0) throw new RangeError(`px must be an integer >= 0, got ${px}`);
  const bytes = width * height * 4;
  if (!(rgba instanceof Uint8ClampedArray) || rgba.length !== bytes) throw new RangeError(`rgba must be a Uint8ClampedArray of width*height*4 = ${bytes}`);
  if (!(out instanceof Uint8ClampedArray) || out.length !== bytes) throw new RangeError(`out must be a Uint8ClampedArray of width*height*4 = ${bytes}`);
  if (rgba.byteOffset % 4 !== 0 || out.byteOffset % 4 !== 0) throw new RangeError('rgba and out must start on a 4-byte boundary');
  if (out.buffer === rgba.buffer && out.byteOffset < rgba.byteOffset + bytes && rgba.byteOffset < out.byteOffset + bytes) {
    throw new RangeError('out must not overlap rgba');
  }
}

/** Number of pixels in the disc of radius px (x² + y² <= px² + px, the integer form of <= (px + 0.5)²). */
export function discArea(px: number): number {
  let area = 0;
  for (let dy = -px; dy <= px; dy++) for (let dx = -px; dx <= px; dx++) if (dx * dx + dy * dy <= px * px + px) area++;
  return area;
}

/** Writes the spread of `rgba` (W*H*4, row 0 at the top) into `out`, which must not overlap it. */
export function spread(rgba: Uint8ClampedArray, width: number, height: number, px: number, out: Uint8ClampedArray): Uint8ClampedArray {
  checkSpreadArgs(rgba, width, height, px, out);
  out.fill(0);
  const rgbaWords = wordsOf(rgba);
  const outWords = wordsOf(out);
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (rgba[p * 4 + 3] !== 0) stamp(rgba, rgbaWords, p, width, height, px, out, outWords, null, 0);
    }
  }
  return out;
}

/**
 * spread() of an image whose non-transparent pixels are all in `pixels[0..count)`, given in
 * datashader's stamping order, onto an `out` that is all zeros. Records in `touched` each pixel of
 * `out` it writes (capacity: count * discArea(largest radius) or width * height) and returns how
 * many. With `radii`, pixel k is stamped with radius radii[k] instead of px (dots sized by
 * traffic).
 */
export function spreadPixels(
  rgba: Uint8ClampedArray, width: number, height: number, px: number,
  pixels: Int32Array, count: number, out: Uint8ClampedArray, touched: Int32Array, radii?: Uint8Array,
): number {
  checkSpreadArgs(rgba, width, height, px, out);
  if (!(pixels instanceof Int32Array)) throw new TypeError('pixels must be an Int32Array');
  if (!Number.isInteger(count) || count < 0 || count > pixels.length) throw new RangeError(`count must be an integer 0..${pixels.length}, got ${count}`);
  if (radii !== undefined && (!(radii instanceof Uint8Array) || radii.length < count)) throw new RangeError(`radii must be a Uint8Array of at least count = ${count}`);
  let largest = radii === undefined ? px : 0;
  for (let k = 0; k < count; k++) {
    if (pixels[k] < 0 || pixels[k] >= width * height) throw new RangeError(`pixels[${k}] = ${pixels[k]} is not a pixel of the image`);
    if (radii !== undefined && radii[k] > largest) largest = radii[k];
  }
  const needed = Math.min(width * height, count * discArea(largest));
  if (!(touched instanceof Int32Array) || touched.length < needed) throw new RangeError(`touched must be an Int32Array of at least ${needed}`);
  let touchedCount = 0;
  const rgbaWords = wordsOf(rgba);
  const outWords = wordsOf(out);
  for (let k = 0; k < count; k++) {
    const radius = radii === undefined ? px : radii[k];
    if (rgba[pixels[k] * 4 + 3] !== 0) touchedCount = stamp(rgba, rgbaWords, pixels[k], width, height, radius, out, outWords, touched, touchedCount);
  }
  return touchedCount;
}

/** An image's pixels as words, for the copies (one store, not four). */
function wordsOf(image: Uint8ClampedArray): Uint32Array {
  return new Uint32Array(image.buffer, image.byteOffset, image.length >> 2);
}

/** Stamps pixel p of rgba onto its disc in out; returns the new count of touched pixels. */
function stamp(
  rgba: Uint8ClampedArray, rgbaWords: Uint32Array, p: number, width: number, height: number, px: number,
  out: Uint8ClampedArray, outWords: Uint32Array, touched: Int32Array | null, touchedCount: number,
): number {
  const y = (p / width) | 0;
  const x = p - y * width;
  const s = p * 4;
  const opaque = rgba[s + 3] === 255;
  const stampWord = rgbaWords[p];
  const reach = px * px + px;
  const y1 = Math.min(height - 1, y + px);
  for (let ty = Math.max(0, y - px); ty <= y1; ty++) {
    const dy = ty - y;
    // The disc's row: the largest half-width h with h² + dy² <= reach (sqrt, then made exact).
    const room = reach - dy * dy;
    let half = Math.floor(Math.sqrt(room));
    while (half * half > room) half--;
    while ((half + 1) * (half + 1) <= room) half++;
    const x1 = Math.min(width - 1, x + half);
    for (let tx = Math.max(0, x - half); tx <= x1; tx++) {
      const t = ty * width + tx;
      // An untouched (all-zero) pixel takes the stamp as is, as datashader's kernel does; so
      // does any pixel under an opaque stamp ('over' then gives the top's bytes exactly).
      const untouched = outWords[t] === 0;
      if (untouched || opaque) {
        outWords[t] = stampWord;
        if (untouched && touched !== null) touched[touchedCount++] = t;
      } else {
        overPixel(rgba, s, out, t * 4, out, t * 4);
      }
    }
  }
  return touchedCount;
}
