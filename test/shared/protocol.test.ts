import { describe, it, expect } from 'vitest';
import { parseClientMessage, readFrameHeader, writeFrameHeader, FRAME_HEADER_BYTES, PROTOCOL_VERSION, FrameEncoding } from '../../shared/protocol.js';

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
