// Frame encodings, measured: bytes and encode time of each way of sending a rendered frame to
// the page, on one frame. The render group (bench/render.ts) prints these rows for its
// 2000x2000 frame; the first candidate is what the server sends.
//
//   PNG indexed                FramePngEncoder.encodeIndexed on renderFrame's palette indices
//                              (palette PNG, run-only deflate, drawn pixels only): what is sent
//   PNG from RGBA (drawn mask) FramePngEncoder.encode on renderPicture's RGBA frame, told which
//                              pixels are drawn (colours looked up per pixel)
//   PNG from RGBA (scan)       the same, finding the non-black pixels itself
//   PNG RGB zlib rle           encodePng's defaults (what frames were before)
//   PNG palette zlib rle       encodePng with palette
//   raw RGBA                   the pixels as they are (time: one copy)
//   colormap zlib rle 1        one byte a pixel (the palette index, 0 the background) deflated by
//                              zlib level 1 Z_RLE, plus the palette (4 bytes a colour): the page
//                              would colour it itself
//   colormap run deflate       the same bytes through RunDeflater (drawn pixels only)
//   delta zlib rle 1           the colormap bytes XOR the previous frame's (one with 5% fewer
//                              edges), zlib level 1 Z_RLE: what a delta frame would cost
//
// WebP is not a candidate: no maintained pure-JS encoder exists, and the packages that encode
// it (sharp: native libvips; @jsquash/webp: libwebp in wasm) run libwebp, whose lossless encoder
// takes tens of milliseconds on a 4-megapixel frame at its fastest setting.
import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { encodePng, FramePngEncoder } from '../server/export/png.js';
import { RunDeflater } from '../server/export/run-deflate.js';
import { time } from './measure.js';

export interface FrameEncodingResult {
  label: string;
  bytes: number;
  /** Median encode time, ms. */
  ms: number;
}

/** renderFrame's output: palette indices of the drawn pixels. */
export interface IndexedFrame {
  indices: Uint8Array;
  palette: Uint32Array;
  size: number;
}

export interface FrameForEncoding {
  /** The frame as renderPicture draws it. */
  rgba: Uint8ClampedArray;
  /** The same as renderFrame draws it, and the mask of drawn pixels (shared/raster/pixel-mask.ts). */
  indexed: IndexedFrame;
  drawn: Int32Array;
  /** A slightly different frame of the same size, for the delta candidate. */
  previous: IndexedFrame;
  previousDrawn: Int32Array;
  width: number;
  height: number;
}

/** Every candidate on one frame. */
export async function compareFrameEncodings(frame: FrameForEncoding, runs: number): Promise<FrameEncodingResult[]> {
  const { rgba, indexed, drawn, previous, previousDrawn, width, height } = frame;
  const pixels = width * height;
  const framePng = new FramePngEncoder();
  const deflater = new RunDeflater();
  const image = new Uint8Array(pixels);
  const previousImage = new Uint8Array(pixels);
  const gaps = new Int32Array(pixels);
  const gapBytes = new Uint8Array(pixels);
  const rle1 = { level: 1, strategy: zlibConstants.Z_RLE };
  const paletteBytes = indexed.size * 4;
  const candidates: [string, () => { length: number }][] = [
    ['PNG indexed', () => framePng.encodeIndexed(indexed.indices, indexed.palette, indexed.size, width, height, drawn)],
    ['PNG from RGBA (drawn mask)', () => framePng.encode(rgba, width, height, drawn)],
    ['PNG from RGBA (scan)', () => framePng.encode(rgba, width, height)],
    ['PNG RGB zlib rle', () => encodePng(rgba, width, height)],
    ['PNG palette zlib rle', () => encodePng(rgba, width, height, { palette: true })],
    ['raw RGBA', () => new Uint8Array(rgba)],
    ['colormap zlib rle 1', () => {
      colormapBytes(indexed, drawn, image);
      return { length: deflateRawSync(image, rle1).length + paletteBytes };
    }],
    ['colormap run deflate', () => {
      // The drawn pixels' indices with the zeros before each, as RunDeflater takes them.
      let n = 0;
      let sent = 0;
      forDrawn(drawn, pixels, (p) => {
        const index = indexed.indices[p];
        if (index === 0) return;
        gaps[n] = p - sent;
        gapBytes[n++] = index;
        sent = p + 1;
      });
      return { length: deflater.deflate(gaps, gapBytes, n, pixels - sent).length + paletteBytes };
    }],
    ['delta zlib rle 1', () => {
      colormapBytes(indexed, drawn, image);
      colormapBytes(previous, previousDrawn, previousImage);
      for (let p = 0; p < pixels; p++) image[p] ^= previousImage[p];
      return { length: deflateRawSync(image, rle1).length + paletteBytes };
    }],
  ];
  const out: FrameEncodingResult[] = [];
  for (const [label, encode] of candidates) {
    const t = await time(encode, runs, 1);
    out.push({ label, bytes: t.result.length, ms: t.ms });
  }
  return out;
}

/** The colormap bytes of a frame: each pixel's palette index, 0 (the background) where not drawn. */
function colormapBytes(frame: IndexedFrame, drawn: Int32Array, out: Uint8Array): void {
  out.fill(0);
  forDrawn(drawn, out.length, (p) => { out[p] = frame.indices[p]; });
}

function forDrawn(drawn: Int32Array, pixels: number, visit: (p: number) => void): void {
  for (let w = 0; w < drawn.length; w++) {
    for (let bits = drawn[w]; bits !== 0; bits &= bits - 1) {
      const p = (w << 5) + 31 - Math.clz32(bits & -bits);
      if (p < pixels) visit(p);
    }
  }
}
