// Shading the reference aggregates must reproduce the reference datashader PNGs: the README's
// criterion is within 1 unit per channel on at least 99.9% of pixels; we expect every pixel equal.
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dataPath, describeData, itData } from '../../helpers/data.js';
import { decodePng } from '../../server/export/decode-png.js';
import { createShadeScratch, shade } from '../../../shared/raster/shade.js';
import { setBackground } from '../../../shared/raster/composite.js';
import { fire } from '../../../shared/colormaps/fire.js';

const SIZE = 2000;
const GRAPHS = ['maccdc2012-sample', 'synthetic-2000-hosts-8218-edges'];
const HOWS = ['eq_hist', 'log', 'linear'] as const;

function loadAggregate(name: string): Uint32Array {
  const raw = gunzipSync(readFileSync(dataPath('reference', `${name}.points-agg-2000.u32.gz`)));
  expect(raw.length).toBe(SIZE * SIZE * 4);
  const agg = new Uint32Array(SIZE * SIZE);
  for (let i = 0; i < agg.length; i++) agg[i] = raw.readUInt32LE(4 * i);
  return agg;
}

/** Fractions of pixels equal, and within 1 per channel, comparing RGBA bytes. */
function compare(ours: Uint8ClampedArray, reference: Uint8Array): { exact: number; within1: number } {
  let exact = 0, within1 = 0;
  for (let p = 0; p < SIZE * SIZE; p++) {
    let worst = 0;
    for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(ours[4 * p + c] - reference[4 * p + c]));
    if (worst === 0) exact++;
    if (worst <= 1) within1++;
  }
  return { exact: exact / (SIZE * SIZE), within1: within1 / (SIZE * SIZE) };
}

describeData('shade reproduces the reference datashader pictures', () => {
  const scratch = createShadeScratch();
  for (const name of GRAPHS) {
    itData(`${name}: eq_hist, log, linear with fire over black`, () => {
      const agg = loadAggregate(name);
      for (const how of HOWS) {
        const reference = decodePng(readFileSync(dataPath('reference', `${name}.shade-${how}.png`)));
        expect([reference.width, reference.height, reference.channels]).toEqual([SIZE, SIZE, 4]);
        const shaded = shade(agg, SIZE, SIZE, { how, cmap: fire }, new Uint8ClampedArray(SIZE * SIZE * 4), scratch);
        const ours = setBackground(shaded, [0, 0, 0], shaded);
        const { exact, within1 } = compare(ours, reference.pixels);
        console.log(`[parity] ${name} ${how}: ${(100 * exact).toFixed(4)}% equal, ${(100 * within1).toFixed(4)}% within 1`);
        expect(within1).toBeGreaterThanOrEqual(0.999);
        expect(exact).toBe(1);
        // The fused background gives the same picture.
        const fused = shade(agg, SIZE, SIZE, { how, cmap: fire, background: [0, 0, 0] }, new Uint8ClampedArray(SIZE * SIZE * 4), scratch);
        expect(compare(fused, reference.pixels).exact).toBe(1);
      }
    });
  }
});
