import { describe, it, expect } from 'vitest';
import { TrafficGraph } from '../../../shared/graph/traffic-graph.js';
import { hostsOnEdges } from '../../../shared/graph/hosts-on-edges.js';
import { newInWindow } from '../../../server/pipeline/live-pipeline.js';
import { createPacketBatch, pushRecord, Proto, NO_HOST, NO_PORT } from '../../../shared/records.js';

function batchOf(rows: [number, number, number, number, number][]) {
  const b = createPacketBatch(rows.length);
  for (const [t, s, d, p, bytes] of rows) pushRecord(b, t, s, d, 1, 2, p, bytes);
  return b;
}

describe('TrafficGraph', () => {
  it('folds both directions of a host pair into one edge per protocol', () => {
    const g = new TrafficGraph({ windowSeconds: 60 });
    g.add(batchOf([
      [0, 1, 2, Proto.tcp, 100],
      [0.5, 2, 1, Proto.tcp, 50],
      [1, 1, 2, Proto.udp, 7],
      [2, 3, 1, Proto.tcp, 0],
    ]));
    const w = g.windowEdges();
    expect(w.count).toBe(3);
    const rows = Array.from({ length: w.count }, (_, i) => [w.source[i], w.target[i], w.proto[i], w.bytes[i], w.packets[i]]);
    expect(rows).toEqual([
      [1, 2, Proto.tcp, 150, 2],
      [1, 2, Proto.udp, 7, 1],
      [1, 3, Proto.tcp, 0, 1],
    ]);
    expect(g.hostsSeen).toBe(3);
    expect(Array.from(g.seenHosts())).toEqual([1, 2, 3]);
    expect(g.windowCounts()).toEqual({ edges: 3, hosts: 3 });
  });

  it('ignores packets without hosts', () => {
    const g = new TrafficGraph({ windowSeconds: 60 });
    const b = createPacketBatch(1);
    pushRecord(b, 5, NO_HOST, NO_HOST, NO_PORT, NO_PORT, Proto.other, 28);
    g.add(b);
    expect(g.edgeCount).toBe(0);
    expect(g.windowEdges().count).toBe(0);
  });

  it('expires traffic older than the window but keeps cumulative totals', () => {
    const g = new TrafficGraph({ windowSeconds: 10 });
    g.add(batchOf([[100, 1, 2, Proto.tcp, 10], [105, 1, 3, Proto.tcp, 20]]));
    expect(g.windowEdges().count).toBe(2);
    // Window is (t-10, t]: at t=110.5 the bucket [100,101) is wholly before 100.5.
    g.add(batchOf([[110.5, 1, 2, Proto.tcp, 1]]));
    let w = g.windowEdges();
    expect(w.count).toBe(2);
    expect(Array.from(w.bytes)).toEqual([1, 20]);
    g.advanceTo(116.5);
    w = g.windowEdges();
    expect(w.count).toBe(1);
    expect(w.target[0]).toBe(2);
    const all = g.allEdges();
    expect(Array.from(all.bytes)).toEqual([11, 20]);
    expect(Array.from(all.packets)).toEqual([2, 1]);
    g.advanceTo(200);
    expect(g.windowEdges().count).toBe(0);
    expect(g.windowCounts()).toEqual({ edges: 0, hosts: 0 });
  });

  it('counts late packets in their own bucket, and drops from the window those already expired', () => {
    const g = new TrafficGraph({ windowSeconds: 10 });
    g.add(batchOf([[50, 1, 2, Proto.tcp, 1], [45, 1, 2, Proto.tcp, 2], [30, 1, 2, Proto.tcp, 4]]));
    expect(g.windowEdges().bytes[0]).toBe(3);
    expect(g.allEdges().bytes[0]).toBe(7);
    g.advanceTo(55.5); // bucket 45 expires, bucket 50 stays
    expect(g.windowEdges().bytes[0]).toBe(1);
  });

  it('bumps its version on change only', () => {
    const g = new TrafficGraph({ windowSeconds: 10 });
    const v0 = g.version;
    g.add(batchOf([[1, 1, 2, Proto.tcp, 1]]));
    expect(g.version).toBeGreaterThan(v0);
    const v1 = g.version;
    g.advanceTo(2);
    expect(g.version).toBe(v1);
    g.advanceTo(20);
    expect(g.version).toBeGreaterThan(v1);
  });

  it('validates its options', () => {
    expect(() => new TrafficGraph({ windowSeconds: 0 })).toThrow(/windowSeconds/);
    expect(() => new TrafficGraph({ windowSeconds: 5, bucketSeconds: 10 })).toThrow(/bucketSeconds/);
  });
});

describe('edges new in the window', () => {
  it('keeps the capture time of each edge\'s first packet; newInWindow flags those after the window start', () => {
    const g = new TrafficGraph({ windowSeconds: 10 });
    const b = createPacketBatch(4);
    pushRecord(b, 100, 0, 1, 1, 2, Proto.tcp, 5);
    pushRecord(b, 104, 1, 0, 2, 1, Proto.tcp, 5);  // same edge, later
    pushRecord(b, 107, 2, 3, 1, 2, Proto.udp, 5);
    pushRecord(b, 109, 0, 1, 1, 2, Proto.udp, 5);  // another protocol: another edge
    g.add(b);
    const w = g.windowEdges();
    expect(Array.from(w.firstSeen)).toEqual([100, 107, 109]);
    // Window (99, 109]: all three first appeared in it; from 105 on, the first is old.
    expect(Array.from(newInWindow(w.firstSeen, 99))).toEqual([1, 1, 1]);
    expect(Array.from(newInWindow(w.firstSeen, 105))).toEqual([0, 1, 1]);
  });
});

describe('hostsOnEdges', () => {
  it('lists each host at either end of an edge once, ascending', () => {
    expect(Array.from(hostsOnEdges(Int32Array.of(5, 2, 2), Int32Array.of(2, 7, 2), 9))).toEqual([2, 5, 7]);
    expect(Array.from(hostsOnEdges(new Int32Array(0), new Int32Array(0), 4))).toEqual([]);
  });
});

describe('TrafficGraph.recentEdges', () => {
  it('sums only the buckets of the newest seconds, and is the window itself for the whole window', () => {
    const g = new TrafficGraph({ windowSeconds: 60 });
    // Edges (1,2) at 100.2 and 139.5, (1,3) at 120.9 and 139.9, (2,3) at 130.1; newest 139.9.
    g.add(batchOf([
      [100.2, 1, 2, Proto.tcp, 10], [120.9, 1, 3, Proto.udp, 5], [130.1, 2, 3, Proto.tcp, 7],
      [139.5, 2, 1, Proto.tcp, 1], [139.9, 3, 1, Proto.udp, 2],
    ]));
    const rows = (w: ReturnType<TrafficGraph['recentEdges']>) =>
      Array.from({ length: w.count }, (_, i) => [w.source[i], w.target[i], w.bytes[i], w.packets[i], w.firstSeen[i]]);
    // The last 10 s: buckets after floor(139.9 - 10) = 129, i.e. from second 130: 130.1, 139.5, 139.9.
    expect(rows(g.recentEdges(10))).toEqual([[1, 2, 1, 1, 100.2], [1, 3, 2, 1, 120.9], [2, 3, 7, 1, 130.1]]);
    // The last 1 s: second 139 only.
    expect(rows(g.recentEdges(1))).toEqual([[1, 2, 1, 1, 100.2], [1, 3, 2, 1, 120.9]]);
    // The last 20 s: from second 120.
    expect(rows(g.recentEdges(20))).toEqual([[1, 2, 1, 1, 100.2], [1, 3, 7, 2, 120.9], [2, 3, 7, 1, 130.1]]);
    expect(g.recentEdges(60)).toEqual(g.windowEdges());
    expect(g.recentEdges(600)).toEqual(g.windowEdges());
    expect(rows(g.recentEdges(600))[0]).toEqual([1, 2, 11, 2, 100.2]);
    expect(g.recentStart(10)).toBe(129);
    expect(() => g.recentEdges(0)).toThrow(RangeError);
  });
});
