// Top talkers of the window, as ntopng and Wireshark's conversations list them: hosts by the
// bytes on their edges, and host pairs by the bytes between them (all protocols together).
import type { WindowEdges } from './traffic-graph.js';

export interface TalkerHost { host: number; bytes: number; packets: number }
export interface TalkerPair { a: number; b: number; bytes: number; packets: number }

export function topTalkers(edges: WindowEdges, top: number): { hosts: TalkerHost[]; pairs: TalkerPair[] } {
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`top must be a positive integer, got ${top}`);
  const hosts = new Map<number, TalkerHost>(), pairs = new Map<string, TalkerPair>();
  for (let k = 0; k < edges.count; k++) {
    const s = edges.source[k], t = edges.target[k], bytes = edges.bytes[k], packets = edges.packets[k];
    for (const h of s === t ? [s] : [s, t]) {
      const e = hosts.get(h) ?? { host: h, bytes: 0, packets: 0 };
      e.bytes += bytes; e.packets += packets; hosts.set(h, e);
    }
    const a = Math.min(s, t), b = Math.max(s, t), key = `${a}:${b}`;
    const p = pairs.get(key) ?? { a, b, bytes: 0, packets: 0 };
    p.bytes += bytes; p.packets += packets; pairs.set(key, p);
  }
  const order = (x: { bytes: number; packets: number }, y: { bytes: number; packets: number }) => y.bytes - x.bytes || y.packets - x.packets;
  return { hosts: [...hosts.values()].sort(order).slice(0, top), pairs: [...pairs.values()].sort(order).slice(0, top) };
}
