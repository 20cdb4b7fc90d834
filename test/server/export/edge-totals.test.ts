import { describe, it, expect } from 'vitest';
import { EdgeTotals } from '../../../server/export/edge-totals.js';
import { createPacketBatch, NO_HOST, Proto, pushRecord, type PacketBatch } from '../../../shared/records.js';

/** [src, dst, proto, bytes] rows as one batch. */
function batch(rows: readonly (readonly [number, number, number, number])[]): PacketBatch {
  const b = createPacketBatch(Math.max(1, rows.length));
  for (const [s, d, p, n] of rows) pushRecord(b, 0, s, d, -1, -1, p, n);
  return b;
}

function rows(t: EdgeTotals): number[][] {
  const e = t.edges();
  return Array.from({ length: e.count }, (_, k) => [e.source[k], e.target[k], e.proto[k], e.bytes[k], e.packets[k]]);
}

describe('edge totals', () => {
  it('folds both directions into one edge per protocol, in first-seen order, and skips rows without hosts', () => {
    const t = new EdgeTotals();
    t.add(batch([
      [5, 2, Proto.tcp, 100],
      [2, 5, Proto.tcp, 40],
      [2, 5, Proto.udp, 7],
      [NO_HOST, 5, Proto.other, 60],
      [3, 3, Proto.icmp, 8], // a host talking to itself
    ]));
    t.add(batch([[5, 2, Proto.tcp, 1], [5, NO_HOST, Proto.tcp, 9]]));
    // source is the lower host id; bytes 100+40+1 over 3 packets.
    expect(rows(t)).toEqual([
      [2, 5, Proto.tcp, 141, 3],
      [2, 5, Proto.udp, 7, 1],
      [3, 3, Proto.icmp, 8, 1],
    ]);
    expect(t.count).toBe(3);
  });

  it('counts an unknown protocol code as other', () => {
    const t = new EdgeTotals();
    t.add(batch([[1, 2, 9, 5], [2, 1, Proto.other, 5]]));
    expect(rows(t)).toEqual([[1, 2, Proto.other, 10, 2]]);
  });

  it('keeps every one of many edges apart as its tables grow', () => {
    const t = new EdgeTotals();
    const expected = new Map<string, number[]>();
    // 6000 hosts: each with its neighbour (tcp) and with the host 1000 further on (udp), every pair twice.
    for (let round = 0; round < 2; round++) {
      const r: [number, number, number, number][] = [];
      for (let h = 0; h < 6000; h++) {
        r.push([h + 1, h, Proto.tcp, h], [h, h + 1000, Proto.udp, 1]);
      }
      for (const [s, d, p, n] of r) {
        const key = `${Math.min(s, d)} ${Math.max(s, d)} ${p}`;
        const e = expected.get(key) ?? [Math.min(s, d), Math.max(s, d), p, 0, 0];
        e[3] += n; e[4] += 1;
        expected.set(key, e);
      }
      t.add(batch(r));
    }
    expect(t.count).toBe(12000);
    expect(rows(t)).toEqual([...expected.values()]);
  });

  it('hands out copies the caller may keep', () => {
    const t = new EdgeTotals();
    t.add(batch([[1, 2, Proto.tcp, 5]]));
    const first = t.edges();
    t.add(batch([[1, 2, Proto.tcp, 5]]));
    expect(first.bytes[0]).toBe(5);
    expect(t.edges().bytes[0]).toBe(10);
  });
});
