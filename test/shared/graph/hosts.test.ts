import { describe, it, expect } from 'vitest';
import { HostTable, parseIPv4, parseIPv6, formatIPv6 } from '../../../shared/graph/hosts.js';

describe('HostTable', () => {
  it('interns each address once and gives it back as text', () => {
    const h = new HostTable();
    const a = h.internText('192.168.202.68');
    const b = h.internText('fe80::c50d:519f:96a4:e108');
    expect(h.internText('192.168.202.68')).toBe(a);
    expect(h.internV4((192 << 24 >>> 0) + (168 << 16) + (202 << 8) + 68)).toBe(a);
    expect(h.internText('FE80:0:0:0:C50D:519F:96A4:E108')).toBe(b);
    expect(h.size).toBe(2);
    expect(h.address(a)).toBe('192.168.202.68');
    expect(h.address(b)).toBe('fe80::c50d:519f:96a4:e108');
    expect(h.internText('not-an-address')).toBe(-1);
    expect(() => h.address(7)).toThrow(RangeError);
  });

  it('orders IPv4 numerically before IPv6', () => {
    const h = new HostTable();
    const names = ['10.0.0.10', '::1', '10.0.0.9', '192.168.1.1', '2001:db8::1', '9.255.255.255'];
    const ids = names.map((n) => h.internText(n));
    const sorted = Array.from(h.sortByAddress(ids), (id) => h.address(id));
    expect(sorted).toEqual(['9.255.255.255', '10.0.0.9', '10.0.0.10', '192.168.1.1', '::1', '2001:db8::1']);
  });
});

describe('address text', () => {
  it('parses dotted quads strictly', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(4294967295);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', 'a.b.c.d', '1.2.3.4 ']) expect(parseIPv4(bad)).toBe(-1);
  });

  it('parses IPv6 forms, including an embedded IPv4 tail', () => {
    const w = new Uint32Array(4);
    expect(parseIPv6('::', w)).toBe(true); expect(Array.from(w)).toEqual([0, 0, 0, 0]);
    expect(parseIPv6('::1', w)).toBe(true); expect(Array.from(w)).toEqual([0, 0, 0, 1]);
    expect(parseIPv6('ff02::1:2', w)).toBe(true); expect(Array.from(w)).toEqual([0xff020000, 0, 0, 0x00010002]);
    expect(parseIPv6('::ffff:10.1.2.3', w)).toBe(true); expect(Array.from(w)).toEqual([0, 0, 0xffff, 0x0a010203]);
    for (const bad of ['1:2', ':::', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9']) expect(parseIPv6(bad, w)).toBe(false);
  });

  it('formats IPv6 like inet_ntop (RFC 5952)', () => {
    expect(formatIPv6(0, 0, 0, 1)).toBe('::1');
    expect(formatIPv6(0, 0, 0, 0)).toBe('::');
    expect(formatIPv6(0x20010db8, 0, 0, 1)).toBe('2001:db8::1');
    expect(formatIPv6(0x20010db8, 0x00000001, 0, 1)).toBe('2001:db8:0:1::1');
    expect(formatIPv6(0x20010db8, 0, 0x00010000, 0)).toBe('2001:db8:0:0:1::');
    expect(formatIPv6(0x20010db8, 0, 0x00010000, 1)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(0, 0, 0xffff, 0xc0a80001)).toBe('::ffff:192.168.0.1');
    expect(formatIPv6(0xfe800000, 0, 0, 0x10000)).toBe('fe80::1:0');
  });
});
