// Graph -> picture, as one pure composition of the stages: order hosts by address, lay
// them on a circle, bundle the edges (or keep them straight), rasterise and shade.
// Used by the picture worker (live frames, encoded as PNG here: paintFrame) and by
// `netshade render` (still pictures: paint), so both draw the same thing.
import { sortHostsByAddress } from '../../shared/graph/hosts.js';
import { circularLayout } from '../../shared/layout/circular.js';
import { hammerBundle } from '../../shared/bundle/hammer.js';
import { canvasSpec, type CanvasSpec } from '../../shared/raster/canvas.js';
import { renderFrame, renderPicture, createPictureBuffers, HOST_SPREAD_PX, type PictureBuffers, type PictureInput } from '../../shared/raster/picture.js';
import type { FramePngEncoder } from '../export/png.js';

export type ShadeHow = 'eq_hist' | 'log' | 'linear' | 'cbrt';
export type EdgeMode = 'points' | 'lines';

export interface GraphPictureInput {
  /** Host ids to lay out on the circle (all hosts of the capture so far). */
  hostIds: Int32Array;
  /** The host table's family and words columns (see HostTable), covering hostIds. */
  hostFamily: Uint8Array;
  hostWords: Uint32Array;
  /** Edges as host ids, with weights (bytes). */
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
  /** Host ids drawn as red dots. */
  activeHosts: Int32Array;
  width: number;
  height: number;
  how: ShadeHow;
  /** Bundled vertices as points (the reference) or as polylines. */
  mode: EdgeMode;
  /** false draws straight edges. */
  bundle: boolean;
}

export interface GraphPicture {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  bundleMs: number;
  renderMs: number;
  vertices: number;
}

/** A live frame: the picture encoded as PNG (drawFramePng). */
export interface GraphFrame {
  png: Buffer;
  width: number;
  height: number;
  bundleMs: number;
  renderMs: number;
  encodeMs: number;
  vertices: number;
}

/** Keeps raster buffers between frames of the same size. */
export class GraphPainter {
  private buffers: PictureBuffers | null = null;
  private bufferSize = '';

  /** The picture as RGBA (still pictures). */
  paint(input: GraphPictureInput, now: () => number = () => performance.now()): GraphPicture {
    const { spec, picture, buffers, bundleMs, vertices } = this.layout(input, now);
    const t0 = now();
    const rgba = renderPicture(spec, picture, buffers);
    return { rgba, width: input.width, height: input.height, bundleMs, renderMs: now() - t0, vertices };
  }

  /** The picture as a live frame's PNG. */
  paintFrame(input: GraphPictureInput, encoder: FramePngEncoder, now: () => number = () => performance.now()): GraphFrame {
    const { spec, picture, buffers, bundleMs, vertices } = this.layout(input, now);
    const { png, renderMs, encodeMs } = drawFramePng(spec, picture, buffers, encoder, now);
    return { png, width: input.width, height: input.height, bundleMs, renderMs, encodeMs, vertices };
  }

  /** Orders the hosts, lays them out, bundles the edges: what the rasteriser draws. */
  private layout(input: GraphPictureInput, now: () => number) {
    const { width, height } = input;
    const t0 = now();
    const order = sortHostsByAddress(Int32Array.from(input.hostIds), input.hostFamily, input.hostWords);
    let maxId = -1;
    for (let i = 0; i < order.length; i++) if (order[i] > maxId) maxId = order[i];
    for (let i = 0; i < input.activeHosts.length; i++) if (input.activeHosts[i] > maxId) maxId = input.activeHosts[i];
    const rankOf = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < order.length; i++) rankOf[order[i]] = i;
    const nodeXY = circularLayout(Math.max(order.length, 1));

    const edgeCount = input.edgeSource.length;
    const source = new Int32Array(edgeCount), target = new Int32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) {
      source[e] = rankOf[input.edgeSource[e]] ?? -1;
      target[e] = rankOf[input.edgeTarget[e]] ?? -1;
    }
    let points: Float64Array, offsets: Uint32Array, polylines: number;
    if (input.bundle) {
      const bundled = hammerBundle(nodeXY, source, target, input.edgeWeight);
      points = bundled.points; offsets = bundled.offsets; polylines = bundled.offsets.length - 1;
    } else {
      ({ points, offsets, polylines } = straightEdges(nodeXY, source, target));
    }
    const bundleMs = now() - t0;

    const active = new Int32Array(input.activeHosts.length);
    let activeCount = 0;
    for (let i = 0; i < input.activeHosts.length; i++) {
      const r = rankOf[input.activeHosts[i]];
      if (r !== undefined && r >= 0) active[activeCount++] = r;
    }
    const spec = canvasSpec({ width, height, ...squareRanges(width, height) });
    const sizeKey = `${width}x${height}`;
    if (this.buffers === null || this.bufferSize !== sizeKey) {
      this.buffers = createPictureBuffers(width, height);
      this.bufferSize = sizeKey;
    }
    const picture: PictureInput = {
      edgePoints: points, edgeOffsets: offsets, edgeCount: polylines, mode: input.mode, how: input.how,
      hostXY: nodeXY, activeHosts: active, activeCount, hostSpreadPx: hostSpreadFor(width, height),
    };
    return { spec, picture, buffers: this.buffers, bundleMs, vertices: points.length / 2 };
  }
}

/**
 * Draws a live frame and encodes it: as palette indices (renderFrame, then the encoder reads
 * only the drawn pixels), or, for a picture past 256 colours, as RGBA (renderPicture).
 */
export function drawFramePng(
  spec: CanvasSpec, picture: PictureInput, buffers: PictureBuffers, encoder: FramePngEncoder,
  now: () => number = () => performance.now(),
): { png: Buffer; renderMs: number; encodeMs: number } {
  const t0 = now();
  const indexed = renderFrame(spec, picture, buffers);
  const rgba = indexed ? null : renderPicture(spec, picture, buffers);
  const t1 = now();
  const { indices, palette, size } = buffers.indexed;
  const png = rgba === null
    ? encoder.encodeIndexed(indices, palette, size, spec.width, spec.height, buffers.drawn)
    : encoder.encode(rgba, spec.width, spec.height, buffers.drawn);
  return { png, renderMs: t1 - t0, encodeMs: now() - t1 };
}

/** The reference's dot radius (5 px at 2000x2000), scaled so dots keep their size relative to the circle. */
export function hostSpreadFor(width: number, height: number): number {
  return Math.max(1, Math.round((HOST_SPREAD_PX * Math.min(width, height)) / 2000));
}

/** The reference canvas range (-0.01, 1.01), widened on the long side to keep circles round. */
export function squareRanges(width: number, height: number): { xRange: [number, number]; yRange: [number, number] } {
  const lo = -0.01, hi = 1.01, span = hi - lo, mid = 0.5;
  if (width >= height) {
    const half = (span * width) / height / 2;
    return { xRange: [mid - half, mid + half], yRange: [lo, hi] };
  }
  const half = (span * height) / width / 2;
  return { xRange: [lo, hi], yRange: [mid - half, mid + half] };
}

function straightEdges(nodeXY: Float64Array, source: Int32Array, target: Int32Array) {
  let kept = 0;
  for (let e = 0; e < source.length; e++) if (source[e] >= 0 && target[e] >= 0) kept++;
  const points = new Float64Array(kept * 4);
  const offsets = new Uint32Array(kept + 1);
  let k = 0;
  for (let e = 0; e < source.length; e++) {
    const s = source[e], t = target[e];
    if (s < 0 || t < 0) continue;
    points[4 * k] = nodeXY[2 * s]; points[4 * k + 1] = nodeXY[2 * s + 1];
    points[4 * k + 2] = nodeXY[2 * t]; points[4 * k + 3] = nodeXY[2 * t + 1];
    k++;
    offsets[k] = 2 * k;
  }
  return { points, offsets, polylines: kept };
}
