// Render group: one frame as the server makes it (server defaults: points, eq_hist, the
// canvas and dot size of server/pipeline/graph-picture.ts): drawFramePng, what the picture
// worker does (renderFrame: aggregate + shade into palette indices, then
// FramePngEncoder.encodeIndexed), from 1M bundle-like vertices (bench/curves.ts), at 2000x2000
// and 3840x2160, and (table lines only) at 7680x2160, the largest frame served, and at
// 2000x2000 drawn in protocol layers with traffic-sized dots and highlights (the options of
// picture.ts); then every frame encoding candidate (bench/encode-frame.ts) on the 2000x2000
// frame.
import { canvasSpec } from '../shared/raster/canvas.js';
import { createPictureBuffers, HIGHLIGHT_NEW, renderFrame, renderPicture, type PictureInput } from '../shared/raster/picture.js';
import { FramePngEncoder } from '../server/export/png.js';
import { drawFramePng, hostSpreadFor, squareRanges } from '../server/pipeline/graph-picture.js';
import { bundleLikeInput } from './curves.js';
import { compareFrameEncodings, type FrameForEncoding } from './encode-frame.js';
import { time } from './measure.js';
import type { Row } from './report.js';

const VERTICES = 1_000_000;
const CURVES = { vertices: VERTICES, hosts: 2000, arcHosts: 100, seed: 2012 };
const FRAMES = [
  { key: 'frame_2000_1m_ms', width: 2000, height: 2000 },
  { key: 'frame_3840x2160_ms', width: 3840, height: 2160 },
];
const LARGEST = { width: 7680, height: 2160 };
/** The options frame: edges in PROTOS protocol layers, every HIGHLIGHT_EVERY-th edge new, one host highlighted. */
const PROTOS = 4;
const HIGHLIGHT_EVERY = 20;
const RUNS = 9;
/** Untimed frames first: V8 settles on its optimised code for the hot loops only after several. */
const WARMUPS = 6;
const CANDIDATE_RUNS = 7;
/** The delta candidate's previous frame drops this share of the edges. */
const DELTA_DROPPED_EDGES = 0.05;

export async function benchRender(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const curves = bundleLikeInput(CURVES);
  log(`render: ${VERTICES} vertices on ${curves.edgeCount} edges, ${curves.activeCount} active hosts (seed ${CURVES.seed})`);
  const encoder = new FramePngEncoder();
  let candidateFrame: FrameForEncoding | null = null;
  for (const f of FRAMES) {
    const spec = canvasSpec({ width: f.width, height: f.height, ...squareRanges(f.width, f.height) });
    const buffers = createPictureBuffers(f.width, f.height);
    const input: PictureInput = { ...curves, mode: 'points', how: 'eq_hist', hostSpreadPx: hostSpreadFor(f.width, f.height) };
    const frame = await time(() => drawFramePng(spec, input, buffers, encoder).png, RUNS, WARMUPS);
    const render = await time(() => renderFrame(spec, input, buffers), RUNS, 1);
    if (!render.result) throw new Error('the bench frame should fit a palette');
    const indexed = { indices: new Uint8Array(buffers.indexed.indices), palette: new Uint32Array(buffers.indexed.palette), size: buffers.indexed.size };
    const drawn = new Int32Array(buffers.drawn);
    const encode = await time(() => encoder.encodeIndexed(indexed.indices, indexed.palette, indexed.size, f.width, f.height, drawn), RUNS, 1);
    rows.push({ key: f.key, value: frame.ms, unit: 'ms', note: `runs ${frame.runs.map((ms) => ms.toFixed(0)).join('/')} ms, cpu ${frame.cpuMs.toFixed(0)} ms` });
    rows.push({ label: `renderFrame ${f.width}x${f.height}`, value: render.ms, unit: 'ms', note: `cpu ${render.cpuMs.toFixed(0)} ms` });
    rows.push({ label: `encodeIndexed ${f.width}x${f.height}`, value: encode.ms, unit: 'ms', note: `cpu ${encode.cpuMs.toFixed(0)} ms, ${encode.result.length} B` });
    if (f.key === 'frame_2000_1m_ms') {
      rows.push({ key: 'frame_bytes_2000', value: frame.result.length, unit: 'B' });
      const rgba = new Uint8ClampedArray(renderPicture(spec, input, buffers));
      const fewer = { ...input, edgeCount: Math.floor(curves.edgeCount * (1 - DELTA_DROPPED_EDGES)) };
      const previousBuffers = createPictureBuffers(f.width, f.height);
      if (!renderFrame(spec, fewer, previousBuffers)) throw new Error('the bench frame should fit a palette');
      candidateFrame = {
        rgba, indexed, drawn, previous: previousBuffers.indexed, previousDrawn: previousBuffers.drawn, width: f.width, height: f.height,
      };
    }
  }
  {
    const { width, height } = LARGEST;
    const spec = canvasSpec({ width, height, ...squareRanges(width, height) });
    const buffers = createPictureBuffers(width, height);
    const input: PictureInput = { ...curves, mode: 'points', how: 'eq_hist', hostSpreadPx: hostSpreadFor(width, height) };
    const frame = await time(() => drawFramePng(spec, input, buffers, encoder).png, RUNS, WARMUPS);
    rows.push({ label: `frame ${width}x${height}`, value: frame.ms, unit: 'ms', note: `cpu ${frame.cpuMs.toFixed(0)} ms, ${frame.result.length} B` });
  }
  {
    const { width, height } = FRAMES[0];
    const spec = canvasSpec({ width, height, ...squareRanges(width, height) });
    const buffers = createPictureBuffers(width, height);
    const edgeProto = new Uint8Array(curves.edgeCount);
    const highlightEdges = new Uint8Array(curves.edgeCount);
    for (let e = 0; e < curves.edgeCount; e++) {
      edgeProto[e] = e % PROTOS;
      if (e % HIGHLIGHT_EVERY === 0) highlightEdges[e] = HIGHLIGHT_NEW;
    }
    const hostBytes = new Float64Array(curves.hostXY.length / 2).map((_, h) => (h * 7919) % 100_000);
    const input: PictureInput = {
      ...curves, mode: 'points', how: 'eq_hist', hostSpreadPx: hostSpreadFor(width, height),
      layers: true, edgeProto, hostDots: 'traffic', hostBytes, highlightEdges, highlightHost: curves.activeHosts[0],
    };
    const frame = await time(() => drawFramePng(spec, input, buffers, encoder).png, RUNS, WARMUPS);
    const indexed = renderFrame(spec, input, buffers);
    rows.push({
      label: `frame ${width}x${height} layers, traffic dots, highlights`, value: frame.ms, unit: 'ms',
      note: `cpu ${frame.cpuMs.toFixed(0)} ms, ${indexed ? `indexed, ${buffers.indexed.size} colours` : 'RGBA'}, ${frame.result.length} B`,
    });
  }
  for (const r of await compareFrameEncodings(candidateFrame!, CANDIDATE_RUNS)) {
    rows.push({ label: `2000x2000 ${r.label}`, value: r.bytes, unit: 'B', note: `encode ${r.ms.toFixed(1)} ms` });
  }
  return rows;
}
