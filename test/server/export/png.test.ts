import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { crc32, gunzipSync } from 'node:zlib';
import { encodePng, FramePngEncoder, type PngFilter } from '../../../server/export/png.js';
import { pixelMaskWords } from '../../../shared/raster/pixel-mask.js';
import { decodePng } from './decode-png.js';
import { dataPath, itData } from '../../helpers/data.js';
import { shade } from '../../../shared/raster/shade.js';
import { fire } from '../../../shared/colormaps/fire.js';

const FILTERS: PngFilter[] = ['none', 'sub', 'up', 'average', 'paeth'];

/** A W x H image using `colors` distinct colours (colour 0 on every third pixel), alpha varying. */
function testImage(width: number, height: number, colors: number, step = 7): Uint8ClampedArray {
  const image = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const k = p % 3 === 0 ? 0 : (p * step) % colors;
    image.set([k & 255, k >> 8, 7, 255 - (p % 7)], p * 4);
  }
  return image;
}

const rgbOf = (rgba: Uint8ClampedArray) => rgba.filter((_, i) => i % 4 !== 3);

function distinctColors(rgba: Uint8ClampedArray): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) seen.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
  return seen.size;
}

/** Chunk types in order, checking every chunk's CRC. */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let o = 8; o < png.length;) {
    const length = png.readUInt32BE(o);
    expect(png.readUInt32BE(o + 8 + length)).toBe(crc32(png.subarray(o + 4, o + 8 + length)));
    types.push(png.toString('latin1', o + 4, o + 8));
    o += 12 + length;
  }
  return types;
}

describe('encodePng', () => {
  it('writes RGB by default: decodes to the input without its alpha', () => {
    const image = testImage(37, 23, 1000);
    const png = encodePng(image, 37, 23);
    expect(chunkTypes(png)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const decoded = decodePng(png);
    expect(decoded).toMatchObject({ width: 37, height: 23, colorType: 2, channels: 3 });
    expect(decoded.pixels).toEqual(new Uint8Array(rgbOf(image)));
  });

  it('writes a palette PNG for up to 256 colours when asked, RGB beyond', () => {
    const few = testImage(40, 30, 256);
    expect(distinctColors(few)).toBe(256);
    const png = encodePng(few, 40, 30, { palette: true });
    expect(chunkTypes(png)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    const decoded = decodePng(png);
    expect(decoded.colorType).toBe(3);
    expect(decoded.pixels).toEqual(new Uint8Array(rgbOf(few)));

    const many = testImage(40, 30, 400);
    expect(distinctColors(many)).toBe(400);
    const fallback = decodePng(encodePng(many, 40, 30, { palette: true }));
    expect(fallback.colorType).toBe(2);
    expect(fallback.pixels).toEqual(new Uint8Array(rgbOf(many)));
  });

  it('keeps alpha when asked', () => {
    const image = testImage(16, 9, 50);
    const decoded = decodePng(encodePng(image, 16, 9, { alpha: true, palette: true }));
    expect(decoded).toMatchObject({ colorType: 6, channels: 4 });
    expect(decoded.pixels).toEqual(new Uint8Array(image));
  });

  it('round-trips with every filter, strategy and level', () => {
    const image = testImage(31, 17, 120, 11);
    for (const filter of FILTERS) {
      for (const [palette, alpha] of [[false, false], [true, false], [false, true]]) {
        const decoded = decodePng(encodePng(image, 31, 17, { filter, palette, alpha }));
        expect(decoded.pixels).toEqual(new Uint8Array(alpha ? image : rgbOf(image)));
      }
    }
    for (const strategy of ['default', 'rle', 'filtered'] as const) {
      for (const level of [0, 1, 9]) {
        expect(decodePng(encodePng(image, 31, 17, { strategy, level })).pixels).toEqual(new Uint8Array(rgbOf(image)));
      }
    }
  });

  it('takes a Uint8Array as well', () => {
    const image = testImage(3, 2, 5);
    expect(decodePng(encodePng(new Uint8Array(image), 3, 2)).pixels).toEqual(new Uint8Array(rgbOf(image)));
  });

  itData('round-trips a real 2000x2000 frame (the maccdc reference, shaded), as RGB and as a palette', () => {
    const raw = gunzipSync(readFileSync(dataPath('reference', 'maccdc2012-sample.points-agg-2000.u32.gz')));
    const agg = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const image = shade(agg, 2000, 2000, { cmap: fire, background: [0, 0, 0] }, new Uint8ClampedArray(2000 * 2000 * 4));
    const rgb = new Uint8Array(rgbOf(image));
    for (const palette of [false, true]) {
      const png = encodePng(image, 2000, 2000, { palette });
      const decoded = decodePng(png);
      expect(decoded.colorType).toBe(palette ? 3 : 2);
      expect(Buffer.compare(Buffer.from(decoded.pixels), Buffer.from(rgb))).toBe(0);
      expect(png.length).toBeLessThan(200_000);
    }
  });

  it('validates its parameters', () => {
    const image = new Uint8ClampedArray(16);
    expect(() => encodePng(image, 2, 3)).toThrow(/rgba must have width\*height\*4 = 24 bytes, got 16/);
    expect(() => encodePng(image, 0, 4)).toThrow(/width must be a positive integer/);
    expect(() => encodePng(image, 2, 2, { level: 10 })).toThrow(/level must be an integer 0..9/);
    expect(() => encodePng(image, 2, 2, { filter: 'best' as PngFilter })).toThrow(/filter must be one of none, sub, up, average, paeth/);
    expect(() => encodePng(image, 2, 2, { strategy: 'huffman' as 'rle' })).toThrow(/strategy must be one of default, rle, filtered/);
    expect(() => encodePng([0, 0, 0, 0] as unknown as Uint8Array, 1, 1)).toThrow(TypeError);
    expect(() => encodePng(new Uint8ClampedArray(new ArrayBuffer(20), 1, 16), 2, 2)).toThrow(/4-byte boundary/);
  });
});

/** The mask of a frame's pixels that are not black. */
function maskOfNonBlack(rgba: Uint8ClampedArray, width: number, height: number): Int32Array {
  const mask = new Int32Array(pixelMaskWords(width, height));
  for (let p = 0; p < width * height; p++) {
    if (rgba[4 * p] + rgba[4 * p + 1] + rgba[4 * p + 2] > 0) mask[p >> 5] |= 1 << (p & 31);
  }
  return mask;
}

/** A frame on black: every `every`-th pixel lit with one of `colors` colours, opaque. */
function sparseFrame(width: number, height: number, colors: number, every: number): Uint8ClampedArray {
  const image = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    image[4 * p + 3] = 255;
    if (p % every !== 0) continue;
    const k = 1 + ((p * 7) % colors);
    image.set([k & 255, (k >> 8) + 1, 9], p * 4);
  }
  return image;
}

describe('FramePngEncoder', () => {
  it('writes a palette PNG for up to 256 colours (black among them), RGB beyond; both decode to the frame without alpha', () => {
    const encoder = new FramePngEncoder();
    for (const [width, height, colors, every, colorType] of [[37, 23, 40, 3, 3], [40, 30, 255, 1, 3], [40, 30, 400, 1, 2], [33, 1, 1, 5, 3]] as const) {
      const frame = sparseFrame(width, height, colors, every);
      const png = encoder.encode(frame, width, height);
      expect(chunkTypes(png)).toEqual(colorType === 3 ? ['IHDR', 'PLTE', 'IDAT', 'IEND'] : ['IHDR', 'IDAT', 'IEND']);
      const decoded = decodePng(png);
      expect(decoded).toMatchObject({ width, height, colorType });
      expect(decoded.pixels).toEqual(new Uint8Array(rgbOf(frame)));
    }
  });

  it('gives the same file from a mask of the non-black pixels, or one with more bits set, as from scanning', () => {
    const encoder = new FramePngEncoder();
    for (const colors of [60, 400]) {
      const frame = sparseFrame(70, 45, colors, 4);
      const scanned = encoder.encode(frame, 70, 45);
      expect(encoder.encode(frame, 70, 45, maskOfNonBlack(frame, 70, 45)).equals(scanned)).toBe(true);
      expect(encoder.encode(frame, 70, 45, new Int32Array(pixelMaskWords(70, 45)).fill(-1)).equals(scanned)).toBe(true);
    }
  });

  it('validates its parameters', () => {
    const encoder = new FramePngEncoder();
    const frame = new Uint8ClampedArray(64 * 4);
    expect(() => encoder.encode(frame, 8, 9)).toThrow(/rgba must have width\*height\*4 = 288 bytes, got 256/);
    expect(() => encoder.encode(frame, 8, 8, new Int32Array(1))).toThrow(/lit must be an Int32Array of at least 2 words/);
    expect(() => encoder.encode(frame, 8, 8, new Uint32Array(2) as unknown as Int32Array)).toThrow(/lit must be an Int32Array/);
  });

  it('encodes an indexed frame: the drawn pixels\' palette colours, black elsewhere', () => {
    const encoder = new FramePngEncoder();
    const [width, height] = [45, 31];
    // Palette words from their bytes (RGBA in memory order), black first.
    const paletteBytes = Uint8Array.of(0, 0, 0, 255, 200, 10, 20, 255, 1, 2, 3, 255, 255, 255, 255, 255);
    const palette = new Uint32Array(paletteBytes.buffer);
    const indices = new Uint8Array(width * height).fill(3);
    const drawn = new Int32Array(pixelMaskWords(width, height));
    const expected = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p += 3) {
      const index = p % 4;
      indices[p] = index;
      drawn[p >> 5] |= 1 << (p & 31);
      expected.set(paletteBytes.subarray(4 * index, 4 * index + 3), 3 * p);
    }
    const png = encoder.encodeIndexed(indices, palette, 4, width, height, drawn);
    const decoded = decodePng(png);
    expect(decoded).toMatchObject({ width, height, colorType: 3 });
    expect(decoded.pixels).toEqual(expected);
    expect(() => encoder.encodeIndexed(indices, palette, 3, width, height, drawn)).toThrow(/indices\[3\] = 3 is past the palette's 3 colours/);
    expect(() => encoder.encodeIndexed(indices, palette, 0, width, height, drawn)).toThrow(/paletteSize must be an integer 1..256/);
    expect(() => encoder.encodeIndexed(indices, palette.subarray(1), 3, width, height, drawn)).toThrow(/palette\[0\] must be black/);
    expect(() => encoder.encodeIndexed(indices.subarray(1), palette, 4, width, height, drawn)).toThrow(/indices must be a Uint8Array of at least width\*height = 1395/);
    expect(() => encoder.encodeIndexed(indices, palette, 4, width, height, drawn.subarray(1))).toThrow(/drawn must be an Int32Array of at least 44 words/);
  });

  itData('round-trips a real 2000x2000 frame (the maccdc reference, shaded) in half the bytes of encodePng', () => {
    const raw = gunzipSync(readFileSync(dataPath('reference', 'maccdc2012-sample.points-agg-2000.u32.gz')));
    const agg = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const image = shade(agg, 2000, 2000, { cmap: fire, background: [0, 0, 0] }, new Uint8ClampedArray(2000 * 2000 * 4));
    const png = new FramePngEncoder().encode(image, 2000, 2000);
    const decoded = decodePng(png);
    expect(decoded.colorType).toBe(3);
    expect(Buffer.compare(Buffer.from(decoded.pixels), Buffer.from(rgbOf(image)))).toBe(0);
    expect(png.length).toBeLessThan(encodePng(image, 2000, 2000).length * 0.6);
  });
});
