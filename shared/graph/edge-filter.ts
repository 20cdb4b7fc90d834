// A viewer's choice of edges from the window's: by protocol, a minimum of bytes, and the
// heaviest N. Pure: typed columns in, fresh compacted columns out, edges kept in their order.
import { PROTO_COUNT } from '../records.js';
import type { WindowEdges } from './traffic-graph.js';

export interface EdgeFilter {
  /** Bit p set: edges of protocol code p (records.ts `Proto`) are kept. */
  protocolMask: number;
  /** Edges with fewer bytes are left out. */
  minBytes: number;
  /** Keep only this many, the most bytes first (of equal ones, the earlier edges); 0 keeps all. */
  topEdges: number;
}

export type DatedEdges = WindowEdges & { firstSeen: Float64Array };

export const ALL_PROTOCOLS = (1 << PROTO_COUNT) - 1;

/** Whether `f` keeps every edge (filterEdges would copy them all). */
export function keepsAll(f: EdgeFilter): boolean {
  return f.protocolMask === ALL_PROTOCOLS && f.minBytes <= 0 && f.topEdges === 0;
}

export function filterEdges(edges: DatedEdges, f: EdgeFilter): DatedEdges {
  const { protocolMask, minBytes, topEdges } = f;
  if (!Number.isInteger(protocolMask) || protocolMask < 0 || protocolMask > ALL_PROTOCOLS) {
    throw new RangeError(`protocolMask must be an integer 0..${ALL_PROTOCOLS}, got ${protocolMask}`);
  }
  if (!(minBytes >= 0) || !Number.isFinite(minBytes)) throw new RangeError(`minBytes must be a finite number >= 0, got ${minBytes}`);
  if (!Number.isInteger(topEdges) || topEdges < 0) throw new RangeError(`topEdges must be a non-negative integer, got ${topEdges}`);
  const { count, proto, bytes } = edges;
  const keep = new Uint8Array(count);
  let kept = 0;
  for (let e = 0; e < count; e++) {
    if ((protocolMask >> proto[e]) & 1 && bytes[e] >= minBytes) { keep[e] = 1; kept++; }
  }
  if (topEdges > 0 && kept > topEdges) {
    // The topEdges-th most bytes: edges above it all stay, equal ones while there is room.
    const sorted = new Float64Array(kept);
    for (let e = 0, k = 0; e < count; e++) if (keep[e]) sorted[k++] = bytes[e];
    sorted.sort();
    const threshold = sorted[kept - topEdges];
    let above = 0;
    for (let k = kept - topEdges; k < kept; k++) if (sorted[k] > threshold) above++;
    let equalRoom = topEdges - above;
    for (let e = 0; e < count; e++) {
      if (!keep[e]) continue;
      if (bytes[e] < threshold) keep[e] = 0;
      else if (bytes[e] === threshold) {
        if (equalRoom > 0) equalRoom--;
        else keep[e] = 0;
      }
    }
    kept = topEdges;
  }
  const out: DatedEdges = {
    count: kept, source: new Int32Array(kept), target: new Int32Array(kept), proto: new Uint8Array(kept),
    bytes: new Float64Array(kept), packets: new Float64Array(kept), firstSeen: new Float64Array(kept),
  };
  for (let e = 0, k = 0; e < count; e++) {
    if (!keep[e]) continue;
    out.source[k] = edges.source[e]; out.target[k] = edges.target[e]; out.proto[k] = proto[e];
    out.bytes[k] = bytes[e]; out.packets[k] = edges.packets[e]; out.firstSeen[k] = edges.firstSeen[e];
    k++;
  }
  return out;
}
