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
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (rgba[p * 4 + 3] !== 0) stamp(rgba, p, width, height, px, out, null, 0);
    }
  }
  return out;
}

/**
 * spread() of an image whose non-transparent pixels are all in `pixels[0..count)`, given in
 * datashader's stamping order, onto an `out` that is all zeros. Records in `touched` each pixel of
 * `out` it writes (capacity: count * discArea(px) or width * height) and returns how many.
 */
export function spreadPixels(
  rgba: Uint8ClampedArray, width: number, height: number, px: number,
  pixels: Int32Array, count: number, out: Uint8ClampedArray, touched: Int32Array,
): number {
  checkSpreadArgs(rgba, width, height, px, out);
  if (!(pixels instanceof Int32Array)) throw new TypeError('pixels must be an Int32Array');
  if (!Number.isInteger(count) || count < 0 || count > pixels.length) throw new RangeError(`count must be an integer 0..${pixels.length}, got ${count}`);
  for (let k = 0; k < count; k++) {
    if (pixels[k] < 0 || pixels[k] >= width * height) throw new RangeError(`pixels[${k}] = ${pixels[k]} is not a pixel of the image`);
  }
  const needed = Math.min(width * height, count * discArea(px));
  if (!(touched instanceof Int32Array) || touched.length < needed) throw new RangeError(`touched must be an Int32Array of at least ${needed}`);
  let touchedCount = 0;
  for (let k = 0; k < count; k++) {
    if (rgba[pixels[k] * 4 + 3] !== 0) touchedCount = stamp(rgba, pixels[k], width, height, px, out, touched, touchedCount);
  }
  return touchedCount;
}

/** Stamps pixel p of rgba onto its disc in out; returns the new count of touched pixels. */
function stamp(
  rgba: Uint8ClampedArray, p: number, width: number, height: number, px: number,
  out: Uint8ClampedArray, touched: Int32Array | null, touchedCount: number,
): number {
  const y = (p / width) | 0;
  const x = p - y * width;
  const s = p * 4;
  const reach = px * px + px;
  const y1 = Math.min(height - 1, y + px);
  const x1 = Math.min(width - 1, x + px);
  for (let ty = Math.max(0, y - px); ty <= y1; ty++) {
    const dy = ty - y;
    for (let tx = Math.max(0, x - px); tx <= x1; tx++) {
      const dx = tx - x;
      if (dx * dx + dy * dy > reach) continue;
      const t = ty * width + tx;
      const o = t * 4;
      // An untouched (all-zero) pixel takes the stamp as is, as datashader's kernel does.
      if (out[o] === 0 && out[o + 1] === 0 && out[o + 2] === 0 && out[o + 3] === 0) {
        out[o] = rgba[s];
        out[o + 1] = rgba[s + 1];
        out[o + 2] = rgba[s + 2];
        out[o + 3] = rgba[s + 3];
        if (touched !== null) touched[touchedCount++] = t;
      } else {
        overPixel(rgba, s, out, o, out, o);
      }
    }
  }
  return touchedCount;
}
