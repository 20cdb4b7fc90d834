// Compositing in straight (non-premultiplied) alpha, as datashader's `composite.over` does it:
// channels scaled to [0, 1] by /255, combined in float64, scaled back by *255 and truncated.
// Images are RGBA bytes, W*H*4, starting on a 4-byte boundary; `out` may be an input.

export type Rgba = Uint8ClampedArray | Uint8Array;

/** Writes src-over-dst for the pixels at src[s], dst[d] into out[o] (4 bytes each). */
export function overPixel(src: ArrayLike<number>, s: number, dst: ArrayLike<number>, d: number, out: Rgba, o: number): void {
  const sa = src[s + 3] / 255;
  const da = dst[d + 3] / 255;
  const factor = 1 - sa;
  const a = sa + da * factor;
  if (a === 0) {
    out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
    return;
  }
  const r = ((src[s] / 255) * sa + (dst[d] / 255) * da * factor) / a;
  const g = ((src[s + 1] / 255) * sa + (dst[d + 1] / 255) * da * factor) / a;
  const b = ((src[s + 2] / 255) * sa + (dst[d + 2] / 255) * da * factor) / a;
  // datashader caps at 255 after truncating; Math.min keeps that true for a Uint8Array out too.
  out[o] = Math.min(255, Math.trunc(r * 255));
  out[o + 1] = Math.min(255, Math.trunc(g * 255));
  out[o + 2] = Math.min(255, Math.trunc(b * 255));
  out[o + 3] = Math.min(255, Math.trunc(a * 255));
}

function checkImage(image: unknown, bytes: number, name: string): Rgba {
  if (!(image instanceof Uint8ClampedArray) && !(image instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8ClampedArray or Uint8Array`);
  if (image.length !== bytes) throw new RangeError(`${name} must have ${bytes} bytes, got ${image.length}`);
  if (image.byteOffset % 4 !== 0) throw new RangeError(`${name} must start on a 4-byte boundary`);
  return image;
}

// Hot loops see one array type each (Uint8Array bytes, Uint32Array pixels), whatever the caller's.
const bytesOf = (image: Rgba): Uint8Array => new Uint8Array(image.buffer, image.byteOffset, image.length);
const pixelsOf = (image: Rgba): Uint32Array => new Uint32Array(image.buffer, image.byteOffset, image.length >> 2);

// The shortcuts below are the formula's own results: an opaque top gives r = sr and a = 1, a
// transparent top over an opaque bottom gives r = dr and a = 1, two transparent pixels give 0,
// and trunc((c / 255) * 255) === c for every byte c.

/** out = top over bottom, pixel by pixel. */
export function over<T extends Rgba>(top: Rgba, bottom: Rgba, out: T): T {
  if (top?.length % 4 !== 0) throw new RangeError(`top must hold whole RGBA pixels, got ${top?.length} bytes`);
  checkImage(top, top.length, 'top');
  checkImage(bottom, top.length, 'bottom');
  checkImage(out, top.length, 'out');
  overAll(bytesOf(top), bytesOf(bottom), bytesOf(out));
  return out;
}

function overAll(top: Uint8Array, bottom: Uint8Array, out: Uint8Array): void {
  const tops = pixelsOf(top);
  const bottoms = pixelsOf(bottom);
  const outs = pixelsOf(out);
  for (let p = 0, i = 3; p < tops.length; p++, i += 4) {
    const ta = top[i];
    const ba = bottom[i];
    if (ta === 255) outs[p] = tops[p];
    else if (ta === 0 && ba === 255) outs[p] = bottoms[p];
    else if (ta === 0 && ba === 0) outs[p] = 0;
    else overPixel(top, i - 3, bottom, i - 3, out, i - 3);
  }
}

/** out = rgba over an opaque background colour (datashader's `set_background`). */
export function setBackground<T extends Rgba>(rgba: Rgba, color: readonly [number, number, number], out: T): T {
  if (rgba?.length % 4 !== 0) throw new RangeError(`rgba must hold whole RGBA pixels, got ${rgba?.length} bytes`);
  checkImage(rgba, rgba.length, 'rgba');
  checkImage(out, rgba.length, 'out');
  if (!Array.isArray(color) || color.length !== 3 || !color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw new RangeError('color must be [r, g, b] with integers 0..255');
  }
  backgroundAll(bytesOf(rgba), new Uint8Array([color[0], color[1], color[2], 255]), bytesOf(out));
  return out;
}

function backgroundAll(image: Uint8Array, background: Uint8Array, out: Uint8Array): void {
  const ins = pixelsOf(image);
  const outs = pixelsOf(out);
  const backgroundPixel = pixelsOf(background)[0];
  for (let p = 0, i = 3; p < ins.length; p++, i += 4) {
    const a = image[i];
    if (a === 255) outs[p] = ins[p];
    else if (a === 0) outs[p] = backgroundPixel;
    else overPixel(image, i - 3, background, 0, out, i - 3);
  }
}
