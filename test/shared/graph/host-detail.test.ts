// Host detail and top talkers, on hand-made records and on a real capture checked against a
// plain split of tcpdump's own text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { createPacketBatch, NO_HOST, Proto, pushRecord } from '../../../shared/records.js';
import { WindowRecords } from '../../../shared/graph/window-records.js';
import { hostDetail } from '../../../shared/graph/host-detail.js';
import { topTalkers } from '../../../shared/graph/top-talkers.js';
import { openCapture } from '../../../server/sources/open-capture.js';
import { dataPath, describeData } from '../../helpers/data.js';

function batch(rows: [number, number, number, number, number, number, number][]) {
  const b = createPacketBatch(Math.max(1, rows.length));
  for (const r of rows) pushRecord(b, ...r);
  return b;
}

describe('WindowRecords', () => {
  it('keeps graphed rows, gives the oldest way when full, and drops by time', () => {
    const w = new WindowRecords(3);
    w.add(batch([[1, 0, 1, 10, 80, Proto.tcp, 5], [2, NO_HOST, NO_HOST, -1, -1, Proto.other, 0], [3, 1, 0, 80, 10, Proto.tcp, 7]]));
    expect(w.size).toBe(2);
    w.add(batch([[4, 0, 2, 11, 53, Proto.udp, 9], [5, 2, 0, 53, 11, Proto.udp, 9]]));
    expect(w.size).toBe(3);
    expect(w.coveredFrom).toBe(1);
    expect(w.time[w.head]).toBe(3);
    w.dropBefore(4.5);
    expect(w.size).toBe(1);
    expect(w.time[w.head]).toBe(5);
    w.clear();
    expect(w.size).toBe(0);
    expect(() => new WindowRecords(0)).toThrow(/capacity/);
  });
});

describe('hostDetail', () => {
  it('splits bytes by direction, ranks peers and ports, and bins bytes per second', () => {
    const w = new WindowRecords(16);
    w.add(batch([
      [100.2, 0, 1, 5000, 443, Proto.tcp, 100],
      [100.7, 1, 0, 443, 5000, Proto.tcp, 1000],
      [101.1, 0, 2, 5001, 53, Proto.udp, 40],
      [102.9, 2, 0, 53, 5001, Proto.udp, 60],
      [102.0, 3, 4, 1, 2, Proto.tcp, 999],
    ]));
    const d = hostDetail(w, 0, { top: 5, from: 100, to: 102.9 });
    expect([d.bytesOut, d.bytesIn, d.packetsOut, d.packetsIn]).toEqual([140, 1060, 2, 2]);
    expect(d.peers).toEqual([{ key: 1, bytes: 1100, packets: 2 }, { key: 2, bytes: 100, packets: 2 }]);
    expect(d.localPorts.map((p) => p.port)).toEqual([5000, 5001]);
    expect(d.remotePorts).toEqual([{ port: 443, proto: Proto.tcp, bytes: 1100, packets: 2 }, { port: 53, proto: Proto.udp, bytes: 100, packets: 2 }]);
    expect(d.seriesStart).toBe(100);
    expect(Array.from(d.bytesOutPerSecond)).toEqual([100, 40, 0]);
    expect(Array.from(d.bytesInPerSecond)).toEqual([1000, 0, 60]);
    expect(() => hostDetail(w, 0, { top: 0, from: 0, to: 1 })).toThrow(/top/);
  });
});

describe('topTalkers', () => {
  it('ranks hosts by the bytes on their edges and pairs across protocols', () => {
    const edges = {
      count: 3, source: Int32Array.of(0, 0, 2), target: Int32Array.of(1, 1, 3), proto: Uint8Array.of(0, 1, 0),
      bytes: Float64Array.of(10, 5, 12), packets: Float64Array.of(1, 1, 4),
    };
    const t = topTalkers(edges, 2);
    expect(t.hosts).toEqual([{ host: 0, bytes: 15, packets: 2 }, { host: 1, bytes: 15, packets: 2 }]);
    expect(t.pairs).toEqual([{ a: 0, b: 1, bytes: 15, packets: 2 }, { a: 2, b: 3, bytes: 12, packets: 4 }]);
  });
});

describeData('hostDetail on a real capture', () => {
  it('agrees with a plain split of tcpdump\'s text for the busiest IPv4 host of ndpi-gnutella', async () => {
    // Expected values from tcpdump -qns 0's lines: `TIME IP a.p > b.q: tcp N` / `UDP, length N`.
    const sent = new Map<string, number>(), got = new Map<string, number>();
    for (const line of readFileSync(dataPath('tcpdump', 'ndpi-gnutella.pcap.txt'), 'utf8').split('\n')) {
      const m = /^\S+ IP (\d+\.\d+\.\d+\.\d+)(?:\.\d+)? > (\d+\.\d+\.\d+\.\d+)(?:\.\d+)?: (?:tcp (\d+)|UDP, length (\d+))$/.exec(line);
      if (!m) continue;
      const n = Number(m[3] ?? m[4]);
      sent.set(m[1], (sent.get(m[1]) ?? 0) + n);
      got.set(m[2], (got.get(m[2]) ?? 0) + n);
    }
    const busiest = [...sent.keys()].sort((a, b) => (sent.get(b)! + (got.get(b) ?? 0)) - (sent.get(a)! + (got.get(a) ?? 0)))[0];

    const hosts = new HostTable();
    const capture = await openCapture(dataPath('pcap', 'ndpi-gnutella.pcap'), hosts);
    const w = new WindowRecords();
    for await (const b of capture.batches()) {
      // Only the plain TCP/UDP rows, as the split above counts them.
      const plain = createPacketBatch(b.length);
      for (let i = 0; i < b.length; i++) {
        if (b.src[i] !== NO_HOST && (b.proto[i] === Proto.tcp || b.proto[i] === Proto.udp) && hosts.address(b.src[i]).includes('.')) {
          pushRecord(plain, b.time[i], b.src[i], b.dst[i], b.srcPort[i], b.dstPort[i], b.proto[i], b.bytes[i]);
        }
      }
      w.add(plain);
    }
    const d = hostDetail(w, hosts.internText(busiest), { top: 3, from: 0, to: 601 });
    expect(d.bytesOut).toBe(sent.get(busiest));
    expect(d.bytesIn).toBe(got.get(busiest) ?? 0);
    const series = d.bytesOutPerSecond.reduce((a, b) => a + b, 0);
    expect(series).toBe(d.bytesOut);
  });
});
