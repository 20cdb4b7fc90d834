// Decodes one captured frame into the fields of a packet record, computing the same byte
// counts that `tcpdump -q` prints: TCP payload (IP length - headers), UDP length field - 8,
// ICMP/ICMPv6 message length (the IP payload), 0 where tcpdump prints no length.
// Tunnels (GRE incl. ERSPAN/TEB, IP-in-IP, 6in4) report the inner flow when it is IP.
import type { HostTable } from '../../shared/graph/hosts.js';
import { NO_HOST, NO_PORT, Proto } from '../../shared/records.js';
import { DecodedPacket } from './decoded-packet.js';
import { HostIndex } from './host-index.js';
import { locateEthernet, locateNetwork, Net, NetworkLocation } from './link-layer.js';

const IPPROTO = {
  hopopts: 0, icmp: 1, ipip: 4, tcp: 6, udp: 17, dccp: 33, ipv6: 41, routing: 43, fragment: 44, gre: 47,
  esp: 50, ah: 51, icmpv6: 58, dstopts: 60, eigrp: 88, ospf: 89, pim: 103, vrrp: 112, sctp: 132, mobility: 135,
} as const;
const GRE_TEB = 0x6558, GRE_ERSPAN_2 = 0x88be, GRE_ERSPAN_3 = 0x22eb;
/** Tunnel nesting depth followed before giving up (keeps crafted input cheap). */
const MAX_TUNNEL_DEPTH = 3;

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}
function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** Protocol class tcpdump's -q text implies for an IP protocol number. */
export function protoClass(ipProto: number): number {
  return ipProto === IPPROTO.tcp ? Proto.tcp
    : ipProto === IPPROTO.udp ? Proto.udp
      : ipProto === IPPROTO.icmp || ipProto === IPPROTO.icmpv6 ? Proto.icmp : Proto.other;
}

/**
 * Reusable frame decoder: call decodeFrame, then read the public fields (valid until the next
 * call). Addresses are interned into the HostTable given at construction.
 */
export class PacketDecoder extends DecodedPacket {
  private readonly loc = new NetworkLocation();
  // Where the endpoint addresses of the flow being reported start in the frame; interned only
  // once decoding is done, so the outer header of a tunnel adds no hosts of its own.
  private family = 0;
  private srcAt = -1;
  private dstAt = -1;
  private readonly hosts: HostIndex;

  constructor(hosts: HostTable) {
    super();
    this.hosts = new HostIndex(hosts);
  }

  /** Decodes the frame b[start, start+capLen) whose on-the-wire length was wireLen. */
  decodeFrame(b: Uint8Array, start: number, capLen: number, wireLen: number, linkType: number): void {
    this.src = NO_HOST; this.dst = NO_HOST; this.srcPort = NO_PORT; this.dstPort = NO_PORT;
    this.proto = Proto.other; this.bytes = 0; this.skip = null; this.srcAt = -1; this.dstAt = -1;
    const end = start + capLen;
    const loc = this.loc;
    locateNetwork(b, start, end, linkType, loc);
    // Headers before the network layer are fully captured, so they are as long on the wire.
    const length = wireLen - (loc.offset - start);
    switch (loc.kind) {
      case Net.ipv4: this.ipv4(b, loc.offset, end, length, 0); break;
      case Net.ipv6: this.ipv6(b, loc.offset, end, length, 0); break;
      case Net.nonIp: this.skip = 'non-ip'; this.bytes = Math.max(0, length); break;
      case Net.truncated: this.skip = 'truncated'; break;
      case Net.unsupported: this.skip = 'unsupported-link'; break;
      default: this.skip = 'malformed';
    }
    if (this.srcAt >= 0) {
      const hosts = this.hosts, s = this.srcAt, d = this.dstAt;
      if (this.family === 4) {
        this.src = hosts.v4(u32(b, s));
        this.dst = hosts.v4(u32(b, d));
      } else {
        this.src = hosts.v6(u32(b, s), u32(b, s + 4), u32(b, s + 8), u32(b, s + 12));
        this.dst = hosts.v6(u32(b, d), u32(b, d + 4), u32(b, d + 8), u32(b, d + 12));
      }
    }
  }

  /** IPv4 header at b[p]; `length` bytes follow on the wire. Returns whether it has endpoints. */
  private ipv4(b: Uint8Array, p: number, end: number, length: number, depth: number): boolean {
    if (end - p < 20) { this.skip = 'truncated'; return false; }
    const hlen = (b[p] & 15) * 4;
    const ipLen = u16(b, p + 2);
    if ((b[p] >> 4) !== 4 || length < 20 || hlen < 20 || ipLen < hlen) { this.skip = 'malformed'; return false; }
    this.family = 4; this.srcAt = p + 12; this.dstAt = p + 16;
    const nh = b[p + 9];
    if ((u16(b, p + 6) & 0x1fff) !== 0) {
      // A later fragment: no transport header, tcpdump prints `ip-proto-N` and no length.
      this.proto = protoClass(nh);
      return true;
    }
    if (end - p < hlen) { this.srcAt = this.dstAt = -1; this.skip = 'truncated'; return false; }
    this.transport(b, p + hlen, Math.min(end, p + ipLen), ipLen - hlen, nh, 4, depth);
    return true;
  }

  /** IPv6 header at b[p], extension headers walked as tcpdump's ip6_print walks them. */
  private ipv6(b: Uint8Array, p: number, end: number, length: number, depth: number): boolean {
    if (end - p < 40) { this.skip = 'truncated'; return false; }
    if ((b[p] >> 4) !== 6 || length < 40) { this.skip = 'malformed'; return false; }
    this.family = 6; this.srcAt = p + 8; this.dstAt = p + 24;
    const payloadLen = u16(b, p + 4);
    // Payload length 0 means "jumbo" (a Hop-by-Hop option carries the length) or no payload.
    let len = payloadLen !== 0 ? payloadLen + 40 : length + 40;
    const capEnd = Math.min(end, p + len);
    let nh = b[p + 6];
    let cp = p, advance = 40, total = 0, jumbo = -1, sawExtension = false;
    while (cp < capEnd && advance > 0) {
      if (len < advance) return true;
      cp += advance; len -= advance; total += advance;
      switch (nh) {
        case IPPROTO.hopopts: case IPPROTO.dstopts: case IPPROTO.routing:
          if (capEnd - cp < 2) return true;
          advance = (b[cp + 1] + 1) * 8;
          if (nh === IPPROTO.hopopts && payloadLen === 0) jumbo = jumboLength(b, cp, Math.min(capEnd, cp + advance));
          nh = b[cp]; sawExtension = true;
          break;
        case IPPROTO.fragment:
          if (capEnd - cp < 8) return true;
          // Only the first fragment carries the transport header.
          if ((u16(b, cp + 2) & 0xfff8) !== 0 || capEnd <= cp + 8) return true;
          advance = 8; nh = b[cp]; sawExtension = true;
          break;
        case IPPROTO.mobility:
          return true;
        default:
          if (jumbo >= 0) {
            len = jumbo + 40 - total;
            if (len < 0) return true;
          } else if (payloadLen === 0) {
            if (sawExtension) return true;
            len = 0;
          }
          this.transport(b, cp, capEnd, len, nh, 6, depth);
          return true;
      }
    }
    return true;
  }

  /** Transport header at b[q]: `len` payload bytes by the IP header, captured up to capEnd. */
  private transport(b: Uint8Array, q: number, capEnd: number, len: number, nh: number, version: number, depth: number): void {
    for (;;) {
      switch (nh) {
        case IPPROTO.tcp:
          this.proto = Proto.tcp;
          if (capEnd - q < 4) return;
          this.srcPort = u16(b, q); this.dstPort = u16(b, q + 2);
          if (capEnd - q < 20) return;
          // Unsigned like tcpdump's `length - hlen`, even for a bogus header length.
          this.bytes = (len - (b[q + 12] >> 4) * 4) >>> 0;
          return;
        case IPPROTO.udp: {
          this.proto = Proto.udp;
          if (capEnd - q < 4) return;
          this.srcPort = u16(b, q); this.dstPort = u16(b, q + 2);
          if (len < 8 || capEnd - q < 8) return;
          let udpLen = u16(b, q + 4);
          if (udpLen === 0 && len > 65535) udpLen = len; // IPv6 jumbogram
          if (udpLen >= 8) this.bytes = udpLen - 8;
          return;
        }
        case IPPROTO.icmp: case IPPROTO.icmpv6:
          if ((nh === IPPROTO.icmp) !== (version === 4)) return; // "[ICMP requires IPv4]"
          this.proto = Proto.icmp;
          if (capEnd - q >= 4) this.bytes = len;
          return;
        case IPPROTO.ah: {
          if (capEnd - q < 2) return;
          const advance = (b[q + 1] + 2) * 4;
          // An AH (with its ICV) cut short or longer than the packet: tcpdump prints "[|ah]".
          if (capEnd - q < advance) return;
          // Unsigned, as in tcpdump, should an IPv6 jumbo length leave less than the AH.
          nh = b[q]; q += advance; len = (len - advance) >>> 0;
          continue;
        }
        case IPPROTO.sctp: case IPPROTO.dccp:
          // Printed with ports but, under -q, without a length.
          if (capEnd - q >= 4) { this.srcPort = u16(b, q); this.dstPort = u16(b, q + 2); }
          return;
        case IPPROTO.esp: case IPPROTO.ospf: case IPPROTO.pim: case IPPROTO.eigrp:
          // Printed with ", length N" (or "length: N") = the remaining IP payload.
          this.bytes = len;
          return;
        case IPPROTO.vrrp:
          // Only a v2/v3 advertisement (type 1) gets as far as its ", length N".
          if (capEnd - q >= 6 && (b[q] === 0x21 || b[q] === 0x31)) this.bytes = len;
          return;
        case IPPROTO.ipip: case IPPROTO.ipv6:
          if (depth < MAX_TUNNEL_DEPTH) this.inner(b, q, capEnd, len, nh === IPPROTO.ipip ? Net.ipv4 : Net.ipv6, depth);
          return;
        case IPPROTO.gre:
          this.gre(b, q, capEnd, len, depth);
          return;
        default:
          // IGMP, SCTP, unknown protocols ...: tcpdump -q prints no "length".
          return;
      }
    }
  }

  private gre(b: Uint8Array, q: number, capEnd: number, len: number, depth: number): void {
    if (capEnd - q < 4) return;
    const flags = u16(b, q);
    const type = u16(b, q + 2);
    // Version 0 only; a routing-present header would need the source-route list walked.
    if ((flags & 7) !== 0 || (flags & 0x4000) !== 0) return;
    const hdr = 4 + ((flags & 0x8000) !== 0 ? 4 : 0) + ((flags & 0x2000) !== 0 ? 4 : 0) + ((flags & 0x1000) !== 0 ? 4 : 0);
    const innerLen = len - hdr;
    // "GREv0, ..., length N:" (N counts the GRE header) is the last length printed when the
    // inner packet is not decoded.
    this.bytes = len;
    if (depth >= MAX_TUNNEL_DEPTH || innerLen < 0) return;
    const p = q + hdr;
    switch (type) {
      case 0x0800: this.inner(b, p, capEnd, innerLen, Net.ipv4, depth); return;
      case 0x86dd: this.inner(b, p, capEnd, innerLen, Net.ipv6, depth); return;
      case GRE_TEB: this.innerEthernet(b, p, capEnd, innerLen, depth); return;
      case GRE_ERSPAN_2:
        // Type II has an 8-byte ERSPAN header and the GRE sequence bit set; type I has neither.
        if ((flags & 0x1000) !== 0) this.innerEthernet(b, p + 8, capEnd, innerLen - 8, depth);
        else this.innerEthernet(b, p, capEnd, innerLen, depth);
        return;
      case GRE_ERSPAN_3: {
        if (capEnd - p < 12) return;
        const skip = (b[p + 11] & 1) !== 0 ? 20 : 12; // optional platform-specific subheader
        this.innerEthernet(b, p + skip, capEnd, innerLen - skip, depth);
        return;
      }
      default:
    }
  }

  private innerEthernet(b: Uint8Array, p: number, capEnd: number, length: number, depth: number): void {
    const loc = this.loc;
    locateEthernet(b, p, capEnd, loc);
    const rest = length - (loc.offset - p);
    if (loc.kind === Net.ipv4 || loc.kind === Net.ipv6) this.inner(b, loc.offset, capEnd, rest, loc.kind, depth);
    else if (loc.kind === Net.nonIp) this.bytes = Math.max(0, rest); // e.g. ARP's "length N"
  }

  /**
   * Decodes a tunnelled IP packet; when it has no usable endpoints the outer flow stands, as
   * protocol "other" with the byte count already set for it.
   */
  private inner(b: Uint8Array, p: number, capEnd: number, length: number, kind: number, depth: number): void {
    const family = this.family, srcAt = this.srcAt, dstAt = this.dstAt, outerBytes = this.bytes;
    const ok = kind === Net.ipv4 ? this.ipv4(b, p, capEnd, length, depth + 1) : this.ipv6(b, p, capEnd, length, depth + 1);
    if (ok) return;
    this.family = family; this.srcAt = srcAt; this.dstAt = dstAt; this.skip = null;
    this.srcPort = NO_PORT; this.dstPort = NO_PORT; this.proto = Proto.other; this.bytes = outerBytes;
  }
}

/** The Jumbo Payload option's length in a Hop-by-Hop header at b[p, end), or -1. */
function jumboLength(b: Uint8Array, p: number, end: number): number {
  for (let i = p + 2; i < end;) {
    const type = b[i];
    if (type === 0) { i++; continue; } // Pad1
    if (i + 2 > end) return -1;
    const optLen = b[i + 1];
    if (type === 0xc2 && optLen === 4 && i + 6 <= end) return u32(b, i + 2);
    i += 2 + optLen;
  }
  return -1;
}
