// The perceptual ramps: their ends are matplotlib's published colours, and lightness (CIE L*)
// rises along each one, which is what makes them read as "more" without a legend.
import { describe, expect, it } from 'vitest';
import { categorical, rampByName, ramps } from '../../../shared/colormaps/index.js';

const hex = (rgb: Uint8Array, i: number) => '#' + [0, 1, 2].map((c) => rgb[3 * i + c].toString(16).padStart(2, '0')).join('');

/** CIE L* of an sRGB colour (D65). */
function lightness(r: number, g: number, b: number): number {
  const lin = (v: number) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

describe('perceptual ramps', () => {
  // matplotlib's _cm_listed.py: first and last entries of each map.
  const ends: Record<string, [string, string]> = {
    viridis: ['#440154', '#fde725'], inferno: ['#000004', '#fcffa4'], magma: ['#000004', '#fcfdbf'], plasma: ['#0d0887', '#f0f921'],
  };
  for (const [name, [first, last]] of Object.entries(ends)) {
    it(`${name} runs from ${first} to ${last} in 256 stops`, () => {
      const ramp = rampByName(name);
      expect(ramp.size).toBe(256);
      expect(hex(ramp.rgb, 0)).toBe(first);
      expect(hex(ramp.rgb, 255)).toBe(last);
    });
  }

  it('every density ramp gets lighter from end to end (L* rises, allowing rounding)', () => {
    for (const [name, ramp] of Object.entries(ramps)) {
      let previous = -Infinity;
      for (let i = 0; i < ramp.size; i += 8) {
        const l = lightness(ramp.rgb[3 * i], ramp.rgb[3 * i + 1], ramp.rgb[3 * i + 2]);
        expect(l, `${name}[${i}]`).toBeGreaterThan(previous - 0.5);
        previous = l;
      }
    }
    expect(Object.keys(ramps)).toEqual(['fire', 'viridis', 'inferno', 'magma', 'plasma', 'cividis']);
  });

  it('tableau10 holds ten distinct category colours', () => {
    const t = categorical.tableau10;
    expect(t.size).toBe(10);
    expect(hex(t.rgb, 0)).toBe('#4e79a7');
    expect(new Set(Array.from({ length: 10 }, (_, i) => hex(t.rgb, i))).size).toBe(10);
  });
});
