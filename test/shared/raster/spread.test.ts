// datashader's circle mask is sqrt(x² + y²) <= px + 0.5: px 1 is the full 3x3 square, px 2 the
// 5x5 square less its corners (21), px 5 has 11 + 2 * (11 + 11 + 9 + 7 + 5) = 97 pixels.
import { describe, it, expect } from 'vitest';
import { discArea, spread, spreadPixels } from '../../../shared/raster/spread.js';

function image(width: number, height: number, pixels: [number, number, number[]][]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (const [x, y, rgba] of pixels) out.set(rgba, (y * width + x) * 4);
  return out;
}

/** Rows of the image as strings, '.' where transparent, '#' where not. */
function mask(rgba: Uint8ClampedArray, width: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < rgba.length / 4 / width; y++) {
    let row = '';
    for (let x = 0; x < width; x++) row += rgba[(y * width + x) * 4 + 3] ? '#' : '.';
    rows.push(row);
  }
  return rows;
}

describe('spread', () => {
  it('stamps discs of datashader\'s circle mask', () => {
    expect([discArea(0), discArea(1), discArea(2), discArea(5)]).toEqual([1, 9, 21, 97]);
    const out = spread(image(7, 7, [[3, 3, [200, 100, 0, 255]]]), 7, 7, 2, new Uint8ClampedArray(7 * 7 * 4));
    expect(mask(out, 7)).toEqual(['.......', '..###..', '.#####.', '.#####.', '.#####.', '..###..', '.......']);
    expect([...out.subarray((1 * 7 + 3) * 4, (1 * 7 + 3) * 4 + 4)]).toEqual([200, 100, 0, 255]);
  });

  it('clips discs at the image edges', () => {
    const out = spread(image(4, 3, [[0, 0, [1, 2, 3, 255]]]), 4, 3, 1, new Uint8ClampedArray(4 * 3 * 4));
    expect(mask(out, 4)).toEqual(['##..', '##..', '....']);
  });

  it('stamps bottom row first, so upper pixels end on top (datashader\'s row 0 is the bottom)', () => {
    // Width 1, height 2, px 1: both stamps cover both pixels. Bottom (255,0,0,0.2) goes first
    // onto empty pixels, then top (0,0,255,0.4) over it: a = 0.4 + 0.2 * 0.6 = 0.52 (132),
    // r = 0.12 / 0.52 (58.8), b = 0.4 / 0.52 (196.2).
    const out = spread(image(1, 2, [[0, 0, [0, 0, 255, 102]], [0, 1, [255, 0, 0, 51]]]), 1, 2, 1, new Uint8ClampedArray(8));
    expect([...out]).toEqual([58, 0, 196, 132, 58, 0, 196, 132]);
  });

  it('px 0 copies the image', () => {
    const src = image(2, 1, [[1, 0, [1, 2, 3, 4]]]);
    expect([...spread(src, 2, 1, 0, new Uint8ClampedArray(8))]).toEqual([...src]);
  });

  it('validates its parameters', () => {
    const buf = new Uint8ClampedArray(16);
    expect(() => spread(buf, 2, 2, -1, new Uint8ClampedArray(16))).toThrow(/px must be an integer >= 0/);
    expect(() => spread(buf, 2, 2, 1.5, new Uint8ClampedArray(16))).toThrow(/px/);
    expect(() => spread(buf, 2, 2, 1, buf)).toThrow(/out must not overlap rgba/);
    expect(() => spread(buf, 3, 2, 1, new Uint8ClampedArray(16))).toThrow(/rgba must be a Uint8ClampedArray of width\*height\*4 = 24/);
    expect(() => spread(buf, 2, 2, 1, new Uint8ClampedArray(new ArrayBuffer(20), 2, 16))).toThrow(/4-byte boundary/);
  });
});

describe('spreadPixels', () => {
  it('gives spread\'s result from a list of the opaque pixels in stamping order, and lists what it wrote', () => {
    const width = 9, height = 8;
    const src = image(width, height, [[2, 2, [255, 0, 0, 90]], [3, 3, [0, 255, 0, 200]], [7, 6, [0, 0, 255, 40]], [0, 7, [9, 9, 9, 255]]]);
    const dense = spread(src, width, height, 2, new Uint8ClampedArray(width * height * 4));
    // Stamping order: rows bottom to top, left to right.
    const pixels = new Int32Array([7 * width + 0, 6 * width + 7, 3 * width + 3, 2 * width + 2]);
    const out = new Uint8ClampedArray(width * height * 4);
    const touched = new Int32Array(4 * discArea(2));
    const n = spreadPixels(src, width, height, 2, pixels, 4, out, touched);
    expect(out).toEqual(dense);
    const lit = [...Array(width * height).keys()].filter((p) => dense[p * 4 + 3] !== 0);
    expect([...touched.subarray(0, n)].sort((a, b) => a - b)).toEqual(lit);
  });

  it('rejects pixels outside the image and a short touched list', () => {
    const src = new Uint8ClampedArray(16);
    expect(() => spreadPixels(src, 2, 2, 1, new Int32Array([4]), 1, new Uint8ClampedArray(16), new Int32Array(9))).toThrow(/pixels\[0\] = 4/);
    expect(() => spreadPixels(src, 2, 2, 1, new Int32Array([0]), 1, new Uint8ClampedArray(16), new Int32Array(3))).toThrow(/touched must be an Int32Array of at least 4/);
  });
});
