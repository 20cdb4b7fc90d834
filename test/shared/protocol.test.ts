import { describe, it, expect } from 'vitest';
import {
  parseClientMessage, readFrameHeader, writeFrameHeader, FRAME_HEADER_BYTES, PROTOCOL_VERSION, FrameEncoding, VIEW_LIMITS,
} from '../../shared/protocol.js';

describe('client messages', () => {
  it('accepts hello with or without a viewport, and viewport updates', () => {
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION })).toEqual({ type: 'hello', version: PROTOCOL_VERSION });
    expect(parseClientMessage({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 } }))
      .toEqual({ type: 'hello', version: PROTOCOL_VERSION, viewport: { width: 800, height: 600 } });
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
    ];
    for (const [value, message] of bad) expect(settings(value), JSON.stringify(value)).toMatch(message);
    expect(parseClientMessage({ type: 'settings' })).toMatch(/settings must be an object/);
  });
});

describe('frame header', () => {
  it('round-trips and rejects what is not a frame', () => {
    const bytes = new Uint8Array(FRAME_HEADER_BYTES);
    const h = { version: PROTOCOL_VERSION, encoding: FrameEncoding.png, width: 3840, height: 2160, seq: 42, captureTime: 1331901000.25 };
    writeFrameHeader(h, bytes);
    expect(readFrameHeader(bytes)).toEqual(h);
    expect(() => readFrameHeader(bytes.subarray(0, 10))).toThrow(/shorter/);
    bytes[0] = 0;
    expect(() => readFrameHeader(bytes)).toThrow(/magic/);
  });
});
