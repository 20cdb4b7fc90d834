import { describe, it, expect } from 'vitest';
import {
  generateDemoTraffic, mulberry32, resolveDemoOptions, DEMO_TRAFFIC_DEFAULTS, DEMO_START_TIME, type DemoTraffic,
} from '../../../server/sources/demo-traffic.js';
import { DEMO_DEFAULT_SEED } from '../../../server/sources/demo-capture.js';
import { Proto } from '../../../shared/records.js';

const small = { durationS: 5, hosts: 200, packetsPerSecond: 300 };
const columns = ['time', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'proto', 'flags', 'bytes'] as const;

describe('mulberry32', () => {
  it('is reproducible per seed, differs between seeds, and stays in [0, 1)', () => {
    const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(Array.from({ length: 10000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c())).not.toEqual(xs.slice(0, 10));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('rejects seeds that are not 32-bit unsigned integers', () => {
    for (const s of [-1, 1.5, 2 ** 32, NaN]) expect(() => mulberry32(s)).toThrow(/seed/);
  });
});

describe('resolveDemoOptions', () => {
  it('fills in the defaults: 10 minutes from 2012-03-16 12:30:00 UTC', () => {
    expect(resolveDemoOptions()).toEqual(DEMO_TRAFFIC_DEFAULTS);
    expect(new Date(DEMO_START_TIME * 1000).toISOString()).toBe('2012-03-16T12:30:00.000Z');
    expect(DEMO_TRAFFIC_DEFAULTS.durationS).toBe(600);
    expect(resolveDemoOptions({ hosts: 100 })).toEqual({ ...DEMO_TRAFFIC_DEFAULTS, hosts: 100 });
    expect(resolveDemoOptions({ hosts: undefined })).toEqual(DEMO_TRAFFIC_DEFAULTS); // unset flags keep defaults
  });

  it('names the bad option', () => {
    const bad: [Record<string, unknown>, RegExp, ErrorConstructor][] = [
      [{ durationS: 0 }, /durationS/, RangeError],
      [{ durationS: 1e-4, packetsPerSecond: 1e5 }, /durationS/, RangeError],
      [{ durationS: 86401 }, /durationS/, RangeError],
      [{ durationS: NaN }, /durationS/, TypeError],
      [{ durationS: '60' }, /durationS/, TypeError],
      [{ hosts: 31 }, /hosts/, RangeError],
      [{ hosts: 20001 }, /hosts/, RangeError],
      [{ hosts: 100.5 }, /hosts/, RangeError],
      [{ packetsPerSecond: 0 }, /packetsPerSecond/, RangeError],
      [{ packetsPerSecond: -5 }, /packetsPerSecond/, RangeError],
      [{ durationS: 1, packetsPerSecond: 0.4 }, /packetsPerSecond/, RangeError],
      [{ durationS: 86400, packetsPerSecond: 1000 }, /packetsPerSecond/, RangeError],
      [{ startTime: -1 }, /startTime/, RangeError],
      [{ startTime: 1.5 }, /startTime/, RangeError],
      [{ startTime: 2 ** 32 - 10 }, /startTime/, RangeError],
      [{ duration: 60 }, /unknown demo option "duration"/, TypeError],
    ];
    for (const [options, message, type] of bad) {
      expect(() => resolveDemoOptions(options as never), JSON.stringify(options)).toThrow(message);
      expect(() => resolveDemoOptions(options as never)).toThrow(type);
    }
    expect(() => resolveDemoOptions(null as never)).toThrow(TypeError);
  });

  it('is what generateDemoTraffic checks, with the random source', () => {
    expect(() => generateDemoTraffic(mulberry32(1), { hosts: 5 })).toThrow(/hosts/);
    expect(() => generateDemoTraffic(42 as never)).toThrow(/random/);
  });
});

describe('generateDemoTraffic on small captures', () => {
  it('makes exactly round(durationS * packetsPerSecond) packets, in time order, within the capture', () => {
    for (const [durationS, packetsPerSecond, hosts] of [[5, 300, 200], [2.5, 333, 32], [1, 1, 50], [30, 40, 1000]]) {
      const d = generateDemoTraffic(mulberry32(3), { durationS, packetsPerSecond, hosts });
      expect(d.length).toBe(Math.round(durationS * packetsPerSecond));
      for (const c of columns) expect(d[c].length).toBe(d.length);
      for (let i = 0; i < d.length; i++) {
        const t = d.time[i];
        if (i > 0) expect(t).toBeGreaterThanOrEqual(d.time[i - 1]);
        expect(t).toBeGreaterThanOrEqual(DEMO_START_TIME);
        expect(t).toBeLessThan(DEMO_START_TIME + durationS);
        // Whole microseconds, up to the double's resolution at epoch seconds (~0.24 us).
        expect(Math.abs((t - DEMO_START_TIME) * 1e6 - Math.round((t - DEMO_START_TIME) * 1e6))).toBeLessThan(0.25);
      }
    }
  });

  it('honours startTime', () => {
    const d = generateDemoTraffic(mulberry32(3), { ...small, startTime: 1e9 });
    expect(d.time[0]).toBeGreaterThanOrEqual(1e9);
    expect(d.time[d.length - 1]).toBeLessThan(1e9 + 5);
  });

  it('writes only packets a pcap can hold: TCP/UDP/ICMP, ICMP echo of >= 8 bytes, TCP payload <= MSS', () => {
    const d = generateDemoTraffic(mulberry32(4), { durationS: 60, hosts: 500, packetsPerSecond: 200 });
    const bad: string[] = [];
    for (let i = 0; i < d.length; i++) {
      const p = d.proto[i], b = d.bytes[i];
      const ok = d.srcAddr[i] !== d.dstAddr[i] && (
        p === Proto.icmp ? (d.flags[i] === 0 || d.flags[i] === 8) && b >= 8
          : (p === Proto.tcp ? b <= 1448 : p === Proto.udp) && d.srcPort[i] > 0 && d.dstPort[i] > 0);
      if (!ok) bad.push(`row ${i}: proto ${p} flags ${d.flags[i]} bytes ${b} ports ${d.srcPort[i]}>${d.dstPort[i]}`);
    }
    expect(bad).toEqual([]);
  });

  it('is a function of the random source: same seed, same packets; another seed, other packets', () => {
    const a = generateDemoTraffic(mulberry32(11), small), b = generateDemoTraffic(mulberry32(11), small);
    const c = generateDemoTraffic(mulberry32(12), small);
    for (const k of columns) expect(b[k]).toEqual(a[k]);
    expect(b.hostAddr).toEqual(a.hostAddr);
    expect(c.srcAddr).not.toEqual(a.srcAddr);
  });
});

interface Shape {
  hosts: Set<number>;
  edgeBytes: number[];
  /** Distinct undirected host pairs per 60-s window, windows starting every 30 s. */
  windowEdges: number[];
  /** Most distinct destinations reached by a host whose every packet is a zero-byte TCP or an ICMP echo request. */
  scannerReach: number;
}

/** The picture's facts, from the columns alone (no use of the generator's internals). */
function shape(d: DemoTraffic, durationS: number): Shape {
  const hosts = new Set<number>(), id = new Map<number, number>();
  const intern = (a: number) => { hosts.add(a); let v = id.get(a); if (v === undefined) id.set(a, v = id.size); return v; };
  const edges = new Map<number, number>(), reach = new Map<number, Set<number>>(), talker = new Set<number>();
  const pair = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const a = intern(d.srcAddr[i]), b = intern(d.dstAddr[i]);
    const k = Math.min(a, b) * 1e6 + Math.max(a, b);
    pair[i] = k;
    edges.set(k, (edges.get(k) ?? 0) + d.bytes[i]);
    const probe = (d.proto[i] === Proto.tcp && d.bytes[i] === 0) || (d.proto[i] === Proto.icmp && d.flags[i] === 8);
    if (!probe) talker.add(a);
    else { let s = reach.get(a); if (!s) reach.set(a, s = new Set()); s.add(b); }
  }
  let scannerReach = 0;
  for (const [h, s] of reach) if (!talker.has(h)) scannerReach = Math.max(scannerReach, s.size);
  const windowEdges: number[] = [];
  const t0 = DEMO_START_TIME;
  for (let w = 0; w + 60 <= durationS; w += 30) {
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i++) if (d.time[i] >= t0 + w && d.time[i] < t0 + w + 60) seen.add(pair[i]);
    windowEdges.push(seen.size);
  }
  return { hosts, edgeBytes: [...edges.values()].sort((x, y) => y - x), windowEdges, scannerReach };
}

describe.each([DEMO_DEFAULT_SEED, 1])('the default demo (seed %i) looks like MACCDC 2012', (seed) => {
  const d = generateDemoTraffic(mulberry32(seed));
  const s = shape(d, 600);

  it('has the default size: 360,000 packets among 3,000 hosts', () => {
    expect(d.length).toBe(600 * 600);
    expect(s.hosts.size).toBe(3000);
    expect(new Set(d.hostAddr)).toEqual(s.hosts);
  });

  it('puts the inside in 192.168.0.0/16, over 10-30 unevenly filled /24s, plus a few outside hosts', () => {
    const perSubnet = new Map<number, number>();
    const outside: number[] = [];
    for (const a of s.hosts) {
      if (a >>> 16 === (192 << 8 | 168)) perSubnet.set(a >>> 8, (perSubnet.get(a >>> 8) ?? 0) + 1);
      else outside.push(a);
    }
    expect(perSubnet.size).toBeGreaterThanOrEqual(10);
    expect(perSubnet.size).toBeLessThanOrEqual(30);
    const counts = [...perSubnet.values()];
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(3 * Math.min(...counts));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.length).toBeLessThan(0.05 * s.hosts.size);
    for (const a of outside) {
      const first = a >>> 24, second = (a >>> 16) & 255;
      const isPrivateOrSpecial = first === 0 || first === 127 || first >= 224 || (first === 172 && second >= 16 && second < 32) || (first === 192 && second === 168);
      expect(isPrivateOrSpecial, `outside host ${a}`).toBe(false);
    }
  });

  it('has a scanner that probes more than 500 hosts', () => {
    expect(s.scannerReach).toBeGreaterThan(500);
  });

  it('has heavy-tailed edge weights: the top 1% of edges carry over half the bytes', () => {
    const total = s.edgeBytes.reduce((x, y) => x + y, 0);
    const top = s.edgeBytes.slice(0, Math.ceil(s.edgeBytes.length / 100)).reduce((x, y) => x + y, 0);
    expect(top / total).toBeGreaterThan(0.5);
    expect(s.edgeBytes[0]).toBeGreaterThan(1e6);
    expect(s.edgeBytes.filter((b) => b < 1000).length).toBeGreaterThan(s.edgeBytes.length / 3);
  });

  it('shows 1,000-5,000 host pairs in every 60-s window, and a changing picture', () => {
    expect(s.windowEdges.length).toBe(19);
    for (const n of s.windowEdges) {
      expect(n).toBeGreaterThanOrEqual(1000);
      expect(n).toBeLessThanOrEqual(5000);
    }
    // Packets per 10 s rise and fall (bursts, scans starting and stopping).
    const bins = new Array(60).fill(0);
    for (let i = 0; i < d.length; i++) bins[Math.floor(d.time[i] - DEMO_START_TIME) / 10 | 0]++;
    expect(Math.max(...bins)).toBeGreaterThan(3 * Math.min(...bins));
  });
});
