// A seeded stand-in for a bundled graph, for the render figures: hosts on the circle in arcs
// (subnets), edges as cubic curves whose inner control points sit on the way from the centre
// to their arcs, so edges leaving one arc share a path the way hammer bundling makes them.
// Vertices are spaced about as the bundler leaves them (its segments are 0.008-0.016 long,
// then smoothed). Producing them costs milliseconds, where bundling a million would take seconds.
import { circularLayout } from '../shared/layout/circular.js';
import { mulberry32 } from '../server/sources/demo-traffic.js';
import type { PictureInput } from '../shared/raster/picture.js';

export interface BundleLikeOptions {
  /** Total vertices, exactly (the last edge is cut short to fit). */
  vertices: number;
  hosts: number;
  /** Hosts per arc. */
  arcHosts: number;
  seed: number;
}

const SPACING = 0.008;
/** How far from the centre towards its arc an edge's inner control point sits. */
const PULL = 0.55;

/** Edges, vertices and active hosts (every host with an edge) for renderPicture. */
export function bundleLikeInput(o: BundleLikeOptions): Omit<PictureInput, 'mode' | 'how'> {
  for (const k of ['vertices', 'hosts', 'arcHosts'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${o[k]}`);
  }
  const random = mulberry32(o.seed);
  const hostXY = circularLayout(o.hosts);
  const arcs = Math.ceil(o.hosts / o.arcHosts);
  // Arc popularity (cumulative) and where each arc's middle is.
  const arcCum = new Float64Array(arcs);
  for (let a = 0, sum = 0; a < arcs; a++) arcCum[a] = sum += 0.05 + random() ** 2;
  const arcMid = circularLayout(arcs);
  const pickHost = (): number => {
    const r = random() * arcCum[arcs - 1];
    let a = 0;
    while (arcCum[a] < r) a++;
    // Within an arc a few hosts are busy: skewed towards its first hosts.
    const size = Math.min(o.arcHosts, o.hosts - a * o.arcHosts);
    return a * o.arcHosts + Math.floor(size * random() ** 3);
  };

  const points = new Float64Array(2 * o.vertices);
  const offsets: number[] = [0];
  const active = new Uint8Array(o.hosts);
  let v = 0;
  while (v < o.vertices) {
    const s = pickHost(), t = pickHost();
    active[s] = active[t] = 1;
    const sa = Math.floor(s / o.arcHosts), ta = Math.floor(t / o.arcHosts);
    const x0 = hostXY[2 * s], y0 = hostXY[2 * s + 1], x3 = hostXY[2 * t], y3 = hostXY[2 * t + 1];
    const x1 = 0.5 + PULL * (arcMid[2 * sa] - 0.5), y1 = 0.5 + PULL * (arcMid[2 * sa + 1] - 0.5);
    const x2 = 0.5 + PULL * (arcMid[2 * ta] - 0.5), y2 = 0.5 + PULL * (arcMid[2 * ta + 1] - 0.5);
    const length = Math.hypot(x1 - x0, y1 - y0) + Math.hypot(x2 - x1, y2 - y1) + Math.hypot(x3 - x2, y3 - y2);
    const steps = Math.min(Math.max(2, Math.ceil(length / SPACING)), o.vertices - v);
    for (let i = 0; i < steps; i++, v++) {
      const u = steps === 1 ? 0 : i / (steps - 1), w = 1 - u;
      const b0 = w * w * w, b1 = 3 * w * w * u, b2 = 3 * w * u * u, b3 = u * u * u;
      points[2 * v] = b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      points[2 * v + 1] = b0 * y0 + b1 * y1 + b2 * y2 + b3 * y3;
    }
    offsets.push(v);
  }
  const activeHosts = new Int32Array(o.hosts);
  let activeCount = 0;
  for (let h = 0; h < o.hosts; h++) if (active[h]) activeHosts[activeCount++] = h;
  return {
    edgePoints: points, edgeOffsets: Uint32Array.from(offsets), edgeCount: offsets.length - 1,
    hostXY, activeHosts, activeCount,
  };
}
