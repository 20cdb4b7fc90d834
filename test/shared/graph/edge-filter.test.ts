import { describe, it, expect } from 'vitest';
import { filterEdges, keepsAll, ALL_PROTOCOLS, type DatedEdges } from '../../../shared/graph/edge-filter.js';
import { Proto } from '../../../shared/records.js';

/** Edges k = 0..: (k, k + 100), protocol and bytes as given, packets k + 1, first seen 1000 + k. */
function edges(rows: [number, number][]): DatedEdges {
  const n = rows.length;
  return {
    count: n, source: Int32Array.from(rows, (_, k) => k), target: Int32Array.from(rows, (_, k) => k + 100),
    proto: Uint8Array.from(rows, (r) => r[0]), bytes: Float64Array.from(rows, (r) => r[1]),
    packets: Float64Array.from(rows, (_, k) => k + 1), firstSeen: Float64Array.from(rows, (_, k) => 1000 + k),
  };
}
const sources = (e: DatedEdges) => Array.from(e.source);
const tcpUdp = (1 << Proto.tcp) | (1 << Proto.udp);

describe('filterEdges', () => {
  const all = edges([[Proto.tcp, 50], [Proto.udp, 500], [Proto.icmp, 5], [Proto.tcp, 500], [Proto.other, 90], [Proto.udp, 0], [Proto.tcp, 70]]);

  it('keeps the protocols asked for, and edges of at least minBytes, in order, with all their columns', () => {
    expect(sources(filterEdges(all, { protocolMask: 1 << Proto.udp, minBytes: 0, topEdges: 0 }))).toEqual([1, 5]);
    expect(sources(filterEdges(all, { protocolMask: ALL_PROTOCOLS, minBytes: 70, topEdges: 0 }))).toEqual([1, 3, 4, 6]);
    const f = filterEdges(all, { protocolMask: tcpUdp, minBytes: 60, topEdges: 0 });
    expect(f.count).toBe(3);
    expect([sources(f), Array.from(f.target), Array.from(f.proto), Array.from(f.bytes), Array.from(f.packets), Array.from(f.firstSeen)]).toEqual([
      [1, 3, 6], [101, 103, 106], [Proto.udp, Proto.tcp, Proto.tcp], [500, 500, 70], [2, 4, 7], [1001, 1003, 1006],
    ]);
    expect(filterEdges(all, { protocolMask: 0, minBytes: 0, topEdges: 0 }).count).toBe(0);
  });

  it('keeps the heaviest N after the other filters, the earlier of equal ones', () => {
    expect(sources(filterEdges(all, { protocolMask: ALL_PROTOCOLS, minBytes: 0, topEdges: 3 }))).toEqual([1, 3, 4]);
    // 500, 500, then one of 90 / 70 / 50 ...: ties at the threshold go to the earlier edge.
    expect(sources(filterEdges(all, { protocolMask: ALL_PROTOCOLS, minBytes: 0, topEdges: 1 }))).toEqual([1]);
    expect(sources(filterEdges(all, { protocolMask: 1 << Proto.tcp, minBytes: 0, topEdges: 2 }))).toEqual([3, 6]);
    expect(sources(filterEdges(all, { protocolMask: ALL_PROTOCOLS, minBytes: 0, topEdges: 100 }))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const ties = edges([[Proto.tcp, 5], [Proto.tcp, 5], [Proto.tcp, 9], [Proto.tcp, 5]]);
    expect(sources(filterEdges(ties, { protocolMask: ALL_PROTOCOLS, minBytes: 0, topEdges: 3 }))).toEqual([0, 1, 2]);
  });

  it('says when it keeps everything, and refuses bad filters', () => {
    expect(keepsAll({ protocolMask: ALL_PROTOCOLS, minBytes: 0, topEdges: 0 })).toBe(true);
    expect(keepsAll({ protocolMask: tcpUdp, minBytes: 0, topEdges: 0 })).toBe(false);
    expect(() => filterEdges(all, { protocolMask: 16, minBytes: 0, topEdges: 0 })).toThrow(/protocolMask/);
    expect(() => filterEdges(all, { protocolMask: 1, minBytes: -1, topEdges: 0 })).toThrow(/minBytes/);
    expect(() => filterEdges(all, { protocolMask: 1, minBytes: 0, topEdges: 1.5 })).toThrow(/topEdges/);
  });
});
