// Render group: one frame as the server makes it (server defaults: points, eq_hist, the
// canvas and dot size of server/pipeline/graph-picture.ts), renderPicture (aggregate + shade)
// then encodePng with server/export/png.ts's defaults, from 1M bundle-like vertices
// (bench/curves.ts), at 2000x2000 and 3840x2160; the PNG candidates on the 2000x2000 frame.
import { canvasSpec } from '../shared/raster/canvas.js';
import { createPictureBuffers, renderPicture, type PictureInput } from '../shared/raster/picture.js';
import { encodePng } from '../server/export/png.js';
import { hostSpreadFor, squareRanges } from '../server/pipeline/graph-picture.js';
import { bundleLikeInput } from './curves.js';
import { compareEncodings } from './encode-png.js';
import { time } from './measure.js';
import type { Row } from './report.js';

const VERTICES = 1_000_000;
const CURVES = { vertices: VERTICES, hosts: 2000, arcHosts: 100, seed: 2012 };
const FRAMES = [
  { key: 'frame_2000_1m_ms', width: 2000, height: 2000 },
  { key: 'frame_3840x2160_ms', width: 3840, height: 2160 },
];
const RUNS = 7;
const CANDIDATE_RUNS = 3;

export async function benchRender(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const curves = bundleLikeInput(CURVES);
  log(`render: ${VERTICES} vertices on ${curves.edgeCount} edges, ${curves.activeCount} active hosts (seed ${CURVES.seed})`);
  const images = new Map<string, Uint8ClampedArray>();
  for (const f of FRAMES) {
    const spec = canvasSpec({ width: f.width, height: f.height, ...squareRanges(f.width, f.height) });
    const buffers = createPictureBuffers(f.width, f.height);
    const input: PictureInput = { ...curves, mode: 'points', how: 'eq_hist', hostSpreadPx: hostSpreadFor(f.width, f.height) };
    const frame = await time(() => encodePng(renderPicture(spec, input, buffers), f.width, f.height), RUNS, 2);
    const render = await time(() => renderPicture(spec, input, buffers), RUNS, 1);
    const image = new Uint8ClampedArray(buffers.image);
    const encode = await time(() => encodePng(image, f.width, f.height), RUNS, 1);
    rows.push({ key: f.key, value: frame.ms, unit: 'ms', note: `runs ${frame.runs.map((ms) => ms.toFixed(0)).join('/')} ms, cpu ${frame.cpuMs.toFixed(0)} ms` });
    rows.push({ label: `renderPicture ${f.width}x${f.height}`, value: render.ms, unit: 'ms' });
    rows.push({ label: `encodePng ${f.width}x${f.height}`, value: encode.ms, unit: 'ms' });
    if (f.key === 'frame_2000_1m_ms') rows.push({ key: 'frame_bytes_2000', value: frame.result.length, unit: 'B' });
    images.set(f.key, image);
  }
  const frame2000 = images.get('frame_2000_1m_ms')!;
  for (const r of await compareEncodings(frame2000, 2000, 2000, CANDIDATE_RUNS)) {
    rows.push({ label: `png 2000x2000 ${r.label}`, value: r.bytes, unit: 'B', note: `encode ${r.ms.toFixed(1)} ms` });
  }
  return rows;
}
