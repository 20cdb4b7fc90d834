// A minimal PNG reader for tests: 8-bit palette, RGB or RGBA, non-interlaced, all five filters.
// Independent of the encoder under test (node:zlib inflate plus the unfilter rules of the spec).
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** The file's colour type: 2 RGB, 3 palette, 6 RGBA. */
  colorType: number;
  /** 3 (RGB, and palette expanded to RGB) or 4 (RGBA). */
  channels: number;
  /** Rows top to bottom, `channels` bytes per pixel. */
  pixels: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function decodePng(file: Uint8Array): DecodedPng {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  SIGNATURE.forEach((b, i) => { if (buf[i] !== b) throw new Error('not a PNG'); });
  let width = 0, height = 0, colorType = 0, bpp = 0;
  let palette: Uint8Array | null = null;
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length;) {
    const length = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, type, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (type !== 2 && type !== 3 && type !== 6)) throw new Error(`unsupported PNG: depth ${depth}, colour type ${type}, interlace ${interlace}`);
      colorType = type;
      bpp = type === 6 ? 4 : type === 2 ? 3 : 1;
    } else if (type === 'PLTE') {
      palette = new Uint8Array(data);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    o += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  if (raw.length !== height * (stride + 1)) throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const unfiltered = new Uint8Array(height * stride);
  const pixels = unfiltered;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? pixels[row + i - bpp] : 0;
      const b = y > 0 ? pixels[row - stride + i] : 0;
      const c = y > 0 && i >= bpp ? pixels[row - stride + i - bpp] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad filter ${filter} on row ${y}`);
      pixels[row + i] = (line[i] + predictor) & 255;
    }
  }
  if (colorType !== 3) return { width, height, colorType, channels: bpp, pixels };
  if (palette === null) throw new Error('palette PNG without PLTE');
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const k = unfiltered[p];
    if (k * 3 >= palette.length) throw new Error(`palette index ${k} out of range`);
    rgb.set(palette.subarray(k * 3, k * 3 + 3), p * 3);
  }
  return { width, height, colorType, channels: 3, pixels: rgb };
}

/** Pixels of a PNG file exactly of colour `rgb`. */
export function countColour(file: Uint8Array, rgb: readonly [number, number, number]): number {
  const { pixels, channels } = decodePng(file);
  let n = 0;
  for (let i = 0; i < pixels.length; i += channels) {
    if (pixels[i] === rgb[0] && pixels[i + 1] === rgb[1] && pixels[i + 2] === rgb[2]) n++;
  }
  return n;
}
