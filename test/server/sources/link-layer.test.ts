import { describe, expect, it } from 'vitest';
import { isSupportedLinkType, LinkType, locateNetwork, Net, NetworkLocation } from '../../../server/sources/link-layer.js';
import { concat, ether, ipv4, ipv6, tcp, udp } from './frames.js';

const IP4 = ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1, 2, 0));
const IP6 = ipv6(17, '::1', '::2', udp(1, 2, 0));

function locate(frame: ArrayLike<number>, linkType: number): { kind: number; offset: number } {
  const b = Uint8Array.from(frame);
  const out = new NetworkLocation();
  locateNetwork(b, 0, b.length, linkType, out);
  return { kind: out.kind, offset: out.offset };
}

describe('locateNetwork: Ethernet', () => {
  it('finds IPv4 and IPv6 right after the 14-byte header', () => {
    expect(locate(ether(0x0800, IP4), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 14 });
    expect(locate(ether(0x86dd, IP6), LinkType.ethernet)).toEqual({ kind: Net.ipv6, offset: 14 });
  });

  it('steps over 802.1Q and QinQ tags', () => {
    expect(locate(ether(0x0800, IP4, [[0x8100, 118]]), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 18 });
    expect(locate(ether(0x86dd, IP6, [[0x88a8, 10], [0x8100, 20]]), LinkType.ethernet)).toEqual({ kind: Net.ipv6, offset: 22 });
    expect(locate(ether(0x0800, IP4, [[0x9100, 10], [0x8100, 20]]), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 22 });
  });

  it('opens PPPoE sessions, with a full or a compressed PPP protocol field', () => {
    // ver/type 0x11, code 0, session 0x002d, length; then PPP protocol.
    const session = [0x11, 0, 0, 0x2d, 0, 0];
    expect(locate(ether(0x8864, concat(session, [0x00, 0x21], IP4)), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 22 });
    expect(locate(ether(0x8864, concat(session, [0x21], IP4)), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 21 });
    expect(locate(ether(0x8864, concat(session, [0x00, 0x57], IP6)), LinkType.ethernet)).toEqual({ kind: Net.ipv6, offset: 22 });
    expect(locate(ether(0x8864, concat(session, [0xc0, 0x21], [1, 1, 0, 4])), LinkType.ethernet).kind).toBe(Net.nonIp); // LCP
  });

  it('follows an MPLS label stack to its bottom and guesses IP from the version nibble', () => {
    const labels = [0, 0x10, 0x00, 64, 0, 0x20, 0x01, 64]; // second label has the bottom-of-stack bit
    expect(locate(ether(0x8847, concat(labels, IP4)), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 22 });
  });

  it('reads 802.3 frames: IP behind LLC/SNAP, anything else is not IP', () => {
    const snap = [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
    expect(locate(ether(8 + IP4.length, concat(snap, IP4)), LinkType.ethernet)).toEqual({ kind: Net.ipv4, offset: 22 });
    expect(locate(ether(6, Uint8Array.of(0x42, 0x42, 0x03, 0, 0, 0)), LinkType.ethernet).kind).toBe(Net.nonIp); // STP
  });

  it('calls ARP and unknown Ethertypes non-IP, and a frame under 14 bytes truncated', () => {
    expect(locate(ether(0x0806, new Uint8Array(28)), LinkType.ethernet).kind).toBe(Net.nonIp);
    expect(locate(ether(0x890d, new Uint8Array(46)), LinkType.ethernet).kind).toBe(Net.nonIp);
    expect(locate(new Uint8Array(4), LinkType.ethernet).kind).toBe(Net.truncated);
  });
});

describe('locateNetwork: other link types', () => {
  it('Linux cooked v1 (113): protocol at bytes 14-15, network layer at 16', () => {
    const sll = [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00];
    expect(locate(concat(sll, IP4), LinkType.linuxSll)).toEqual({ kind: Net.ipv4, offset: 16 });
    const arp = [...sll.slice(0, 14), 0x08, 0x06];
    expect(locate(concat(arp, new Uint8Array(28)), LinkType.linuxSll).kind).toBe(Net.nonIp);
  });

  it('Linux cooked v2 (276): protocol at bytes 0-1, network layer at 20', () => {
    const sll2 = [0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0];
    expect(locate(concat(sll2, IP6), LinkType.linuxSll2)).toEqual({ kind: Net.ipv6, offset: 20 });
  });

  it('BSD NULL (0): family in either byte order; 24, 28 and 30 are IPv6', () => {
    expect(locate(concat([2, 0, 0, 0], IP4), LinkType.null)).toEqual({ kind: Net.ipv4, offset: 4 });
    expect(locate(concat([0, 0, 0, 2], IP4), LinkType.null)).toEqual({ kind: Net.ipv4, offset: 4 });
    for (const af of [24, 28, 30]) expect(locate(concat([af, 0, 0, 0], IP6), LinkType.null).kind).toBe(Net.ipv6);
    // The odd family in pcpp-null_loopback.pcap (tcpdump: "Unknown AF 251660288").
    expect(locate(concat([0x0f, 0, 8, 0], IP4), LinkType.null).kind).toBe(Net.nonIp);
  });

  it('OpenBSD LOOP (108): family in network byte order', () => {
    expect(locate(concat([0, 0, 0, 24], IP6), LinkType.loop)).toEqual({ kind: Net.ipv6, offset: 4 });
  });

  it('raw IP (101, 12, 14) decides by the version nibble; 228/229 are fixed', () => {
    for (const lt of [LinkType.raw, LinkType.rawAlt12, LinkType.rawAlt14]) {
      expect(locate(IP4, lt)).toEqual({ kind: Net.ipv4, offset: 0 });
      expect(locate(IP6, lt)).toEqual({ kind: Net.ipv6, offset: 0 });
      expect(locate([0x50, 0, 0, 0], lt).kind).toBe(Net.malformed);
    }
    expect(locate(IP4, LinkType.ipv4).kind).toBe(Net.ipv4);
    expect(locate(IP6, LinkType.ipv6).kind).toBe(Net.ipv6);
  });

  it('802.11 behind radiotap: unprotected data frames with LLC/SNAP carry IP', () => {
    const radiotap = [0, 0, 8, 0, 0, 0, 0, 0]; // version, pad, length 8, no fields present
    const snap = [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
    const data = concat([0x08, 0x01, 0, 0], new Uint8Array(20)); // data frame, ToDS: 24-byte header
    expect(locate(concat(radiotap, data, snap, IP4), LinkType.radiotap)).toEqual({ kind: Net.ipv4, offset: 8 + 24 + 8 });
    const qosData = concat([0x88, 0x01, 0, 0], new Uint8Array(22)); // QoS data: 26-byte header
    expect(locate(concat(radiotap, qosData, snap, IP4), LinkType.radiotap)).toEqual({ kind: Net.ipv4, offset: 8 + 26 + 8 });
    const beacon = concat([0x80, 0x00, 0, 0], new Uint8Array(40));
    expect(locate(concat(radiotap, beacon), LinkType.radiotap).kind).toBe(Net.nonIp);
    const protectedData = concat([0x08, 0x41, 0, 0], new Uint8Array(20));
    expect(locate(concat(radiotap, protectedData, snap, IP4), LinkType.radiotap).kind).toBe(Net.nonIp);
    expect(locate(concat(data, snap, IP4), LinkType.ieee80211)).toEqual({ kind: Net.ipv4, offset: 32 });
  });

  it('reports link types it does not decode as unsupported', () => {
    expect(isSupportedLinkType(253)).toBe(false);
    expect(isSupportedLinkType(LinkType.linuxSll2)).toBe(true);
    expect(locate(IP4, 253).kind).toBe(Net.unsupported);
  });
});
