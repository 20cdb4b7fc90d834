// A colour ramp is an ordered list of RGB stops, stored flat (r, g, b per stop) so hot loops
// index it directly. Shading interpolates between stops; buildLut samples a ramp at any size.

export interface ColorRamp {
  readonly name: string;
  /** Number of stops (at least 2). */
  readonly size: number;
  /** r, g, b of each stop, 3 * size bytes. */
  readonly rgb: Uint8Array;
}

/** An RGB colour, each channel an integer 0..255. */
export type Rgb = readonly [number, number, number];

const HEX_COLOR = /^#([0-9a-f]{6})$/i;

/** Parses '#rrggbb'; throws a TypeError naming `name` otherwise. */
export function parseHexColor(hex: string, name = 'color'): Rgb {
  const m = HEX_COLOR.exec(hex);
  if (m === null) throw new TypeError(`${name} must be '#rrggbb', got ${JSON.stringify(hex)}`);
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function rampFromHex(name: string, hexes: readonly string[]): ColorRamp {
  if (hexes.length < 2) throw new RangeError(`ramp ${name} needs at least 2 colours, got ${hexes.length}`);
  const rgb = new Uint8Array(hexes.length * 3);
  for (let i = 0; i < hexes.length; i++) rgb.set(parseHexColor(hexes[i], `${name}[${i}]`), i * 3);
  return Object.freeze({ name, size: hexes.length, rgb });
}

/**
 * Samples `ramp` at `size` evenly spaced positions (first and last stop included), linear per
 * channel and truncated to integers as datashader's shading does; writes RGBA (alpha 255).
 */
export function buildLut(ramp: ColorRamp, size: number, out = new Uint8ClampedArray(size * 4)): Uint8ClampedArray {
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`size must be an integer >= 2, got ${size}`);
  if (out.length < size * 4) throw new RangeError(`out must hold ${size * 4} bytes, got ${out.length}`);
  const last = ramp.size - 1;
  for (let i = 0; i < size; i++) {
    const pos = (i * last) / (size - 1);
    const j = Math.min(Math.floor(pos), last - 1);
    const f = pos - j;
    for (let c = 0; c < 3; c++) {
      const lo = ramp.rgb[j * 3 + c];
      out[i * 4 + c] = Math.trunc(lo + (ramp.rgb[(j + 1) * 3 + c] - lo) * f);
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
