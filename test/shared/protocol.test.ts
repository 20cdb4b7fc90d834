import { describe, it, expect } from 'vitest';
import {
  canonicalAddress,
  parseClientMessage, readFrameHeader, writeFrameHeader, FRAME_HEADER_BYTES, PROTOCOL_VERSION, FrameEncoding, VIEW_LIMITS,
  encodeHostPositions, readHostPositions, hostPositionAddress, isHostPositions, sameHostPositions, setHostPositionsPlacing,
  HOST_POSITIONS_HEADER_BYTES,
} from '../../shared/protocol.js';
import { HostTable } from '../../shared/graph/hosts.js';

describe('client messages', () => {
  it('accepts hello with or without a viewport, and viewport updates', () => {
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION })).toEqual({ type: 'hello', version: PROTOCOL_VERSION });
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 } }))
      .toEqual({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 } });
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION, hostPositions: true }))
      .toEqual({ type: 'hello', version: PROTOCOL_VERSION, hostPositions: true });
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 }, hostPositions: false }))
      .toEqual({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 }, hostPositions: false });
    expect(parseClientMessage({ type: 'viewport', viewport: { width: 16, height: 8192 } }))
      .toEqual({ type: 'viewport', viewport: { width: 16, height: 8192 } });
  });

  it('refuses anything else with a reason', () => {
    expect(parseClientMessage(null)).toBe('not an object');
    expect(parseClientMessage({ type: 'hello', version: 99 })).toMatch(/protocol version 99/);
    expect(parseClientMessage({ type: 'open-file', path: '/etc/passwd' })).toMatch(/unknown message type/);
    expect(parseClientMessage({ type: 'viewport', viewport: { width: 10, height: 600 } })).toMatch(/viewport/);
    expect(parseClientMessage({ type: 'viewport', viewport: { width: 800.5, height: 600 } })).toMatch(/viewport/);
    expect(parseClientMessage({ type: 'viewport' })).toMatch(/viewport/);
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION, hostPositions: 'yes' })).toMatch(/hostPositions must be true or false/);
  });
});

describe('settings messages', () => {
  const settings = (s: unknown) => parseClientMessage({ type: 'settings', settings: s });

  it('accepts any valid subset of the settings, protocols put in their fixed order', () => {
    const all = {
      windowSeconds: 30, protocols: ['udp', 'tcp'], minBytes: 1500, topEdges: 100, layout: 'force', cmap: 'viridis', how: 'log',
      mode: 'lines', aggregate: 'bytes', antialias: true, rebundleSeconds: 0.5, region: { x0: 0.25, y0: 0.5, x1: 0.75, y1: 1 },
    };
    expect(settings(all)).toEqual({ type: 'settings', settings: { ...all, protocols: ['tcp', 'udp'] } });
    expect(settings({})).toEqual({ type: 'settings', settings: {} });
    expect(settings({ region: null, protocols: [] })).toEqual({ type: 'settings', settings: { region: null, protocols: [] } });
    expect(settings({ windowSeconds: VIEW_LIMITS.windowSeconds.max, topEdges: 0 })).toMatchObject({ type: 'settings' });
  });

  it('accepts a highlighted host as an IPv4 or IPv6 address, spelled as tcpdump prints it, or null', () => {
    expect(settings({ highlight: '192.168.1.7' })).toEqual({ type: 'settings', settings: { highlight: '192.168.1.7' } });
    expect(settings({ highlight: null })).toEqual({ type: 'settings', settings: { highlight: null } });
    // RFC 5952: lower case, leading zeros dropped, the longest run of zero groups as '::'.
    expect(settings({ highlight: '2001:0DB8:0:0:0:0:0:0001' })).toEqual({ type: 'settings', settings: { highlight: '2001:db8::1' } });
    expect(settings({ highlight: 'fe80:0:0:1:0:0:0:1' })).toEqual({ type: 'settings', settings: { highlight: 'fe80:0:0:1::1' } });
    expect(canonicalAddress('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress('10.0.0')).toBeNull();
  });

  it('refuses unknown fields and values outside the contract, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [null, /settings must be an object/],
      [[], /settings must be an object/],
      [{ path: '/etc/passwd' }, /unknown setting "path"/],
      [{ windowSeconds: 0 }, /windowSeconds must be a number 0\.001\.\.1000000000/],
      [{ windowSeconds: 2e9 }, /windowSeconds/],
      [{ windowSeconds: '60' }, /windowSeconds/],
      [{ protocols: ['tcp', 'tcp'] }, /protocols must be a list of distinct names/],
      [{ protocols: ['sctp'] }, /protocols/],
      [{ protocols: 'tcp' }, /protocols/],
      [{ minBytes: -1 }, /minBytes/],
      [{ minBytes: Infinity }, /minBytes/],
      [{ topEdges: 10.5 }, /topEdges/],
      [{ layout: 'spring' }, /layout must be one of circular, force, random/],
      [{ cmap: 'jet' }, /cmap must be one of fire, viridis/],
      [{ cmap: 'toString' }, /cmap/],
      [{ how: 'sqrt' }, /how/],
      [{ mode: 'dots' }, /mode/],
      [{ aggregate: 'max' }, /aggregate/],
      [{ antialias: 1 }, /antialias must be true or false/],
      [{ rebundleSeconds: -1 }, /rebundleSeconds/],
      [{ rebundleSeconds: 601 }, /rebundleSeconds/],
      [{ region: { x0: 0, y0: 0, x1: 1 } }, /region/],
      [{ region: { x0: 0, y0: 0, x1: 1, y1: 1, z: 2 } }, /region/],
      [{ region: { x0: 0.5, y0: 0, x1: 0.5, y1: 1 } }, /region/],
      [{ region: { x0: 0, y0: 0, x1: 1, y1: NaN } }, /region/],
      [{ region: { x0: -5000, y0: 0, x1: 1, y1: 1 } }, /region/],
      [{ highlight: '10.0.0' }, /highlight must be null or an IPv4 or IPv6 address/],
      [{ highlight: '10.0.0.256' }, /highlight/],
      [{ highlight: '10.0.0.0/8' }, /highlight/],
      [{ highlight: '2001:db8::1::2' }, /highlight/],
      [{ highlight: 'host.example' }, /highlight/],
      [{ highlight: '1'.repeat(100) }, /highlight/],
      [{ highlight: 167772161 }, /highlight/],
    ];
    for (const [value, message] of bad) expect(settings(value), JSON.stringify(value)).toMatch(message);
    expect(parseClientMessage({ type: 'settings' })).toMatch(/settings must be an object/);
  });
});

describe('frame header', () => {
  it('round-trips and rejects what is not a frame', () => {
    const bytes = new Uint8Array(FRAME_HEADER_BYTES);
    const h = { version: PROTOCOL_VERSION, encoding: FrameEncoding.png, width: 3840, height: 2160, seq: 42, placing: 7, captureTime: 1331901000.25 };
    writeFrameHeader(h, bytes);
    expect(readFrameHeader(bytes)).toEqual(h);
    expect(() => readFrameHeader(bytes.subarray(0, 10))).toThrow(/shorter/);
    bytes[0] = 0;
    expect(() => readFrameHeader(bytes)).toThrow(/magic/);
  });
});

describe('host positions message', () => {
  // Hosts by id: 0 = 10.0.0.2, 1 = 2001:db8::1, 2 = 10.0.0.1, 3 = 192.168.1.7; drawn in address order.
  const table = new HostTable();
  for (const a of ['10.0.0.2', '2001:db8::1', '10.0.0.1', '192.168.1.7']) table.internText(a);
  const ids = Int32Array.of(2, 0, 3, 1);
  const xy = Float64Array.of(0, 1, 0.25, 0.75, 1, 0, 0.123456789012, 0.987654321098);

  it('round-trips the hosts, their addresses and places (to 2^-32), and says what it is', () => {
    const bytes = encodeHostPositions(5, ids, xy, table.family, table.words);
    // Header, two u32 coordinates per host, one word per IPv4 address, four per IPv6 one.
    expect(bytes.byteLength).toBe(HOST_POSITIONS_HEADER_BYTES + 4 * (8 + 3 + 4));
    expect(isHostPositions(bytes)).toBe(true);
    const p = readHostPositions(bytes);
    expect([p.placing, p.count, p.v4Count]).toEqual([5, 4, 3]);
    expect([0, 1, 2, 3].map((i) => hostPositionAddress(p, i))).toEqual(['10.0.0.1', '10.0.0.2', '192.168.1.7', '2001:db8::1']);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(p.x[i] - xy[2 * i])).toBeLessThan(2 ** -32);
      expect(Math.abs(p.y[i] - xy[2 * i + 1])).toBeLessThan(2 ** -32);
    }
    expect([p.x[0], p.y[0], p.x[2], p.y[2]]).toEqual([0, 1, 1, 0]);
  });

  it('compares placings by their hosts and places only, and renumbers one in place', () => {
    const a = encodeHostPositions(0, ids, xy, table.family, table.words);
    const b = encodeHostPositions(9, ids, xy, table.family, table.words);
    expect(sameHostPositions(a, b)).toBe(true);
    // Also where a message does not start on a word (compared byte by byte then).
    const shifted = new Uint8Array(b.byteLength + 1);
    shifted.set(b, 1);
    expect(sameHostPositions(a, shifted.subarray(1))).toBe(true);
    shifted[shifted.length - 1] ^= 1;
    expect(sameHostPositions(a, shifted.subarray(1))).toBe(false);
    const moved = Float64Array.from(xy);
    moved[5] += 1e-6;
    expect(sameHostPositions(a, encodeHostPositions(0, ids, moved, table.family, table.words))).toBe(false);
    expect(sameHostPositions(a, encodeHostPositions(0, ids.subarray(0, 3), xy.subarray(0, 6), table.family, table.words))).toBe(false);
    setHostPositionsPlacing(a, 77);
    expect(readHostPositions(a).placing).toBe(77);
  });

  it('refuses hosts out of address-family order, and messages that are not well formed, naming the fault', () => {
    expect(() => encodeHostPositions(0, Int32Array.of(1, 0), Float64Array.of(0, 0, 1, 1), table.family, table.words)).toThrow(/IPv4 hosts, then IPv6/);
    expect(() => encodeHostPositions(0, ids, xy.subarray(0, 4), table.family, table.words)).toThrow(/two coordinates per host/);
    const good = encodeHostPositions(1, ids, xy, table.family, table.words);
    expect(() => readHostPositions(good.subarray(0, 10))).toThrow(/shorter/);
    expect(() => readHostPositions(good.subarray(0, good.byteLength - 4))).toThrow(/take 80 bytes, got 76/);
    const frame = new Uint8Array(FRAME_HEADER_BYTES);
    writeFrameHeader({ version: PROTOCOL_VERSION, encoding: FrameEncoding.png, width: 1, height: 1, seq: 1, placing: 1, captureTime: 0 }, frame);
    expect(isHostPositions(frame)).toBe(false);
    expect(() => readHostPositions(Uint8Array.from([...frame, 0, 0, 0, 0]))).toThrow(/NSHP magic/);
    const copy = Uint8Array.from(good);
    copy[5] = 99;
    expect(() => readHostPositions(copy)).toThrow(/version 99/);
    const more = Uint8Array.from(good);
    new DataView(more.buffer).setUint32(16, 5);
    expect(() => readHostPositions(more)).toThrow(/5 IPv4 hosts of 4/);
  });
});
