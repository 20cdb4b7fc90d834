import { describe, expect, it } from 'vitest';
import { detectCaptureFormat, hexPreview, readTimestamp, TextTimestamp } from '../../../server/sources/capture-format.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('detectCaptureFormat', () => {
  it('recognises the classic pcap magic in both byte orders, micro- and nanoseconds', () => {
    expect(detectCaptureFormat(bytes(0xd4, 0xc3, 0xb2, 0xa1, 2, 0))).toBe('pcap');
    expect(detectCaptureFormat(bytes(0xa1, 0xb2, 0xc3, 0xd4, 0, 2))).toBe('pcap');
    expect(detectCaptureFormat(bytes(0x4d, 0x3c, 0xb2, 0xa1))).toBe('pcap');
    expect(detectCaptureFormat(bytes(0xa1, 0xb2, 0x3c, 0x4d))).toBe('pcap');
  });

  it('recognises pcapng by its section header block type', () => {
    expect(detectCaptureFormat(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0))).toBe('pcapng');
  });

  it('recognises tcpdump text by the timestamp that starts its first packet line', () => {
    expect(detectCaptureFormat(text('20:20:33.491822 IP 10.0.0.6.21536 > 10.0.0.138.53: UDP, length 34\n'))).toBe('tcpdump-text');
    expect(detectCaptureFormat(text('1367526033.491822 IP 1.2.3.4 > 5.6.7.8: igmp\n'))).toBe('tcpdump-text');
    expect(detectCaptureFormat(text('2013-05-02 20:20:33.491822 IP 1.2.3.4 > 5.6.7.8: igmp\r\n'))).toBe('tcpdump-text');
    expect(detectCaptureFormat(text('\n\t0x0000:  0004 0338\n21:03:44.864984 UNSUPPORTED\n'))).toBe('tcpdump-text');
  });

  it('rejects anything else', () => {
    expect(detectCaptureFormat(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0))).toBeNull(); // zip
    expect(detectCaptureFormat(text('{\n  "name": "netshade"\n}\n'))).toBeNull();
    expect(detectCaptureFormat(text('20:20:33.491822 IP \u0000binary'))).toBeNull();
    expect(detectCaptureFormat(new Uint8Array(0))).toBeNull();
    expect(detectCaptureFormat(bytes(0xd4, 0xc3, 0xb2))).toBeNull(); // too short for a magic number
  });

  it('previews the first bytes in hex', () => {
    expect(hexPreview(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 8, 0, 9, 9))).toBe('50 4b 03 04 14 00 08 00');
  });
});

describe('readTimestamp', () => {
  function read(line: string): { next: number; seconds: number; timeOfDay: boolean } {
    const out = new TextTimestamp();
    const b = text(line);
    const next = readTimestamp(b, 0, b.length, out);
    return { next, seconds: out.seconds, timeOfDay: out.timeOfDay };
  }

  it('reads the three forms and returns where the rest of the line starts', () => {
    expect(read('09:30:07.780000 IP')).toEqual({ next: 16, seconds: 9 * 3600 + 30 * 60 + 7.78, timeOfDay: true });
    expect(read('1367526033.5 IP')).toEqual({ next: 13, seconds: 1367526033.5, timeOfDay: false });
    expect(read('1970-01-02 00:00:01.000000 IP')).toEqual({ next: 27, seconds: 86401, timeOfDay: false });
  });

  it('refuses what is not a timestamp', () => {
    for (const s of ['hello', '12:3:45.1 IP', '25-01-01 00:00:00.0', '09:30:07 IP', '09:30:07.x', '09:30:07.123abc', '2013-13-02 00:00:00.0 IP']) {
      expect(read(s).next).toBe(-1);
    }
  });
});
