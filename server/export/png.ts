// PNG encoding of rendered frames on node:zlib. Alpha is dropped by default (frames are opaque)
// and the frame written as RGB (colour type 2); with `palette`, a frame of at most 256 colours
// (the usual case for a fire-on-black picture) is written as a palette PNG (colour type 3, one
// byte a pixel: about half the bytes, no slower); RGBA (colour type 6) on request.
// Defaults chosen by measurement (bench/encode-png.ts) on 2000x2000 frames: no row filter
// (filters turn the black background's runs into noise) and zlib's RLE strategy, several times
// faster than the default strategy at level 6 for 10-20% more bytes.
import { crc32, deflateSync, constants as zlibConstants } from 'node:zlib';

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

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes W*H RGBA bytes (row 0 at the top) as a PNG file. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options: PngOptions = {}): Buffer {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  if (!(rgba instanceof Uint8Array) && !(rgba instanceof Uint8ClampedArray)) throw new TypeError('rgba must be a Uint8Array or Uint8ClampedArray');
  if (rgba.length !== width * height * 4) throw new RangeError(`rgba must have width*height*4 = ${width * height * 4} bytes, got ${rgba.length}`);
  if (rgba.byteOffset % 4 !== 0) throw new RangeError('rgba must start on a 4-byte boundary');
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

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  const idat = deflateSync(raw, { level, strategy: STRATEGIES[strategy] });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    ...(colorType === COLOR_TYPE_PALETTE ? [chunk('PLTE', colors.subarray(0, colorCount * 3))] : []),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]);
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
