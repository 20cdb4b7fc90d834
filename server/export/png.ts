// PNG encoding of rendered pictures, two ways.
//
// encodePng (still pictures: `netshade render`) on node:zlib. Alpha is dropped by default
// (pictures are opaque) and the picture written as RGB (colour type 2); with `palette`, a
// picture of at most 256 colours (the usual case for a fire-on-black picture) is written as a
// palette PNG (colour type 3, one byte a pixel: about half the bytes, no slower); RGBA (colour
// type 6) on request. Defaults chosen by measurement (bench/encode-png.ts) on 2000x2000 frames:
// no row filter (filters turn the black background's runs into noise) and zlib's RLE strategy,
// several times faster than the default strategy at level 6 for 10-20% more bytes.
//
// FramePngEncoder (live frames, where encoding time is frame time): a palette PNG, no filter,
// compressed by RunDeflater, reading only the pixels drawn over the black background. From
// renderFrame's palette indices (encodeIndexed, what the server sends), or from an RGBA frame
// (encode: colours looked up per pixel, RGB past 256 colours; the drawn pixels given by the
// renderer, or found by one pass over the frame). Chosen by measurement (bench/encode-frame.ts):
// about three times faster than encodePng on the bench's 2000x2000 frame, for half its bytes.
import { crc32, deflateSync, constants as zlibConstants } from 'node:zlib';
import { RunDeflater } from './run-deflate.js';
import { pixelMaskWords } from '../../shared/raster/pixel-mask.js';

export type PngFilter = 'none' | 'sub' | 'up' | 'average' | 'paeth';
export type PngStrategy = 'default' | 'rle' | 'filtered';

export interface PngOptions {
  /** Keep the alpha channel (colour type 6) instead of dropping it. Default false. */
  alpha?: boolean;
  /** Write a palette PNG when the frame has at most 256 colours (alpha dropped). Default false. */
  palette?: boolean;
  /** zlib level 0..9. Default 6. */
  level?: number;
  /** zlib strategy. Default 'rle'. */
  strategy?: PngStrategy;
  /** The one filter used on every row. Default 'none'. */
  filter?: PngFilter;
}

const FILTER_CODES: Record<PngFilter, number> = { none: 0, sub: 1, up: 2, average: 3, paeth: 4 };
const STRATEGIES: Record<PngStrategy, number> = {
  default: zlibConstants.Z_DEFAULT_STRATEGY,
  rle: zlibConstants.Z_RLE,
  filtered: zlibConstants.Z_FILTERED,
};
const COLOR_TYPE_RGB = 2;
const COLOR_TYPE_PALETTE = 3;
const COLOR_TYPE_RGBA = 6;
const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
// The RGB bits of a pixel read as a Uint32, whichever the platform's byte order.
const RGB_MASK = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 0x00ffffff : 0xffffff00 | 0;

/**
 * The PNG file: signature, IHDR, PLTE (RGB bytes, when given), one IDAT, IEND, written into one
 * buffer (frames are sent as they are: no copies of the compressed data beyond this one).
 */
function pngFile(width: number, height: number, colorType: number, palette: Uint8Array | null, idat: Uint8Array): Buffer {
  const chunks: [string, number][] = [['IHDR', 13], ...(palette === null ? [] : [['PLTE', palette.length] as [string, number]]), ['IDAT', idat.length], ['IEND', 0]];
  const out = Buffer.allocUnsafe(SIGNATURE.length + chunks.reduce((sum, [, length]) => sum + 12 + length, 0));
  SIGNATURE.copy(out, 0);
  let o = SIGNATURE.length;
  for (const [type, length] of chunks) {
    out.writeUInt32BE(length, o);
    out.write(type, o + 4, 'latin1');
    const data = o + 8;
    if (type === 'IHDR') {
      out.writeUInt32BE(width, data);
      out.writeUInt32BE(height, data + 4);
      // Bit depth 8, the colour type, then deflate, adaptive filtering, no interlace (all 0).
      out[data + 8] = 8;
      out[data + 9] = colorType;
      out.fill(0, data + 10, data + 13);
    } else if (type === 'PLTE') {
      out.set(palette!, data);
    } else if (type === 'IDAT') {
      out.set(idat, data);
    }
    out.writeUInt32BE(crc32(out.subarray(o + 4, data + length)), data + length);
    o = data + length + 4;
  }
  return out;
}

function checkImage(rgba: unknown, width: number, height: number): asserts rgba is Uint8Array | Uint8ClampedArray {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  if (!(rgba instanceof Uint8Array) && !(rgba instanceof Uint8ClampedArray)) throw new TypeError('rgba must be a Uint8Array or Uint8ClampedArray');
  if (rgba.length !== width * height * 4) throw new RangeError(`rgba must have width*height*4 = ${width * height * 4} bytes, got ${rgba.length}`);
  if (rgba.byteOffset % 4 !== 0) throw new RangeError('rgba must start on a 4-byte boundary');
}

/** Encodes W*H RGBA bytes (row 0 at the top) as a PNG file. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options: PngOptions = {}): Buffer {
  checkImage(rgba, width, height);
  const { alpha = false, palette = false, level = 6, strategy = 'rle', filter = 'none' } = options;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`level must be an integer 0..9, got ${level}`);
  if (!Object.hasOwn(STRATEGIES, strategy)) throw new RangeError(`strategy must be one of ${Object.keys(STRATEGIES).join(', ')}, got ${String(strategy)}`);
  if (!Object.hasOwn(FILTER_CODES, filter)) throw new RangeError(`filter must be one of ${Object.keys(FILTER_CODES).join(', ')}, got ${String(filter)}`);

  // Plain Uint8Array / Uint32Array views: the loops below see one array type whatever was passed.
  const bytes = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
  const pixels = new Int32Array(rgba.buffer, rgba.byteOffset, width * height);
  let colorType = alpha ? COLOR_TYPE_RGBA : COLOR_TYPE_RGB;
  let raw = new Uint8Array(0);
  const colors = new Uint8Array(256 * 3);
  let colorCount = 0;
  if (!alpha && palette) {
    raw = new Uint8Array(height * (width + 1));
    colorCount = indexColors(pixels, bytes, width, height, raw, colors);
    if (colorCount > 0) colorType = COLOR_TYPE_PALETTE;
  }
  const channels = colorType === COLOR_TYPE_PALETTE ? 1 : colorType === COLOR_TYPE_RGB ? 3 : 4;
  if (colorType !== COLOR_TYPE_PALETTE) {
    raw = new Uint8Array(height * (width * channels + 1));
    packRows(bytes, width, height, channels, raw);
  }
  filterRows(FILTER_CODES[filter], raw, height, width * channels, channels);

  const idat = deflateSync(raw, { level, strategy: STRATEGIES[strategy] });
  return pngFile(width, height, colorType, colorType === COLOR_TYPE_PALETTE ? colors.subarray(0, colorCount * 3) : null, idat);
}

/**
 * Encodes frames (W*H RGBA, row 0 at the top, opaque: alpha is dropped) as PNG files, keeping its
 * working memory from one frame to the next.
 */
export class FramePngEncoder {
  private readonly deflater = new RunDeflater();
  private mask = new Int32Array(0);
  /** The rows' non-zero stretches, for the deflater: per byte, the zeros before it and itself. */
  private gaps = new Int32Array(0);
  private bytes = new Uint8Array(0);
  private listed = 0;
  /** Zeros after the last listed byte. */
  private trailingZeros = 0;
  // Palette: open addressing on the pixel's RGB bits (as an int32; -1 is never one), then the colours.
  private readonly keys = new Int32Array(1024);
  private readonly slots = new Uint8Array(1024);
  private readonly colors = new Uint8Array(256 * 3);

  /**
   * `lit`, when given, is a pixel mask (shared/raster/pixel-mask.ts) with the bit of every pixel
   * that is not black set (others may be set too): only those pixels are read. Without it the
   * frame is scanned for them.
   */
  encode(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, lit?: Int32Array): Buffer {
    checkImage(rgba, width, height);
    const words = pixelMaskWords(width, height);
    if (lit !== undefined && (!(lit instanceof Int32Array) || lit.length < words)) {
      throw new RangeError(`lit must be an Int32Array of at least ${words} words`);
    }
    const pixels = new Int32Array(rgba.buffer, rgba.byteOffset, width * height);
    const bytes = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
    const mask = lit ?? this.maskOf(pixels, words);
    let litCount = 0;
    for (let w = 0; w < words; w++) litCount += bitCount(mask[w]);
    // RGB takes 3 bytes a pixel.
    if (this.gaps.length < 3 * litCount) {
      this.gaps = new Int32Array(3 * litCount);
      this.bytes = new Uint8Array(3 * litCount);
    }
    const colorCount = this.paletteRows(pixels, bytes, width, height, mask);
    if (colorCount === 0) this.rgbRows(pixels, bytes, width, height, mask);
    const idat = this.deflater.deflate(this.gaps, this.bytes, this.listed, this.trailingZeros);
    return colorCount > 0
      ? pngFile(width, height, COLOR_TYPE_PALETTE, this.colors.subarray(0, colorCount * 3), idat)
      : pngFile(width, height, COLOR_TYPE_RGB, null, idat);
  }

  /**
   * Encodes an indexed frame (shared/raster/picture.ts's renderFrame): `indices` holds, for each
   * pixel whose bit in `drawn` is set, an index into the first paletteSize RGBA words of
   * `palette`; every other pixel is palette[0], which must be black.
   */
  encodeIndexed(
    indices: Uint8Array, palette: Uint32Array, paletteSize: number, width: number, height: number, drawn: Int32Array,
  ): Buffer {
    if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
    if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
    if (!(indices instanceof Uint8Array) || indices.length < width * height) throw new RangeError(`indices must be a Uint8Array of at least width*height = ${width * height}`);
    if (!Number.isInteger(paletteSize) || paletteSize < 1 || paletteSize > 256) throw new RangeError(`paletteSize must be an integer 1..256, got ${paletteSize}`);
    if (!(palette instanceof Uint32Array) || palette.length < paletteSize) throw new RangeError(`palette must be a Uint32Array of at least paletteSize = ${paletteSize}`);
    const colors = new Uint8Array(palette.buffer, palette.byteOffset, paletteSize * 4);
    if ((colors[0] | colors[1] | colors[2]) !== 0) throw new RangeError('palette[0] must be black');
    const words = pixelMaskWords(width, height);
    if (!(drawn instanceof Int32Array) || drawn.length < words) throw new RangeError(`drawn must be an Int32Array of at least ${words} words`);
    let drawnCount = 0;
    for (let w = 0; w < words; w++) drawnCount += bitCount(drawn[w]);
    if (this.gaps.length < drawnCount) {
      this.gaps = new Int32Array(drawnCount);
      this.bytes = new Uint8Array(drawnCount);
    }
    this.indexedRows(indices, paletteSize, width, height, drawn);
    const idat = this.deflater.deflate(this.gaps, this.bytes, this.listed, this.trailingZeros);
    const rgb = new Uint8Array(paletteSize * 3);
    for (let i = 0; i < paletteSize; i++) rgb.set(colors.subarray(4 * i, 4 * i + 3), 3 * i);
    return pngFile(width, height, COLOR_TYPE_PALETTE, rgb, idat);
  }

  /** Lists the drawn pixels' indices (index 0, the black background, left to the gaps). */
  private indexedRows(indices: Uint8Array, paletteSize: number, width: number, height: number, mask: Int32Array): void {
    const { gaps, bytes } = this;
    const cells = width * height;
    const rowBytes = width + 1;
    let rowStart = 0;
    let rowRaw = 0;
    let sent = 0;
    let n = 0;
    const words = pixelMaskWords(width, height);
    for (let w = 0; w < words; w++) {
      let bits = mask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const p = (w << 5) + 31 - Math.clz32(low);
        if (p >= cells) break;
        const index = indices[p];
        if (index === 0) continue;
        if (index >= paletteSize) throw new RangeError(`indices[${p}] = ${index} is past the palette's ${paletteSize} colours`);
        while (p >= rowStart + width) {
          rowStart += width;
          rowRaw += rowBytes;
        }
        const raw = rowRaw + 1 + (p - rowStart);
        gaps[n] = raw - sent;
        bytes[n++] = index;
        sent = raw + 1;
      }
    }
    this.listed = n;
    this.trailingZeros = height * rowBytes - sent;
  }

  private maskOf(pixels: Int32Array, words: number): Int32Array {
    if (this.mask.length < words) this.mask = new Int32Array(words);
    const mask = this.mask;
    const cells = pixels.length;
    for (let w = 0, p = 0; w < words; w++) {
      // A word at a time and branch-free: lit and unlit pixels alternate unpredictably.
      let bits = 0;
      for (let b = 0; b < 32 && p < cells; b++, p++) {
        const rgb = pixels[p] & RGB_MASK;
        bits |= ((rgb | -rgb) >>> 31) << b;
      }
      mask[w] = bits;
    }
    return mask;
  }

  /**
   * Lists the lit pixels' palette indices (black is index 0, so unlit pixels and the rows' filter
   * bytes are among the zeros); returns the number of colours, or 0 past 256 (the list is then
   * unfinished).
   */
  private paletteRows(pixels: Int32Array, bytes: Uint8Array, width: number, height: number, mask: Int32Array): number {
    const { keys, slots, colors, gaps } = this;
    const indices = this.bytes;
    keys.fill(-1);
    // Black first, as index 0.
    keys[0] = 0;
    slots[0] = 0;
    colors.fill(0, 0, 3);
    let colorCount = 1;
    let lastKey = -1;
    let lastIndex = 0;
    const cells = width * height;
    const rowBytes = width + 1;
    let rowStart = 0;
    let rowRaw = 0;
    let sent = 0;
    let n = 0;
    const words = pixelMaskWords(width, height);
    for (let w = 0; w < words; w++) {
      let bits = mask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const p = (w << 5) + 31 - Math.clz32(low);
        if (p >= cells) break;
        while (p >= rowStart + width) {
          rowStart += width;
          rowRaw += rowBytes;
        }
        const key = pixels[p] & RGB_MASK;
        // A black pixel marked anyway is left to the gap it is in.
        if (key === 0) continue;
        if (key !== lastKey) {
          let h = Math.imul(key, 0x9e3779b1) >>> 22;
          while (keys[h] !== key && keys[h] !== -1) h = (h + 1) & 1023;
          if (keys[h] !== key) {
            if (colorCount === 256) return 0;
            keys[h] = key;
            slots[h] = colorCount;
            colors.set(bytes.subarray(4 * p, 4 * p + 3), colorCount * 3);
            colorCount++;
          }
          lastKey = key;
          lastIndex = slots[h];
        }
        const raw = rowRaw + 1 + (p - rowStart);
        gaps[n] = raw - sent;
        indices[n++] = lastIndex;
        sent = raw + 1;
      }
    }
    this.listed = n;
    this.trailingZeros = height * rowBytes - sent;
    return colorCount;
  }

  /** Lists the lit pixels' RGB bytes. */
  private rgbRows(pixels: Int32Array, bytes: Uint8Array, width: number, height: number, mask: Int32Array): void {
    const { gaps } = this;
    const rgb = this.bytes;
    const cells = width * height;
    const rowBytes = width * 3 + 1;
    let rowStart = 0;
    let rowRaw = 0;
    let sent = 0;
    let n = 0;
    const words = pixelMaskWords(width, height);
    for (let w = 0; w < words; w++) {
      let bits = mask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const p = (w << 5) + 31 - Math.clz32(low);
        if (p >= cells) break;
        while (p >= rowStart + width) {
          rowStart += width;
          rowRaw += rowBytes;
        }
        if ((pixels[p] & RGB_MASK) === 0) continue;
        const raw = rowRaw + 1 + 3 * (p - rowStart);
        gaps[n] = raw - sent;
        rgb[n++] = bytes[4 * p];
        gaps[n] = 0;
        rgb[n++] = bytes[4 * p + 1];
        gaps[n] = 0;
        rgb[n++] = bytes[4 * p + 2];
        sent = raw + 3;
      }
    }
    this.listed = n;
    this.trailingZeros = height * rowBytes - sent;
  }
}

/** Set bits of a 32-bit word. */
function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Writes each pixel's palette index into `raw` (rows after their filter byte) and the palette's
 * RGB into `colors`; returns the number of colours, or 0 if there are more than 256.
 */
function indexColors(
  pixels: Int32Array, bytes: Uint8Array, width: number, height: number, raw: Uint8Array, colors: Uint8Array,
): number {
  // Open addressing on the masked pixel value (as an int32); -1 is never a masked value.
  const keys = new Int32Array(1024).fill(-1);
  const slots = new Uint8Array(1024);
  let count = 0;
  let last = -1;
  let lastIndex = 0;
  for (let y = 0, p = 0, o = 0; y < height; y++) {
    raw[o++] = 0;
    for (let x = 0; x < width; x++, p++) {
      const key = pixels[p] & RGB_MASK;
      if (key !== last) {
        let h = Math.imul(key, 0x9e3779b1) >>> 22;
        while (keys[h] !== key && keys[h] !== -1) h = (h + 1) & 1023;
        if (keys[h] !== key) {
          if (count === 256) return 0;
          keys[h] = key;
          slots[h] = count;
          colors.set(bytes.subarray(p * 4, p * 4 + 3), count * 3);
          count++;
        }
        last = key;
        lastIndex = slots[h];
      }
      raw[o++] = lastIndex;
    }
  }
  return count;
}

/** Copies the pixels into `raw` as RGB (channels 3) or RGBA (4) rows after their filter byte. */
function packRows(bytes: Uint8Array, width: number, height: number, channels: number, raw: Uint8Array): void {
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    let o = y * (stride + 1);
    raw[o++] = 0;
    let s = y * width * 4;
    if (channels === 4) {
      raw.set(bytes.subarray(s, s + stride), o);
      continue;
    }
    for (let x = 0; x < width; x++, s += 4, o += 3) {
      raw[o] = bytes[s];
      raw[o + 1] = bytes[s + 1];
      raw[o + 2] = bytes[s + 2];
    }
  }
}

/**
 * Applies PNG filter `code` (1-4) to every row of `raw` in place, bottom row first and right to
 * left, so each byte's left and upper neighbours are still unfiltered when it is computed.
 */
function filterRows(code: number, raw: Uint8Array, height: number, stride: number, bpp: number): void {
  if (code === 0) return;
  for (let y = height - 1; y >= 0; y--) {
    const row = y * (stride + 1);
    raw[row] = code;
    const line = row + 1;
    const up = line - (stride + 1);
    for (let i = stride - 1; i >= 0; i--) {
      const a = i >= bpp ? raw[line + i - bpp] : 0;
      const b = y > 0 ? raw[up + i] : 0;
      let predictor: number;
      if (code === 1) predictor = a;
      else if (code === 2) predictor = b;
      else if (code === 3) predictor = (a + b) >> 1;
      else {
        const c = y > 0 && i >= bpp ? raw[up + i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      raw[line + i] = raw[line + i] - predictor;
    }
  }
}
