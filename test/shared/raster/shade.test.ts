// Expected colours are worked out by hand from datashader's `_interpolate`: subtract the smallest
// count, transform, spread the ramp's stops evenly over the transformed span, interpolate each
// channel linearly and truncate. A black-to-white ramp makes that arithmetic visible:
// channel = trunc(255 * (level - lo) / (hi - lo)).
import { describe, it, expect } from 'vitest';
import { rampFromHex } from '../../../shared/colormaps/ramp.js';
import { fire } from '../../../shared/colormaps/fire.js';
import { colorsByCount, createShadeScratch, EQ_HIST_BINS, shade, shadeCells } from '../../../shared/raster/shade.js';
import { setBackground } from '../../../shared/raster/composite.js';

const bw = rampFromHex('bw', ['#000000', '#ffffff']);
const RED = [255, 0, 0] as const;

/** Shades a 1-row aggregate; returns the pixels as [r, g, b, a] lists. */
function shadeRow(values: number[], options: Parameters<typeof shade>[3]): number[][] {
  const out = new Uint8ClampedArray(values.length * 4);
  shade(Uint32Array.from(values), values.length, 1, options, out);
  return Array.from({ length: values.length }, (_, i) => [...out.subarray(4 * i, 4 * i + 4)]);
}

const grey = (v: number) => [v, v, v, 255];
const EMPTY = [0, 0, 0, 0];

describe('shade with a ramp', () => {
  it('linear: counts 1, 2, 4 span 0..3 after the offset', () => {
    expect(shadeRow([0, 1, 2, 4], { how: 'linear', cmap: bw })).toEqual([EMPTY, grey(0), grey(85), grey(255)]);
  });

  it('log: log1p of 0, 1, 3 puts 2 half way (127.5, truncated)', () => {
    expect(shadeRow([1, 2, 4, 0], { how: 'log', cmap: bw })).toEqual([grey(0), grey(127), grey(255), EMPTY]);
  });

  it('cbrt: cube roots of 0, 1, 8 put 2 half way', () => {
    expect(shadeRow([1, 2, 9], { how: 'cbrt', cmap: bw })).toEqual([grey(0), grey(127), grey(255)]);
  });

  it('eq_hist: each count goes to its cumulative share of the non-empty pixels', () => {
    // Non-empty counts 1, 1, 2, 5: cdf 2/4, 3/4, 4/4 -> span (0.5, 1): 0, 127.5, 255.
    expect(shadeRow([0, 1, 1, 2, 5], { how: 'eq_hist', cmap: bw })).toEqual([EMPTY, grey(0), grey(0), grey(127), grey(255)]);
  });

  it('eq_hist is the default, and alpha sets the alpha of every coloured pixel', () => {
    expect(shadeRow([0, 1, 1, 2, 5], { cmap: bw, alpha: 100 })).toEqual([EMPTY, [0, 0, 0, 100], [0, 0, 0, 100], [127, 127, 127, 100], [255, 255, 255, 100]]);
  });

  it('interpolates between a multi-stop ramp\'s stops, per channel', () => {
    // Stops at levels 0, 1.5, 3 (black, red, white); level 1 is 2/3 of the way to red (170),
    // level 2 a third of the way from red to white (85 on g and b).
    const ramp = rampFromHex('bwr', ['#000000', '#ff0000', '#ffffff']);
    expect(shadeRow([1, 2, 3, 4], { how: 'linear', cmap: ramp })).toEqual([[0, 0, 0, 255], [170, 0, 0, 255], [255, 85, 85, 255], [255, 255, 255, 255]]);
  });

  it('flips: image row 0 is the aggregate\'s last row (highest y)', () => {
    const out = new Uint8ClampedArray(2 * 2 * 4);
    // Aggregate rows: y=0 -> [0, 1], y=1 -> [2, 4].
    shade(new Uint32Array([0, 1, 2, 4]), 2, 2, { how: 'linear', cmap: bw }, out);
    expect([...out]).toEqual([...grey(85), ...grey(255), ...EMPTY, ...grey(0)]);
  });
});

describe('shade with one colour', () => {
  it('keeps the colour and ramps alpha from minAlpha to alpha', () => {
    // Levels 0, 1, 2 over 216 alpha stops 40..255: level 1 sits half way, 147.5 -> 147.
    expect(shadeRow([0, 1, 2, 3], { how: 'linear', cmap: RED })).toEqual([EMPTY, [255, 0, 0, 40], [255, 0, 0, 147], [255, 0, 0, 255]]);
  });

  it('takes minAlpha and alpha', () => {
    // 11 stops 100..110 over levels 0..2: level 1 -> 105.
    expect(shadeRow([1, 2, 3], { how: 'linear', cmap: [0, 0, 255], minAlpha: 100, alpha: 110 })).toEqual([[0, 0, 255, 100], [0, 0, 255, 105], [0, 0, 255, 110]]);
  });
});

describe('degenerate aggregates', () => {
  it('all empty: all transparent (or all background)', () => {
    expect(shadeRow([0, 0], { cmap: fire })).toEqual([EMPTY, EMPTY]);
    expect(shadeRow([0, 0], { cmap: fire, background: [1, 2, 3] })).toEqual([[1, 2, 3, 255], [1, 2, 3, 255]]);
  });

  it('one distinct value: the span has zero width and every pixel takes the top of the ramp', () => {
    // np.interp with all xp equal finds the last of them, so fp[-1]: white for fire, alpha 255.
    for (const how of ['eq_hist', 'linear', 'log', 'cbrt'] as const) {
      expect(shadeRow([0, 7, 7], { how, cmap: fire })).toEqual([EMPTY, grey(255), grey(255)]);
      expect(shadeRow([3, 0], { how, cmap: RED })).toEqual([[255, 0, 0, 255], EMPTY]);
    }
  });
});

describe('counts spanning 65536 values or more', () => {
  it('eq_hist bins like np.histogram with 65536 bins and interpolates between bin centres', () => {
    // Counts 1, 35001, 70001 -> 0, 35000, 70000 land in bins 0, 32768, 65535 (cdf 1/3, 2/3, 1).
    // 0 lies left of the first centre (level 1/3), 70000 right of the last (1); 35000 lies just
    // left of its centre 35000.534, so its level is just under 2/3: 127.49 -> 127.
    expect(shadeRow([1, 35001, 70001, 0], { how: 'eq_hist', cmap: bw })).toEqual([grey(0), grey(127), grey(255), EMPTY]);
    // Counts 1 and 2 share bin 0: 2 gets almost nothing more than 1.
    expect(shadeRow([1, 2, 70001], { how: 'eq_hist', cmap: bw })).toEqual([grey(0), grey(0), grey(255)]);
  });

  it('linear and log work pixel by pixel', () => {
    expect(shadeRow([1, 35001, 70001, 0], { how: 'linear', cmap: bw })).toEqual([grey(0), grey(127), grey(255), EMPTY]);
    // log1p(35000) / log1p(70000) = 0.9380 -> 239.2.
    expect(shadeRow([1, 35001, 70001], { how: 'log', cmap: bw })).toEqual([grey(0), grey(239), grey(255)]);
  });

  it('counts above 65535 with a narrow range still use the per-value table', () => {
    expect(shadeRow([100000, 100001, 100003], { how: 'linear', cmap: bw })).toEqual([grey(0), grey(85), grey(255)]);
    expect(shadeRow([100000, 100000, 100001, 100003], { how: 'eq_hist', cmap: bw })).toEqual([grey(0), grey(0), grey(127), grey(255)]);
  });
});

describe('background and shadeCells', () => {
  function randomAgg(cells: number, seed: number, density: number): Uint32Array {
    const agg = new Uint32Array(cells);
    for (let i = 0; i < cells; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (seed / 2 ** 32 < density) agg[i] = 1 + (seed % 37);
    }
    return agg;
  }

  it('background gives what setBackground gives on the shaded image', () => {
    const agg = randomAgg(30 * 20, 1, 0.3);
    for (const options of [{ cmap: fire }, { cmap: RED }, { cmap: bw, alpha: 128, how: 'log' as const }]) {
      const plain = shade(agg, 30, 20, options, new Uint8ClampedArray(30 * 20 * 4));
      const fused = shade(agg, 30, 20, { ...options, background: [10, 20, 30] }, new Uint8ClampedArray(30 * 20 * 4));
      expect(fused).toEqual(setBackground(plain, [10, 20, 30], new Uint8ClampedArray(plain.length)));
    }
  });

  it('shadeCells colours the listed cells as shade colours the whole aggregate', () => {
    const agg = randomAgg(30 * 20, 2, 0.05);
    const listed = new Int32Array([...agg.keys()].filter((i) => agg[i] !== 0).concat([0, 1]).filter((v, i, a) => a.indexOf(v) === i));
    const scratch = createShadeScratch();
    for (const options of [{ cmap: fire }, { cmap: RED, how: 'linear' as const }]) {
      const whole = shade(agg, 30, 20, options, new Uint8ClampedArray(30 * 20 * 4), scratch);
      const sparse = shadeCells(agg, 30, 20, listed, listed.length, options, new Uint8ClampedArray(30 * 20 * 4), scratch);
      expect(sparse).toEqual(whole);
      // The same with the cells' counts handed over.
      const values = Uint32Array.from(listed, (cell) => agg[cell]);
      expect(shadeCells(agg, 30, 20, listed, listed.length, options, new Uint8ClampedArray(30 * 20 * 4), scratch, values)).toEqual(whole);
    }
  });

  it('colorsByCount gives, per count, the colour shadeCells gives its cells', () => {
    const agg = randomAgg(30 * 20, 3, 0.2);
    const listed = Int32Array.from([...agg.keys()].filter((i) => agg[i] !== 0));
    const values = Uint32Array.from(listed, (cell) => agg[cell]);
    const scratch = createShadeScratch();
    for (const options of [{ cmap: fire, background: [0, 0, 0] as [number, number, number], rescaleDiscreteLevels: true }, { cmap: RED, how: 'log' as const }]) {
      const image = new Uint32Array(shadeCells(agg, 30, 20, listed, listed.length, options, new Uint8ClampedArray(30 * 20 * 4)).buffer);
      expect(colorsByCount(values, values.length, options, scratch)).toBe(Math.max(...values));
      listed.forEach((cell, k) => {
        const y = Math.floor(cell / 30);
        expect(scratch.colors[values[k]]).toBe(image[(20 - 1 - y) * 30 + (cell - y * 30)]);
      });
    }
    expect(colorsByCount(Uint32Array.of(3, EQ_HIST_BINS), 2, { cmap: fire }, scratch)).toBe(-1);
    expect(() => colorsByCount(values, values.length + 1, { cmap: fire }, scratch)).toThrow(/n must be an integer 0../);
  });

  it('shadeCells leaves unlisted pixels alone', () => {
    const out = new Uint8ClampedArray(8).fill(9);
    shadeCells(new Uint32Array([3, 0]), 2, 1, new Int32Array([0]), 1, { cmap: RED }, out);
    expect([...out]).toEqual([255, 0, 0, 255, 9, 9, 9, 9]);
  });
});

describe('validation', () => {
  const agg = new Uint32Array(4);
  const out = new Uint8ClampedArray(16);
  it('names the bad parameter', () => {
    expect(() => shade(agg, 0, 4, { cmap: fire }, out)).toThrow(/width must be a positive integer/);
    expect(() => shade(agg, 2, 1, { cmap: fire }, out)).toThrow(/agg must be a Uint32Array of width\*height = 2/);
    expect(() => shade(agg, 2, 2, { cmap: fire }, new Uint8ClampedArray(15))).toThrow(/out must be a Uint8ClampedArray/);
    expect(() => shade(agg, 2, 2, { cmap: fire, how: 'sqrt' as 'log' }, out)).toThrow(/how must be one of eq_hist, log, linear, cbrt/);
    expect(() => shade(agg, 2, 2, { cmap: fire, alpha: 256 }, out)).toThrow(/alpha must be an integer 0..255/);
    expect(() => shade(agg, 2, 2, { cmap: RED, minAlpha: 200, alpha: 100 }, out)).toThrow(/minAlpha \(200\) must not exceed alpha \(100\)/);
    expect(() => shade(agg, 2, 2, { cmap: [255, 0] as unknown as [number, number, number] }, out)).toThrow(/cmap as one colour/);
    expect(() => shade(agg, 2, 2, { cmap: { name: 'x', size: 1, rgb: new Uint8Array(3) } }, out)).toThrow(/cmap must be a ColorRamp/);
    expect(() => shade(agg, 2, 2, { cmap: fire, background: [0, 0, 300] }, out)).toThrow(/background/);
    expect(() => shadeCells(agg, 2, 2, new Int32Array([4]), 1, { cmap: fire }, out)).toThrow(/cells\[0\] = 4 is not a cell of agg/);
    expect(() => shadeCells(agg, 2, 2, new Int32Array([0]), 2, { cmap: fire }, out)).toThrow(/cellCount must be an integer 0..1/);
    expect(() => shadeCells(agg, 2, 2, new Int32Array([0, 1]), 2, { cmap: fire }, out, undefined, new Uint32Array(1))).toThrow(/values must be a Uint32Array of at least cellCount = 2/);
  });
});

describe('rescaleDiscreteLevels (datashader rescale_discrete_levels)', () => {
  it('lifts the lowest of few levels off the bottom of the ramp, as datashader does', () => {
    // Counts {1: 3 cells, 2: 1 cell}: cdf 0.75 and 1.0; span (0.75, 1).
    // datashader: m = -0.5/98, c = 1.5 - 2m, multiple = 2m + c = 1.5 > 1,
    // lower = max(1 - 1.5 * 0.25, 0) = 0.625: span (0.625, 1).
    // A two-colour ramp black -> white over it: 0.75 sits at (0.75 - 0.625) / 0.375 = 1/3 -> 85.
    const ramp = { name: 'bw', size: 2, rgb: Uint8Array.of(0, 0, 0, 255, 255, 255) };
    const agg = Uint32Array.of(1, 1, 1, 2);
    const plain = shade(agg, 2, 2, { how: 'eq_hist', cmap: ramp }, new Uint8ClampedArray(16));
    const lifted = shade(agg, 2, 2, { how: 'eq_hist', cmap: ramp, rescaleDiscreteLevels: true }, new Uint8ClampedArray(16));
    // Image row 0 is the aggregate's last row: cells 2, 3 then 0, 1.
    expect(Array.from(plain.subarray(0, 8))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(lifted.subarray(0, 8))).toEqual([85, 85, 85, 255, 255, 255, 255, 255]);
  });

  it('leaves many levels alone (multiple <= 1 from 99 levels on)', () => {
    const agg = new Uint32Array(100);
    for (let i = 0; i < 100; i++) agg[i] = i + 1;
    const ramp = { name: 'bw', size: 2, rgb: Uint8Array.of(0, 0, 0, 255, 255, 255) };
    const a = shade(agg, 10, 10, { how: 'eq_hist', cmap: ramp }, new Uint8ClampedArray(400));
    const b = shade(agg, 10, 10, { how: 'eq_hist', cmap: ramp, rescaleDiscreteLevels: true }, new Uint8ClampedArray(400));
    expect(b).toEqual(a);
  });
});
