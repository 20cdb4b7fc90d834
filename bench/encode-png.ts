// encodePng's choices (still pictures), measured: bytes and encode time of each candidate on a
// frame. Run this file for the study behind server/export/png.ts's encodePng defaults:
// renderPicture timing per mode and shading, and every candidate on the reference 2000x2000
// aggregates (../shared/data/reference) shaded eq_hist with fire over black, and on a
// bundle-like picture (bench/curves.ts). Live frames' encoding: bench/encode-frame.ts.
// Run: npx tsx bench/encode-png.ts [runs]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { canvasSpec } from '../shared/raster/canvas.js';
import { createPictureBuffers, renderPicture } from '../shared/raster/picture.js';
import { shade } from '../shared/raster/shade.js';
import { setBackground } from '../shared/raster/composite.js';
import { fire } from '../shared/colormaps/fire.js';
import { encodePng, type PngOptions } from '../server/export/png.js';
import { bundleLikeInput } from './curves.js';
import { dataPath } from './data.js';
import { time } from './measure.js';

/** The candidates; the first is what the server uses (encodePng's defaults). */
export const PNG_CANDIDATES: readonly (readonly [string, PngOptions])[] = [
  ['RGB none rle 6 (default)', {}],
  ['palette none rle', { palette: true, filter: 'none', strategy: 'rle' }],
  ['palette none default 6', { palette: true, filter: 'none', strategy: 'default', level: 6 }],
  ['palette none default 1', { palette: true, filter: 'none', strategy: 'default', level: 1 }],
  ['RGB none default 1', { palette: false, filter: 'none', strategy: 'default', level: 1 }],
  ['RGB none default 3', { palette: false, filter: 'none', strategy: 'default', level: 3 }],
  ['RGB none default 6', { palette: false, filter: 'none', strategy: 'default', level: 6 }],
  ['RGB sub rle', { palette: false, filter: 'sub', strategy: 'rle' }],
  ['RGB sub default 6', { palette: false, filter: 'sub', strategy: 'default', level: 6 }],
  ['RGB up default 6', { palette: false, filter: 'up', strategy: 'default', level: 6 }],
  ['RGB paeth default 6', { palette: false, filter: 'paeth', strategy: 'default', level: 6 }],
  ['RGBA none rle', { alpha: true, filter: 'none', strategy: 'rle' }],
];

export interface EncodingResult {
  label: string;
  bytes: number;
  /** Median encode time, ms. */
  ms: number;
}

/** Every candidate on one frame (RGBA, row 0 at the top). */
async function compareEncodings(frame: Uint8ClampedArray, width: number, height: number, runs: number): Promise<EncodingResult[]> {
  const out: EncodingResult[] = [];
  for (const [label, options] of PNG_CANDIDATES) {
    const t = await time(() => encodePng(frame, width, height, options), runs, 1);
    out.push({ label, bytes: t.result.length, ms: t.ms });
  }
  return out;
}

function referenceFrame(name: string, width: number, height: number): Uint8ClampedArray {
  const raw = gunzipSync(readFileSync(dataPath('reference', `${name}.points-agg-2000.u32.gz`)));
  const agg = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const image = new Uint8ClampedArray(width * height * 4);
  shade(agg, width, height, { how: 'eq_hist', cmap: fire }, image);
  return setBackground(image, [0, 0, 0], image);
}

async function study(runs: number): Promise<void> {
  const W = 2000, H = 2000;
  const spec = canvasSpec({ width: W, height: H, xRange: [-0.01, 1.01], yRange: [-0.01, 1.01] });
  const buffers = createPictureBuffers(W, H);
  const input = bundleLikeInput({ vertices: 200_000, hosts: 2000, arcHosts: 100, seed: 12345 });
  console.log(`bundle-like input: ${input.edgeOffsets[input.edgeCount]} vertices, ${input.edgeCount} edges, ${input.activeCount} active hosts`);
  for (const mode of ['points', 'lines'] as const) {
    for (const how of ['eq_hist', 'log'] as const) {
      const t = await time(() => renderPicture(spec, { ...input, mode, how }, buffers), runs, 1);
      console.log(`renderPicture ${mode} ${how}: ${t.ms.toFixed(1)} ms`);
    }
  }
  const frames: [string, Uint8ClampedArray][] = [
    ['maccdc2012-sample', referenceFrame('maccdc2012-sample', W, H)],
    ['synthetic-8218', referenceFrame('synthetic-2000-hosts-8218-edges', W, H)],
    ['renderPicture', new Uint8ClampedArray(renderPicture(spec, { ...input, mode: 'points', how: 'eq_hist' }, buffers))],
  ];
  console.log('\nframe             | encoding                 | median ms | KiB');
  for (const [name, frame] of frames) {
    for (const r of await compareEncodings(frame, W, H, runs)) {
      console.log(`${name.padEnd(17)} | ${r.label.padEnd(24)} | ${r.ms.toFixed(1).padStart(9)} | ${(r.bytes / 1024).toFixed(0)}`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await study(Number(process.argv[2] ?? 7));
}
