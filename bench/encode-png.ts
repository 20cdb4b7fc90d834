// Throwaway measurement: renderPicture timing at 2000x2000 and PNG encoding choices, on
// realistic frames. Run: npx tsx bench/encode-png.ts [reps] (data: NETSHADE_TEST_DATA or ../shared/data)
// Frames: the reference 2000x2000 aggregates (../shared/data/reference) shaded eq_hist with fire
// over black, and a renderPicture of a seeded synthetic bundle (~200k vertices, 300 active hosts).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { canvasSpec } from '../shared/raster/canvas.js';
import { createPictureBuffers, renderPicture, type PictureInput } from '../shared/raster/picture.js';
import { shade } from '../shared/raster/shade.js';
import { setBackground } from '../shared/raster/composite.js';
import { fire } from '../shared/colormaps/fire.js';
import { encodePng, type PngOptions } from '../server/export/png.js';

const DATA = resolve(process.env.NETSHADE_TEST_DATA ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data'));

const W = 2000;
const H = 2000;
const reps = Number(process.argv[2] ?? 7);

function median(run: () => unknown): number {
  const times: number[] = [];
  run();
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function referenceFrame(name: string): Uint8ClampedArray {
  const raw = gunzipSync(readFileSync(join(DATA, 'reference', `${name}.points-agg-2000.u32.gz`)));
  const agg = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const image = new Uint8ClampedArray(W * H * 4);
  shade(agg, W, H, { how: 'eq_hist', cmap: fire }, image);
  return setBackground(image, [0, 0, 0], image);
}

/** Seeded stand-in for a bundle: curved edges between hosts on a circle, vertices ~0.012 apart. */
function syntheticInput(hosts: number, edges: number, active: number): PictureInput {
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const hostXY = new Float64Array(hosts * 2);
  for (let i = 0; i < hosts; i++) {
    hostXY[2 * i] = 0.5 + 0.5 * Math.cos((2 * Math.PI * i) / hosts);
    hostXY[2 * i + 1] = 0.5 + 0.5 * Math.sin((2 * Math.PI * i) / hosts);
  }
  const points: number[] = [];
  const edgeOffsets = new Uint32Array(edges + 1);
  for (let e = 0; e < edges; e++) {
    const a = Math.floor(random() * hosts);
    const b = Math.floor(random() * hosts);
    const [ax, ay, bx, by] = [hostXY[2 * a], hostXY[2 * a + 1], hostXY[2 * b], hostXY[2 * b + 1]];
    const [cx, cy] = [0.5 + (ax + bx - 1) * 0.15, 0.5 + (ay + by - 1) * 0.15];
    const steps = Math.max(2, Math.ceil(Math.hypot(bx - ax, by - ay) / 0.006));
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      points.push((1 - t) ** 2 * ax + 2 * t * (1 - t) * cx + t * t * bx, (1 - t) ** 2 * ay + 2 * t * (1 - t) * cy + t * t * by);
    }
    edgeOffsets[e + 1] = points.length / 2;
  }
  const activeHosts = new Int32Array(active);
  for (let k = 0; k < active; k++) activeHosts[k] = Math.floor(random() * hosts);
  return {
    edgePoints: new Float64Array(points), edgeOffsets, edgeCount: edges, mode: 'points', how: 'eq_hist',
    hostXY, activeHosts, activeCount: active,
  };
}

const spec = canvasSpec({ width: W, height: H, xRange: [-0.01, 1.01], yRange: [-0.01, 1.01] });
const buffers = createPictureBuffers(W, H);
const input = syntheticInput(2000, 1850, 300);
console.log(`synthetic bundle: ${input.edgeOffsets[input.edgeCount]} vertices, ${input.edgeCount} edges, ${input.activeCount} active hosts`);
for (const mode of ['points', 'lines'] as const) {
  for (const how of ['eq_hist', 'log'] as const) {
    const ms = median(() => renderPicture(spec, { ...input, mode, how }, buffers));
    console.log(`renderPicture ${mode} ${how}: ${ms.toFixed(1)} ms`);
  }
}

const frames: [string, Uint8ClampedArray][] = [
  ['maccdc2012-sample', referenceFrame('maccdc2012-sample')],
  ['synthetic-8218', referenceFrame('synthetic-2000-hosts-8218-edges')],
  ['renderPicture', new Uint8ClampedArray(renderPicture(spec, input, buffers))],
];
const configs: [string, PngOptions][] = [
  ['palette none rle', { palette: true, filter: 'none', strategy: 'rle' }],
  ['palette none default 6', { palette: true, filter: 'none', strategy: 'default', level: 6 }],
  ['palette none default 1', { palette: true, filter: 'none', strategy: 'default', level: 1 }],
  ['RGB none rle', { palette: false, filter: 'none', strategy: 'rle' }],
  ['RGB none default 1', { palette: false, filter: 'none', strategy: 'default', level: 1 }],
  ['RGB none default 3', { palette: false, filter: 'none', strategy: 'default', level: 3 }],
  ['RGB none default 6', { palette: false, filter: 'none', strategy: 'default', level: 6 }],
  ['RGB sub rle', { palette: false, filter: 'sub', strategy: 'rle' }],
  ['RGB sub default 6', { palette: false, filter: 'sub', strategy: 'default', level: 6 }],
  ['RGB up default 6', { palette: false, filter: 'up', strategy: 'default', level: 6 }],
  ['RGB paeth default 6', { palette: false, filter: 'paeth', strategy: 'default', level: 6 }],
  ['RGBA none rle', { alpha: true, filter: 'none', strategy: 'rle' }],
];
console.log('\nframe             | encoding               | median ms | KiB');
for (const [name, frame] of frames) {
  for (const [label, options] of configs) {
    const bytes = encodePng(frame, W, H, options).length;
    const ms = median(() => encodePng(frame, W, H, options));
    console.log(`${name.padEnd(17)} | ${label.padEnd(22)} | ${ms.toFixed(1).padStart(9)} | ${(bytes / 1024).toFixed(0)}`);
  }
}
