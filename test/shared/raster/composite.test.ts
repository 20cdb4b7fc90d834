// datashader's straight-alpha 'over': a = sa + da (1 - sa); c = (sc sa + dc da (1 - sa)) / a;
// bytes = trunc(value * 255). Worked by hand on values away from truncation boundaries.
import { describe, it, expect } from 'vitest';
import { over, overPixel, setBackground } from '../../../shared/raster/composite.js';

const px = (...values: number[]) => new Uint8ClampedArray(values);

describe('overPixel', () => {
  it('semi-transparent over semi-transparent', () => {
    // sa 0.2, da 0.4: a = 0.52 (132.6); r = 0.2 / 0.52 = 0.3846 (98.07); b = 0.32 / 0.52 = 0.6154 (156.9).
    const out = new Uint8ClampedArray(4);
    overPixel(px(255, 0, 0, 51), 0, px(0, 0, 255, 102), 0, out, 0);
    expect([...out]).toEqual([98, 0, 156, 132]);
  });

  it('semi-transparent white over opaque black', () => {
    // a = 0.2 + 0.8 = 1; c = 0.2 -> 51.
    const out = new Uint8ClampedArray(4);
    overPixel(px(255, 255, 255, 51), 0, px(0, 0, 0, 255), 0, out, 0);
    expect([...out]).toEqual([51, 51, 51, 255]);
  });

  it('two transparent pixels give transparent black', () => {
    const out = px(1, 2, 3, 4);
    overPixel(px(9, 9, 9, 0), 0, px(7, 7, 7, 0), 0, out, 0);
    expect([...out]).toEqual([0, 0, 0, 0]);
  });
});

describe('over', () => {
  it('composites pixel by pixel: opaque top wins, transparent top shows the bottom', () => {
    const top = px(10, 20, 30, 255, 0, 0, 0, 0, 255, 0, 0, 51, 0, 0, 0, 0);
    const bottom = px(1, 2, 3, 255, 40, 50, 60, 255, 0, 0, 255, 102, 0, 0, 0, 0);
    expect([...over(top, bottom, new Uint8ClampedArray(16))]).toEqual([10, 20, 30, 255, 40, 50, 60, 255, 98, 0, 156, 132, 0, 0, 0, 0]);
  });

  it('may write over its top input, and takes Uint8Array too', () => {
    const top = new Uint8Array([255, 0, 0, 51]);
    over(top, new Uint8Array([0, 0, 255, 102]), top);
    expect([...top]).toEqual([98, 0, 156, 132]);
  });

  it('validates sizes and alignment', () => {
    expect(() => over(px(0, 0, 0), px(0, 0, 0), new Uint8ClampedArray(3))).toThrow(/top must hold whole RGBA pixels/);
    expect(() => over(new Uint8ClampedArray(8), new Uint8ClampedArray(4), new Uint8ClampedArray(8))).toThrow(/bottom must have 8 bytes/);
    expect(() => over(new Uint8ClampedArray(8), new Uint8ClampedArray(8), new Uint8ClampedArray(new ArrayBuffer(12), 1, 8))).toThrow(/out must start on a 4-byte boundary/);
    expect(() => over(new Uint8ClampedArray(4), [0, 0, 0, 0] as unknown as Uint8Array, new Uint8ClampedArray(4))).toThrow(TypeError);
  });
});

describe('setBackground', () => {
  it('puts the image over an opaque colour', () => {
    // (255, 255, 255, 0.2) over (100, 0, 200): r = 0.2 + 0.392 * 0.8 = 0.514 (131), g = 0.2 (51), b = 0.2 + 0.784 * 0.8 = 0.827 (211).
    const image = px(255, 255, 255, 51, 0, 0, 0, 0, 5, 6, 7, 255);
    expect([...setBackground(image, [0, 0, 0], new Uint8ClampedArray(12))]).toEqual([51, 51, 51, 255, 0, 0, 0, 255, 5, 6, 7, 255]);
    expect([...setBackground(image, [100, 0, 200], image)]).toEqual([131, 51, 211, 255, 100, 0, 200, 255, 5, 6, 7, 255]);
  });

  it('rejects a colour that is not [r, g, b] bytes', () => {
    expect(() => setBackground(new Uint8ClampedArray(4), [0, 0, 256], new Uint8ClampedArray(4))).toThrow(/color must be \[r, g, b\]/);
    expect(() => setBackground(new Uint8ClampedArray(4), [0, 0] as unknown as [number, number, number], new Uint8ClampedArray(4))).toThrow(RangeError);
  });
});
