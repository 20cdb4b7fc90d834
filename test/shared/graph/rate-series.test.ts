import { describe, it, expect } from 'vitest';
import { RateSeries } from '../../../shared/graph/rate-series.js';
import { createPacketBatch, pushRecord, Proto, NO_HOST, NO_PORT } from '../../../shared/records.js';

/** The totals of samples, without the per-protocol columns. */
const totals = (samples: ReturnType<RateSeries['recent']>) => samples.map(({ t, bytes, packets }) => ({ t, bytes, packets }));

describe('RateSeries', () => {
  it('sums bytes and packets per capture second, filling gaps with zero', () => {
    const r = new RateSeries(10);
    const b = createPacketBatch(4);
    pushRecord(b, 100.1, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 100.9, 0, 1, 1, 2, Proto.tcp, 5);
    pushRecord(b, 102.0, 0, 1, 1, 2, Proto.udp, 1);
    pushRecord(b, 99.5, 0, 1, 1, 2, Proto.udp, 2);
    r.add(b);
    expect(totals(r.recent(4))).toEqual([
      { t: 99, bytes: 2, packets: 1 },
      { t: 100, bytes: 15, packets: 2 },
      { t: 101, bytes: 0, packets: 0 },
      { t: 102, bytes: 1, packets: 1 },
    ]);
  });

  it('splits bytes and packets by protocol class, and counts new hosts per second', () => {
    const r = new RateSeries(10);
    const b = createPacketBatch(4);
    pushRecord(b, 7.2, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 7.4, 0, 1, 1, 2, Proto.udp, 3);
    pushRecord(b, 7.6, 0, 1, NO_PORT, NO_PORT, Proto.icmp, 8);
    pushRecord(b, 8.1, 0, 1, NO_PORT, NO_PORT, Proto.other, 1);
    r.add(b);
    r.addNewHosts(7.9, 2);
    r.addNewHosts(8.0, 1);
    const [s7, s8] = r.recent(2);
    expect(s7).toMatchObject({ t: 7, protoBytes: [10, 3, 8, 0], protoPackets: [1, 1, 1, 0], newHosts: 2 });
    expect(s8).toMatchObject({ t: 8, protoBytes: [0, 0, 0, 1], protoPackets: [0, 0, 0, 1], newHosts: 1 });
  });

  it('forgets seconds that fell out of the ring', () => {
    const r = new RateSeries(3);
    const b = createPacketBatch(2);
    pushRecord(b, 1, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 10, 0, 1, 1, 2, Proto.tcp, 1);
    r.add(b);
    expect(totals(r.recent(5))).toEqual([
      { t: 8, bytes: 0, packets: 0 }, { t: 9, bytes: 0, packets: 0 }, { t: 10, bytes: 1, packets: 1 },
    ]);
  });

  it('starts at the first second seen, and counts only graphed bytes', () => {
    const r = new RateSeries(100);
    const b = createPacketBatch(2);
    pushRecord(b, 50, 0, 1, 1, 2, Proto.tcp, 10);
    pushRecord(b, 51, NO_HOST, NO_HOST, NO_PORT, NO_PORT, Proto.other, 28);
    r.add(b);
    expect(totals(r.recent(60))).toEqual([{ t: 50, bytes: 10, packets: 1 }, { t: 51, bytes: 0, packets: 1 }]);
  });
});
