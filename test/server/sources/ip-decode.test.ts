import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_HOST, NO_PORT, PROTO_NAMES } from '../../../shared/records.js';
import { PacketDecoder } from '../../../server/sources/ip-decode.js';
import { LinkType } from '../../../server/sources/link-layer.js';
import {
  arp, concat, ether, extension, fragment6, gre, icmp, ipv4, ipv6, payload, tcp, udp,
} from './frames.js';

const hosts = new HostTable();
const decoder = new PacketDecoder(hosts);

interface Decoded { src: string | null; dst: string | null; sport: number; dport: number; proto: string; bytes: number; skip: string | null }

/** Decodes an Ethernet frame (or another link type), optionally captured only up to capLen bytes. */
function decode(frame: Uint8Array, o: { capLen?: number; linkType?: number } = {}): Decoded {
  decoder.decodeFrame(frame, 0, o.capLen ?? frame.length, frame.length, o.linkType ?? LinkType.ethernet);
  return {
    src: decoder.src === NO_HOST ? null : hosts.address(decoder.src),
    dst: decoder.dst === NO_HOST ? null : hosts.address(decoder.dst),
    sport: decoder.srcPort, dport: decoder.dstPort,
    proto: PROTO_NAMES[decoder.proto], bytes: decoder.bytes, skip: decoder.skip,
  };
}
const eth4 = (proto: number, body: Uint8Array, o = {}) => ether(0x0800, ipv4(proto, '10.0.0.1', '10.0.0.2', body, o));
const eth6 = (nh: number, body: Uint8Array, plen?: number) => ether(0x86dd, ipv6(nh, '2001:db8::1', '2001:db8::2', body, plen));
const flow4 = { src: '10.0.0.1', dst: '10.0.0.2', skip: null };
const flow6 = { src: '2001:db8::1', dst: '2001:db8::2', skip: null };

describe('PacketDecoder: transport byte counts as tcpdump -q prints them', () => {
  it('TCP: payload = IP total length - IP header - TCP header (options included)', () => {
    expect(decode(eth4(6, tcp(1234, 80, 100)))).toEqual({ ...flow4, sport: 1234, dport: 80, proto: 'tcp', bytes: 100 });
    expect(decode(ether(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1234, 80, 100, 8), { ihl: 6 })))).toMatchObject({ bytes: 100 });
  });

  it('TCP: Ethernet padding after a short segment is not payload', () => {
    const frame = concat(eth4(6, tcp(1, 2, 0)), new Uint8Array(6)); // 54 bytes padded to 60
    expect(decode(frame)).toMatchObject({ proto: 'tcp', bytes: 0 });
  });

  it('TCP: a bogus data offset gives tcpdump\'s unsigned `length - hlen`', () => {
    // Data offset 15 (60 bytes) in a 40-byte segment: 40 - 60 as an unsigned 32-bit number.
    expect(decode(eth4(6, tcp(1, 2, 20))).bytes).toBe(20);
    const bogus = eth4(6, tcp(1, 2, 20));
    bogus[14 + 20 + 12] = 15 << 4;
    expect(decode(bogus).bytes).toBe(2 ** 32 - 20);
  });

  it('UDP: the length field minus 8, even when it disagrees with the IP length', () => {
    expect(decode(eth4(17, udp(5353, 53, 34)))).toEqual({ ...flow4, sport: 5353, dport: 53, proto: 'udp', bytes: 34 });
    expect(decode(eth4(17, udp(1, 2, 10, 554))).bytes).toBe(546); // "UDP, bad length 546 > 10"
  });

  it('ICMP / ICMPv6: the message length (IP payload), no ports', () => {
    expect(decode(eth4(1, icmp(40)))).toEqual({ ...flow4, sport: NO_PORT, dport: NO_PORT, proto: 'icmp', bytes: 40 });
    expect(decode(eth6(58, icmp(16, 133)))).toEqual({ ...flow6, sport: NO_PORT, dport: NO_PORT, proto: 'icmp', bytes: 16 });
  });

  it('IPv4 fragments: the first is decoded, later ones have no ports and no length', () => {
    // First fragment of a 3000-byte UDP datagram: tcpdump prints the UDP header's "length 3000".
    expect(decode(eth4(17, udp(1000, 2000, 100, 3008), { moreFragments: true }))).toMatchObject({ proto: 'udp', sport: 1000, bytes: 3000 });
    expect(decode(eth4(17, payload(100), { fragmentOffset: 1480 }))).toEqual({ ...flow4, sport: NO_PORT, dport: NO_PORT, proto: 'udp', bytes: 0 });
    expect(decode(eth4(6, payload(100), { fragmentOffset: 8 })).proto).toBe('tcp');
  });

  it('other protocols: ESP counts its length, IGMP has none, SCTP has ports', () => {
    expect(decode(eth4(50, payload(40)))).toMatchObject({ proto: 'other', bytes: 40, sport: NO_PORT });
    expect(decode(eth4(2, payload(8)))).toMatchObject({ ...flow4, proto: 'other', bytes: 0 });
    expect(decode(eth4(132, concat([0x0b, 0x7c, 0x0b, 0x7c], payload(28))))).toMatchObject({ proto: 'other', sport: 2940, dport: 2940, bytes: 0 });
  });

  it('AH is stepped over to the transport header', () => {
    const ah = concat([6, 4, 0, 0], payload(20)); // next header TCP, (4 + 2) * 4 = 24 bytes
    expect(decode(eth4(51, concat(ah, tcp(5000, 80, 30))))).toMatchObject({ proto: 'tcp', sport: 5000, dport: 80, bytes: 30 });
  });
});

describe('PacketDecoder: IPv6 extension headers', () => {
  it('Hop-by-Hop, Destination Options and Routing headers before TCP/UDP', () => {
    expect(decode(eth6(0, concat(extension(6, 0), tcp(41851, 43913, 50))))).toEqual({ ...flow6, sport: 41851, dport: 43913, proto: 'tcp', bytes: 50 });
    expect(decode(eth6(60, concat(extension(43, 1), extension(17, 0), udp(546, 547, 91))))).toMatchObject({ proto: 'udp', sport: 546, dport: 547, bytes: 91 });
  });

  it('fragments: the first carries ports, later ones are "other" with no length', () => {
    expect(decode(eth6(44, concat(fragment6(6, 0, true), tcp(59694, 80, 20))))).toMatchObject({ proto: 'tcp', sport: 59694, dport: 80, bytes: 20 });
    expect(decode(eth6(44, concat(fragment6(6, 1448, false), payload(100))))).toEqual({ ...flow6, sport: NO_PORT, dport: NO_PORT, proto: 'other', bytes: 0 });
  });

  it('a jumbogram takes its length from the Hop-by-Hop Jumbo Payload option', () => {
    // Payload length 0; jumbo length = 8 (HBH) + 20 (TCP) + 100 = 128.
    const hbh = extension(6, 0, [0xc2, 4, 0, 0, 0, 128]);
    expect(decode(eth6(0, concat(hbh, tcp(1, 2, 100)), 0))).toMatchObject({ proto: 'tcp', bytes: 100 });
  });
});

describe('PacketDecoder: tunnels report the inner flow', () => {
  const outer = (proto: number, body: Uint8Array) => ether(0x0800, ipv4(proto, '192.0.2.1', '192.0.2.2', body));

  it('GRE carrying IPv4', () => {
    const inner = ipv4(17, '10.1.1.1', '10.2.2.2', udp(53, 4000, 60));
    expect(decode(outer(47, gre(0x0800, inner)))).toEqual({ src: '10.1.1.1', dst: '10.2.2.2', sport: 53, dport: 4000, proto: 'udp', bytes: 60, skip: null });
  });

  it('the outer header of a tunnel adds no hosts', () => {
    const own = new HostTable();
    const frame = outer(47, gre(0x0800, ipv4(17, '10.1.1.1', '10.2.2.2', udp(53, 4000, 60))));
    new PacketDecoder(own).decodeFrame(frame, 0, frame.length, frame.length, LinkType.ethernet);
    expect([own.address(0), own.address(1), own.size]).toEqual(['10.1.1.1', '10.2.2.2', 2]);
  });

  it('GRE transparent Ethernet and ERSPAN type II carrying IP', () => {
    const inner = ether(0x0800, ipv4(1, '192.168.69.10', '192.168.69.2', icmp(40)));
    expect(decode(outer(47, gre(0x6558, inner, { key: 0 })))).toMatchObject({ src: '192.168.69.10', proto: 'icmp', bytes: 40 });
    const erspan = new Uint8Array(8);
    expect(decode(outer(47, gre(0x88be, concat(erspan, inner), { seq: 1 })))).toMatchObject({ src: '192.168.69.10', proto: 'icmp', bytes: 40 });
  });

  it('GRE carrying ARP keeps the outer endpoints, with the inner "length" (the ARP payload)', () => {
    const inner = ether(0x0806, concat(arp(), new Uint8Array(18))); // padded to a 60-byte frame: 46 bytes of payload
    expect(decode(outer(47, gre(0x6558, inner, { key: 0 })))).toEqual({ src: '192.0.2.1', dst: '192.0.2.2', sport: NO_PORT, dport: NO_PORT, proto: 'other', bytes: 46, skip: null });
  });

  it('IP-in-IP and 6in4; a broken inner header leaves the outer flow as "other"', () => {
    expect(decode(outer(4, ipv4(6, '10.1.0.3', '10.1.0.4', tcp(80, 80, 52))))).toMatchObject({ src: '10.1.0.3', dst: '10.1.0.4', proto: 'tcp', bytes: 52 });
    expect(decode(outer(41, ipv6(6, '2001:db8::a', '2001:db8::b', tcp(80, 80, 12))))).toMatchObject({ src: '2001:db8::a', proto: 'tcp', bytes: 12 });
    const broken = ipv4(6, '10.1.0.3', '10.1.0.4', tcp(80, 80, 0));
    broken[0] = 0x55;
    expect(decode(outer(4, broken))).toEqual({ src: '192.0.2.1', dst: '192.0.2.2', sport: NO_PORT, dport: NO_PORT, proto: 'other', bytes: 0, skip: null });
  });
});

describe('PacketDecoder: packets that are not graphed', () => {
  it('ARP is non-IP, with the link payload length', () => {
    expect(decode(ether(0x0806, arp()))).toEqual({ src: null, dst: null, sport: NO_PORT, dport: NO_PORT, proto: 'other', bytes: 28, skip: 'non-ip' });
  });

  it('captures cut short: no IP header -> truncated; cut inside TCP -> what was captured', () => {
    const frame = eth4(6, tcp(1234, 80, 100));
    expect(decode(frame, { capLen: 14 + 10 })).toMatchObject({ src: null, skip: 'truncated' });
    expect(decode(frame, { capLen: 14 + 20 + 2 })).toMatchObject({ ...flow4, proto: 'tcp', sport: NO_PORT, bytes: 0 });
    expect(decode(frame, { capLen: 14 + 20 + 8 })).toMatchObject({ ...flow4, proto: 'tcp', sport: 1234, dport: 80, bytes: 0 });
    expect(decode(frame, { capLen: 14 + 20 + 20 })).toMatchObject({ proto: 'tcp', bytes: 100 });
    expect(decode(new Uint8Array(10))).toMatchObject({ src: null, skip: 'truncated' });
  });

  it('broken IPv4 headers are malformed', () => {
    const badVersion = eth4(6, tcp(1, 2, 0)); badVersion[14] = 0x55;
    const badHlen = eth4(6, tcp(1, 2, 0)); badHlen[14] = 0x44;
    const badLen = eth4(6, tcp(1, 2, 0), { totalLength: 12 });
    for (const f of [badVersion, badHlen, badLen]) expect(decode(f)).toMatchObject({ src: null, skip: 'malformed' });
  });

  it('unsupported link types', () => {
    expect(decode(ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1, 2, 0)), { linkType: 253 })).toMatchObject({ src: null, skip: 'unsupported-link' });
  });
});
