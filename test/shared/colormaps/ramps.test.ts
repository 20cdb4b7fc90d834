import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fire } from '../../../shared/colormaps/fire.js';
import { buildLut, parseHexColor, rampFromHex } from '../../../shared/colormaps/ramp.js';
import { rampByName, ramps } from '../../../shared/colormaps/index.js';
import { dataPath, itData } from '../../helpers/data.js';

describe('fire', () => {
  it('has 256 stops from black to white', () => {
    expect(fire.size).toBe(256);
    expect(fire.rgb.length).toBe(768);
    expect([...fire.rgb.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...fire.rgb.subarray(765)]).toEqual([255, 255, 255]);
    // Line 2 of fire.txt is #060000, line 255 is #fffeee.
    expect([...fire.rgb.subarray(3, 6)]).toEqual([6, 0, 0]);
    expect([...fire.rgb.subarray(762, 765)]).toEqual([255, 254, 238]);
  });

  itData('holds exactly the colours of ../shared/data/colormaps/fire.txt', () => {
    const lines = readFileSync(dataPath('colormaps', 'fire.txt'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(256);
    lines.forEach((hex, i) => {
      const v = parseInt(hex.slice(1), 16);
      expect([fire.rgb[3 * i], fire.rgb[3 * i + 1], fire.rgb[3 * i + 2]]).toEqual([v >> 16, (v >> 8) & 255, v & 255]);
    });
  });
});

describe('parseHexColor / rampFromHex', () => {
  it('parses #rrggbb in either case', () => {
    expect(parseHexColor('#FF8000')).toEqual([255, 128, 0]);
    expect(parseHexColor('#0a0b0c')).toEqual([10, 11, 12]);
  });

  it('rejects anything else, naming the colour', () => {
    expect(() => parseHexColor('red', 'cmap')).toThrow(/cmap must be '#rrggbb'/);
    expect(() => parseHexColor('#fff')).toThrow(TypeError);
    expect(() => rampFromHex('bad', ['#000000', 'nope'])).toThrow(/bad\[1\]/);
    expect(() => rampFromHex('short', ['#000000'])).toThrow(RangeError);
  });

  it('makes frozen ramps', () => {
    const ramp = rampFromHex('bw', ['#000000', '#ffffff']);
    expect(Object.isFrozen(ramp)).toBe(true);
    expect(ramp).toMatchObject({ name: 'bw', size: 2 });
  });
});

describe('buildLut', () => {
  it('samples a two-stop ramp linearly, truncating', () => {
    // Positions 0, 1/4, 1/2, 3/4, 1 of 0..255: 0, 63.75, 127.5, 191.25, 255.
    const lut = buildLut(rampFromHex('bw', ['#000000', '#ffffff']), 5);
    expect([...lut]).toEqual([0, 0, 0, 255, 63, 63, 63, 255, 127, 127, 127, 255, 191, 191, 191, 255, 255, 255, 255, 255]);
  });

  it('reproduces a ramp sampled at its own size', () => {
    const lut = buildLut(fire, 256);
    for (let i = 0; i < 256; i++) expect([lut[4 * i], lut[4 * i + 1], lut[4 * i + 2]]).toEqual([...fire.rgb.subarray(3 * i, 3 * i + 3)]);
  });

  it('validates size and out', () => {
    expect(() => buildLut(fire, 1)).toThrow(/size/);
    expect(() => buildLut(fire, 4, new Uint8ClampedArray(8))).toThrow(/out/);
  });
});

describe('ramps registry', () => {
  it('finds ramps by name and names the ones it has when asked for another', () => {
    expect(rampByName('fire')).toBe(fire);
    expect(Object.keys(ramps)).toContain('fire');
    expect(() => rampByName('jet')).toThrow(/unknown colour ramp "jet" \(have: fire, viridis, inferno, magma, plasma, cividis\)/);
  });
});
