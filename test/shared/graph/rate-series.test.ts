import { describe, it, expect } from 'vitest';
import { RateSeries } from '../../../shared/graph/rate-series.js';
import { createPacketBatch, pushRecord, Proto, NO_HOST, NO_PORT } from '../../../shared/records.js';

describe('RateSeries', () => {
  it('sums bytes and packets per capture second, filling gaps with zero', () => {
    const r = new RateSeries(10);
    const b = createPacketBatch(4);
    pushRecord(b, 100.1, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 100.9, 0, 1, 1, 2, Proto.tcp, 5);
    pushRecord(b, 102.0, 0, 1, 1, 2, Proto.udp, 1);
    pushRecord(b, 99.5, 0, 1, 1, 2, Proto.udp, 2);
    r.add(b);
    expect(r.recent(4)).toEqual([
      { t: 99, bytes: 2, packets: 1 },
      { t: 100, bytes: 15, packets: 2 },
      { t: 101, bytes: 0, packets: 0 },
      { t: 102, bytes: 1, packets: 1 },
    ]);
  });

  it('forgets seconds that fell out of the ring', () => {
    const r = new RateSeries(3);
    const b = createPacketBatch(2);
    pushRecord(b, 1, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 10, 0, 1, 1, 2, Proto.tcp, 1);
    r.add(b);
    expect(r.recent(5)).toEqual([
      { t: 8, bytes: 0, packets: 0 }, { t: 9, bytes: 0, packets: 0 }, { t: 10, bytes: 1, packets: 1 },
    ]);
  });

  it('starts at the first second seen, and counts only graphed bytes', () => {
    const r = new RateSeries(100);
    const b = createPacketBatch(2);
    pushRecord(b, 50, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 51, NO_HOST, NO_HOST, NO_PORT, NO_PORT, Proto.other, 28);
    r.add(b);
    expect(r.recent(60)).toEqual([{ t: 50, bytes: 10, packets: 1 }, { t: 51, bytes: 0, packets: 1 }]);
  });
});
